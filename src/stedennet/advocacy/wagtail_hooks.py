"""Advocacy in the back office (menu group "Lobby"), for the network bureau: dossiers,
interventions and matching rules as snippet listings, the review queue of suggested
parliamentary items, and the link to the Tweede Kamer sync's status.

Everything goes through the services, so their rules and audit entries hold here too:
- a dossier is created by ``services.dossier_create`` and its owners set by ``owners_set``; its
  status changes only on its own page (``dossier_status_set``); its ask only gets new versions
  (``ask_adopt``), the earlier ones shown read-only;
- an intervention is checked by ``intervention_check`` in its form (a date before the dossier
  opened is an error on ``date``) and recorded by ``intervention_record``; its outcome is
  recorded on its own page (``intervention_outcome_set``), not in the edit form;
- a matching rule is checked by ``matching.rule_check`` in its form; after it is saved the whole
  mirror is matched against the dossier's rules (``matching.match_dossier``, after the commit);
- suggested items are confirmed or dismissed in the review queue (``item_decide``).
Dossiers and interventions are kept (no delete view); rules may be deleted.
"""

from django import forms
from django.db import transaction
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.panels import FieldPanel, HelpPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet, SnippetViewSetGroup

from stedennet.accounts.backoffice import (
    ALL_ACTIONS,
    BureauMenuItem,
    BureauPolicy,
    LinkColumn,
    PlainForm,
    PlainListing,
    PolicyChecked,
    RefusalShown,
    bureau_only,
    demo_column,
    is_bureau,
    yes_no_column,
)
from stedennet.advocacy import admin_views, matching, services, views
from stedennet.advocacy.forms import DossierForm, InterventionForm, MatchRuleForm, owners_label
from stedennet.advocacy.models import Dossier, Intervention, MatchRule
from stedennet.governance.extension_points import BODY_PAGE_SECTIONS
from stedennet.registry.selectors import network_current

KEEP = frozenset({"add", "change", "view"})

register_permission_policy(Dossier, BureauPolicy(Dossier, actions=KEEP))
register_permission_policy(Intervention, BureauPolicy(Intervention, actions=KEEP))
register_permission_policy(MatchRule, BureauPolicy(MatchRule, actions=ALL_ACTIONS))


def status_url(dossier: Dossier) -> str:
    return reverse("advocacy_dossier_status", args=[dossier.pk])


def ask_url(dossier: Dossier) -> str:
    return reverse("advocacy_ask_adopt", args=[dossier.pk])


def rules_url(dossier: Dossier) -> str:
    return reverse("wagtailsnippets_advocacy_matchrule:list") + f"?dossier={dossier.pk}"


def new_rule_url(dossier: Dossier) -> str:
    return reverse("wagtailsnippets_advocacy_matchrule:add") + f"?dossier={dossier.pk}"


def new_intervention_url(dossier: Dossier) -> str:
    return reverse("wagtailsnippets_advocacy_intervention:add") + f"?dossier={dossier.pk}"


def outcome_url(intervention: Intervention) -> str:
    return reverse("advocacy_intervention_outcome", args=[intervention.pk])


def documents_url(intervention: Intervention) -> str:
    return reverse("advocacy_intervention_documents", args=[intervention.pk])


def by_dossier(queryset, request):
    dossier = request.GET.get("dossier", "")
    return queryset.filter(dossier_id=int(dossier)) if dossier.isdigit() else queryset


# --- dossiers ---------------------------------------------------------------------------------

def dossier_buttons(dossier: Dossier) -> list[tuple[str, str, str]]:
    return [(gettext("Adopt a new ask"), ask_url(dossier), "doc-full"),
            (gettext("Change the status"), status_url(dossier), "tasks"),
            (gettext("Record an intervention"), new_intervention_url(dossier), "mail"),
            (gettext("Matching rules"), rules_url(dossier), "sliders")]


class DossierIndexView(PlainListing, PolicyChecked, IndexView):
    pass


