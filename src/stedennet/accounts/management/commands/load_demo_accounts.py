from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from stedennet.accounts.constants import Role
from stedennet.accounts.services import demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo accounts (published passwords: for a local demo only, never in production)."

    def handle(self, *args, **options) -> None:
        accounts = demo_accounts_create()
        base = settings.STEDENNET_BASE_URL.rstrip("/")
        # Staff work in the back office; members and partners sign in on the site's own page.
        staff_at, members_at = base + reverse("wagtailadmin_home"), base + reverse("accounts:login")
        self.stdout.write(f"Demo accounts (members and partners sign in at {members_at}, staff at {staff_at}):")
        for account in accounts:
            role = "superuser" if account.superuser else account.role.value
            signs_in_at = staff_at if account.superuser or account.role == Role.BUREAU else members_at
            self.stdout.write(f"  {account.username:<11} {account.password:<22} {role:<13} {signs_in_at}")
