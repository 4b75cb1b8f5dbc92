"""The writes of events: an event and its status, registrations with their waiting lists, and
the reminder run. Every write is checked here (the public pages, the back office and the tests go
through these functions), runs in one transaction and leaves an audit entry; mail goes out after
the commit.

Registration (``registration_create``) and cancellation (``registration_cancel``) lock the
event's row (``SELECT … FOR UPDATE``) first, so registrations for one event run one after the
other and never exceed a capacity:

- the event has a place (``capacity`` empty, or fewer confirmed registrations than places): the
  registration is *confirmed*; else it goes on the *waiting list* (never over);
- each chosen session with a capacity of its own is the same, for registrations with a place at
  the event; a registration on the event's waiting list waits for its sessions too;
- a cancellation frees its places, and in the same transaction the first on each waiting list
  moves up (``waitlist_fill``: the event's list in the order people joined it, then each
  session's list among those with a place at the event); each one moved up gets a mail;
- a second active registration of the same e-mail address (or person) is refused,
  ``already_registered``, naming the registration that exists.

Who may register: the event's audience (``Viewer.may_see``): signed-in people of it, and for a
public event also visitors who are not signed in (with name and e-mail address; the confirmation
mail is their way back). A signed-in person registers with the name, address and organisation of
their ``Person``. Refusals are ``RegistrationRefused`` with a ``code``.

The reminder (``events_remind``): ``reminder_days`` before the day of the event, once per
registration with a place: the registration is claimed with a conditional UPDATE of its
``reminder_sent_at`` and its mail stored in the outbox in the same transaction, so two runs at
the same moment never send it twice, and a run that fails sends it in the next.
"""

import datetime
import itertools
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.contrib.auth.base_user import BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from stedennet.events import mails
from stedennet.events.constants import (
    ACTIVE,
    EVENT_TRANSITIONS,
    LOG_CANCELLED,
    LOG_PROMOTED,
    LOG_REGISTERED,
    LOG_STATUS,
    EventStatus,
    RegistrationStatus,
)
from stedennet.events.models import Event, Registration, Session, SessionRegistration
from stedennet.events.selectors import person_viewer
from stedennet.governance.access import ANONYMOUS, viewer_for
from stedennet.governance.models import Person, Visibility
from stedennet.web.refusals import Refused

__all__ = [
    "EventRefused",
    "RegistrationRefused",
    "RemindRun",
    "event_create",
    "event_publish",
    "event_status_set",
    "event_update",
    "events_remind",
    "registration_cancel",
    "registration_create",
    "remind_from",
    "waitlist_fill",
]

# Paths under /evenementen/ that an event's slug may not take.
RESERVED_SLUGS = frozenset({"archief", "agenda", "inschrijving"})
# Changes that calendar clients must hear of (RFC 5545 SEQUENCE).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "venue", "address", "online_url", "summary")


class EventRefused(Refused):
    """A change to an event the rules do not allow; ``code`` says which rule."""


class RegistrationRefused(Refused):
    """A registration (or cancellation) the rules do not allow; ``code`` says which rule, and for
    ``already_registered`` ``registration`` is the one that exists."""

    def __init__(self, message, code: str | None = None, params=None, *, field: str | None = None,
                 registration: Registration | None = None):
        super().__init__(message, code, params, field=field)
        self.registration = registration


# --- events ------------------------------------------------------------------------------------

def _new_uid() -> str:
    return f"event-{uuid.uuid4()}@stedennet"


def _unique_slug(title: str) -> str:
    base = slugify(title)[:90] or "evenement"
    if base in RESERVED_SLUGS:
        base = f"{base}-evenement"
    slug, number = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _event_check(event: Event) -> None:
    if event.slug in RESERVED_SLUGS:
        raise EventRefused(_("This address is taken by the events pages; choose another slug."), "slug_reserved",
                           field="slug")
    if event.audience == Visibility.BODY and event.body_id is None:
        raise EventRefused(_("Name the body or group this event is for."), "body_required", field="body")
    if event.registration_closes_at and event.registration_closes_at > event.starts_at:
        raise EventRefused(_("Registration must close before the event starts."), "closes_after_start",
                           field="registration_closes_at")
    try:
        event.full_clean(exclude=["uid"])
    except ValidationError as error:
        raise EventRefused(error.message_dict) from error