class DossierCreateView(RefusalShown, PlainForm, PolicyChecked, CreateView):
    """Saving goes through ``services.dossier_create`` (and ``owners_set``)."""

    refused_field = "title"

    def save_instance(self):
        form, data = self.form, self.form.cleaned_data
        return services.dossier_create(
            network=network_current(), pillar=data["pillar"], title=data["title"], summary=data.get("summary", ""),
            opened_on=data["opened_on"], visibility=data["visibility"], group=data.get("group"),
            owners=form.owners(), key_messages=data.get("key_messages") or [], actions=data.get("actions") or [],
            is_demo=data.get("is_demo", False), by=self.request.user)


class DossierEditView(RefusalShown, PlainForm, PolicyChecked, EditView):
    """The dossier's own fields and its owners; status and ask have their own pages."""

    refused_field = "title"

    def save_instance(self):
        data = self.form.cleaned_data
        return services.dossier_update(dossier=self.form.instance, owners=self.form.owners(),
                                       key_messages=data.get("key_messages"), actions=data.get("actions"),
                                       by=self.request.user)

    def extra_header_buttons(self):
        return dossier_buttons(self.object)


OWNER_PANELS = MultiFieldPanel([FieldPanel("owner_groups"), FieldPanel("alert_on_suggestion")],
                               heading=_("Owning theme groups"))
DOSSIER_CREATE_PANELS = [
    HelpPanel(content=_("A new dossier is open. Its status changes, and new versions of its ask are adopted, on "
                        "their own pages (see the dossier's actions in the listing).")),
    FieldPanel("pillar", widget=forms.Select), FieldPanel("title"), FieldPanel("summary"), FieldPanel("opened_on"),
    FieldPanel("visibility"), FieldPanel("group", widget=forms.Select), OWNER_PANELS,
    FieldPanel("key_messages"), FieldPanel("actions"),
    FieldPanel("is_demo"),
]
DOSSIER_EDIT_PANELS = [
    HelpPanel(content=_("Pillar, opening date and status are not changed here: change the status on its own page; "
                        "a new ask is a new version.")),
    FieldPanel("title"), FieldPanel("summary"), FieldPanel("visibility"), FieldPanel("group", widget=forms.Select),
    OWNER_PANELS,
    FieldPanel("key_messages"), FieldPanel("actions"),
]


class DossierViewSet(SnippetViewSet):
    model = Dossier
    icon = "folder-open-inverse"
    menu_label = _("Dossiers")
    menu_order = 1
    index_view_class = DossierIndexView
    add_view_class = DossierCreateView
    edit_view_class = DossierEditView
    copy_view_enabled = False
    list_display = ["title", "pillar", "status", "visibility",
                    Column("owners", label=_("Owning theme groups"),
                           accessor=lambda dossier: owners_label(list(dossier.ownerships.all()))),
                    LinkColumn("ask_link", label=_("Ask"), text=_("New ask version"), url=ask_url),
                    LinkColumn("change_status", label=_("Status change"), text=_("Change the status"), url=status_url),
                    LinkColumn("rules_link", label=_("Matching"), text=_("Matching rules"), url=rules_url),
                    demo_column()]
    search_fields = ["title", "summary"]
    search_backend_name = None
    ordering = ["pillar__order", "title"]
    edit_handler = ObjectList(DOSSIER_CREATE_PANELS, base_form_class=DossierForm)

    def get_queryset(self, request):
        return Dossier.objects.select_related("pillar", "group").prefetch_related("ownerships__group")

    @cached_property
    def _dossier_edit_handler(self):
        return ObjectList(DOSSIER_EDIT_PANELS, base_form_class=DossierForm).bind_to_model(Dossier)

    def get_edit_view_kwargs(self, **kwargs):
        handler = self._dossier_edit_handler
        return super().get_edit_view_kwargs(**{"panel": handler, "form_class": handler.get_form_class(), **kwargs})


# --- interventions ------------------------------------------------------------------------------

class InterventionIndexView(PlainListing, PolicyChecked, IndexView):
    pass


class InterventionCreateView(RefusalShown, PlainForm, PolicyChecked, CreateView):
    """Saving goes through ``services.intervention_record``; the form has checked it already."""

    refused_field = "date"

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or Intervention()
        dossier = self.request.GET.get("dossier", "")
        if dossier.isdigit() and Dossier.objects.filter(pk=dossier).exists():
            instance.dossier_id = int(dossier)
        return instance

    def save_instance(self):
        data = self.form.cleaned_data
        return services.intervention_record(
            dossier=data["dossier"], kind=data["kind"], title=data["title"], date=data["date"],
            addressee=data["addressee"], addressee_name=data.get("addressee_name", ""), mps=data.get("mps", ""),
            signatories=data.get("signatories", ""), summary=data.get("summary", ""),
            is_public=data.get("is_public", True), is_demo=data.get("is_demo", False), by=self.request.user)


