from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from stedennet.membership.models import MembershipPeriod


class MembershipPeriodViewSet(SnippetViewSet):
    model = MembershipPeriod
    icon = "date"
    menu_label = _("Membership periods")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["municipality", "start_date", "end_date", "network"]
    list_filter = ["network", "start_date", "end_date", "municipality__province"]
    list_export = ["municipality", "start_date", "end_date", "note", "source"]
    search_fields = ["municipality__name", "municipality__cbs_code", "note"]
    search_backend_name = None
    ordering = ["municipality__name"]

    def get_queryset(self, request):
        return MembershipPeriod.objects.select_related("municipality", "network")


register_snippet(MembershipPeriodViewSet)
