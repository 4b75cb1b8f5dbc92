"""Work programmes, their actions and the strategic agenda in the back office (in the menu group
"Governance"), and what this app adds to governance: the actions a theme group owns on its
page, and the demo programmes (``governance.extension_points``)."""

from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from stedennet.accounts.backoffice import BureauPolicy, demo_column, yes_no_column
from stedennet.governance.extension_points import ADMIN_MENU, BODY_PAGE_SECTIONS, DEMO_LOADERS
from stedennet.programmes.demo import demo_programmes_load
from stedennet.programmes.models import Action, StrategicAgenda, WorkProgramme
from stedennet.programmes.selectors import body_actions

register_permission_policy(WorkProgramme, BureauPolicy(WorkProgramme))
register_permission_policy(Action, BureauPolicy(Action))
register_permission_policy(StrategicAgenda, BureauPolicy(StrategicAgenda))


class WorkProgrammeViewSet(SnippetViewSet):
    model = WorkProgramme
    icon = "doc-full"
    menu_label = _("Work programmes")
    menu_hook = ADMIN_MENU  # in the menu group "Governance", after its own items and the meetings
    menu_order = 6
    list_display = ["title", "pillar", "period_start", "period_end", yes_no_column("is_public", _("Public")),
                    demo_column()]
    list_filter = ["pillar", "is_public", "is_demo"]
    search_fields = ["title"]
    search_backend_name = None

    def get_queryset(self, request):
        return WorkProgramme.objects.select_related("pillar")


class ActionViewSet(SnippetViewSet):
    model = Action
    icon = "tasks"
    menu_label = _("Actions")
    menu_hook = ADMIN_MENU
    menu_order = 7
    list_display = ["title", "programme", "owner", "status", yes_no_column("is_public", _("Public")),
                    demo_column("demo", accessor=lambda action: action.programme.is_demo or bool(
                        action.owner_id and action.owner.is_demo))]
    list_filter = ["status", "programme", "is_public"]
    search_fields = ["title", "description"]
    search_backend_name = None

    def get_queryset(self, request):
        return Action.objects.select_related("programme", "owner")


class StrategicAgendaViewSet(SnippetViewSet):
    model = StrategicAgenda
    icon = "list-ol"
    menu_label = _("Strategic agenda")
    menu_hook = ADMIN_MENU
    menu_order = 8
    list_display = ["title", "period_start", "period_end", yes_no_column("is_public", _("Public"))]
    search_fields = ["title"]
    search_backend_name = None


for viewset in (WorkProgrammeViewSet, ActionViewSet, StrategicAgendaViewSet):
    register_snippet(viewset)


# --- on a body's page (governance) ---------------------------------------------------------

@hooks.register(BODY_PAGE_SECTIONS, order=30)
def body_page_actions(request, body, viewer) -> str:
    """The work-programme actions a theme group owns (the heading also when it owns none)."""
    actions = list(body_actions(body=body))
    if not (body.is_theme_group or actions):
        return ""
    return render_to_string("programmes/body_page/actions.html", {
        "request": request, "body": body, "actions": actions,
    })


@hooks.register(DEMO_LOADERS, order=20)
def demo_programmes(network) -> dict[str, int]:
    return demo_programmes_load(network)
