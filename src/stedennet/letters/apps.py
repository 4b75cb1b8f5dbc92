from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LettersConfig(AppConfig):
    name = "stedennet.letters"
    label = "letters"
    verbose_name = _("Member letters")

    def ready(self) -> None:
        from stedennet.letters import receivers  # noqa: F401  (hard bounces recorded on the address)
