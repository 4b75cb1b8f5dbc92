"""Membership in the back office: periods, procedures, the network's rules and a timeline per
municipality.

A procedure is never edited as a form over its rows: every step goes through the services
(``admission_apply``, ``admission_decide``, ``admission_withdraw``, ``admission_effective``,
``resignation_notice``), so their rules hold here too, and a refusal is shown on the form field
it concerns. The generic add, edit and delete views of procedures are refused by the permission
policy; the listing and the inspect view read them.
"""


from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput, HeaderButton
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, InspectView, SnippetViewSet, SnippetViewSetGroup

from stedennet.accounts.backoffice import BureauPolicy, LinkColumn, PolicyChecked, bureau_only
from stedennet.membership import constants, services
from stedennet.membership.constants import ProcedureKind, ProcedureStatus, allowed
from stedennet.membership.models import MembershipPeriod, MembershipProcedure, MembershipRules
from stedennet.membership.selectors import member_timeline, procedure_steps, procedures_of
from stedennet.registry.models import Municipality
from stedennet.registry.selectors import network_current
from stedennet.web.refusals import add_refusal

# --- who may do what -----------------------------------------------------------------------

register_permission_policy(MembershipProcedure, BureauPolicy(MembershipProcedure, actions={"view"}))
register_permission_policy(MembershipRules, BureauPolicy(MembershipRules, actions={"add", "change", "view"}))


# --- snippets --------------------------------------------------------------------------------

def timeline_url(municipality: Municipality) -> str:
    return reverse("membership_timeline", args=[municipality.cbs_code])


class MembershipPeriodViewSet(SnippetViewSet):
    model = MembershipPeriod
    icon = "date"
    menu_label = _("Membership periods")
    list_display = ["municipality", "start_date", "end_date", "network"]
    list_filter = ["network", "start_date", "end_date", "municipality__province"]
    list_export = ["municipality", "start_date", "end_date", "note", "source"]
    search_fields = ["municipality__name", "municipality__cbs_code", "note"]
    search_backend_name = None
    ordering = ["municipality__name"]

    def get_queryset(self, request):
        return MembershipPeriod.objects.select_related("municipality", "network")


class ProcedureIndexView(PolicyChecked, IndexView):
    @cached_property
    def header_buttons(self):
        return [
            HeaderButton(_("Admission: application"), url=reverse("membership_admission_apply"), icon_name="plus"),
            HeaderButton(_("Resignation: notice"), url=reverse("membership_resignation_notice"), icon_name="plus"),
        ]


def procedure_actions(procedure: MembershipProcedure) -> list[dict]:
    """The steps the services allow next (``constants.TRANSITIONS``), as links."""
    actions = []
    if procedure.kind == ProcedureKind.ADMISSION:
        if allowed(procedure.status, ProcedureStatus.APPROVED):
            actions.append({"label": gettext("Record the board's decision"),
                            "url": reverse("membership_procedure_decide", args=[procedure.pk])})
        if allowed(procedure.status, ProcedureStatus.EFFECTIVE):
            actions.append({"label": gettext("Record that membership takes effect"),
                            "url": reverse("membership_procedure_effective", args=[procedure.pk])})
        if allowed(procedure.status, ProcedureStatus.WITHDRAWN):
            actions.append({"label": gettext("Record a withdrawal"),
                            "url": reverse("membership_procedure_withdraw", args=[procedure.pk])})
    return actions