@transaction.atomic
def event_create(*, title: str, starts_at: datetime.datetime, ends_at: datetime.datetime,
                 sessions: Iterable[dict] = (), slug: str = "", by=None, **fields) -> Event:
    """A new event (a draft unless ``status`` says otherwise) with its programme: ``sessions``
    are the fields of each ``Session`` (title, starts_at, ends_at, room, speakers, group,
    capacity, description)."""
    event = Event(title=title, starts_at=starts_at, ends_at=ends_at, slug=slug or _unique_slug(title),
                  uid=_new_uid(), **fields)
    _event_check(event)
    event.save()
    for values in sessions:
        session = Session(event=event, **values)
        try:
            session.full_clean(exclude=["event"])
        except ValidationError as error:
            raise EventRefused(error.message_dict) from error
        session.save()
    log(instance=event, action="wagtail.create", user=by)
    return event


@transaction.atomic
def event_update(event: Event, *, by=None) -> Event:
    """Save the changed fields of ``event`` (its status changes only through
    ``event_status_set``). A change of time, place or title raises the iCalendar SEQUENCE; more
    places move people up from the waiting list."""
    stored = Event.objects.select_for_update().get(pk=event.pk)
    if event.status != stored.status:
        raise EventRefused(_("The status changes through publishing or cancelling, not by editing."),
                           "status_fixed", field="status")
    event.uid, event.sequence = stored.uid, stored.sequence
    _event_check(event)
    if any(getattr(event, name) != getattr(stored, name) for name in CALENDAR_FIELDS):
        event.sequence = stored.sequence + 1
    event.save()
    log(instance=event, action="wagtail.edit", user=by)
    _fill_and_tell(event, by=by)
    return event


