"""Forms of the governance back office. They only collect and check input; every change goes
through ``governance.services`` (the views call them), so the rules hold here too."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from stedennet.governance.models import ADMINISTRATOR_FUNCTIONS, Body, BodyKind, Person, PersonFunction, Position, Track

DEFAULT_TURNOVER_REASON = _("End of term after the municipal council elections of March 2026")


def functions_for(track: str) -> list[str]:
    """The person functions that sit in a body of ``track``."""
    if track == Track.ADMINISTRATIVE:
        return sorted(ADMINISTRATOR_FUNCTIONS)
    if track == Track.CIVIL_SERVICE:
        return [PersonFunction.CIVIL_SERVANT]
    return []


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        organisation = person.municipality or person.partner
        parts = [person.get_function_display()]
        if organisation is not None:
            parts.insert(0, str(organisation))
        return f"{person.name} ({', '.join(parts)})"


# --- snippets ---------------------------------------------------------------------------------

class BodyForm(WagtailAdminModelForm):
    """A body's parent is a pillar (or nothing)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            self.fields["parent"].queryset = Body.objects.filter(kind=BodyKind.PILLAR).order_by("order", "name")


class PersonForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if cleaned.get("municipality") and cleaned.get("partner"):
            self.add_error("partner", _("A person acts for a municipality or for a partner organisation, not both."))
        return cleaned


class PositionCreateForm(WagtailAdminModelForm):
    """A new position; the view hands it to ``position_assign``, which applies the track rule,
    one position per person and body at a time, and one chair at a time."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonChoiceField(
            label=self.fields["person"].label,
            queryset=Person.objects.select_related("municipality", "partner").order_by("name"))
        self.fields["body"].queryset = (Body.objects.filter(archived_at__isnull=True).exclude(track="")
                                        .order_by("order", "name"))
        if "predecessor" in self.fields:
            self.fields["predecessor"].queryset = (
                Position.objects.filter(end_date__isnull=False).select_related("person", "body")
                .order_by("body__name", "-end_date"))


class PositionEditForm(WagtailAdminModelForm):
    """Only what may change after the fact: the end of the term, its reason, the note and the
    predecessor. Person, body, role and start stay as they were: history."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "predecessor" in self.fields:
            self.fields["predecessor"].queryset = (
                Position.objects.filter(body_id=self.instance.body_id, end_date__isnull=False)
                .exclude(pk=self.instance.pk).select_related("person", "body").order_by("-end_date"))

    def clean(self):
        cleaned = super().clean()
        end_date = cleaned.get("end_date")
        if end_date and end_date < self.instance.start_date:
            self.add_error("end_date", _("A position cannot end before it starts (%(start)s).")
                           % {"start": self.instance.start_date})
        predecessor = cleaned.get("predecessor")
        if predecessor and predecessor.end_date and predecessor.end_date >= self.instance.start_date:
            self.add_error("predecessor", _("The predecessor's term must end before this one starts (%(start)s).")
                           % {"start": self.instance.start_date})
        return cleaned


# --- the election turnover and vacancies ------------------------------------------------------

class TurnoverForm(forms.Form):
    day = forms.DateField(label=_("Last day of the term"), widget=AdminDateInput,
                          help_text=_("Every current position of an administrator (mayor, alderman) ends on this day."))
    reason = forms.CharField(label=_("Reason for ending"), max_length=200,
                             help_text=_("Recorded with every ended position."))

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"day": timezone.localdate(), "reason": DEFAULT_TURNOVER_REASON,
                             **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class TurnoverConfirmForm(TurnoverForm):
    """The preview's confirmation: the same values, and how many positions the preview showed."""

    expected = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class VacancyFillForm(forms.Form):
    """The successor and the day they start. The list offers the people who may sit in the body;
    whoever is sent, ``vacancy_fill`` decides (and says why it refuses)."""

    person = PersonChoiceField(label=_("Successor"), queryset=Person.objects.none())
    start_date = forms.DateField(label=_("Start date"), widget=AdminDateInput)

    def __init__(self, *args, vacancy: Position, **kwargs):
        next_day = vacancy.end_date + datetime.timedelta(days=1)
        kwargs["initial"] = {"start_date": next_day, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.vacancy = vacancy
        field = self.fields["person"]
        field.queryset = Person.objects.select_related("municipality", "partner").order_by("name")
        offered = field.queryset.filter(function__in=functions_for(vacancy.body.track))
        field.widget.choices = [("", field.empty_label), *((p.pk, field.label_from_instance(p)) for p in offered)]

    def clean_start_date(self):
        start = self.cleaned_data["start_date"]
        if start <= self.vacancy.end_date:
            raise forms.ValidationError(_("The successor starts after %(date)s, when the seat became vacant.")
                                        % {"date": self.vacancy.end_date})
        return start


class RequestDecideForm(forms.Form):
    """The bureau's decision; approving makes the position through ``theme_group_request_decide``."""

    decision = forms.TypedChoiceField(
        label=_("Decision"), widget=forms.RadioSelect, coerce=lambda value: value == "approve",
        choices=[("approve", _("Approve: the person joins the group")), ("decline", _("Decline"))],
    )
    day = forms.DateField(label=_("Member from"), widget=AdminDateInput,
                          help_text=_("When approved, the position in the group starts on this day."))

    def __init__(self, *args, **kwargs):
        kwargs["initial"] = {"day": timezone.localdate(), **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)


class InviteForm(forms.Form):
    send = forms.BooleanField(label=_("Send the link by e-mail"), required=False, initial=True,
                              help_text=_("Otherwise the link is only shown here, once, to pass on yourself."))
