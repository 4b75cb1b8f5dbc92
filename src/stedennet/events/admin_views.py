"""The events back office beyond the snippet listing, for the bureau only (403 for anyone else;
Wagtail's own check sends visitors without admin access to its login page first):

- an event's registrations (``/admin/events/<pk>/registrations/``): the counts, the attendance per
  session, every registration with its sessions and check-in, filtered by status; the exports;
- the attendee export (``attendees.csv``, ``attendees.xlsx``: ``events.exports``);
- an event's status (``/admin/events/<pk>/status/``): only the moves of ``EVENT_TRANSITIONS``
  (``services.event_status_set``; cancelling an event tells its registrants);
- cancelling a registration for someone (``/admin/events/registrations/<pk>/cancel/``, GET asks,
  POST cancels through ``services.registration_cancel``, which moves the waiting list up);
- the check-in page (``/admin/events/<pk>/check-in/``): a slim page made for a phone at the door,
  outside the admin's layout, with a code field (typed) and, where the browser has a camera, a
  QR-code scanner (``static/events/checkin.js`` with jsQR); the form posts by htmx and gets the
  result as a fragment, and works as a plain form without JavaScript (``events.checkin``).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, F, Prefetch, Q, Value, When
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from stedennet.events import checkin, exports, services
from stedennet.events.constants import EVENT_TRANSITIONS, EventStatus, RegistrationStatus
from stedennet.events.models import Event, Registration, Session, SessionRegistration
from stedennet.registry.selectors import network_current
from stedennet.web.forms import StyledForm
from stedennet.web.refusals import add_refusal

EVENTS_URL = "wagtailsnippets_events_event:list"
REGISTRATIONS_URL = "events_registrations"
CHECKIN_URL = "events_checkin"
STATUS_URL = "events_event_status"
CANCEL_URL = "events_registration_cancel"
CSV_URL = "events_attendees_csv"
XLSX_URL = "events_attendees_xlsx"
PAGE_SIZE = 100


def registrations_url(event: Event) -> str:
    return reverse(REGISTRATIONS_URL, args=[event.pk])


def checkin_url(event: Event) -> str:
    return reverse(CHECKIN_URL, args=[event.pk])


def status_url(event: Event) -> str:
    return reverse(STATUS_URL, args=[event.pk])


def edit_url(event: Event) -> str:
    return reverse("wagtailsnippets_events_event:edit", args=[event.pk])


def user_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


class EventAdminView(WagtailAdminTemplateMixin):
    header_icon = "date"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.event = get_object_or_404(Event, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.event)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse(EVENTS_URL), "label": gettext("Events")},
                {"url": edit_url(self.event), "label": str(self.event)},
                {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["event"] = self.event
        return context


# --- registrations ---------------------------------------------------------------------------------

# Places first (by name), then the waiting list in its order, then the cancelled ones.
STATUS_RANK = Case(When(status=RegistrationStatus.CONFIRMED, then=Value(0)),
                   When(status=RegistrationStatus.WAITLISTED, then=Value(1)), default=Value(2))
WAITLIST_ORDER = Case(When(status=RegistrationStatus.WAITLISTED, then=F("waitlisted_at")), default=None)
STATUS_FILTERS = [("", _("All")), (RegistrationStatus.CONFIRMED, _("Registered")),
                  (RegistrationStatus.WAITLISTED, _("Waiting list")), (RegistrationStatus.CANCELLED, _("Cancelled"))]


class RegistrationsView(EventAdminView, TemplateView):
    """Every registration of an event (filtered by status), with its sessions and check-in, the
    counts and the attendance per session. A fixed number of queries whatever the event holds."""

    template_name = "events/admin/registrations.html"
    page_title = _("Registrations")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.event
        status = self.request.GET.get("status", "")
        status = status if status in RegistrationStatus.values else ""
        counts = Registration.objects.filter(event=event).aggregate(
            total=Count("pk"), **{value: Count("pk", filter=Q(status=value)) for value in RegistrationStatus.values})
        registrations = (Registration.objects.filter(event=event).select_related("checked_in_by")
                         .prefetch_related(Prefetch("sessions", queryset=SessionRegistration.objects
                                                    .select_related("session").order_by("session__starts_at",
                                                                                        "session__pk")))
                         .order_by(STATUS_RANK, WAITLIST_ORDER, "name", "pk"))
        if status:
            registrations = registrations.filter(status=status)
        paginator = Paginator(registrations, PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("p"))
        total, sessions = checkin.attendance(event)
        base = registrations_url(event)
        context.update(
            counts=counts, attendance=total, session_attendance=sessions, page_obj=page, paginator=paginator,
            registrations=list(page.object_list), status=status,
            filters=[{"value": value, "label": label, "url": f"{base}?status={value}" if value else base,
                      "count": counts.get(value, counts["total"]) if value else counts["total"],
                      "current": value == status} for value, label in STATUS_FILTERS],
            csv_url=reverse(CSV_URL, args=[event.pk]), xlsx_url=reverse(XLSX_URL, args=[event.pk]),
            checkin_url=checkin_url(event), edit_url=edit_url(event), status_url=status_url(event),
            active=(RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED),
            page_query=f"status={status}&" if status else "",
        )
        return context


def attendees_csv(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    response = HttpResponse(exports.attendees_csv(event), content_type=exports.CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=exports.export_filename(event, "csv"))
    return response


def attendees_xlsx(request, pk: int):
    event = get_object_or_404(Event, pk=pk)
    response = HttpResponse(exports.attendees_xlsx(event), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=exports.export_filename(event, "xlsx"))
    return response


# --- cancelling a registration for someone -----------------------------------------------------------

class RegistrationCancelView(WagtailAdminTemplateMixin, TemplateView):
    """Asks (GET), then cancels (POST) through ``services.registration_cancel``: the same rules,
    mails and audit entry as when the registrant cancels, and the waiting list moves up."""

    template_name = "events/admin/registration_cancel.html"
    page_title = _("Cancel a registration")
    header_icon = "cross"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.registration = get_object_or_404(Registration.objects.select_related("event"), pk=kwargs["pk"])
        self.event = self.registration.event

    def get_page_subtitle(self):
        return f"{self.registration.name} ({self.event})"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": reverse(EVENTS_URL), "label": gettext("Events")},
                {"url": registrations_url(self.event), "label": gettext("Registrations of %(event)s")
                 % {"event": self.event}},
                {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(registration=self.registration, event=self.event,
                       sessions=list(self.registration.sessions.select_related("session")),
                       back_url=registrations_url(self.event), action_url=self.request.path,
                       cancellable=self.registration.status != RegistrationStatus.CANCELLED)
        return context

    def post(self, request, *args, **kwargs):
        back = registrations_url(self.event)
        try:
            services.registration_cancel(self.registration, by=request.user)
        except ValidationError as error:
            code = getattr(error, "code", None) or "refused"
            messages.error(request, "; ".join(error.messages), extra_tags=f"refusal-{code}")
            return redirect(back)
        messages.success(request, gettext("The registration of %(name)s is cancelled.")
                         % {"name": self.registration.name}, extra_tags="cancelled")
        return redirect(back)


# --- an event's status ------------------------------------------------------------------------------

class EventStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), widget=forms.RadioSelect)

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = EVENT_TRANSITIONS.get(event.status, frozenset())
        self.fields["status"].choices = [(value, label) for value, label in EventStatus.choices if value in allowed]


class EventStatusView(EventAdminView, FormView):
    template_name = "events/admin/status_form.html"
    form_class = EventStatusForm
    page_title = _("Change the status of an event")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "event": self.event}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(action_url=self.request.path, submit_button_label=gettext("Change the status"),
                       media=context["form"].media, registrations=self.event.registrations.count(),
                       has_moves=bool(context["form"].fields["status"].choices))
        return context

    def form_valid(self, form):
        try:
            event = services.event_status_set(self.event, form.cleaned_data["status"], by=self.request.user)
        except ValidationError as error:
            add_refusal(form, error, "status")
            return self.form_invalid(form)
        messages.success(self.request, gettext("%(event)s is now %(status)s.")
                         % {"event": event, "status": event.get_status_display().lower()})
        return redirect(EVENTS_URL)


# --- check-in --------------------------------------------------------------------------------------

class CheckInForm(StyledForm):
    session = forms.ModelChoiceField(label=_("Check in to"), queryset=Session.objects.none(), required=False,
                                     empty_label=_("The event (at the entrance)"))
    code = forms.CharField(label=_("Check-in code"), max_length=64,
                           help_text=_("Type the code from the confirmation, or scan its QR code."))

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["session"].queryset = Session.objects.filter(event=event).order_by("starts_at", "room", "pk")
        self.fields["code"].widget.attrs.update({
            "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "autofocus": True,
            "enterkeyhint": "go", "class": "utrecht-textbox utrecht-textbox--html-input checkin-code",
            "data-testid": "checkin-code"})
        if not self.fields["session"].queryset.exists():
            del self.fields["session"]


def checkin_page(request, pk: int):
    """GET: the page; POST: check a code in. An htmx request gets the result fragment (with the
    attendance counts swapped out of band), any other request the whole page."""
    event = get_object_or_404(Event, pk=pk)
    result = None
    if request.method == "POST":
        form = CheckInForm(request.POST, event=event)
        if form.is_valid():
            result = checkin_result(event, form.cleaned_data["code"], session=form.cleaned_data.get("session"),
                                    by=request.user)
            # Ready for the next code, at the same door or session.
            form = CheckInForm(initial={"session": form.cleaned_data.get("session")}, event=event)
    else:  # ?session=<pk>: the page for one session's room, to bookmark
        form = CheckInForm(initial={"session": request.GET.get("session") or None}, event=event)
    total, sessions = checkin.attendance(event)
    context = {"event": event, "form": form, "result": result, "attendance": total,
               "session_attendance": sessions, "registrations_url": registrations_url(event),
               "network": network_current(), "action_url": request.path}
    if request.headers.get("HX-Request") == "true" and request.method == "POST":
        return TemplateResponse(request, "events/admin/_checkin_response.html", context)
    return TemplateResponse(request, "events/admin/checkin.html", context)


def checkin_result(event: Event, code: str, *, session: Session | None, by) -> dict:
    """What the page shows after a code: who it is (name, organisation, sessions) or why not."""
    try:
        registration = checkin.check_in(event, code, by=by, session=session, now=timezone.now())
    except checkin.CheckInRefused as refusal:
        registration = refusal.registration
        return {"outcome": refusal.code, "message": str(refusal), "registration": registration,
                "sessions": places_of(registration) if registration and registration.event_id == event.pk else [],
                "other_event": registration.event if refusal.code == "other_event" else None,
                "when": refusal.when, "by": user_label(refusal.by), "session": session, "checked_in": False}
    return {"outcome": checkin.OUTCOME_CHECKED_IN, "registration": registration, "sessions": places_of(registration),
            "when": registration.checked_in_at, "session": session, "checked_in": True}


def places_of(registration: Registration) -> list[SessionRegistration]:
    return list(registration.sessions.exclude(status=RegistrationStatus.CANCELLED).select_related("session")
                .order_by("session__starts_at", "session__pk"))
