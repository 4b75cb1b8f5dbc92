"""The advocacy back office beyond the snippet listings, for the bureau only (403 for anyone
else): a dossier's status, a new version of its ask (with the versions so far, read-only), an
intervention's outcome and documents, and the review queue of suggested parliamentary items.
Every change goes through ``advocacy.services``; a refusal is shown on the field it concerns."""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from stedennet.advocacy import services
from stedennet.advocacy.constants import ItemStatus
from stedennet.advocacy.forms import (
    AskAdoptForm,
    DocumentAddForm,
    DossierStatusForm,
    ItemDecideForm,
    OutcomeForm,
)
from stedennet.advocacy.models import Dossier, DossierItem, Intervention, MatchRule
from stedennet.web.refusals import add_refusal

DOSSIERS_URL = "wagtailsnippets_advocacy_dossier:list"
INTERVENTIONS_URL = "wagtailsnippets_advocacy_intervention:list"
REVIEW_URL = "advocacy_review"
QUEUE_PAGE_SIZE = 25


def suggested_items():
    return DossierItem.objects.filter(status=ItemStatus.SUGGESTED)


class AdvocacyAdminView(WagtailAdminTemplateMixin):
    header_icon = "folder-open-inverse"
    parent_label = _("Dossiers")
    parent_url_name = DOSSIERS_URL

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse(self.parent_url_name), "label": str(self.parent_label)}]
        return [*items, {"url": "", "label": self.get_page_title()}]


