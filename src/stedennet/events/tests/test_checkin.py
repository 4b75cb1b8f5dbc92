"""Check-in on the day (``events.checkin``): a code typed or scanned is checked in once, to the
event or to one of its sessions; every other case is refused with its code (unknown, another
event, cancelled, on the waiting list, no place in the session, already checked in: when and by
whom); attendance is counted per session.

The registrations here are written with the ORM (the helpers below, also used by the other
back-office tests of this app), as the public registration service would leave them."""

import datetime
import uuid

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from wagtail.models import ModelLogEntry

from stedennet.accounts.constants import Role
from stedennet.events import checkin
from stedennet.events.checkin import CheckInRefused, attendance, check_in, normalise_code
from stedennet.events.constants import LOG_CHECKED_IN, EventStatus, RegistrationStatus
from stedennet.events.models import Event, Registration, Session, SessionRegistration

# A day a month ahead, 9:30 local time: the event has not started (a registration may still be cancelled).
DAY = timezone.localtime(timezone.now() + datetime.timedelta(days=30)).replace(hour=9, minute=30, second=0,
                                                                                microsecond=0)


# --- helpers (plain functions, imported by test_exports, test_admin and the browser tests) -------

def make_event(title: str = "Kennisdag Wonen", *, slug: str | None = None, starts_at=DAY, hours: int = 7,
               sessions: tuple[str, ...] = ("Woningbouw", "Betaalbaarheid"), capacity: int | None = 50,
               **fields) -> Event:
    event = Event.objects.create(
        title=title, slug=slug or f"{title.lower().replace(' ', '-')}-{uuid.uuid4().hex[:6]}",
        uid=f"{uuid.uuid4()}@test",
        status=fields.pop("status", EventStatus.PUBLISHED), starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=hours), venue=fields.pop("venue", "Stadhuis Zwolle"),
        capacity=capacity, audience=fields.pop("audience", "members"), **fields)
    for number, name in enumerate(sessions):
        start = starts_at + datetime.timedelta(hours=1 + 2 * number)
        Session.objects.create(event=event, title=name, starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                               room=f"Zaal {number + 1}")
    return event


def register(event: Event, name: str, *, status: str = RegistrationStatus.CONFIRMED, sessions=(),
             session_status: dict | None = None, organisation: str = "Gemeente Zwolle", at=None,
             **fields) -> Registration:
    """A registration as the registration service leaves it, with places in ``sessions`` (their
    status from ``session_status`` by title, else the registration's)."""
    at = at or DAY - datetime.timedelta(days=10)
    email = fields.pop("email", f"{name.lower().replace(' ', '.')}@zwolle.example")
    registration = Registration.objects.create(
        event=event, name=name, email=email, organisation=organisation, status=status, created_at=at,
        waitlisted_at=at if status == RegistrationStatus.WAITLISTED else None,
        confirmed_at=at if status == RegistrationStatus.CONFIRMED else None,
        cancelled_at=at + datetime.timedelta(days=1) if status == RegistrationStatus.CANCELLED else None, **fields)
    for session in sessions:
        session = session if isinstance(session, Session) else event.sessions.get(title=session)
        place = (session_status or {}).get(session.title, status)
        SessionRegistration.objects.create(registration=registration, session=session, status=place, created_at=at,
                                           waitlisted_at=at if place == RegistrationStatus.WAITLISTED else None)
    return registration


def check_in_entries(registration: Registration) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Registration),
                                             object_id=str(registration.pk), action=LOG_CHECKED_IN).order_by("pk"))


# --- tests ---------------------------------------------------------------------------------------

