"""Events in the back office (menu item "Events"), for the network bureau: the events as a
snippet listing (date, status, registered / capacity, waiting list), each edited with its
programme of sessions inline; per event its registrations, the attendee export, its status and
the check-in page (``admin_views``); and the audit trail's names for what the services record.

- A new event starts as a draft with its calendar UID; its status changes only on its own page
  (the moves of ``EVENT_TRANSITIONS``), never in the edit form.
- Saving a change of what a calendar shows (title, time, place, programme) raises the event's
  iCalendar SEQUENCE, so calendars that imported it update it.
- A session that people have a place in cannot be deleted from the programme; a session lies
  within its event's times; "one body or group" needs the body.
- Events are kept (no delete view): an event that does not take place is cancelled.
"""

from django import forms
from django.db.models import Count, F, Q
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.rich_text import DraftailRichTextArea
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from stedennet.accounts.backoffice import (
    BureauPolicy,
    LinkColumn,
    PlainForm,
    PlainListing,
    PolicyChecked,
    RefusalShown,
    bureau_only,
    demo_column,
)
from stedennet.events import admin_views, services
from stedennet.events.constants import (
    LOG_CANCELLED,
    LOG_CHECKED_IN,
    LOG_PROMOTED,
    LOG_REGISTERED,
    LOG_STATUS,
    RegistrationStatus,
)
from stedennet.events.models import Event
from stedennet.governance.models import Visibility

KEEP = frozenset({"add", "change", "view"})
register_permission_policy(Event, BureauPolicy(Event, actions=KEEP))


class EventForm(WagtailAdminModelForm):
    """The event and its sessions: the rules a form can check before anything is saved."""

    class Media:  # accessible names for the rich-text editor and the sessions' buttons
        js = ["events/admin_forms.js"]
        css = {"all": ["events/admin_forms.css"]}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields and not self.instance.pk:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _("The last part of the event's address. Empty: made from the title.")

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", forms.ValidationError(_("The event ends after it starts."),
                                                            code="ends_before_start"))
        if cleaned.get("audience") == Visibility.BODY and not cleaned.get("body"):
            self.add_error("body", forms.ValidationError(_("Choose the body or group this event is for."),
                                                         code="body_required"))
        sessions = self.formsets.get("sessions") if hasattr(self, "formsets") else None
        if sessions is not None and sessions.is_valid():
            self._check_sessions(sessions, starts_at, ends_at)
        return cleaned

    def _check_sessions(self, sessions, starts_at, ends_at):
        for form in sessions.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if not data:
                continue
            if data.get("DELETE"):
                if form.instance.pk and form.instance.registrations.exists():
                    self.add_error(None, forms.ValidationError(
                        _("People have a place in %(session)s: it cannot be deleted."), code="session_has_places",
                        params={"session": form.instance.title}))
                continue
            start, end = data.get("starts_at"), data.get("ends_at")
            if starts_at and ends_at and start and end and (start < starts_at or end > ends_at):
                form.add_error("starts_at", forms.ValidationError(
                    _("The session lies within the event's times (%(start)s to %(end)s)."),
                    code="session_outside_event",
                    params={"start": date_format(timezone.localtime(starts_at), "j M Y H:i"),
                            "end": date_format(timezone.localtime(ends_at), "j M Y H:i")}))


class RichTextEditor(DraftailRichTextArea):
    """Wagtail's rich-text editor, its label not pointing at the hidden input that carries the
    content (the HTML checker refuses that); ``admin_forms.js`` names the editable area after the
    panel's heading instead."""

    def id_for_label(self, id_):
        return ""


def rich_text_panel(name: str) -> FieldPanel:
    return FieldPanel(name, widget=RichTextEditor(features=Event._meta.get_field(name).features))


class SessionForm(WagtailAdminModelForm):
    """One session of the programme."""

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("starts_at"), cleaned.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", forms.ValidationError(_("The session ends after it starts."),
                                                            code="session_ends_before_start"))
        return cleaned


