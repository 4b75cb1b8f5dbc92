"""What the public side of events reads: the events a viewer may see (coming and past), one
event's page (its programme, places left, the viewer's own registration, its photo reports), a
registrant's own page by its token, and the events of the calendar feeds.

Who sees an event: its ``audience`` is a governance visibility level (``Viewer.may_see`` /
``Viewer.visible_q``, with the event's ``body`` for "this body only"); drafts are for the bureau
alone. A cancelled event stays visible (marked), so those who registered can read that it is off.

Every function runs a fixed number of queries, whatever the number of events, sessions and
registrations.
"""

import datetime
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from stedennet.events.constants import ACTIVE, EventKind, EventStatus, RegistrationStatus
from stedennet.events.models import Event, PhotoReportPage, Registration, Session, SessionRegistration
from stedennet.governance.access import ANONYMOUS, Viewer, viewer_for
from stedennet.governance.models import Person, Position

__all__ = [
    "ARCHIVE_PAGE_SIZE", "EventPage", "SessionLine", "archive_page", "coming_events", "event_for", "event_page",
    "event_with_programme", "events_for_feed", "events_visible", "parse_kind", "past_events",
    "person_for_calendar_token", "person_viewer", "places_left", "registration_for_token", "registration_of",
    "viewer_may_see",
]

ARCHIVE_PAGE_SIZE = 20
# The feeds carry events that ended up to this long ago (calendar clients keep what they had).
FEED_HISTORY = datetime.timedelta(days=180)
LISTED = (EventStatus.PUBLISHED, EventStatus.CANCELLED)


def viewer_may_see(viewer: Viewer, event: Event) -> bool:
    """The one rule: the bureau sees every event; others a published (or cancelled) event whose
    audience they belong to."""
    if viewer.is_bureau:
        return True
    return event.status in LISTED and viewer.may_see(event.audience, event.body_id)


def events_visible(viewer: Viewer) -> QuerySet[Event]:
    """Every event ``viewer`` may see (``viewer_may_see`` as one filter)."""
    events = Event.objects.all()
    if not viewer.is_bureau:
        events = events.filter(status__in=LISTED).filter(viewer.visible_q(visibility="audience", body="body_id"))
    return events


def _with_counts(events: QuerySet[Event]) -> QuerySet[Event]:
    return events.select_related("body").annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED),
                          distinct=True),
        n_waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                           distinct=True),
        n_sessions=Count("sessions", distinct=True),
    )


def parse_kind(value: str | None) -> str:
    """The kind of the filter ``?soort=…``; anything unknown is no filter."""
    return value if value in EventKind.values else ""


def coming_events(viewer: Viewer, *, kind: str = "", now: datetime.datetime | None = None) -> list[Event]:
    """Events that have not ended, soonest first, with ``n_confirmed``, ``n_waitlisted`` and
    ``places_left`` (None: no limit). One query."""
    now = now or timezone.now()
    events = events_visible(viewer).filter(ends_at__gt=now)
    if kind:
        events = events.filter(kind=kind)
    rows = list(_with_counts(events).order_by("starts_at", "pk"))
    for event in rows:
        event.places_left = None if event.capacity is None else max(event.capacity - event.n_confirmed, 0)
    return rows


def past_events(viewer: Viewer, *, kind: str = "", now: datetime.datetime | None = None) -> QuerySet[Event]:
    """Events that have ended, the latest first, with their live photo reports prefetched."""
    now = now or timezone.now()
    events = events_visible(viewer).filter(ends_at__lte=now)
    if kind:
        events = events.filter(kind=kind)
    return (events.select_related("body").order_by("-starts_at", "-pk")
            .prefetch_related(Prefetch("photo_reports", queryset=PhotoReportPage.objects.live().order_by("path"),
                                       to_attr="live_photo_reports")))


def archive_page(viewer: Viewer, *, number, kind: str = "", now: datetime.datetime | None = None) -> Page:
    """One page of the archive (``?pagina=``; anything that is not a page number is the first
    or the last page)."""
    return Paginator(past_events(viewer, kind=kind, now=now), ARCHIVE_PAGE_SIZE).get_page(number)


def event_for(viewer: Viewer, slug: str) -> Event | None:
    """The event with ``slug`` if ``viewer`` may see it."""
    return (events_visible(viewer).select_related("body", "organiser").filter(slug=slug).first())


def places_left(event: Event) -> int | None:
    """Places left at ``event`` (None: no limit)."""
    if event.capacity is None:
        return None
    taken = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
    return max(event.capacity - taken, 0)


