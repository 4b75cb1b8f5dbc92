from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are Django groups with these names; the names are what the bureau sees."""

    BUREAU = "Netwerkbureau", _("Network bureau")
    ADMINISTRATOR = "Bestuurder", _("Administrator")
    CIVIL_SERVANT = "Ambtenaar", _("Civil servant")
    PARTNER = "Partner", _("Partner")
