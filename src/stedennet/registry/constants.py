from django.db import models
from django.utils.translation import gettext_lazy as _

CBS_CODE_REGEX = r"^GM\d{4}$"


class PopulationSource(models.TextChoices):
    """Where a population figure comes from. Sources disagree; we keep every one."""

    CBS_FINAL = "cbs_final", _("CBS, final")
    CBS_PROVISIONAL = "cbs_provisional", _("CBS, provisional")
    MUNICIPAL = "municipal", _("Municipality's own count")


class PartnerKind(models.TextChoices):
    ASSOCIATION = "association", _("Association of municipalities")
    PROVINCES = "provinces", _("Association of provinces")
    KNOWLEDGE = "knowledge", _("Knowledge institute")
    MUNICIPALITY = "municipality", _("Partner municipality")
    OTHER = "other", _("Other")
