from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _ensure_roles(sender, **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.management import create_permissions

    from stedennet.accounts.services import roles_ensure

    # post_migrate reaches the apps in INSTALLED_APPS order; make sure every app's
    # permissions exist before the bureau's role is given them.
    for app_config in apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    roles_ensure()


class AccountsConfig(AppConfig):
    name = "stedennet.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        # Like Django's own permissions: the role groups exist after every migrate.
        post_migrate.connect(_ensure_roles, sender=self, dispatch_uid="stedennet.accounts.roles")