@dataclass(frozen=True)
class SessionLine:
    """A session of the programme with its counts: places taken and left (None: no limit of its own)."""

    session: Session
    confirmed: int
    waitlisted: int

    @property
    def places_left(self) -> int | None:
        if self.session.capacity is None:
            return None
        return max(self.session.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


@dataclass
class EventPage:
    event: Event
    sessions: list[SessionLine]
    confirmed: int
    waitlisted: int
    registration_open: bool
    photo_reports: list[PhotoReportPage]
    days: list[tuple[datetime.date, list[SessionLine]]] = field(default_factory=list)
    my_registration: Registration | None = None

    @property
    def places_left(self) -> int | None:
        if self.event.capacity is None:
            return None
        return max(self.event.capacity - self.confirmed, 0)

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


def _session_lines(event: Event) -> list[SessionLine]:
    sessions = (Session.objects.filter(event=event).select_related("group")
                .annotate(n_confirmed=Count("registrations",
                                            filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
                          n_waitlisted=Count("registrations",
                                             filter=Q(registrations__status=RegistrationStatus.WAITLISTED)))
                .order_by("starts_at", "room", "pk"))
    return [SessionLine(session, session.n_confirmed, session.n_waitlisted) for session in sessions]


def registration_of(event: Event, *, user=None, viewer: Viewer | None = None) -> Registration | None:
    """The active registration of a signed-in user for ``event``: by their person, or by their
    e-mail address (a registration made before the account existed)."""
    if user is None or not user.is_authenticated:
        return None
    viewer = viewer or viewer_for(user)
    match = Q(user=user)
    if viewer.person is not None:
        match |= Q(person=viewer.person) | Q(email__iexact=viewer.person.email)
    elif user.email:
        match |= Q(email__iexact=user.email)
    return (Registration.objects.filter(event=event, status__in=ACTIVE).filter(match)
            .order_by("created_at", "pk").first())


def event_page(event: Event, *, viewer: Viewer, user=None, now: datetime.datetime | None = None) -> EventPage:
    """The page of one event: its programme per day with places per session, places left at the
    event, whether one may register now, its live photo reports, and the viewer's registration."""
    now = now or timezone.now()
    counts = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)))
    lines = _session_lines(event)
    days: dict[datetime.date, list[SessionLine]] = {}
    for line in lines:
        days.setdefault(timezone.localdate(line.session.starts_at), []).append(line)
    reports = list(PhotoReportPage.objects.live().filter(event=event).order_by("path"))
    return EventPage(
        event=event, sessions=lines, confirmed=counts["confirmed"], waitlisted=counts["waitlisted"],
        registration_open=event.registration_open(now), photo_reports=reports, days=list(days.items()),
        my_registration=registration_of(event, user=user, viewer=viewer),
    )


def registration_for_token(token: str) -> Registration | None:
    """A registrant's own registration by the secret of its address, with its event and sessions."""
    if not token:
        return None
    return (Registration.objects.select_related("event", "event__body")
            .prefetch_related(Prefetch("sessions", queryset=SessionRegistration.objects.select_related("session")
                                       .order_by("session__starts_at", "session__room", "session__pk")))
            .filter(token=token).first())


# --- calendar feeds ----------------------------------------------------------------------------

def person_for_calendar_token(token: str) -> Person | None:
    if not token:
        return None
    return Person.objects.select_related("user").filter(calendar_token=token).first()


def person_viewer(person: Person) -> Viewer:
    """What ``person`` may see, for their calendar feed: as their account sees (an inactive
    account sees what the public sees); a person without an account sees what is public and what
    is for the bodies they hold a current position in."""
    user = person.user
    if user is not None:
        return viewer_for(user) if user.is_active else ANONYMOUS
    body_ids = frozenset(Position.objects.current().filter(person=person).values_list("body_id", flat=True))
    return Viewer(person=person, body_ids=body_ids)


def events_for_feed(viewer: Viewer, *, now: datetime.datetime | None = None) -> QuerySet[Event]:
    """The events of a calendar feed: published and cancelled ones the viewer may see (never
    drafts, also not for the bureau: a feed is what is announced), from half a year ago on, with
    their sessions."""
    now = now or timezone.now()
    events = events_visible(viewer).filter(status__in=LISTED, ends_at__gte=now - FEED_HISTORY)
    return (events.select_related("body")
            .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "room", "pk")))
            .order_by("starts_at", "pk"))


def event_with_programme(pk: int) -> Event:
    """One event with its sessions in order, for its iCal file."""
    return (Event.objects.select_related("body")
            .prefetch_related(Prefetch("sessions", queryset=Session.objects.order_by("starts_at", "room", "pk")))
            .get(pk=pk))
