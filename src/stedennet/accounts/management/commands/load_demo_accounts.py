from django.core.management.base import BaseCommand

from stedennet.accounts.services import demo_accounts_create


class Command(BaseCommand):
    help = "Create the demo accounts (published passwords: for a local demo only, never in production)."

    def handle(self, *args, **options) -> None:
        accounts = demo_accounts_create()
        self.stdout.write("Demo accounts (log in at http://127.0.0.1:8000/admin/):")
        for account in accounts:
            role = "superuser" if account.superuser else account.role.value
            self.stdout.write(f"  {account.username:<11} {account.password:<22} {role}")