class ProgrammePanel(InlinePanel):
    """The sessions, inline, each checked by ``SessionForm``."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = SessionForm
        return options


SESSION_FIELDS = ("title", "starts_at", "ends_at", "room", "capacity", "speakers", "group", "description")
SESSION_PANELS = [
    FieldPanel("title"),
    FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    FieldRowPanel([FieldPanel("room"), FieldPanel("capacity")]),
    FieldPanel("speakers"), FieldPanel("group", widget=forms.Select), FieldPanel("description"),
]


def event_panels(*, create: bool) -> list:
    return [
        HelpPanel(content=_("A new event is a draft; publish it on its status page. Registrations, the attendee "
                            "export and the check-in are on the event's registrations page.")) if create else
        HelpPanel(content=_("The status changes on its own page. A change of title, time or place raises the "
                            "calendar's version, so calendars update.")),
        FieldPanel("title"), FieldPanel("slug"), FieldPanel("kind"), FieldPanel("summary"),
        rich_text_panel("description"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("When")),
        MultiFieldPanel([FieldPanel("venue"), FieldPanel("address"), FieldPanel("online_url")], heading=_("Where")),
        MultiFieldPanel([FieldPanel("audience"), FieldPanel("body", widget=forms.Select),
                         FieldPanel("organiser", widget=forms.Select)], heading=_("Who")),
        MultiFieldPanel([FieldPanel("registration_required"), FieldPanel("capacity"),
                         FieldPanel("registration_closes_at"), FieldPanel("reminder_days")],
                        heading=_("Registration")),
        ProgrammePanel("sessions", panels=SESSION_PANELS, heading=_("Programme"), label=_("session")),
        *([FieldPanel("is_demo")] if create else []),
    ]


# --- listing and forms -------------------------------------------------------------------------------

class EventForms(RefusalShown, PlainForm):
    """The create and edit pages of an event: a refusal shows on its field, or the title; the
    event's pages are header buttons."""

    refused_field = "title"

    def extra_header_buttons(self) -> list[tuple[str, str, str]]:
        event = getattr(self, "object", None)
        if event is None or not event.pk:
            return []
        return [(gettext("Registrations"), admin_views.registrations_url(event), "group"),
                (gettext("Change the status"), admin_views.status_url(event), "tasks"),
                (gettext("Check-in"), admin_views.checkin_url(event), "success")]


def programme_of(form) -> list[dict]:
    """The sessions of the form's programme that stay, as the fields of each."""
    sessions = form.formsets.get("sessions")
    return [{name: child.cleaned_data.get(name) for name in SESSION_FIELDS}
            for child in (sessions.forms if sessions is not None else [])
            if child.cleaned_data and not child.cleaned_data.get("DELETE")]


class EventIndexView(PlainListing, PolicyChecked, IndexView):
    pass


class EventCreateView(EventForms, PolicyChecked, CreateView):
    """Saving goes through ``services.event_create``: a draft, with its UID and its programme."""

    def save_instance(self):
        data = self.form.cleaned_data
        fields = {name: data[name] for name in self.form.fields
                  if name not in ("title", "starts_at", "ends_at", "slug")}
        return services.event_create(title=data["title"], starts_at=data["starts_at"], ends_at=data["ends_at"],
                                     slug=data.get("slug") or "", sessions=programme_of(self.form),
                                     by=self.request.user, **fields)


class EventEditView(EventForms, PolicyChecked, EditView):
    """Saving goes through ``services.event_update`` (which saves the programme with the event,
    raises the calendar SEQUENCE for a change of time, place or title, and moves the waiting
    list up when places were added). The programme is part of the calendar entry too."""

    def save_instance(self):
        sessions = self.form.formsets.get("sessions")
        programme_changed = sessions is not None and sessions.has_changed()
        event = self.form.save(commit=False)  # the event and its sessions, in memory
        before = Event.objects.values_list("sequence", flat=True).get(pk=event.pk)
        event = services.event_update(event, by=self.request.user)
        if programme_changed and event.sequence == before:
            Event.objects.filter(pk=event.pk).update(sequence=F("sequence") + 1)
            event.refresh_from_db(fields=["sequence"])
        return event


