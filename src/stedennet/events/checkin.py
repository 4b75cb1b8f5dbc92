"""Check-in on the day: the bureau types or scans a registration's code at the door (or at a
session's room) and hears at once who it is, or why not.

``check_in(event, code, by=..., session=None)`` is the one write: in one transaction, with the
registration's row locked (``select_for_update``) and a conditional update, so two phones scanning
the same code at the same moment check it in once and the second hears "already". A code is
typed case-insensitively and spaces (and dashes) are ignored. Refusals are ``CheckInRefused``
with a ``code``:

- ``unknown``: no registration has this code;
- ``other_event``: the code belongs to another event (``refusal.registration.event`` says which);
- ``cancelled``: the registration (or its place in the session) was cancelled;
- ``waitlisted``: it is (still) on the waiting list, of the event or of the session;
- ``not_in_session``: checking in to a session the registration has no place in;
- ``already``: checked in before (``refusal.when`` and ``refusal.by`` say when and by whom).

Checking in to a session also checks the registration in to the event, if it was not yet. Every
check-in leaves an audit entry (``LOG_CHECKED_IN``) on the registration, with the session if any.
``attendance(event)`` counts, for the event and each session, the places and the check-ins.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log
from wagtail.models import ModelLogEntry

from stedennet.events.constants import LOG_CHECKED_IN, RegistrationStatus
from stedennet.events.models import Event, Registration, Session, SessionRegistration
from stedennet.web.refusals import Refused

__all__ = ["Attendance", "CheckInRefused", "SessionAttendance", "attendance", "check_in", "normalise_code"]

OUTCOME_CHECKED_IN = "checked_in"
REFUSAL_CODES = ("unknown", "other_event", "cancelled", "waitlisted", "not_in_session", "already")
_IGNORED = re.compile(r"[\s\-]+")


class CheckInRefused(Refused):
    """Why a code is not checked in; with the registration it belongs to (if any), and for
    ``already`` when and by whom it was checked in."""

    default_code = "unknown"

    def __init__(self, message, code: str | None = None, params=None, *, registration: Registration | None = None,
                 when: datetime.datetime | None = None, by=None, session: Session | None = None):
        super().__init__(message, code, params, field="code")
        self.registration = registration
        self.when = when
        self.by = by
        self.session = session


def normalise_code(code: str | None) -> str:
    """The code as stored: upper case, without spaces or dashes (typed from a phone, or scanned)."""
    return _IGNORED.sub("", code or "").upper()


def _session_checked_in_by(registration: Registration, session: Session):
    """Who checked ``registration`` in to ``session``: from the audit trail (a session's place has
    no column for it)."""
    entries = (ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Registration),
                                            object_id=str(registration.pk), action=LOG_CHECKED_IN)
               .select_related("user").order_by("-timestamp", "-pk"))
    for entry in entries:
        if (entry.data or {}).get("session") == session.pk:
            return entry.user
    return None


@transaction.atomic
def check_in(event: Event, code: str, *, by, session: Session | None = None,
             now: datetime.datetime | None = None) -> Registration:
    """Check the registration with ``code`` in to ``event`` (or to one of its sessions); returns
    the registration, or raises ``CheckInRefused``."""
    if session is not None and session.event_id != event.pk:
        raise ValueError("The session is not part of this event.")
    now = now or timezone.now()
    wanted = normalise_code(code)
    registration = (Registration.objects.select_for_update(of=("self",)).select_related("event")
                    .filter(code=wanted).first()) if wanted else None
    if registration is None:
        raise CheckInRefused(_("No registration has this code: %(code)s."), "unknown",
                             {"code": wanted or (code or "").strip()})
    if registration.event_id != event.pk:
        raise CheckInRefused(_("This code belongs to another event: %(event)s."), "other_event",
                             {"event": registration.event.title}, registration=registration)
    if registration.status == RegistrationStatus.CANCELLED:
        raise CheckInRefused(_("This registration was cancelled."), "cancelled", registration=registration,
                             when=registration.cancelled_at)
    if registration.status == RegistrationStatus.WAITLISTED:
        raise CheckInRefused(_("This registration is on the waiting list and has no place."), "waitlisted",
                             registration=registration)

    if session is None:
        done = Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checked_in_by=by)
        if not done:
            registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
            raise CheckInRefused(_("Already checked in."), "already", registration=registration,
                                 when=registration.checked_in_at, by=registration.checked_in_by)
    else:
        place = (SessionRegistration.objects.select_for_update().filter(registration=registration, session=session)
                 .first())
        if place is None or place.status == RegistrationStatus.CANCELLED:
            raise CheckInRefused(_("This registration has no place in %(session)s."), "not_in_session",
                                 {"session": session.title}, registration=registration, session=session)
        if place.status == RegistrationStatus.WAITLISTED:
            raise CheckInRefused(_("This registration is on the waiting list of %(session)s."), "waitlisted",
                                 {"session": session.title}, registration=registration, session=session)
        done = SessionRegistration.objects.filter(pk=place.pk, checked_in_at__isnull=True).update(checked_in_at=now)
        if not done:
            place.refresh_from_db(fields=["checked_in_at"])
            raise CheckInRefused(_("Already checked in to %(session)s."), "already", {"session": session.title},
                                 registration=registration, when=place.checked_in_at,
                                 by=_session_checked_in_by(registration, session), session=session)
        # Whoever is in a session is at the event.
        Registration.objects.filter(pk=registration.pk, checked_in_at__isnull=True).update(
            checked_in_at=now, checked_in_by=by)
    registration.refresh_from_db(fields=["checked_in_at", "checked_in_by"])
    log(instance=registration, action=LOG_CHECKED_IN, user=by,
        data={"event": event.pk, "session": session.pk if session else None, "code": registration.code,
              "at": now.isoformat()})
    return registration


# --- attendance -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Attendance:
    """Places held (confirmed), waiting, and checked in."""

    confirmed: int
    waitlisted: int
    checked_in: int
    capacity: int | None = None

    @property
    def to_come(self) -> int:
        return max(self.confirmed - self.checked_in, 0)


@dataclass(frozen=True)
class SessionAttendance:
    session: Session
    counts: Attendance


def attendance(event: Event) -> tuple[Attendance, list[SessionAttendance]]:
    """The event's counts and each session's, in two queries."""
    confirmed = Q(status=RegistrationStatus.CONFIRMED)
    totals = Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=confirmed),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
        checked_in=Count("pk", filter=confirmed & Q(checked_in_at__isnull=False)))
    sessions = Session.objects.filter(event=event).annotate(
        n_confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED,
                                                    registrations__registration__status=RegistrationStatus.CONFIRMED)),
        n_waitlisted=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
                           & ~Q(registrations__registration__status=RegistrationStatus.CANCELLED)),
        n_checked_in=Count("registrations", filter=Q(registrations__checked_in_at__isnull=False)),
    ).order_by("starts_at", "room", "pk")
    return (Attendance(capacity=event.capacity, **totals),
            [SessionAttendance(s, Attendance(s.n_confirmed, s.n_waitlisted, s.n_checked_in, s.capacity))
             for s in sessions])
