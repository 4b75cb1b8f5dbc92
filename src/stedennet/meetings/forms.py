"""Forms of the meeting pages. Choices of people and agenda items are built once per request
and shared by every row, so a page with many rows still runs a fixed number of queries."""

import datetime
from collections.abc import Sequence

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stedennet.governance.models import Person, Visibility
from stedennet.meetings import services
from stedennet.meetings.models import AgendaItem, Attendance
from stedennet.web import uploads
from stedennet.web.forms import style_widgets

MORE_ROWS = 3
MAX_ROWS = 60


def person_choices(people: Sequence[Person]) -> list[tuple[str, str]]:
    return [(str(person.pk), f"{person.name} ({person.municipality.name})" if person.municipality_id
             and person.municipality else person.name) for person in people]


class RowFormSet(forms.BaseFormSet):
    """A formset whose rows are all optional: an untouched row is skipped, whatever its initial
    values (so "more rows" can carry typed values over as initial ones)."""

    def initial_form_count(self):
        if self.is_bound:
            return super().initial_form_count()
        return 0

    def total_form_count(self):
        if self.is_bound:
            return super().total_form_count()
        return min(len(self.initial or []) + self.extra, self.absolute_max)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **getattr(self, "row_kwargs", {})}

    def filled_rows(self) -> list[dict]:
        return [form.cleaned_data for form in self.forms if form.has_changed() and form.cleaned_data]


def initial_from_data(form: forms.Form, data) -> dict:
    """What a bound form would read from ``data``, as initial values (to re-show typed values
    without validating them)."""
    return {name: field.widget.value_from_datadict(data, {}, form.add_prefix(name))
            for name, field in form.fields.items() if not isinstance(field, forms.FileField)}


def rows_from_data(form_class, data, prefix: str, **row_kwargs) -> list[dict]:
    """The rows of a submitted formset as initial values, for showing it again with more rows."""
    try:
        total = min(int(data.get(f"{prefix}-TOTAL_FORMS", 0)), MAX_ROWS)
    except ValueError:
        total = 0
    rows = []
    for index in range(total):
        form = form_class(prefix=f"{prefix}-{index}", **row_kwargs)
        rows.append(initial_from_data(form, data))
    return rows


# --- planning a meeting --------------------------------------------------------------------