class InterventionEditView(RefusalShown, PlainForm, PolicyChecked, EditView):
    refused_field = "date"

    def extra_header_buttons(self):
        return [(gettext("Record the outcome"), outcome_url(self.object), "tasks"),
                (gettext("Documents"), documents_url(self.object), "doc-full")]


INTERVENTION_FIELDS = [
    FieldPanel("kind"), FieldPanel("title"), FieldPanel("date"),
    MultiFieldPanel([FieldPanel("addressee"), FieldPanel("addressee_name"), FieldPanel("mps")],
                    heading=_("Addressee")),
    FieldPanel("signatories"), FieldPanel("summary"), FieldPanel("is_public"),
]
INTERVENTION_CREATE_PANELS = [
    HelpPanel(content=_("The outcome is recorded later, on its own page; documents are added after saving.")),
    FieldPanel("dossier", widget=forms.Select), *INTERVENTION_FIELDS, FieldPanel("is_demo"),
]


class InterventionViewSet(SnippetViewSet):
    model = Intervention
    icon = "mail"
    menu_label = _("Interventions")
    menu_order = 2
    index_view_class = InterventionIndexView
    add_view_class = InterventionCreateView
    edit_view_class = InterventionEditView
    copy_view_enabled = False
    list_display = ["title", "dossier", "kind", "date", "addressee", "outcome",
                    LinkColumn("record_outcome", label=_("Outcome"), text=_("Record the outcome"), url=outcome_url),
                    LinkColumn("documents_link", label=_("Documents"), text=_("Documents"), url=documents_url),
                    demo_column()]
    search_fields = ["title", "summary", "addressee_name"]
    search_backend_name = None
    ordering = ["-date", "-pk"]
    edit_handler = ObjectList(INTERVENTION_CREATE_PANELS, base_form_class=InterventionForm)

    def get_queryset(self, request):
        return by_dossier(Intervention.objects.select_related("dossier"), request)

    @cached_property
    def _intervention_edit_handler(self):
        return ObjectList(INTERVENTION_FIELDS, base_form_class=InterventionForm).bind_to_model(Intervention)

    def get_edit_view_kwargs(self, **kwargs):
        handler = self._intervention_edit_handler
        return super().get_edit_view_kwargs(**{"panel": handler, "form_class": handler.get_form_class(), **kwargs})


# --- matching rules -------------------------------------------------------------------------------

class RuleMatching:
    """After a rule is saved (and committed), the whole mirror is matched against its dossier's rules."""

    def save_instance(self):
        rule = super().save_instance()
        request, dossier = self.request, rule.dossier

        def match():
            found = matching.match_dossier(dossier)
            messages.info(request, ngettext(
                "Matching found %(count)s new suggestion for %(dossier)s; see the review queue.",
                "Matching found %(count)s new suggestions for %(dossier)s; see the review queue.", found)
                % {"count": found, "dossier": dossier},
                extra_tags=f"suggestions-{found}")

        transaction.on_commit(match)
        return rule


class MatchRuleIndexView(PlainListing, PolicyChecked, IndexView):
    pass


class MatchRuleCreateView(RefusalShown, RuleMatching, PlainForm, PolicyChecked, CreateView):
    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or MatchRule()
        dossier = self.request.GET.get("dossier", "")
        if dossier.isdigit() and Dossier.objects.filter(pk=dossier).exists():
            instance.dossier_id = int(dossier)
        return instance


class MatchRuleEditView(RefusalShown, RuleMatching, PlainForm, PolicyChecked, EditView):
    pass