class ProcedureInspectView(PolicyChecked, InspectView):
    template_name = "membership/admin/procedure_inspect.html"

    def get_fields(self):
        return ["municipality", "kind", "status", "period", "created_at"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["steps"] = procedure_steps(self.object)
        context["actions"] = procedure_actions(self.object)
        context["timeline_url"] = timeline_url(self.object.municipality)
        return context


class MembershipProcedureViewSet(SnippetViewSet):
    model = MembershipProcedure
    icon = "tasks"
    menu_label = _("Procedures")
    index_view_class = ProcedureIndexView
    inspect_view_enabled = True
    inspect_view_class = ProcedureInspectView
    copy_view_enabled = False
    list_display = [
        "municipality", "kind", "status", "created_at",
        LinkColumn("timeline", label=_("Timeline"), text=_("Timeline"),
                   url=lambda procedure: timeline_url(procedure.municipality)),
    ]
    list_filter = ["kind", "status"]
    list_export = ["municipality", "kind", "status", "created_at"]
    search_fields = ["municipality__name", "municipality__cbs_code"]
    search_backend_name = None
    ordering = ["municipality__name", "created_at"]

    def get_queryset(self, request):
        return MembershipProcedure.objects.select_related("municipality", "network")


class MembershipRulesViewSet(SnippetViewSet):
    model = MembershipRules
    icon = "cog"
    menu_label = _("Membership rules")
    copy_view_enabled = False
    list_display = ["network", "notice_months", "financial_year_start_month", "source"]

    def get_queryset(self, request):
        return MembershipRules.objects.select_related("network")


class MembershipGroup(SnippetViewSetGroup):
    menu_label = _("Membership")
    menu_icon = "date"
    menu_order = 210
    items = (MembershipPeriodViewSet, MembershipProcedureViewSet, MembershipRulesViewSet)


register_snippet(MembershipGroup)


# --- procedure steps through the services ----------------------------------------------------

class StepDocumentForm(forms.Form):
    """What every step records besides its date: the document and where it is."""

    reference = forms.CharField(label=_("Reference"), max_length=300, required=False,
                                help_text=_("What the document is: decision number, letter, publication."))
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https")
    document = forms.ModelChoiceField(label=_("Document"), queryset=get_document_model().objects.all(),
                                      required=False, widget=AdminDocumentChooser)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def document_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("reference", "url", "document", "note")}


class ApplyForm(StepDocumentForm):
    field_order = ["municipality", "date"]
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.order_by("name"))
    date = forms.DateField(label=_("Date of the college's decision to apply"), widget=AdminDateInput)


class DecideForm(StepDocumentForm):
    field_order = ["decision", "date"]
    decision = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, coerce=lambda value: value == "approve",
        choices=[("approve", _("The board approves")), ("reject", _("The board rejects"))],
    )
    date = forms.DateField(label=_("Date of the board's decision"), widget=AdminDateInput)


class WithdrawForm(StepDocumentForm):
    field_order = ["date"]
    date = forms.DateField(label=_("Date of the withdrawal"), widget=AdminDateInput)


class EffectiveForm(StepDocumentForm):
    field_order = ["date"]
    date = forms.DateField(label=_("Membership takes effect on"), widget=AdminDateInput)


class NoticeForm(StepDocumentForm):
    field_order = ["municipality", "date"]
    municipality = forms.ModelChoiceField(label=_("Member"), queryset=Municipality.objects.none())
    date = forms.DateField(label=_("Date of the notice"), widget=AdminDateInput)

    def __init__(self, *args, network=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Municipality.objects.filter(
            membership_periods__network=network, membership_periods__end_date__isnull=True,
        ).distinct().order_by("name")


class StepFormView(WagtailAdminTemplateMixin, FormView):
    """A form for one step; ``perform`` calls the service. A refusal goes on ``refused_field``."""

    template_name = "membership/admin/step_form.html"
    header_icon = "tasks"
    refused_field = "date"
    submit_button_label = _("Record")
    procedure = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.network = network_current()
        if "pk" in kwargs:
            self.procedure = get_object_or_404(
                MembershipProcedure.objects.select_related("municipality"), pk=kwargs["pk"], network=self.network)

    def get_page_subtitle(self):
        return str(self.procedure.municipality) if self.procedure else ""

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("wagtailsnippets_membership_membershipprocedure:list"),
                  "label": gettext("Procedures")}]
        if self.procedure:
            items.append({"url": self.inspect_url(self.procedure), "label": str(self.procedure)})
        return [*self.breadcrumbs_items, *items, {"url": "", "label": self.get_page_title()}]

    @staticmethod
    def inspect_url(procedure: MembershipProcedure) -> str:
        return reverse("wagtailsnippets_membership_membershipprocedure:inspect", args=[procedure.pk])

    def get_initial(self):
        return {"date": timezone.localdate()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["media"] = context["form"].media
        context["procedure"] = self.procedure
        context["submit_button_label"] = self.submit_button_label
        context["action_url"] = self.request.get_full_path()
        return context

    def perform(self, form) -> tuple[MembershipProcedure, str]:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            procedure, message = self.perform(form)
        except ValidationError as error:  # ProcedureRefused among them; a step's own checks too
            add_refusal(form, error, self.refused_field)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.inspect_url(procedure))


