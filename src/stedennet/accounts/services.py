"""Accounts and roles.

Flows owned here:
- keeping the role groups and their permissions in place (``roles_ensure``, run after every
  migrate, like Django's own permission creation);
- creating the demo accounts for a local run (``demo_accounts_create``).
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from stedennet.accounts.constants import Role

__all__ = [
    "DemoAccount",
    "demo_accounts_create",
    "roles_ensure",
]

# The bureau manages these apps' models in the back office.
BUREAU_APPS = ("registry", "membership", "contributions", "invoices", "governance", "knowledge")
BUREAU_EXTRA_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the role groups and give the bureau its permissions. Idempotent."""
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    bureau = groups[Role.BUREAU]
    permissions = list(Permission.objects.filter(content_type__app_label__in=BUREAU_APPS))
    for app_label, codename in BUREAU_EXTRA_PERMISSIONS:
        permissions.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    bureau.permissions.add(*permissions)
    return groups


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role | None
    superuser: bool = False


# Demo only: fixed, published passwords. `make run` creates them; production never should.
DEMO_ACCOUNTS = (
    DemoAccount("bureau", "demo-bureau-g40", Role.BUREAU),
    DemoAccount("beheer", "demo-beheer-g40", None, superuser=True),
    DemoAccount("bestuurder", "demo-bestuurder-g40", Role.ADMINISTRATOR),
    DemoAccount("ambtenaar", "demo-ambtenaar-g40", Role.CIVIL_SERVANT),
    DemoAccount("partner", "demo-partner-g40", Role.PARTNER),
)


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; existing ones are left alone."""
    groups = roles_ensure()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = user_model.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.username.capitalize(),
                "last_name": "(demo)",
                "email": f"{account.username}@demo.stedennet.invalid",
                "is_staff": account.superuser or account.role == Role.BUREAU,
                "is_superuser": account.superuser,
            },
        )
        if created:
            user.set_password(account.password)
            user.save(update_fields=["password"])
            if account.role:
                user.groups.add(groups[account.role])
    return list(DEMO_ACCOUNTS)
