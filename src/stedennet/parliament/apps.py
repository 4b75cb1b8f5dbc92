from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParliamentConfig(AppConfig):
    name = "stedennet.parliament"
    label = "parliament"
    verbose_name = _("Parliament")
    default_auto_field = "django.db.models.BigAutoField"
