from django.apps import AppConfig
from django.contrib.staticfiles.apps import StaticFilesConfig as StaticFilesConfigBase
from django.utils.translation import gettext_lazy as _


class SiteConfig(AppConfig):
    default = True
    name = "stedennet.site"
    label = "site"
    verbose_name = _("Public site")

    def ready(self):
        from stedennet.membership.models import MembershipPeriod
        from stedennet.registry.models import Municipality, Network, PartnerOrganisation, PopulationFigure, Province
        from stedennet.web.cache import REGISTRY, watch

        watch(REGISTRY, Network, Province, Municipality, PopulationFigure, MembershipPeriod, PartnerOrganisation)


class StaticFilesConfig(StaticFilesConfigBase):
    """Collect only what the site serves from the npm packages (no Sass sources or type files)."""

    ignore_patterns = [*StaticFilesConfigBase.ignore_patterns, "background-image-icon.css", "*.scss", "*.d.ts"]