@transaction.atomic
def event_status_set(event: Event, status: str, *, by=None) -> Event:
    """Move ``event`` to ``status`` as ``EVENT_TRANSITIONS`` allows; back to draft only while
    nobody has registered. Cancelling tells every active registrant by mail."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    before = locked.status
    if status not in EVENT_TRANSITIONS.get(before, frozenset()):
        raise EventRefused(_("An event cannot go from %(before)s to %(after)s."), "transition_not_allowed",
                           {"before": EventStatus(before).label, "after": EventStatus(status).label
                            if status in EventStatus.values else status})
    active = Registration.objects.filter(event=locked, status__in=ACTIVE)
    if status == EventStatus.DRAFT and active.exists():
        raise EventRefused(_("People have registered: the event cannot go back to draft."), "has_registrations")
    locked.status = status
    locked.sequence += 1
    locked.save(update_fields=["status", "sequence", "updated_at"])
    log(instance=locked, action=LOG_STATUS, user=by, data={"from": before, "to": status})
    if status == EventStatus.CANCELLED:
        for pk in active.values_list("pk", flat=True):
            _after_commit(mails.send_event_cancelled, pk)
    event.status, event.sequence, event.updated_at = locked.status, locked.sequence, locked.updated_at
    return event


def event_publish(event: Event, *, by=None) -> Event:
    return event_status_set(event, EventStatus.PUBLISHED, by=by)


# --- registrations -----------------------------------------------------------------------------

def _after_commit(send, *args) -> None:
    """A mail after the commit; a mail that cannot be made is logged, the registration stands."""
    transaction.on_commit(partial(send, *args), robust=True)


def _registrant_viewer(user, person: Person | None):
    if user is not None and user.is_authenticated:
        return viewer_for(user)
    if person is not None:
        return person_viewer(person)
    return ANONYMOUS


def _may_register(event: Event, viewer, now: datetime.datetime) -> None:
    if not (viewer.is_bureau or (event.status in (EventStatus.PUBLISHED, EventStatus.CANCELLED)
                                 and viewer.may_see(event.audience, event.body_id))):
        if not viewer.is_authenticated:
            raise RegistrationRefused(_("Sign in to register for this event."), "sign_in_required")
        raise RegistrationRefused(_("This event is not open to you."), "audience")
    if event.status == EventStatus.CANCELLED:
        raise RegistrationRefused(_("This event has been cancelled."), "event_cancelled")
    if event.status != EventStatus.PUBLISHED:
        raise RegistrationRefused(_("This event has not been published yet."), "not_published")
    if not event.registration_required:
        raise RegistrationRefused(_("This event takes no registrations."), "no_registration")
    if event.starts_at <= now:
        raise RegistrationRefused(_("This event has already started."), "event_started")
    if event.registration_closes_at is not None and event.registration_closes_at <= now:
        raise RegistrationRefused(_("Registration for this event has closed."), "registration_closed")


def _chosen_sessions(event: Event, sessions) -> list[Session]:
    wanted = {session.pk if isinstance(session, Session) else int(session) for session in sessions or ()}
    found = list(Session.objects.filter(event=event, pk__in=wanted).order_by("starts_at", "pk"))
    if len(found) != len(wanted):
        raise RegistrationRefused(_("A chosen session is not part of this event."), "unknown_session",
                                  field="sessions")
    for earlier, later in itertools.pairwise(found):
        if later.starts_at < earlier.ends_at:
            raise RegistrationRefused(
                _("%(first)s and %(second)s take place at the same time: choose one."), "sessions_overlap",
                {"first": earlier.title, "second": later.title}, field="sessions")
    return found


def _identity(*, name: str, email: str, organisation: str, person: Person | None, user) -> tuple[str, str, str]:
    if person is not None:  # a signed-in person registers as who they are
        return person.name, person.email, str(person.organisation or "")
    name, email = (name or "").strip(), BaseUserManager.normalize_email((email or "").strip())
    if user is not None and user.is_authenticated:
        name = name or user.get_full_name() or user.get_username()
        email = email or BaseUserManager.normalize_email(user.email or "")
    if not name:
        raise RegistrationRefused(_("Give your name."), "name_required", field="name")
    if not email:
        raise RegistrationRefused(_("Give your e-mail address."), "email_required", field="email")
    try:
        validate_email(email)
    except ValidationError:
        raise RegistrationRefused(_("This is not an e-mail address: %(email)s."), "email_invalid",
                                  {"email": email}, field="email") from None
    return name[:200], email, (organisation or "").strip()[:200]


def _has_room(capacity: int | None, taken: int) -> bool:
    return capacity is None or taken < capacity


@transaction.atomic
def registration_create(event: Event, *, name: str = "", email: str = "", organisation: str = "",
                        remarks: str = "", sessions=(), person: Person | None = None, user=None,
                        now: datetime.datetime | None = None, is_demo: bool = False) -> Registration:
    """Register for ``event`` (and for ``sessions`` of its programme): a place, or a place on the
    waiting list. The confirmation (or waiting-list) mail goes out after the commit."""
    now = now or timezone.now()
    locked = Event.objects.select_for_update().get(pk=event.pk)
    viewer = _registrant_viewer(user, person)
    if person is None and viewer.person is not None:
        person = viewer.person
    _may_register(locked, viewer, now)
    name, email, organisation = _identity(name=name, email=email, organisation=organisation, person=person,
                                          user=user)
    chosen = _chosen_sessions(locked, sessions)

    same = Q(email__iexact=email) | (Q(person=person) if person is not None else Q(pk__in=[]))
    existing = Registration.objects.filter(event=locked, status__in=ACTIVE).filter(same).first()
    if existing is not None:
        raise RegistrationRefused(
            _("%(email)s is already registered for this event (%(status)s)."), "already_registered",
            {"email": existing.email, "status": existing.get_status_display()}, field="email",
            registration=existing)

    # Whoever waits goes first: places that came free (more capacity) are filled before this one.
    _fill_and_tell(locked, now=now)
    taken = Registration.objects.filter(event=locked, status=RegistrationStatus.CONFIRMED).count()
    has_place = _has_room(locked.capacity, taken)
    registration = Registration.objects.create(
        event=locked, person=person, user=user if user is not None and user.is_authenticated else None,
        name=name, email=email, organisation=organisation, remarks=(remarks or "").strip(),
        status=RegistrationStatus.CONFIRMED if has_place else RegistrationStatus.WAITLISTED,
        created_at=now, confirmed_at=now if has_place else None, waitlisted_at=None if has_place else now,
        is_demo=is_demo)
    places = []
    for session in chosen:
        session_place = has_place and _has_room(session.capacity, SessionRegistration.objects.filter(
            session=session, status=RegistrationStatus.CONFIRMED).count())
        places.append(SessionRegistration(
            registration=registration, session=session, created_at=now,
            status=RegistrationStatus.CONFIRMED if session_place else RegistrationStatus.WAITLISTED,
            waitlisted_at=None if session_place else now))
    SessionRegistration.objects.bulk_create(places)
    log(instance=registration, action=LOG_REGISTERED, user=user if user is not None and user.is_authenticated
        else None, data={"event": locked.pk, "status": registration.status,
                         "sessions": {str(place.session_id): place.status for place in places}})
    if not is_demo:
        _after_commit(mails.send_registered, registration.pk)
    return registration


@transaction.atomic
def registration_cancel(registration: Registration, *, by=None, now: datetime.datetime | None = None) -> Registration:
    """Cancel ``registration`` (by its registrant through the link in their mail, or by the
    bureau): its places come free, and the first on each waiting list moves up in the same
    transaction and hears of it by mail."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    locked = Registration.objects.select_for_update().get(pk=registration.pk)
    if locked.status == RegistrationStatus.CANCELLED:
        raise RegistrationRefused(_("This registration was already cancelled."), "already_cancelled",
                                  registration=locked)
    if event.starts_at <= now:
        raise RegistrationRefused(_("The event has started: a registration can no longer be cancelled."),
                                  "event_started", registration=locked)
    before = locked.status
    locked.status, locked.cancelled_at = RegistrationStatus.CANCELLED, now
    locked.save(update_fields=["status", "cancelled_at"])
    SessionRegistration.objects.filter(registration=locked).update(status=RegistrationStatus.CANCELLED)
    log(instance=locked, action=LOG_CANCELLED, user=by if by is not None and by.is_authenticated else None,
        data={"event": event.pk, "was": before})
    _after_commit(mails.send_cancelled, locked.pk)
    _fill_and_tell(event, now=now, by=by)
    registration.status, registration.cancelled_at = locked.status, locked.cancelled_at
    return registration


