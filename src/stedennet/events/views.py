"""The public pages of events (namespace "events"):

- ``/evenementen/``: the coming events the viewer may see (``?soort=`` one kind), with places
  left; ``/evenementen/archief/``: the past ones, with their photo reports;
- ``/evenementen/<slug>/``: one event: programme, place, audience, places left, the registration
  form (a POST to the same address), its photo reports; ``/evenementen/<slug>.ics``: its iCal file;
- ``/evenementen/agenda.ics``: every event the public may see; ``/evenementen/agenda/<token>.ics``:
  every event a person may see (``Person.calendar_token``);
- ``/evenementen/inschrijving/<token>/``: a registrant's own page (status, sessions, the check-in
  code as a QR code, the iCal file), ``afmelden/`` to cancel (a confirm step, then POST).

An event the viewer may not see is a 404 for signed-in people, as one that does not exist; a
visitor who is not signed in is asked to sign in (the event may be for members), whether it exists
or not, so the address reveals nothing. A registrant's page is opened by the secret in its address
alone (from the confirmation mail): it is never cached, never indexed, and sends no referrer to
other sites (its address holds the secret)."""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_safe

from stedennet.events import ical, qr, selectors, services
from stedennet.events.constants import EventKind, EventStatus, RegistrationStatus
from stedennet.events.forms import RegistrationForm
from stedennet.governance.access import ANONYMOUS, viewer_for
from stedennet.registry.selectors import network_current
from stedennet.web.access import access, public
from stedennet.web.refusals import add_refusal

event_access = access("events: whoever is in the event's audience (drafts: the bureau)", sign_in=False)
registrant_access = access("events: whoever holds the registration's secret link", sign_in=False)
calendar_access = access("events: the public feed, or a person's calendar token", sign_in=False)

PRIVATE_HEADERS = {"Cache-Control": "private, no-store", "Referrer-Policy": "same-origin",
                   "X-Robots-Tag": "noindex, nofollow"}


def _event_or_refuse(request: HttpRequest, slug: str):
    """The event, or the response for a viewer who may not see it (or when there is none)."""
    viewer = viewer_for(request.user)
    event = selectors.event_for(viewer, slug)
    if event is None:
        if not request.user.is_authenticated:
            return viewer, None, redirect_to_login(request.get_full_path())
        raise Http404("no such event, or not for this viewer")
    return viewer, event, None


def _kind_filter(request: HttpRequest) -> str:
    return selectors.parse_kind(request.GET.get("soort"))


@public
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    kind = _kind_filter(request)
    return render(request, "events/event_list.html", {
        "events": selectors.coming_events(viewer, kind=kind),
        "kinds": EventKind.choices, "kind": kind, "user_person": viewer.person,
    })


