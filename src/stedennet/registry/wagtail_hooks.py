"""The registry in the back office (Wagtail snippets): listings, filters, search, history.

Population figures are append-only: the bureau adds figures here; a correction goes through
the import (or a new figure) so the old one stays in the history.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from stedennet.registry.models import Municipality, Network, PartnerOrganisation, PopulationFigure, Province


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    icon = "site"
    menu_label = _("Municipalities")
    list_display = ["display_name", "cbs_code", "province"]
    list_filter = ["province"]
    list_export = ["cbs_code", "name", "common_name", "province"]
    search_fields = ["name", "common_name", "cbs_code"]
    search_backend_name = None
    ordering = ["name"]
    panels = [FieldPanel("cbs_code"), FieldPanel("name"), FieldPanel("common_name"), FieldPanel("slug"),
              FieldPanel("province")]


class PopulationFigureViewSet(SnippetViewSet):
    model = PopulationFigure
    icon = "table"
    menu_label = _("Population figures")
    list_display = ["municipality", "reference_date", "inhabitants", "source", "recorded_at", "superseded_at"]
    list_filter = ["source", "reference_date", "municipality__province"]
    list_export = ["municipality", "reference_date", "inhabitants", "source", "source_note", "source_url",
                   "recorded_at", "superseded_at"]
    search_fields = ["municipality__name", "municipality__cbs_code", "source_note"]
    search_backend_name = None
    ordering = ["municipality__name", "-reference_date"]
    panels = [FieldPanel("municipality"), FieldPanel("reference_date"), FieldPanel("inhabitants"),
              FieldPanel("source"), FieldPanel("source_note"), FieldPanel("source_url")]

    def get_queryset(self, request):
        return PopulationFigure.objects.select_related("municipality")


class NetworkViewSet(SnippetViewSet):
    model = Network
    icon = "group"
    menu_label = _("Network")
    list_display = ["name", "short_name"]


class ProvinceViewSet(SnippetViewSet):
    model = Province
    icon = "globe"
    menu_label = _("Provinces")
    list_display = ["name", "code"]


class PartnerViewSet(SnippetViewSet):
    model = PartnerOrganisation
    icon = "group"
    menu_label = _("Partners")
    list_display = ["name", "short_name", "kind", "municipality"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
    search_backend_name = None


class RegistryGroup(SnippetViewSetGroup):
    menu_label = _("Registry")
    menu_icon = "list-ul"
    menu_order = 200
    items = (NetworkViewSet, MunicipalityViewSet, PopulationFigureViewSet, PartnerViewSet, ProvinceViewSet)


register_snippet(RegistryGroup)