# --- the waiting lists -------------------------------------------------------------------------

@dataclass
class _MovedUp:
    """What one registration got in a fill: a place at the event, places in sessions."""

    event: bool = False
    sessions: list[int] = field(default_factory=list)


def _fill(event: Event, *, now: datetime.datetime, by=None) -> dict[int, _MovedUp]:
    """Give free places to the waiting lists, first come first served: the event's, then each
    session's (among registrations with a place at the event). The caller holds the event's lock."""
    moved: dict[int, _MovedUp] = defaultdict(_MovedUp)
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED).order_by(
        "waitlisted_at", "pk")
    if event.capacity is not None:
        taken = Registration.objects.filter(event=event, status=RegistrationStatus.CONFIRMED).count()
        waiting = waiting[:max(event.capacity - taken, 0)]
    for registration in waiting:
        registration.status, registration.confirmed_at = RegistrationStatus.CONFIRMED, now
        registration.save(update_fields=["status", "confirmed_at"])
        log(instance=registration, action=LOG_PROMOTED, user=by if by is not None and by.is_authenticated else None,
            data={"event": event.pk, "session": None})
        moved[registration.pk].event = True
    for session in Session.objects.filter(event=event).order_by("starts_at", "pk"):
        queue = SessionRegistration.objects.filter(
            session=session, status=RegistrationStatus.WAITLISTED,
            registration__status=RegistrationStatus.CONFIRMED).select_related("registration").order_by(
            "waitlisted_at", "pk")
        if session.capacity is not None:
            taken = SessionRegistration.objects.filter(session=session, status=RegistrationStatus.CONFIRMED).count()
            queue = queue[:max(session.capacity - taken, 0)]
        for place in queue:
            place.status = RegistrationStatus.CONFIRMED
            place.save(update_fields=["status"])
            log(instance=place.registration, action=LOG_PROMOTED,
                user=by if by is not None and by.is_authenticated else None,
                data={"event": event.pk, "session": session.pk})
            moved[place.registration_id].sessions.append(session.pk)
    return dict(moved)