@public
@require_GET
def event_archive(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    kind = _kind_filter(request)
    page = selectors.archive_page(viewer, number=request.GET.get("pagina"), kind=kind)
    return render(request, "events/event_archive.html", {
        "page": page, "events": page.object_list, "kinds": EventKind.choices, "kind": kind,
        "query": f"soort={kind}" if kind else "",
    })


def _detail(request: HttpRequest, event, viewer, *, form: RegistrationForm | None = None,
            status: int = 200) -> HttpResponse:
    page = selectors.event_page(event, viewer=viewer, user=request.user)
    as_person = viewer.person is not None
    if form is None and page.registration_open and page.my_registration is None:
        form = RegistrationForm(event=event, lines=page.sessions, as_person=as_person, user=request.user)
    return render(request, "events/event_detail.html", {
        "event": event, "page": page, "form": form, "as_person": as_person, "viewer": viewer,
        "person": viewer.person, "may_register_here": viewer.is_authenticated or event.audience == "public",
        "login_url": f"{reverse('accounts:login')}?next={event.get_absolute_url()}",
    }, status=status)


@event_access
@require_http_methods(["GET", "POST"])
def event_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The event's page; a POST is the registration form."""
    viewer, event, refusal = _event_or_refuse(request, slug)
    if refusal is not None:
        return refusal
    if request.method == "POST":
        return _register(request, event, viewer)
    return _detail(request, event, viewer)


def _register(request: HttpRequest, event, viewer) -> HttpResponse:
    lines = selectors.event_page(event, viewer=viewer, user=request.user).sessions
    form = RegistrationForm(request.POST, event=event, lines=lines, as_person=viewer.person is not None,
                            user=request.user)
    if form.is_valid():
        try:
            registration = services.registration_create(
                event, person=viewer.person, user=request.user if request.user.is_authenticated else None,
                **form.service_fields())
        except services.RegistrationRefused as refused:
            mine = refused.registration is not None and request.user.is_authenticated and (
                refused.registration == selectors.registration_of(event, user=request.user, viewer=viewer))
            if mine:  # a signed-in person who registered before: to their own page
                messages.info(request, str(refused), extra_tags=refused.code)
                return redirect(refused.registration.get_absolute_url())
            add_refusal(form, refused)
        except ValidationError as error:
            add_refusal(form, error)
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(request, gettext("You are registered. We have sent you a confirmation by mail."),
                                 extra_tags="registered")
            else:
                messages.warning(request, gettext("The event is full: you are on the waiting list. You move up "
                                                  "by yourself when a place comes free, and we send you a mail."),
                                 extra_tags="waitlisted")
            return redirect(registration.get_absolute_url())
    return _detail(request, event, viewer, form=form, status=200)


# --- the registrant's own page ---------------------------------------------------------------

def _registration_or_404(token: str):
    registration = selectors.registration_for_token(token)
    if registration is None:
        raise Http404("unknown registration")
    return registration


def _private(response: HttpResponse) -> HttpResponse:
    for header, value in PRIVATE_HEADERS.items():
        response[header] = value
    return response


@registrant_access
@require_GET
def registration(request: HttpRequest, token: str) -> HttpResponse:
    found = _registration_or_404(token)
    event = found.event
    has_place = found.status == RegistrationStatus.CONFIRMED and event.status == EventStatus.PUBLISHED
    label = gettext("QR code of your check-in code %(code)s") % {"code": found.code}
    return _private(render(request, "events/registration.html", {
        "registration": found, "event": event, "places": list(found.sessions.all()),
        "has_place": has_place, "qr": qr.qr_svg(found.code, label=label) if has_place else "",
        "may_cancel": (found.status != RegistrationStatus.CANCELLED and event.status == EventStatus.PUBLISHED
                       and event.starts_at > timezone.now()),
        "location": ical.location(event), "event_visible": selectors.viewer_may_see(viewer_for(request.user), event),
    }))


@registrant_access
@require_http_methods(["GET", "POST"])
def registration_cancel(request: HttpRequest, token: str) -> HttpResponse:
    found = _registration_or_404(token)
    if request.method == "POST":
        try:
            services.registration_cancel(found, by=request.user if request.user.is_authenticated else None)
        except services.RegistrationRefused as refused:
            messages.error(request, str(refused), extra_tags=refused.code)
        else:
            messages.success(request, gettext("Your registration is cancelled. We have sent you a confirmation."),
                             extra_tags="cancelled")
        return redirect(found.get_absolute_url())
    if found.status == RegistrationStatus.CANCELLED:
        return redirect(found.get_absolute_url())
    return _private(render(request, "events/registration_cancel.html", {
        "registration": found, "event": found.event,
        "too_late": found.event.starts_at <= timezone.now(),
    }))


# --- iCalendar ------------------------------------------------------------------------------

def _calendar_response(request: HttpRequest, events, *, name: str, filename: str) -> HttpResponse:
    pattern = request.build_absolute_uri(reverse("events:event", kwargs={"slug": "0"}))
    head, tail = pattern.rsplit("/0/", 1)
    content = ical.events_calendar(events, name=name, url_for=lambda event: f"{head}/{event.slug}/{tail}")
    data = content.encode("utf-8")
    response = HttpResponse(data, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Length"] = str(len(data))
    if request.method == "HEAD":  # the same headers as GET, without the body
        response.content = b""
    return response


@event_access
@require_safe
def event_ical(request: HttpRequest, slug: str) -> HttpResponse:
    _viewer, event, refusal = _event_or_refuse(request, slug)
    if refusal is not None:
        return refusal
    event = selectors.event_with_programme(event.pk)
    return _calendar_response(request, [event], name=event.title, filename=f"{event.slug}.ics")


@calendar_access
@require_safe
def agenda_ical(request: HttpRequest) -> HttpResponse:
    network = network_current()
    name = gettext("Events of %(network)s") % {"network": network.short_name if network else "Stedennet"}
    return _calendar_response(request, selectors.events_for_feed(ANONYMOUS), name=name, filename="evenementen.ics")


@calendar_access
@require_safe
def my_ical(request: HttpRequest, token: str) -> HttpResponse:
    person = selectors.person_for_calendar_token(token)
    if person is None:
        raise Http404("unknown calendar token")
    return _calendar_response(request, selectors.events_for_feed(selectors.person_viewer(person)),
                              name=gettext("Events for %(name)s") % {"name": person.name},
                              filename="evenementen.ics")


@registrant_access
@require_safe
def registration_ical(request: HttpRequest, token: str) -> HttpResponse:
    found = _registration_or_404(token)
    if found.status == RegistrationStatus.CANCELLED:
        raise Http404("a cancelled registration has no calendar entry")
    event = selectors.event_with_programme(found.event_id)
    return _private(_calendar_response(request, [event], name=event.title, filename=f"{event.slug}.ics"))
