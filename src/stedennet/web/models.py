from django.db import models
from django.utils.translation import gettext_lazy as _


class DataVersion(models.Model):
    """A counter per kind of data that pages cache on (see stedennet.web.cache). Every write
    to that data raises it, so a cached fragment is never shown after the data changed, in
    any of the server's worker processes."""

    key = models.CharField(max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("data version")
        verbose_name_plural = _("data versions")

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"
