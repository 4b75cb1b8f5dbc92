from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AdvocacyConfig(AppConfig):
    name = "stedennet.advocacy"
    label = "advocacy"
    verbose_name = _("Advocacy")

    def ready(self) -> None:
        from stedennet.advocacy import alerts, receivers  # noqa: F401  (the digest section; matching after each page)
