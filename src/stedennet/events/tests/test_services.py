"""The rules of registration: capacity and waiting list (of the event and of each session), moving
up after a cancellation (with its mail), the refusals and their codes, who may register, the
event's status and SEQUENCE, the audit trail, the reminder run (once), and on PostgreSQL two
registrations racing for the last place."""

import datetime
import re
import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.db import connection, connections, transaction
from django.utils import timezone
from wagtail.models import ModelLogEntry

from stedennet.events import services
from stedennet.events.constants import (
    LOG_CANCELLED,
    LOG_PROMOTED,
    LOG_REGISTERED,
    LOG_STATUS,
    EventStatus,
    RegistrationStatus,
)
from stedennet.events.models import Event, Registration, SessionRegistration
from stedennet.events.services import RegistrationRefused
from stedennet.events.tests.factories import body, event, register, session, soon, viewers
from stedennet.governance.models import Visibility
from stedennet.web.refusals import Refused

CONFIRMED, WAITLISTED, CANCELLED = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                    RegistrationStatus.CANCELLED)


class refused:
    """``with refused("code"):`` the block raises a ``Refused`` with this code."""

    def __init__(self, code: str):
        self.code = code
        self.error = None

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        assert error is not None, f"nothing was refused (expected {self.code})"
        assert isinstance(error, Refused), error
        assert getattr(error, "code", None) == self.code, f"refused with {getattr(error, 'code', error)!r}"
        self.error = error
        return True


def kinds(outbox=None) -> list[tuple[str, str]]:
    """(recipient, kind) of every events mail sent, in order (the kind is the HTML's data-kind)."""
    found = []
    for message in mail.outbox if outbox is None else outbox:
        html = message.alternatives[0].content if message.alternatives else ""
        match = re.search(r'data-kind="([a-z_]+)"', html)
        found.append((message.to[0], match.group(1) if match else ""))
    return found


def statuses(*registrations) -> list[str]:
    return [Registration.objects.get(pk=r.pk).status for r in registrations]


def entries(instance, action: str) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(instance),
                                             object_id=str(instance.pk), action=action).order_by("pk"))


