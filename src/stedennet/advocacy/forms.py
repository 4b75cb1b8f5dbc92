"""Forms of the advocacy back office. The snippet forms (dossiers, interventions, matching rules)
check the rules of ``services`` and ``matching`` while they validate, so a refusal is an error on
the field it concerns; the step forms (a new ask version, a status change, an outcome, a
document) only collect the values a service then checks.

Choices that show related objects (decisions with their meeting and body, key messages with
their agenda) are read with their relations, so a form runs a fixed number of queries."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput
from wagtail.documents import get_document_model
from wagtail.documents.widgets import AdminDocumentChooser

from stedennet.advocacy import matching, services
from stedennet.advocacy.constants import AlertOn, DossierStatus, ItemStatus, Outcome
from stedennet.advocacy.models import Dossier, DossierItem, DossierOwner
from stedennet.governance.models import Body, BodyKind, Visibility
from stedennet.meetings.models import Decision
from stedennet.programmes.models import Action, KeyMessage
from stedennet.web.refusals import add_refusal


class DocumentChooser(AdminDocumentChooser):
    """Wagtail's document chooser, with markup the HTML checker accepts: its label names no
    hidden input (the chooser's button carries its own text) and the hidden input is not
    ``required`` (the form checks that)."""

    def id_for_label(self, id_):
        return ""

    def use_required_attribute(self, initial):
        return False


def theme_groups():
    return Body.objects.filter(kind=BodyKind.THEME_GROUP, archived_at__isnull=True).order_by("order", "name")


# --- dossiers -----------------------------------------------------------------------------------

class DossierForm(WagtailAdminModelForm):
    """A dossier with its owning theme groups (``services.owners_set``): each owner's members
    hear of confirmed items, or already of suggestions where ticked."""

    owner_groups = forms.ModelMultipleChoiceField(
        label=_("Owning theme groups"), queryset=Body.objects.none(), widget=forms.CheckboxSelectMultiple,
        required=False)
    alert_on_suggestion = forms.ModelMultipleChoiceField(
        label=_("Alert these owners of suggestions too"), queryset=Body.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
        help_text=_("Their members hear of a parliamentary item as soon as it is suggested, before the bureau "
                    "confirms it. The other owners hear of confirmed items only."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        groups = theme_groups()
        self.fields["owner_groups"].queryset = groups
        self.fields["alert_on_suggestion"].queryset = groups
        for name, queryset in (("key_messages", KeyMessage.objects.select_related("agenda")),
                               ("actions", Action.objects.select_related("programme")),
                               ("group", groups), ("pillar", Body.objects.filter(kind=BodyKind.PILLAR))):
            if name in self.fields:
                self.fields[name].queryset = queryset
        if self.instance.pk and not self.is_bound:
            ownerships = list(self.instance.ownerships.all())
            self.initial["owner_groups"] = [owner.group_id for owner in ownerships]
            self.initial["alert_on_suggestion"] = [owner.group_id for owner in ownerships
                                                   if owner.alert_on == AlertOn.SUGGESTED]

    def clean(self):
        data = super().clean()
        owners = set(data.get("owner_groups") or ())
        if set(data.get("alert_on_suggestion") or ()) - owners:
            self.add_error("alert_on_suggestion", ValidationError(
                _("Only owning theme groups can be alerted of suggestions."), code="alert_not_owner"))
        # The rule of ``services.dossier_create`` (a dossier for one group names the group), so the
        # model's constraint never shows as a form-wide error.
        if "group" in self.fields and data.get("visibility"):
            try:
                services.dossier_check(visibility=data["visibility"], group=data.get("group"))
            except services.AdvocacyRefused as refused:
                add_refusal(self, refused)
        return data

    def owners(self) -> list[tuple[Body, str]]:
        """The owners as ``services.owners_set`` takes them."""
        suggested = set(self.cleaned_data.get("alert_on_suggestion") or ())
        return [(group, AlertOn.SUGGESTED if group in suggested else AlertOn.CONFIRMED)
                for group in self.cleaned_data.get("owner_groups") or ()]


class DossierStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=DossierStatus.choices, widget=forms.RadioSelect)
    day = forms.DateField(label=_("As of"), widget=AdminDateInput,
                          help_text=_("Closing a dossier dates it; the date cannot be before it was opened."))

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(value, label) for value, label in DossierStatus.choices
                                         if value != dossier.status]
        self.initial.setdefault("day", timezone.localdate())


class AskAdoptForm(forms.Form):
    text = forms.CharField(label=_("The ask"), widget=forms.Textarea(attrs={"rows": 6}))
    adopted_on = forms.DateField(label=_("Adopted on"), widget=AdminDateInput)
    body = forms.ModelChoiceField(label=_("Adopted by"), queryset=Body.objects.none(),
                                  help_text=_("The body whose decision adopted this version."))
    decision = forms.ModelChoiceField(label=_("Decision"), queryset=Decision.objects.none(), required=False,
                                      help_text=_("The numbered decision of that body's meeting."))

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = Body.objects.filter(archived_at__isnull=True, network=dossier.network_id
                                                           ).order_by("order", "name")
        self.fields["decision"].queryset = (Decision.objects.select_related("meeting__body")
                                            .order_by("-meeting__starts_at", "number"))
        self.fields["decision"].label_from_instance = decision_label
        latest = dossier.asks.order_by("-number").first()
        if latest is not None and not self.is_bound:
            self.initial.setdefault("text", latest.text)
        self.initial.setdefault("adopted_on", timezone.localdate())


def decision_label(decision: Decision) -> str:
    return f"{decision.reference}: {decision.text[:80]}"


# --- interventions ------------------------------------------------------------------------------

class InterventionForm(WagtailAdminModelForm):
    """An intervention, checked by ``services.intervention_check`` while it validates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "dossier" in self.fields:
            self.fields["dossier"].queryset = Dossier.objects.select_related("pillar").order_by("title")

    def _post_clean(self):
        super()._post_clean()
        if self.instance.dossier_id is None or self.has_error("date"):
            return
        try:
            services.intervention_check(self.instance)
        except ValidationError as error:
            add_refusal(self, error, "date")


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    outcome_on = forms.DateField(label=_("Outcome on"), widget=AdminDateInput, required=False)
    note = forms.CharField(label=_("Outcome, explained"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    evidence_url = forms.URLField(label=_("Evidence (link)"), required=False, max_length=500,
                                  assume_scheme="https")
    evidence_document = forms.ModelChoiceField(label=_("Evidence (document)"), required=False,
                                               queryset=get_document_model().objects.all(),
                                               widget=DocumentChooser)
    evidence_item = forms.ModelChoiceField(label=_("Evidence (parliamentary item)"), required=False,
                                           queryset=DossierItem.objects.none(),
                                           help_text=_("A confirmed parliamentary item of this dossier."))

    def __init__(self, *args, intervention, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["evidence_item"].queryset = DossierItem.objects.filter(
            dossier_id=intervention.dossier_id, status=ItemStatus.CONFIRMED).order_by("-date", "-pk")
        self.fields["evidence_item"].label_from_instance = lambda item: (
            f"{item.reference}: {item.title[:100]}" if item.reference else item.title[:100])
        if not self.is_bound:
            self.initial.update(outcome=intervention.outcome, outcome_on=intervention.outcome_on,
                                note=intervention.outcome_note, evidence_url=intervention.evidence_url,
                                evidence_document=intervention.evidence_document_id,
                                evidence_item=intervention.evidence_item_id)


class DocumentAddForm(forms.Form):
    document = forms.ModelChoiceField(label=_("Document"), queryset=get_document_model().objects.all(),
                                      widget=DocumentChooser)
    title = forms.CharField(label=_("Title"), max_length=300, required=False,
                            help_text=_("Empty: the document's own title."))
    visibility = forms.ChoiceField(label=_("Visibility"), choices=Visibility.choices, initial=Visibility.PUBLIC)


# --- matching rules -------------------------------------------------------------------------------

class MatchRuleForm(WagtailAdminModelForm):
    """A matching rule, checked by ``matching.rule_check`` while it validates."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "dossier" in self.fields:
            self.fields["dossier"].queryset = Dossier.objects.order_by("title")

    def _post_clean(self):
        super()._post_clean()
        if self.instance.dossier_id is None or self.errors:
            return
        try:
            matching.rule_check(self.instance)
        except ValidationError as error:
            add_refusal(self, error)


# --- the review queue -----------------------------------------------------------------------------

class ItemDecideForm(forms.Form):
    status = forms.ChoiceField(choices=[(ItemStatus.CONFIRMED, _("Confirm")), (ItemStatus.DISMISSED, _("Dismiss"))])


def owners_label(ownerships: list[DossierOwner]) -> str:
    return ", ".join(owner.group.name for owner in ownerships) or gettext("none")