class StepFormView(AdvocacyAdminView, FormView):
    """A form for one step; ``perform`` calls the service, whose refusal goes on its field (or
    on ``refused_field``)."""

    template_name = "advocacy/admin/step_form.html"
    refused_field: str | None = None
    submit_button_label = _("Record")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_extra_kwargs()}

    def form_extra_kwargs(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(media=context["form"].media, action_url=self.request.get_full_path(),
                       submit_button_label=self.submit_button_label)
        return context

    def perform(self, form) -> str:
        raise NotImplementedError

    def success_url(self) -> str:
        return reverse(self.parent_url_name)

    def form_valid(self, form):
        try:
            message = self.perform(form)
        except ValidationError as error:  # AdvocacyRefused among them
            add_refusal(form, error, self.refused_field)
            return self.form_invalid(form)
        messages.success(self.request, message)
        return redirect(self.success_url())


class DossierStepView(StepFormView):
    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.dossier = get_object_or_404(Dossier.objects.select_related("pillar"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.dossier)

    def form_extra_kwargs(self):
        return {"dossier": self.dossier}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dossier"] = self.dossier
        return context


class DossierStatusView(DossierStepView):
    """The only way a dossier's status changes: ``services.dossier_status_set``."""

    form_class = DossierStatusForm
    page_title = _("Change the status of a dossier")
    submit_button_label = _("Change the status")
    refused_field = "status"

    def perform(self, form):
        dossier = services.dossier_status_set(dossier=self.dossier, status=form.cleaned_data["status"],
                                              day=form.cleaned_data["day"], by=self.request.user)
        return gettext("%(dossier)s is now %(status)s.") % {"dossier": dossier,
                                                            "status": dossier.get_status_display().lower()}


class AskAdoptView(DossierStepView):
    """A new version of the ask (``services.ask_adopt``); the versions so far are shown, never changed."""

    form_class = AskAdoptForm
    template_name = "advocacy/admin/ask_adopt.html"
    page_title = _("Adopt a new version of the ask")
    submit_button_label = _("Adopt this version")
    refused_field = "text"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["versions"] = list(self.dossier.asks.select_related("body", "decision__meeting__body", "created_by")
                                   .order_by("-number"))
        return context

    def success_url(self):
        return self.request.get_full_path()

    def perform(self, form):
        data = form.cleaned_data
        ask = services.ask_adopt(dossier=self.dossier, text=data["text"], adopted_on=data["adopted_on"],
                                 body=data["body"], decision=data["decision"], by=self.request.user)
        return gettext("Version %(number)s of the ask of %(dossier)s is recorded.") % {
            "number": ask.number, "dossier": self.dossier}


class InterventionStepView(StepFormView):
    parent_label = _("Interventions")
    parent_url_name = INTERVENTIONS_URL

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.intervention = get_object_or_404(Intervention.objects.select_related("dossier"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return f"{self.intervention} ({self.intervention.dossier})"

    def form_extra_kwargs(self):
        return {"intervention": self.intervention}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(intervention=self.intervention, dossier=self.intervention.dossier)
        return context


class OutcomeView(InterventionStepView):
    """What came of an intervention: ``services.intervention_outcome_set``."""

    form_class = OutcomeForm
    page_title = _("Record the outcome")
    submit_button_label = _("Record the outcome")
    refused_field = "outcome"

    def perform(self, form):
        data = form.cleaned_data
        intervention = services.intervention_outcome_set(
            intervention=self.intervention, outcome=data["outcome"], day=data["outcome_on"], note=data["note"],
            evidence_url=data["evidence_url"], evidence_document=data["evidence_document"],
            evidence_item=data["evidence_item"], by=self.request.user)
        return gettext("The outcome of %(intervention)s is recorded: %(outcome)s.") % {
            "intervention": intervention, "outcome": intervention.get_outcome_display().lower()}


class DocumentsView(InterventionStepView):
    """The documents of an intervention, and a form to add one (each with its own visibility)."""

    form_class = DocumentAddForm
    template_name = "advocacy/admin/documents.html"
    page_title = _("Documents of an intervention")
    submit_button_label = _("Add the document")
    refused_field = "document"

    def form_extra_kwargs(self):
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["documents"] = list(self.intervention.documents.select_related("document"))
        return context

    def success_url(self):
        return self.request.get_full_path()

    def perform(self, form):
        data = form.cleaned_data
        document = services.intervention_document_add(
            intervention=self.intervention, document=data["document"], title=data["title"],
            visibility=data["visibility"], by=self.request.user)
        return gettext("%(document)s is added to %(intervention)s.") % {"document": document,
                                                                        "intervention": self.intervention}


# --- the review queue -------------------------------------------------------------------------------

def reasons_of(item: DossierItem, rules: dict[int, MatchRule]) -> list[dict]:
    """Why ``item`` matched: each reason's text with the rule's name (None: the rule is gone or
    the item was added by hand)."""
    shown = []
    for reason in item.reasons if isinstance(item.reasons, list) else []:
        if not isinstance(reason, dict):
            continue
        rule = rules.get(reason.get("rule")) if reason.get("rule") is not None else None
        shown.append({"rule": rule, "why": str(reason.get("why") or "")})
    return shown


class ReviewQueueView(AdvocacyAdminView, TemplateView):
    """The suggested items, oldest first, with why they matched, each with Confirm and Dismiss
    (POST to ``item_decide``). Four queries whatever the page holds: the count, the page (with
    its dossiers), the rules the page's reasons name, and nothing per row."""

    template_name = "advocacy/admin/review_queue.html"
    page_title = _("Review queue")
    header_icon = "tasks"
    parent_label = _("Dossiers")

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        items = (suggested_items().select_related("dossier", "dossier__pillar")
                 .order_by("suggested_at", "pk"))
        paginator = Paginator(items, QUEUE_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        rows = list(page.object_list)
        rule_ids = {reason.get("rule") for item in rows for reason in (item.reasons or [])
                    if isinstance(reason, dict) and isinstance(reason.get("rule"), int)}
        rules = MatchRule.objects.select_related("dossier").in_bulk(rule_ids) if rule_ids else {}
        context.update(
            page_obj=page, paginator=paginator, total=paginator.count,
            rows=[{"item": item, "reasons": reasons_of(item, rules),
                   "decide_url": reverse("advocacy_item_decide", args=[item.pk])} for item in rows],
            next_url=self.request.get_full_path(), confirmed=ItemStatus.CONFIRMED, dismissed=ItemStatus.DISMISSED,
            sync_url=reverse("parliament_sync_status"),
        )
        return context


def item_decide(request, pk: int):
    """Confirm or dismiss one suggested item (POST, CSRF-protected): ``services.item_decide``."""
    item = get_object_or_404(DossierItem.objects.select_related("dossier"), pk=pk)
    form = ItemDecideForm(request.POST)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse(REVIEW_URL)
    if not form.is_valid():
        messages.error(request, gettext("Choose to confirm or to dismiss the item."), extra_tags="refusal-invalid")
        return redirect(target)
    try:
        decided = services.item_decide(item=item, status=form.cleaned_data["status"], by=request.user)
    except ValidationError as error:
        code = getattr(error, "code", None) or "refused"
        messages.error(request, "; ".join(error.messages), extra_tags=f"refusal-{code}")
        return redirect(target)
    message = (gettext("Confirmed in %(dossier)s: %(title)s.") if decided.status == ItemStatus.CONFIRMED
               else gettext("Dismissed from %(dossier)s: %(title)s."))
    messages.success(request, message % {"dossier": item.dossier, "title": item.title[:120]})
    return redirect(target)