@pytest.fixture
def bureau_user(make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def event(db):
    return make_event()


def refusal(event, code, **kwargs) -> CheckInRefused:
    with pytest.raises(CheckInRefused) as caught:
        check_in(event, code, **kwargs)
    return caught.value


def test_codes_are_typed_in_any_case_with_spaces():
    assert normalise_code(" ab cd-ef\tgh ") == "ABCDEFGH"
    assert normalise_code(None) == ""


def test_a_code_is_checked_in_once_with_who_and_when(event, bureau_user, make_user):
    anna = register(event, "Anna de Vries", sessions=["Woningbouw"])
    typed = " ".join([anna.code[:4].lower(), anna.code[4:].lower()])
    now = DAY + datetime.timedelta(minutes=5)
    checked = check_in(event, typed, by=bureau_user, now=now)
    assert checked.pk == anna.pk and checked.checked_in_at == now and checked.checked_in_by == bureau_user
    anna.refresh_from_db()
    assert (anna.checked_in_at, anna.checked_in_by) == (now, bureau_user)
    [entry] = check_in_entries(anna)
    assert entry.user == bureau_user and entry.data["session"] is None and entry.data["event"] == event.pk

    other_desk = make_user("balie", Role.BUREAU)
    again = refusal(event, anna.code, by=other_desk, now=now + datetime.timedelta(minutes=30))
    assert again.code == "already" and again.when == now and again.by == bureau_user
    assert again.registration.pk == anna.pk
    anna.refresh_from_db()
    assert anna.checked_in_by == bureau_user and len(check_in_entries(anna)) == 1


def test_an_unknown_code_is_refused(event, bureau_user):
    register(event, "Anna de Vries")
    assert refusal(event, "ZZZZ2222", by=bureau_user).code == "unknown"
    assert refusal(event, "   ", by=bureau_user).code == "unknown"
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_a_code_of_another_event_says_which(event, bureau_user):
    other = make_event("Netwerkdag Economie", starts_at=DAY + datetime.timedelta(days=30))
    bram = register(other, "Bram Jansen")
    refused = refusal(event, bram.code, by=bureau_user)
    assert refused.code == "other_event" and refused.registration.event == other
    assert other.title in str(refused)
    bram.refresh_from_db()
    assert bram.checked_in_at is None


@pytest.mark.parametrize("status", [RegistrationStatus.CANCELLED, RegistrationStatus.WAITLISTED])
def test_a_cancelled_or_waitlisted_registration_is_refused(event, bureau_user, status):
    registration = register(event, "Carla Smit", status=status)
    refused = refusal(event, registration.code, by=bureau_user)
    assert refused.code == status and refused.registration.pk == registration.pk
    registration.refresh_from_db()
    assert registration.checked_in_at is None and not check_in_entries(registration)


def test_checking_in_to_a_session_checks_in_to_the_event_too(event, bureau_user, make_user):
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    dirk = register(event, "Dirk Bakker", sessions=[woningbouw, betaalbaarheid],
                    session_status={"Betaalbaarheid": RegistrationStatus.WAITLISTED})
    now = DAY + datetime.timedelta(hours=1)
    check_in(event, dirk.code, by=bureau_user, session=woningbouw, now=now)
    dirk.refresh_from_db()
    assert dirk.checked_in_at == now and dirk.checked_in_by == bureau_user
    assert dirk.sessions.get(session=woningbouw).checked_in_at == now
    [entry] = check_in_entries(dirk)
    assert entry.data["session"] == woningbouw.pk

    # Again in the same session: already, by whom (from the audit trail); at the door: already too.
    refused = refusal(event, dirk.code, by=make_user("zaalwacht", Role.BUREAU), session=woningbouw)
    assert (refused.code, refused.when, refused.by, refused.session) == ("already", now, bureau_user, woningbouw)
    assert refusal(event, dirk.code, by=bureau_user).code == "already"
    # On the waiting list of the other session.
    assert refusal(event, dirk.code, by=bureau_user, session=betaalbaarheid).code == "waitlisted"


def test_a_session_without_a_place_is_refused(event, bureau_user):
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    eva = register(event, "Eva Visser", sessions=[woningbouw])
    assert refusal(event, eva.code, by=bureau_user, session=betaalbaarheid).code == "not_in_session"
    SessionRegistration.objects.filter(registration=eva).update(status=RegistrationStatus.CANCELLED)
    assert refusal(event, eva.code, by=bureau_user, session=woningbouw).code == "not_in_session"
    eva.refresh_from_db()
    assert eva.checked_in_at is None
    other = make_event("Netwerkdag Economie")
    with pytest.raises(ValueError, match="session"):
        check_in(event, eva.code, by=bureau_user, session=other.sessions.first())


def test_a_refusal_checks_nothing_in(event, bureau_user):
    """The check-in is one transaction: a refused session check-in leaves the event's row as it was."""
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    fleur = register(event, "Fleur Mulder", sessions=[woningbouw])
    with pytest.raises(CheckInRefused):
        check_in(event, fleur.code, by=bureau_user, session=betaalbaarheid)
    fleur.refresh_from_db()
    assert fleur.checked_in_at is None


def test_attendance_is_counted_per_session(event, bureau_user, django_assert_num_queries):
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    people = [register(event, f"Deelnemer {n}", sessions=[woningbouw] if n % 2 else [woningbouw, betaalbaarheid])
              for n in range(5)]
    register(event, "Wachtende", status=RegistrationStatus.WAITLISTED, sessions=[betaalbaarheid])
    register(event, "Afgemeld", status=RegistrationStatus.CANCELLED, sessions=[woningbouw])
    check_in(event, people[0].code, by=bureau_user)
    check_in(event, people[1].code, by=bureau_user, session=woningbouw)
    check_in(event, people[2].code, by=bureau_user, session=betaalbaarheid)
    with django_assert_num_queries(2):
        total, sessions = attendance(event)
    assert (total.confirmed, total.waitlisted, total.checked_in, total.to_come, total.capacity) == (5, 1, 3, 2, 50)
    counts = {row.session.title: row.counts for row in sessions}
    assert (counts["Woningbouw"].confirmed, counts["Woningbouw"].checked_in) == (5, 1)
    assert (counts["Betaalbaarheid"].confirmed, counts["Betaalbaarheid"].waitlisted,
            counts["Betaalbaarheid"].checked_in) == (3, 1, 1)
    assert [row.session for row in sessions] == [woningbouw, betaalbaarheid]


def test_the_refusal_codes_are_the_documented_ones():
    assert set(checkin.REFUSAL_CODES) == {"unknown", "other_event", "cancelled", "waitlisted", "not_in_session",
                                          "already"}
    assert timezone.is_aware(DAY)


@pytest.mark.django_db(transaction=True)
def test_two_phones_scanning_the_same_code_at_once_check_it_in_once(bureau_user, make_user):
    """Two desks, one code, the same moment: the row lock and the conditional update let one
    check it in; the other hears "already" (on PostgreSQL, where the two really run side by side)."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("SQLite runs one writer at a time; the race needs PostgreSQL")
    event = make_event()
    anna = register(event, "Anna de Vries")
    desks = [bureau_user, make_user("balie", Role.BUREAU)]
    barrier = threading.Barrier(len(desks))
    outcomes: list[str] = []

    def scan(desk):
        try:
            barrier.wait(timeout=10)
            check_in(event, anna.code, by=desk)
            outcomes.append("checked_in")
        except CheckInRefused as refused:
            outcomes.append(refused.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scan, args=(desk,)) for desk in desks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already", "checked_in"]
    assert len(check_in_entries(anna)) == 1
