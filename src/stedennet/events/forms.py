"""The registration form of an event's page. A signed-in person registers as their ``Person``
(name, address and organisation are not asked); anyone else gives them. The sessions of the
programme are checkboxes, each saying whether it is full (then its place is on the waiting list).
The rules themselves are in ``services.registration_create``."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stedennet.events.models import Session
from stedennet.web.forms import StyledForm


class SessionChoiceField(forms.ModelMultipleChoiceField):
    def __init__(self, *args, lines=(), multi_day: bool = False, **kwargs):
        self.full = {line.session.pk for line in lines if line.is_full}
        self.multi_day = multi_day
        super().__init__(*args, **kwargs)

    def label_from_instance(self, session: Session) -> str:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        when = f"{start:%d-%m} {start:%H:%M}–{end:%H:%M}" if self.multi_day else f"{start:%H:%M}–{end:%H:%M}"
        label = f"{when} {session.title}"
        if session.room:
            label += f" ({session.room})"
        if session.pk in self.full:
            label += " – " + str(_("full: waiting list"))
        return label


class RegistrationForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("The confirmation, with the link to your registration, goes here."))
    organisation = forms.CharField(label=_("Organisation"), max_length=200, required=False,
                                   help_text=_("Your municipality or organisation."))
    sessions = SessionChoiceField(label=_("Sessions"), required=False, queryset=Session.objects.none(),
                                  widget=forms.CheckboxSelectMultiple)
    remarks = forms.CharField(label=_("Remarks"), required=False, max_length=2000,
                              help_text=_("Dietary needs, accessibility."),
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, event, lines=(), as_person: bool = False, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.as_person = as_person
        sessions = self.fields["sessions"]
        sessions.queryset = Session.objects.filter(event=event).order_by("starts_at", "room", "pk")
        sessions.full = {line.session.pk for line in lines if line.is_full}
        sessions.multi_day = event.is_multi_day
        if not lines:
            del self.fields["sessions"]
        if as_person:
            for name in ("name", "email", "organisation"):
                del self.fields[name]
        elif user is not None and user.is_authenticated:
            self.fields["name"].initial = user.get_full_name() or user.get_username()
            self.fields["email"].initial = user.email
        for name in ("name", "email"):
            if name in self.fields:
                self.fields[name].widget.attrs["autocomplete"] = name
        if "organisation" in self.fields:
            self.fields["organisation"].widget.attrs["autocomplete"] = "organization"

    def service_fields(self) -> dict:
        data = self.cleaned_data
        return {"name": data.get("name", ""), "email": data.get("email", ""),
                "organisation": data.get("organisation", ""), "remarks": data.get("remarks", ""),
                "sessions": list(data.get("sessions") or ())}