def _fill_and_tell(event: Event, *, now: datetime.datetime | None = None, by=None) -> dict[int, _MovedUp]:
    moved = _fill(event, now=now or timezone.now(), by=by)
    for pk, what in moved.items():
        _after_commit(mails.send_moved_up, pk, what.event, tuple(what.sessions))
    return moved


@transaction.atomic
def waitlist_fill(event: Event, *, by=None) -> int:
    """Move people up into places that came free otherwise than by a cancellation (more places,
    a session without a limit): returns how many places were given."""
    locked = Event.objects.select_for_update().get(pk=event.pk)
    moved = _fill_and_tell(locked, by=by)
    return sum(int(what.event) + len(what.sessions) for what in moved.values())


# --- reminders ---------------------------------------------------------------------------------

@dataclass
class RemindRun:
    """What a reminder run did: the registrations reminded, per event."""

    sent: dict[int, list[int]] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(len(pks) for pks in self.sent.values())

    def as_dict(self) -> dict:
        return {"sent": {str(event): pks for event, pks in self.sent.items()}, "total": self.total}


def remind_from(event: Event) -> datetime.datetime:
    """The moment the reminders of ``event`` are due: midnight (local time) ``reminder_days``
    before the day it starts."""
    day = timezone.localdate(event.starts_at) - datetime.timedelta(days=event.reminder_days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def events_remind(now: datetime.datetime | None = None) -> RemindRun:
    """Send the reminders that are due: to every confirmed registration of a published event
    whose reminder day has come and that has not started, once. Someone who got their place after
    the reminder day began has just had the mail with everything in it and is not reminded again."""
    now = now or timezone.now()
    run = RemindRun()
    events = Event.objects.filter(status=EventStatus.PUBLISHED, reminder_days__gt=0, starts_at__gt=now)
    for event in events.order_by("starts_at", "pk"):
        due = remind_from(event)
        if due > now:
            continue
        pks = list(Registration.objects.filter(
            event=event, status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True)
            .filter(Q(confirmed_at__lt=due) | Q(confirmed_at__isnull=True, created_at__lt=due))
            .order_by("pk").values_list("pk", flat=True))
        for pk in pks:
            with transaction.atomic():
                claimed = Registration.objects.filter(pk=pk, status=RegistrationStatus.CONFIRMED,
                                                      reminder_sent_at__isnull=True).update(reminder_sent_at=now)
                if not claimed:  # a run alongside took it, or it was cancelled meanwhile
                    continue
                mails.send_reminder(pk)  # stored in the outbox in this transaction, delivered after it
            run.sent.setdefault(event.pk, []).append(pk)
        Event.objects.filter(pk=event.pk, reminder_sent_at__isnull=True).update(reminder_sent_at=now)
    return run
