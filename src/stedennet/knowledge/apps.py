from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "stedennet.knowledge"
    label = "knowledge"
    verbose_name = _("Knowledge exchange")

    def ready(self) -> None:
        from stedennet.accounts.landing import landing_register
        from stedennet.knowledge.landing import sign_in_landing

        landing_register(sign_in_landing)