class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200, required=False,
                            help_text=_("Optional, e.g. “Extra meeting on the budget”."))
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    start_time = forms.TimeField(label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    end_time = forms.TimeField(label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    location = forms.CharField(label=_("Place"), max_length=300, required=False,
                               help_text=_("Address or room; leave empty for an online meeting."))
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https",
                                widget=forms.URLInput(attrs={"placeholder": "https://"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self):
        data = super().clean()
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day and start and end and end <= start:
            self.add_error("end_time", gettext("A meeting ends after it starts."))
        if not data.get("location") and not data.get("online_url") and not self.has_error("online_url"):
            self.add_error("location", gettext("Give the place, the online link, or both."))
        return data

    def moments(self) -> tuple[datetime.datetime, datetime.datetime]:
        zone = timezone.get_current_timezone()
        day = self.cleaned_data["date"]
        start = datetime.datetime.combine(day, self.cleaned_data["start_time"], tzinfo=zone)
        end = datetime.datetime.combine(day, self.cleaned_data["end_time"], tzinfo=zone)
        return start, end


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300, required=False)
    presenter = forms.ChoiceField(label=_("Presenter"), required=False)
    proposal = forms.CharField(label=_("Proposal"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("What the meeting is asked to decide, if anything."))

    def __init__(self, *args, presenters: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].choices = [("", gettext("(nobody in particular)")), *presenters]
        style_widgets(self)

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("title"):
            self.add_error("title", gettext("An agenda item needs a title."))
        return data


def agenda_formset(data=None, *, presenters: Sequence[Person], initial=None, extra: int = MORE_ROWS):
    formset_class = formset_factory(AgendaItemForm, formset=RowFormSet, extra=extra, max_num=MAX_ROWS,
                                    absolute_max=MAX_ROWS, validate_max=True)
    formset = formset_class(data, prefix="agenda", initial=initial)
    formset.row_kwargs = {"presenters": person_choices(presenters)}
    formset.people = {str(person.pk): person for person in presenters}
    return formset


def agenda_entries(formset) -> list[services.AgendaEntry]:
    return [services.AgendaEntry(title=row["title"], presenter=formset.people.get(row.get("presenter") or ""),
                                 proposal=row.get("proposal", ""))
            for row in formset.filled_rows()]


# --- recording a meeting -------------------------------------------------------------------

class RecordForm(forms.Form):
    """Attendance of everyone holding a position in the body on the meeting date, and the minutes."""

    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 10}))
    minutes_approved_on = forms.DateField(label=_("Minutes approved on"), required=False,
                                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                          help_text=_("Leave empty until the next meeting approves them."))

    def __init__(self, *args, attendees: Sequence[Person], substitutes: Sequence[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.attendees = list(attendees)
        self.substitutes = {str(person.pk): person for person in substitutes}
        substitute_choices = [("", gettext("(nobody)")), *person_choices(substitutes)]
        for person in self.attendees:
            self.fields[f"status_{person.pk}"] = forms.ChoiceField(
                label=person.name, choices=Attendance.Status.choices, widget=forms.RadioSelect,
                initial=Attendance.Status.PRESENT)
            self.fields[f"substitute_{person.pk}"] = forms.ChoiceField(
                label=gettext("Substitute for %(person)s") % {"person": person.name},
                choices=substitute_choices, required=False)
        style_widgets(self)

    def rows(self):
        """Per attendee: the person and their two bound fields (for the template)."""
        return [{"person": person, "status": self[f"status_{person.pk}"],
                 "substitute": self[f"substitute_{person.pk}"]} for person in self.attendees]

    def clean(self):
        data = super().clean()
        for person in self.attendees:
            status = data.get(f"status_{person.pk}")
            substitute = data.get(f"substitute_{person.pk}") or ""
            if status == Attendance.Status.SUBSTITUTED:
                if not substitute:
                    self.add_error(f"substitute_{person.pk}",
                                   gettext("Choose who substituted for %(person)s.") % {"person": person.name})
                elif substitute == str(person.pk):
                    self.add_error(f"substitute_{person.pk}",
                                   gettext("%(person)s cannot substitute for themselves.") % {"person": person.name})
            elif substitute and status:
                self.add_error(f"substitute_{person.pk}",
                               gettext("Choose “substituted” for %(person)s, or no substitute.")
                               % {"person": person.name})
        return data

    def attendance_entries(self) -> list[services.AttendanceEntry]:
        entries = []
        for person in self.attendees:
            status = self.cleaned_data[f"status_{person.pk}"]
            substitute = self.substitutes.get(self.cleaned_data.get(f"substitute_{person.pk}") or "")
            entries.append(services.AttendanceEntry(
                person=person, status=status,
                substitute=substitute if status == Attendance.Status.SUBSTITUTED else None))
        return entries


class DecisionForm(forms.Form):
    agenda_item = forms.ChoiceField(label=_("Agenda item"), required=False)
    text = forms.CharField(label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, items: Sequence[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agenda_item"].choices = [("", gettext("(choose an agenda item)")), *items]
        style_widgets(self)

    def clean(self):
        data = super().clean()
        if self.has_changed():
            if not data.get("agenda_item") and not self.has_error("agenda_item"):
                self.add_error("agenda_item", gettext("Choose the agenda item this decision belongs to."))
            if not (data.get("text") or "").strip():
                self.add_error("text", gettext("Write the decision."))
        return data


def item_choices(items: Sequence[AgendaItem]) -> list[tuple[str, str]]:
    return [(str(item.pk), f"{item.number}. {item.title}") for item in items]


def decision_formset(data=None, *, items: Sequence[AgendaItem], initial=None, extra: int = MORE_ROWS):
    formset_class = formset_factory(DecisionForm, formset=RowFormSet, extra=extra, max_num=MAX_ROWS,
                                    absolute_max=MAX_ROWS, validate_max=True)
    formset = formset_class(data, prefix="decisions", initial=initial)
    formset.row_kwargs = {"items": item_choices(items)}
    formset.items = {str(item.pk): item for item in items}
    return formset


def decision_entries(formset) -> list[services.DecisionEntry]:
    return [services.DecisionEntry(agenda_item=formset.items[row["agenda_item"]], text=row["text"])
            for row in formset.filled_rows()]


def _uploads_help_text() -> str:
    return gettext("Allowed: %(types)s; at most %(size)s MB.") % {
        "types": uploads.allowed_extensions_text(), "size": uploads.MAX_UPLOAD_BYTES // (1024 * 1024)}


uploads_help_text = lazy(_uploads_help_text, str)


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    file = forms.FileField(
        label=_("File"), help_text=uploads_help_text(),
        widget=forms.ClearableFileInput(attrs={"accept": uploads.accept_attribute()}))
    visibility = forms.ChoiceField(label=_("Who may see it"), choices=Visibility.choices, initial=Visibility.BODY)
    agenda_item = forms.ChoiceField(label=_("Agenda item"), required=False)

    def __init__(self, *args, items: Sequence[AgendaItem] = (), **kwargs):
        super().__init__(*args, prefix="document", **kwargs)
        self.items = {str(item.pk): item for item in items}
        self.fields["agenda_item"].choices = [("", gettext("(the meeting as a whole)")), *item_choices(items)]
        style_widgets(self)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        services.document_file_check(upload)
        return upload

    def chosen_item(self) -> AgendaItem | None:
        return self.items.get(self.cleaned_data.get("agenda_item") or "")