def places_label(event: Event) -> str:
    if event.capacity is None:
        return gettext("%(registered)s (no limit)") % {"registered": event.n_confirmed}
    return f"{event.n_confirmed} / {event.capacity}"


def date_label(event: Event) -> str:
    return date_format(timezone.localtime(event.starts_at), "j M Y H:i")


class EventViewSet(SnippetViewSet):
    model = Event
    icon = "date"
    menu_label = _("Events")
    menu_name = "events"
    add_to_admin_menu = True
    menu_order = 260
    index_view_class = EventIndexView
    add_view_class = EventCreateView
    edit_view_class = EventEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = [
        "title", Column("starts_at", label=_("Date"), accessor=date_label), "status",
        Column("places", label=_("Registered / capacity"), accessor=places_label),
        Column("waitlist", label=_("Waiting list"), accessor="n_waitlisted"),
        LinkColumn("registrations_link", label=_("Registrations"), text=_("Registrations"),
                   url=admin_views.registrations_url),
        LinkColumn("checkin_link", label=_("Check-in"), text=_("Check-in"), url=admin_views.checkin_url),
        LinkColumn("status_link", label=_("Status change"), text=_("Change the status"), url=admin_views.status_url),
        demo_column(),
    ]
    search_fields = ["title", "venue", "summary"]
    search_backend_name = None
    ordering = ["-starts_at", "-pk"]
    edit_handler = ObjectList(event_panels(create=True), base_form_class=EventForm)

    def get_queryset(self, request):
        return Event.objects.annotate(
            n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            n_waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)))

    @cached_property
    def _event_edit_handler(self):
        return ObjectList(event_panels(create=False), base_form_class=EventForm).bind_to_model(Event)

    def get_edit_view_kwargs(self, **kwargs):
        handler = self._event_edit_handler
        return super().get_edit_view_kwargs(**{"panel": handler, "form_class": handler.get_form_class(), **kwargs})


register_snippet(EventViewSet)


@hooks.register("register_admin_urls")
def register_events_urls():
    return [
        path("events/<int:pk>/registrations/", bureau_only(admin_views.RegistrationsView.as_view()),
             name=admin_views.REGISTRATIONS_URL),
        path("events/<int:pk>/attendees.csv", bureau_only(admin_views.attendees_csv), name=admin_views.CSV_URL),
        path("events/<int:pk>/attendees.xlsx", bureau_only(admin_views.attendees_xlsx), name=admin_views.XLSX_URL),
        path("events/<int:pk>/status/", bureau_only(admin_views.EventStatusView.as_view()),
             name=admin_views.STATUS_URL),
        path("events/<int:pk>/check-in/", bureau_only(admin_views.checkin_page), name=admin_views.CHECKIN_URL),
        path("events/registrations/<int:pk>/cancel/", bureau_only(admin_views.RegistrationCancelView.as_view()),
             name=admin_views.CANCEL_URL),
    ]


@hooks.register("register_log_actions")
def register_events_log_actions(actions):
    actions.register_action(LOG_REGISTERED, _("Registered"), _("Someone registered for the event"))
    actions.register_action(LOG_CANCELLED, _("Registration cancelled"), _("A registration was cancelled"))
    actions.register_action(LOG_PROMOTED, _("Moved up from the waiting list"),
                            _("A registration on the waiting list got a place"))
    actions.register_action(LOG_CHECKED_IN, _("Checked in"), _("A registration was checked in"))
    actions.register_action(LOG_STATUS, _("Status changed"), _("The event's status changed"))
