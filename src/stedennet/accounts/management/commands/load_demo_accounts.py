from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from stedennet.accounts.constants import Role
from stedennet.accounts.services import DEMO_TOTP_SECRET, demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo accounts (published passwords: for a local demo only, never in production)."

    def handle(self, *args, **options) -> None:
        accounts = demo_accounts_create()
        base = settings.STEDENNET_BASE_URL.rstrip("/")
        # Everyone signs in on the one sign-in page; staff then work in the back office.
        staff_at, members_at = base + reverse("wagtailadmin_home"), base + reverse("accounts:login")
        self.stdout.write(f"Demo accounts (everyone signs in at {members_at}; staff then work at {staff_at}):")
        for account in accounts:
            role = "superuser" if account.superuser else account.role.value
            signs_in_at = staff_at if account.superuser or account.role == Role.BUREAU else members_at
            self.stdout.write(f"  {account.username:<11} {account.password:<22} {role:<13} {signs_in_at}")
        self.stdout.write(f"Staff accounts ask a second factor: add the demo TOTP secret {DEMO_TOTP_SECRET} to an "
                          "authenticator app (demo only: the secret is published).")