class MatchRuleViewSet(SnippetViewSet):
    model = MatchRule
    icon = "sliders"
    menu_label = _("Matching rules")
    menu_order = 3
    index_view_class = MatchRuleIndexView
    add_view_class = MatchRuleCreateView
    edit_view_class = MatchRuleEditView
    copy_view_enabled = False
    list_display = ["__str__", "dossier", "dossier_numbers", "committees", "case_kinds", "terms",
                    yes_no_column("is_active", _("Active"))]
    search_fields = ["name", "terms", "dossier_numbers"]
    search_backend_name = None
    ordering = ["dossier__title", "pk"]
    edit_handler = ObjectList([
        HelpPanel(content=_("Within a rule every filled criterion must hold; a dossier's rules are alternatives. "
                            "Lists: one value per line (or separated by commas). After saving, the whole "
                            "parliamentary mirror is matched and new suggestions go to the review queue.")),
        FieldPanel("dossier", widget=forms.Select), FieldPanel("name"), FieldPanel("dossier_numbers"),
        FieldPanel("committees"),
        FieldPanel("case_kinds"), FieldPanel("terms"), FieldPanel("mps"), FieldPanel("is_active"),
    ], base_form_class=MatchRuleForm)

    def get_queryset(self, request):
        return by_dossier(MatchRule.objects.select_related("dossier"), request)


# --- the menu group -------------------------------------------------------------------------------

class ReviewQueueMenuItem(BureauMenuItem):
    """"Review queue", with the number of suggestions waiting (one indexed count per page)."""

    def render_component(self, request):
        count = admin_views.suggested_items().count() if is_bureau(request.user) else 0
        component = super().render_component(request)
        if count:
            component.label = gettext("Review queue (%(count)s)") % {"count": count}
        return component


class LobbyGroup(SnippetViewSetGroup):
    menu_label = _("Lobby")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (DossierViewSet, InterventionViewSet, MatchRuleViewSet)

    def get_submenu_items(self):
        return [
            *super().get_submenu_items(),
            ReviewQueueMenuItem(_("Review queue"), reverse(admin_views.REVIEW_URL), name="advocacy-review",
                                icon_name="tasks", order=4),
            BureauMenuItem(_("Tweede Kamer sync"), reverse("parliament_sync_status"), name="advocacy-sync",
                           icon_name="rotate", order=5),
        ]


register_snippet(LobbyGroup)


@hooks.register("register_admin_urls")
def register_advocacy_urls():
    return [
        path("advocacy/dossiers/<int:pk>/status/", bureau_only(admin_views.DossierStatusView.as_view()),
             name="advocacy_dossier_status"),
        path("advocacy/dossiers/<int:pk>/ask/", bureau_only(admin_views.AskAdoptView.as_view()),
             name="advocacy_ask_adopt"),
        path("advocacy/interventions/<int:pk>/outcome/", bureau_only(admin_views.OutcomeView.as_view()),
             name="advocacy_intervention_outcome"),
        path("advocacy/interventions/<int:pk>/documents/", bureau_only(admin_views.DocumentsView.as_view()),
             name="advocacy_intervention_documents"),
        path("advocacy/review/", bureau_only(admin_views.ReviewQueueView.as_view()), name=admin_views.REVIEW_URL),
        path("advocacy/review/<int:pk>/decide/", bureau_only(require_POST(admin_views.item_decide)),
             name="advocacy_item_decide"),
    ]


@hooks.register("register_log_actions")
def register_advocacy_log_actions(actions):
    actions.register_action(services.ASK_ADOPTED, _("Ask adopted"), _("A new version of the ask was adopted"))
    actions.register_action(services.STATUS_CHANGED, _("Status changed"), _("The dossier's status changed"))
    actions.register_action(services.OUTCOME_RECORDED, _("Outcome recorded"),
                            _("The outcome of an intervention was recorded"))
    actions.register_action(services.ITEM_CONFIRMED, _("Parliamentary item confirmed"),
                            _("A suggested parliamentary item was confirmed"))
    actions.register_action(services.ITEM_DISMISSED, _("Parliamentary item dismissed"),
                            _("A suggested parliamentary item was dismissed"))
    actions.register_action(services.DOCUMENT_ADDED, _("Document added"),
                            _("A document was added to an intervention"))


# A theme group's (or pillar's) page lists the dossiers it owns that the viewer may see.
hooks.register(BODY_PAGE_SECTIONS, order=40)(views.body_page_dossiers)