class ApplyView(StepFormView):
    form_class = ApplyForm
    page_title = _("Admission: the college decides to apply")
    refused_field = "municipality"

    def perform(self, form):
        procedure = services.admission_apply(network=self.network, municipality=form.cleaned_data["municipality"],
                                             date=form.cleaned_data["date"], user=self.request.user,
                                             **form.document_kwargs())
        return procedure, gettext("The application of %(name)s is recorded.") % {"name": procedure.municipality}


class DecideView(StepFormView):
    form_class = DecideForm
    page_title = _("The board decides")

    def perform(self, form):
        procedure = services.admission_decide(procedure=self.procedure, approve=form.cleaned_data["decision"],
                                              date=form.cleaned_data["date"], user=self.request.user,
                                              **form.document_kwargs())
        return procedure, gettext("The board's decision is recorded: %(status)s.") % {
            "status": procedure.get_status_display()}


class WithdrawView(StepFormView):
    form_class = WithdrawForm
    page_title = _("The application is withdrawn")

    def perform(self, form):
        procedure = services.admission_withdraw(procedure=self.procedure, date=form.cleaned_data["date"],
                                                user=self.request.user, **form.document_kwargs())
        return procedure, gettext("The withdrawal is recorded.")


class EffectiveView(StepFormView):
    form_class = EffectiveForm
    page_title = _("Membership takes effect")

    def perform(self, form):
        period = services.admission_effective(procedure=self.procedure, date=form.cleaned_data["date"],
                                              user=self.request.user, **form.document_kwargs())
        return self.procedure, gettext("%(name)s is a member from %(date)s.") % {
            "name": period.municipality, "date": period.start_date}


class NoticeView(StepFormView):
    form_class = NoticeForm
    page_title = _("Resignation: notice")
    refused_field = "municipality"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "network": self.network}

    def perform(self, form):
        procedure = services.resignation_notice(
            network=self.network, municipality=form.cleaned_data["municipality"],
            notice_date=form.cleaned_data["date"], user=self.request.user, **form.document_kwargs())
        return procedure, gettext("The notice of %(name)s is recorded; the membership ends on %(end)s.") % {
            "name": procedure.municipality, "end": procedure.period.end_date}


class TimelineView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "membership/admin/timeline.html"
    page_title = _("Timeline")
    header_icon = "history"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.municipality = get_object_or_404(Municipality, cbs_code=kwargs["cbs_code"])

    def get_page_subtitle(self):
        return str(self.municipality)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items,
                {"url": reverse("wagtailsnippets_membership_membershipprocedure:list"),
                 "label": gettext("Procedures")},
                {"url": "", "label": self.get_header_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = network_current()
        context["municipality"] = self.municipality
        context["network"] = network
        context["events"] = member_timeline(network=network, municipality=self.municipality) if network else []
        context["procedures"] = [
            {"procedure": procedure, "url": StepFormView.inspect_url(procedure)}
            for procedure in procedures_of(network=network, municipality=self.municipality)
        ]
        return context


@hooks.register("register_log_actions")
def register_membership_log_actions(actions):
    actions.register_action(constants.LOG_APPLIED, _("Admission applied for"), _("Admission applied for"))
    actions.register_action(constants.LOG_DECIDED, _("Board decided"), _("The board decided on an admission"))
    actions.register_action(constants.LOG_WITHDRAWN, _("Application withdrawn"), _("Application withdrawn"))
    actions.register_action(constants.LOG_EFFECTIVE, _("Membership effective"), _("Membership took effect"))
    actions.register_action(constants.LOG_NOTICE, _("Notice of resignation"), _("Notice of resignation given"))
    actions.register_action(constants.LOG_MERGED, _("Merger"), _("Municipalities merged"))


@hooks.register("register_admin_urls")
def register_membership_urls():
    return [
        path("membership/admission/apply/", bureau_only(ApplyView.as_view()), name="membership_admission_apply"),
        path("membership/procedure/<int:pk>/decide/", bureau_only(DecideView.as_view()),
             name="membership_procedure_decide"),
        path("membership/procedure/<int:pk>/withdraw/", bureau_only(WithdrawView.as_view()),
             name="membership_procedure_withdraw"),
        path("membership/procedure/<int:pk>/effective/", bureau_only(EffectiveView.as_view()),
             name="membership_procedure_effective"),
        path("membership/resignation/notice/", bureau_only(NoticeView.as_view()),
             name="membership_resignation_notice"),
        path("membership/timeline/<str:cbs_code>/", bureau_only(TimelineView.as_view()),
             name="membership_timeline"),
    ]