@pytest.fixture
def now_mail(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks (the mails) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- capacity and the waiting list -----------------------------------------------------------------

def test_beyond_capacity_goes_to_the_waiting_list_never_over(g40, now_mail):
    day = event(capacity=2)
    with now_mail():
        first, second, third, fourth = (register(day) for _ in range(4))
    assert statuses(first, second, third, fourth) == [CONFIRMED, CONFIRMED, WAITLISTED, WAITLISTED]
    assert Registration.objects.filter(event=day, status=CONFIRMED).count() == 2
    third.refresh_from_db()
    assert third.waitlisted_at is not None and third.confirmed_at is None
    assert kinds() == [(first.email, "confirmed"), (second.email, "confirmed"), (third.email, "waitlisted"),
                       (fourth.email, "waitlisted")]


def test_without_a_capacity_everyone_has_a_place(g40):
    day = event(capacity=None)
    assert {register(day).status for _ in range(5)} == {CONFIRMED}


def test_cancelling_moves_up_the_first_on_the_waiting_list_who_gets_a_mail(g40, now_mail):
    day = event(capacity=1)
    holder = register(day)
    first_waiting = register(day, now=timezone.now())
    second_waiting = register(day, now=timezone.now() + datetime.timedelta(seconds=1))
    mail.outbox.clear()
    with now_mail():
        services.registration_cancel(holder)
    assert statuses(holder, first_waiting, second_waiting) == [CANCELLED, CONFIRMED, WAITLISTED]
    assert kinds() == [(holder.email, "cancelled"), (first_waiting.email, "moved_up")]
    moved = mail.outbox[1]
    assert "data-testid=\"code\"" in moved.alternatives[0].content  # with their check-in code
    first_waiting.refresh_from_db()
    assert first_waiting.confirmed_at is not None and first_waiting.waitlisted_at is not None  # history kept
    assert len(entries(first_waiting, LOG_PROMOTED)) == 1
    assert len(entries(holder, LOG_CANCELLED)) == 1


def test_cancelling_a_waitlisted_registration_moves_nobody(g40, now_mail):
    day = event(capacity=1)
    holder, waiting, later = register(day), register(day), register(day)
    mail.outbox.clear()
    with now_mail():
        services.registration_cancel(waiting)
    assert statuses(holder, waiting, later) == [CONFIRMED, CANCELLED, WAITLISTED]
    assert kinds() == [(waiting.email, "cancelled")]


def test_a_cancelled_registration_may_be_followed_by_a_new_one(g40):
    day = event(capacity=5)
    first = register(day, email="een@example.org")
    services.registration_cancel(first)
    again = register(day, email="een@example.org")
    assert again.status == CONFIRMED and again.pk != first.pk


def test_more_places_move_people_up_on_the_next_write(g40, now_mail):
    day = event(capacity=1)
    register(day)
    waiting = register(day)
    day.capacity = 3
    with now_mail():
        services.event_update(day)
    assert statuses(waiting) == [CONFIRMED]
    assert (waiting.email, "moved_up") in kinds()
    late = register(day)
    assert late.status == CONFIRMED


def test_whoever_waits_goes_before_a_new_registrant(g40):
    day = event(capacity=1)
    register(day)
    waiting = register(day)
    Event.objects.filter(pk=day.pk).update(capacity=2)  # the back office changed it without the service
    newcomer = register(day)
    assert statuses(waiting, newcomer) == [CONFIRMED, WAITLISTED]


def test_waitlist_fill_says_how_many_places_it_gave(g40):
    day = event(capacity=1)
    register(day)
    register(day)
    register(day)
    Event.objects.filter(pk=day.pk).update(capacity=5)
    assert services.waitlist_fill(day) == 2
    assert services.waitlist_fill(day) == 0


# --- sessions ------------------------------------------------------------------------------------------

@pytest.fixture
def programme(g40_bodies):
    start = soon(30, 10)
    return event(capacity=3, sessions=[
        session(start, "Jeugd", capacity=1, group=body("themagroep-jeugd"), room="Zaal 1"),
        session(start, "Wonen", capacity=None, room="Zaal 2"),
        session(start + datetime.timedelta(hours=2), "Middag", capacity=1),
    ])


def places(registration) -> dict[str, str]:
    return {place.session.title: place.status
            for place in SessionRegistration.objects.filter(registration=registration).select_related("session")}


def test_a_session_with_its_own_capacity_has_its_own_waiting_list(programme):
    jeugd, _wonen, middag = programme.sessions.order_by("starts_at", "room")
    first = register(programme, sessions=[jeugd, middag])
    second = register(programme, sessions=[jeugd.pk])
    assert first.status == second.status == CONFIRMED
    assert places(first) == {"Jeugd": CONFIRMED, "Middag": CONFIRMED}
    assert places(second) == {"Jeugd": WAITLISTED}


def test_a_registration_on_the_events_waiting_list_waits_for_its_sessions_too(programme):
    _jeugd, wonen, _middag = programme.sessions.order_by("starts_at", "room")
    for _ in range(3):
        register(programme)
    waiting = register(programme, sessions=[wonen])
    assert waiting.status == WAITLISTED and places(waiting) == {"Wonen": WAITLISTED}


def test_a_cancellation_frees_the_session_place_for_the_first_on_its_list(programme, now_mail):
    jeugd, wonen, _middag = programme.sessions.order_by("starts_at", "room")
    first = register(programme, sessions=[jeugd])
    second = register(programme, sessions=[jeugd])
    third = register(programme, sessions=[jeugd])
    mail.outbox.clear()
    with now_mail():
        services.registration_cancel(first)
    assert places(first) == {"Jeugd": CANCELLED}
    assert places(second) == {"Jeugd": CONFIRMED} and places(third) == {"Jeugd": WAITLISTED}
    assert kinds() == [(first.email, "cancelled"), (second.email, "moved_up")]
    assert f'data-session="{jeugd.pk}"' in mail.outbox[1].alternatives[0].content
    (entry,) = entries(second, LOG_PROMOTED)
    assert entry.data["session"] == jeugd.pk
    del wonen


def test_moving_up_to_the_event_also_gives_session_places_where_there_is_room(programme, now_mail):
    jeugd, wonen, middag = programme.sessions.order_by("starts_at", "room")
    holders = [register(programme, sessions=[middag]) for _ in range(3)]
    waiting = register(programme, sessions=[jeugd, middag])
    assert places(waiting) == {"Jeugd": WAITLISTED, "Middag": WAITLISTED}
    mail.outbox.clear()
    with now_mail():
        services.registration_cancel(holders[1])
    assert statuses(waiting) == [CONFIRMED]
    # Jeugd had room; Middag's one place went to the first holder.
    assert places(waiting) == {"Jeugd": CONFIRMED, "Middag": WAITLISTED}
    assert kinds()[-1] == (waiting.email, "moved_up")
    del wonen


def test_overlapping_or_unknown_sessions_are_refused(programme, g40):
    jeugd, wonen, middag = programme.sessions.order_by("starts_at", "room")
    with refused("sessions_overlap"):
        register(programme, sessions=[jeugd, wonen])
    other = event(sessions=[session(soon(40), "Elders")])
    with refused("unknown_session"):
        register(programme, sessions=[other.sessions.get()])
    assert Registration.objects.filter(event=programme).count() == 0
    del middag


# --- refusals and who may register -------------------------------------------------------------------

@pytest.mark.parametrize(("setup", "code"), [
    (lambda: event(status=EventStatus.DRAFT), "sign_in_required"),  # a draft is for the bureau only
    (lambda: event(status=EventStatus.CANCELLED), "event_cancelled"),
    (lambda: event(registration_required=False), "no_registration"),
    (lambda: event(days=-1), "event_started"),
    (lambda: event(registration_closes_at=timezone.now() - datetime.timedelta(hours=1)), "registration_closed"),
    (lambda: event(audience=Visibility.MEMBERS), "sign_in_required"),
])
def test_closed_registration_is_refused_with_its_code(g40, setup, code):
    with refused(code):
        register(setup())


def test_a_draft_is_not_open_even_to_the_bureau(g40, make_user):
    from stedennet.accounts.constants import Role

    with refused("not_published"):
        services.registration_create(event(status=EventStatus.DRAFT), user=make_user("bureau", Role.BUREAU),
                                     name="Bureau", email="bureau@example.org")


def test_an_event_that_started_is_refused_even_before_it_ends(g40):
    day = event(starts_at=timezone.now() - datetime.timedelta(hours=1), hours=5)
    with refused("event_started"):
        register(day)


@pytest.mark.parametrize(("name", "email", "code"), [
    ("", "a@example.org", "name_required"),
    ("A", "", "email_required"),
    ("A", "geen adres", "email_invalid"),
])
def test_who_registers_is_checked(g40, name, email, code):
    with refused(code) as caught:
        services.registration_create(event(), name=name, email=email)
    assert caught.error.field in ("name", "email")


def test_a_second_registration_of_the_same_address_names_the_first(g40):
    day = event(capacity=1)
    register(day)
    first = register(day, email="Dubbel@Example.org")  # waitlisted
    with refused("already_registered") as caught:
        register(day, email="dubbel@example.org")
    assert caught.error.registration == first and caught.error.field == "email"
    assert first.email == "Dubbel@example.org"  # the domain is normalised, the local part kept


@pytest.mark.parametrize(("audience", "allowed"), [
    (Visibility.PUBLIC, {"partner", "member", "body_member", "body_partner", "bureau"}),
    (Visibility.MEMBERS, {"member", "body_member", "bureau"}),
    (Visibility.MEMBERS_AND_PARTNERS, {"partner", "member", "body_member", "body_partner", "bureau"}),
    (Visibility.BODY, {"body_member", "body_partner", "bureau"}),
])
def test_the_audience_decides_who_may_register(g40_bodies, make_user, audience, allowed):
    users = viewers(make_user)
    day = event(audience=audience, body=body("themagroep-jeugd") if audience == Visibility.BODY else None)
    done = set()
    for role, user in users.items():
        person = getattr(user, "person", None)
        try:
            services.registration_create(day, user=user, person=person, name=user.username,
                                         email=f"{user.username}@example.org")
        except RegistrationRefused as error:
            assert error.code == "audience", (role, error.code)
        else:
            done.add(role)
    assert done == allowed


def test_a_signed_in_person_registers_as_their_person(g40_bodies, make_user):
    users = viewers(make_user)
    member = users["member"]
    registration = services.registration_create(event(audience=Visibility.MEMBERS), user=member,
                                                name="Iemand Anders", email="anders@example.org",
                                                organisation="Verzonnen", remarks="Vegetarisch")
    person = member.person
    assert (registration.person, registration.user) == (person, member)
    assert (registration.name, registration.email) == (person.name, person.email)
    assert registration.organisation == str(person.municipality) and registration.remarks == "Vegetarisch"


def test_the_same_person_is_refused_whatever_address_they_type(g40_bodies, make_user):
    member = viewers(make_user)["member"]
    day = event(audience=Visibility.MEMBERS)
    services.registration_create(day, user=member)
    with refused("already_registered"):
        services.registration_create(day, user=member)


def test_a_signed_in_user_without_a_person_gives_name_and_address(g40, make_user):
    from stedennet.accounts.constants import Role

    user = make_user("lid", Role.CIVIL_SERVANT)
    registration = services.registration_create(event(audience=Visibility.MEMBERS), user=user,
                                                email="lid@gemeente.example.nl")
    assert registration.name == "lid" and registration.person is None and registration.user == user


def test_the_audit_trail_of_a_registration(g40):
    day = event(capacity=1)
    registration = register(day)
    (entry,) = entries(registration, LOG_REGISTERED)
    assert entry.data["status"] == CONFIRMED and entry.data["event"] == day.pk


# --- cancelling --------------------------------------------------------------------------------------

def test_cancelling_twice_or_after_the_start_is_refused(g40):
    day = event()
    registration = register(day)
    services.registration_cancel(registration)
    with refused("already_cancelled"):
        services.registration_cancel(registration)
    started = event(starts_at=timezone.now() + datetime.timedelta(hours=1))
    other = register(started)
    with refused("event_started"):
        services.registration_cancel(other, now=timezone.now() + datetime.timedelta(hours=2))


# --- the event's status and SEQUENCE -----------------------------------------------------------------

def test_status_moves_by_the_transition_table(g40, now_mail):
    day = event(status=EventStatus.DRAFT)
    assert day.sequence == 0
    services.event_publish(day)
    assert day.status == EventStatus.PUBLISHED and day.sequence == 1
    registration = register(day)
    with refused("has_registrations"):
        services.event_status_set(day, EventStatus.DRAFT)
    mail.outbox.clear()
    with now_mail():
        services.event_status_set(day, EventStatus.CANCELLED)
    day.refresh_from_db()
    assert day.status == EventStatus.CANCELLED and day.sequence == 2
    assert kinds() == [(registration.email, "event_cancelled")]
    with refused("transition_not_allowed"):
        services.event_status_set(day, EventStatus.PUBLISHED)
    assert [entry.data for entry in entries(day, LOG_STATUS)] == [
        {"from": "draft", "to": "published"}, {"from": "published", "to": "cancelled"}]


def test_a_change_of_time_or_place_raises_the_sequence_and_keeps_the_uid(g40):
    day = event()
    uid, sequence = day.uid, day.sequence
    day.capacity = 99
    services.event_update(day)
    assert day.sequence == sequence
    day.starts_at += datetime.timedelta(hours=1)
    services.event_update(day)
    assert (day.uid, day.sequence) == (uid, sequence + 1)
    day.venue = "Elders"
    services.event_update(day)
    day.refresh_from_db()
    assert (day.uid, day.sequence) == (uid, sequence + 2)


def test_the_status_does_not_change_by_editing(g40):
    day = event()
    day.status = EventStatus.DRAFT
    with refused("status_fixed"):
        services.event_update(day)


def test_reserved_slugs_and_body_audience_are_checked(g40_bodies):
    with refused("slug_reserved"):
        event(slug="archief")
    with refused("body_required"):
        event(audience=Visibility.BODY)
    assert event("Archief").slug == "archief-evenement"


# --- reminders -----------------------------------------------------------------------------------------

def test_the_reminder_goes_once_to_those_with_a_place_when_it_is_due(g40, now_mail):
    start = soon(10, 10)
    day = event(starts_at=start, capacity=2, reminder_days=2)
    early = timezone.now()
    confirmed = register(day, now=early)
    cancelled = register(day, now=early)
    waiting = register(day, now=early)
    services.registration_cancel(cancelled)  # moves `waiting` up: it then has a place
    last = register(day, now=early)  # waitlisted
    mail.outbox.clear()
    due = services.remind_from(day)
    assert due == timezone.make_aware(datetime.datetime.combine(start.date() - datetime.timedelta(days=2),
                                                                datetime.time.min))
    with now_mail():
        assert services.events_remind(due - datetime.timedelta(minutes=1)).total == 0
        run = services.events_remind(due + datetime.timedelta(hours=8))
    # `waiting` moved up now (at the cancellation), before the reminder day: reminded too.
    assert sorted(run.sent[day.pk]) == sorted([confirmed.pk, waiting.pk])
    assert sorted(kinds()) == sorted([(confirmed.email, "reminder"), (waiting.email, "reminder")])
    with now_mail():
        assert services.events_remind(due + datetime.timedelta(hours=9)).total == 0
    assert len(mail.outbox) == 2
    assert Registration.objects.get(pk=confirmed.pk).reminder_sent_at is not None
    assert Registration.objects.get(pk=last.pk).reminder_sent_at is None
    day.refresh_from_db()
    assert day.reminder_sent_at is not None


def test_no_reminder_for_a_place_given_after_the_reminder_day_began_nor_when_switched_off(g40):
    day = event(starts_at=soon(3, 10), reminder_days=2)
    late = register(day, now=services.remind_from(day) + datetime.timedelta(hours=1))
    off = event(starts_at=soon(3, 10), reminder_days=0)
    register(off, now=timezone.now())
    assert services.events_remind(services.remind_from(day) + datetime.timedelta(hours=2)).total == 0
    assert Registration.objects.get(pk=late.pk).reminder_sent_at is None


def test_a_registration_claimed_by_another_run_is_not_sent_again(g40):
    day = event(starts_at=soon(3, 10), reminder_days=2)
    registration = register(day, now=timezone.now() - datetime.timedelta(days=3))
    Registration.objects.filter(pk=registration.pk).update(reminder_sent_at=timezone.now())  # the other run
    mail.outbox.clear()
    assert services.events_remind(services.remind_from(day) + datetime.timedelta(hours=1)).total == 0
    assert mail.outbox == []


def test_the_remind_command(g40, capsys):
    from django.core.management import call_command

    day = event("Herinnerdag", starts_at=soon(3, 10), reminder_days=2)
    register(day, now=timezone.now() - datetime.timedelta(days=3))
    moment = (services.remind_from(day) + datetime.timedelta(hours=1)).isoformat()
    call_command("events", "remind", "--now", moment)
    assert "Herinnerdag: 1 reminder(s) sent" in capsys.readouterr().out
    call_command("events", "remind", "--now", moment)
    assert "0 reminder(s) sent" in capsys.readouterr().out


def test_the_remind_task(g40):
    from stedennet.events.tasks import events_remind_task

    day = event(starts_at=soon(3, 10), reminder_days=2)
    registration = register(day, now=timezone.now() - datetime.timedelta(days=3))
    result = events_remind_task.call((services.remind_from(day) + datetime.timedelta(hours=1)).isoformat())
    assert result == {"sent": {str(day.pk): [registration.pk]}, "total": 1}


# --- concurrency (PostgreSQL) ----------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_registrations_racing_for_the_last_place(g40):
    if connection.vendor != "postgresql":
        pytest.skip("row locks (SELECT … FOR UPDATE) are tested on PostgreSQL")
    day = event(capacity=2)
    register(day)
    results, errors = {}, []
    started = threading.Barrier(3)

    def attempt(name: str) -> None:
        try:
            started.wait()
            results[name] = register(day, name=name, email=f"{name}@example.org").status
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(name,)) for name in ("een", "twee")]
    # Hold the event's lock while both start: without the service's own lock they would both
    # count one place free and both take it.
    with transaction.atomic():
        Event.objects.select_for_update().get(pk=day.pk)
        for thread in threads:
            thread.start()
        started.wait()
        threading.Event().wait(0.5)
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    assert sorted(results.values()) == [CONFIRMED, WAITLISTED]
    assert Registration.objects.filter(event=day, status=CONFIRMED).count() == 2
