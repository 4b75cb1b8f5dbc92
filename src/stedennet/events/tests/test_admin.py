"""Events in the back office: only the bureau gets in (every URL, for anonymous visitors, members
and editors); events are created as drafts with their programme inline, edited with the rules of
the form (times, a session's place within the event, no deleting a session people hold a place
in), their status moved only by the transitions; the registrations page and the listing take a
fixed number of queries; the check-in page answers with the outcome's code, as a page and as an
htmx fragment."""

import datetime
import re

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import ModelLogEntry

from stedennet.accounts.constants import Role
from stedennet.events.constants import LOG_STATUS, EventStatus, RegistrationStatus
from stedennet.events.models import Event, Registration, Session
from stedennet.events.tests.test_checkin import DAY, make_event, register

EVENTS = "/admin/snippets/events/event/"


def urls_of(event: Event, registration: Registration) -> list[str]:
    return [
        EVENTS, f"{EVENTS}add/", f"{EVENTS}edit/{event.pk}/",
        f"/admin/events/{event.pk}/registrations/", f"/admin/events/{event.pk}/attendees.csv",
        f"/admin/events/{event.pk}/attendees.xlsx", f"/admin/events/{event.pk}/status/",
        f"/admin/events/{event.pk}/check-in/", f"/admin/events/registrations/{registration.pk}/cancel/",
    ]


@pytest.fixture
def bureau_user(make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def bureau(back_office_login, client, bureau_user):
    back_office_login(client, bureau_user)
    return client


@pytest.fixture
def event(db):
    return make_event()


def entries(instance, action: str) -> list[ModelLogEntry]:
    return list(ModelLogEntry.objects.filter(content_type=ContentType.objects.get_for_model(instance),
                                             object_id=str(instance.pk), action=action))


def dt(value: datetime.datetime) -> str:
    """As Wagtail's date-time widget sends it (local time)."""
    from django.utils import timezone

    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def event_data(*, sessions=(), initial: int = 0, **changes) -> dict:
    data = {
        "title": "Kennisdag Jeugd", "slug": "", "kind": "knowledge_day", "summary": "Over jeugdzorg.",
        "starts_at": dt(DAY), "ends_at": dt(DAY + datetime.timedelta(hours=7)),
        "venue": "Stadhuis Deventer", "address": "Grote Kerkhof 1, Deventer", "online_url": "",
        "audience": "members", "body": "", "organiser": "", "registration_required": "on", "capacity": "80",
        "registration_closes_at": "", "reminder_days": "2",
        "sessions-TOTAL_FORMS": str(len(sessions)), "sessions-INITIAL_FORMS": str(initial),
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000",
    }
    for number, session in enumerate(sessions):
        for key, value in session.items():
            data[f"sessions-{number}-{key}"] = value
    data.update(changes)
    return data


def session_data(title: str, start_hours: float, *, pk: int | str = "", delete: bool = False, **changes) -> dict:
    start = DAY + datetime.timedelta(hours=start_hours)
    data = {"id": str(pk), "title": title, "starts_at": dt(start), "ends_at": dt(start + datetime.timedelta(hours=1)),
            "room": "Raadzaal", "capacity": "", "speakers": "", "group": "", "description": ""}
    if delete:
        data["DELETE"] = "1"
    data.update(changes)
    return data


def form_errors(response) -> dict:
    form = response.context["form"]
    errors = {name: [e.code for e in errs] for name, errs in form.errors.as_data().items()}
    for number, child in enumerate(form.formsets["sessions"].forms):
        for name, errs in child.errors.as_data().items():
            errors[f"sessions-{number}-{name}"] = [e.code for e in errs]
    return errors


# --- who gets in ------------------------------------------------------------------------------------

def test_the_bureau_opens_every_events_page(bureau, event):
    registration = register(event, "Anna de Vries", sessions=["Woningbouw"])
    for url in urls_of(event, registration):
        assert bureau.get(url).status_code == 200, url
    html = bureau.get(EVENTS).content.decode()
    assert event.title in html and f'href="/admin/events/{event.pk}/registrations/"' in html
    assert f'href="/admin/events/{event.pk}/check-in/"' in html
    assert bureau.get(f"{EVENTS}delete/{event.pk}/").status_code in (302, 403, 404)
    assert Event.objects.filter(pk=event.pk).exists()
    assert '"/admin/snippets/events/event/"' in bureau.get("/admin/").content.decode()  # in the menu


def test_others_are_refused_every_events_page(back_office_login, client, make_user, event):
    anna = register(event, "Anna de Vries")
    urls = urls_of(event, anna)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    for url in urls:
        response = client.get(url)
        if url.startswith("/admin/snippets/"):  # Wagtail's own views send them to the dashboard
            assert response.status_code == 302 and response["Location"] == "/admin/", url
        else:  # ours answer 403
            assert response.status_code == 403, url
    assert client.post(f"/admin/events/{event.pk}/check-in/", {"code": anna.code}).status_code == 403
    assert client.post(f"/admin/events/{event.pk}/status/", {"status": EventStatus.CANCELLED}).status_code == 403
    assert client.post(f"/admin/events/registrations/{anna.pk}/cancel/").status_code == 403
    assert client.post(f"{EVENTS}add/", event_data(title="X")).status_code in (302, 403)
    anna.refresh_from_db()
    event.refresh_from_db()
    assert anna.checked_in_at is None and anna.status == RegistrationStatus.CONFIRMED
    assert event.status == EventStatus.PUBLISHED and not Event.objects.filter(title="X").exists()
    assert '"/admin/snippets/events/event/"' not in client.get("/admin/").content.decode()


def test_pages_of_an_event_that_does_not_exist_are_404(bureau):
    for url in ["/admin/events/999999/registrations/", "/admin/events/999999/check-in/",
                "/admin/events/999999/attendees.csv", "/admin/events/registrations/999999/cancel/"]:
        assert bureau.get(url).status_code == 404, url


# --- creating and editing ------------------------------------------------------------------------------

def test_the_bureau_creates_a_draft_event_with_its_programme(bureau, bureau_user, g40_bodies):
    response = bureau.post(f"{EVENTS}add/", event_data(sessions=[session_data("Opening", 0.5),
                                                                 session_data("Jeugdzorg in de regio", 2)]))
    assert response.status_code == 302, form_errors(response)
    event = Event.objects.get(title="Kennisdag Jeugd")
    assert event.status == EventStatus.DRAFT and event.slug == "kennisdag-jeugd"
    assert event.uid.startswith("event-") and event.uid.endswith("@stedennet") and event.capacity == 80
    assert list(event.sessions.order_by("starts_at").values_list("title", flat=True)) == [
        "Opening", "Jeugdzorg in de regio"]
    assert [entry.user for entry in entries(event, "wagtail.create")] == [bureau_user]
    # A second event of the same title gets its own slug and UID.
    assert bureau.post(f"{EVENTS}add/", event_data()).status_code == 302
    second = Event.objects.exclude(pk=event.pk).get(title="Kennisdag Jeugd")
    assert second.slug == "kennisdag-jeugd-2" and second.uid != event.uid


@pytest.mark.parametrize(("changes", "sessions", "expected"), [
    ({"ends_at": dt(DAY - datetime.timedelta(hours=1))}, [], {"ends_at": ["ends_before_start"]}),
    ({"audience": "body"}, [], {"body": ["body_required"]}),
    ({"slug": "archief"}, [], {"slug": ["slug_reserved"]}),  # refused by services.event_create
    ({"registration_closes_at": dt(DAY + datetime.timedelta(hours=1))}, [],
     {"registration_closes_at": ["closes_after_start"]}),
    ({}, [session_data("Te laat", 8)], {"sessions-0-starts_at": ["session_outside_event"]}),
    ({}, [session_data("Omgekeerd", 1, ends_at=dt(DAY))], {"sessions-0-ends_at": ["session_ends_before_start"]}),
])
def test_bad_event_input_is_an_error_on_its_field(bureau, db, changes, sessions, expected):
    response = bureau.post(f"{EVENTS}add/", event_data(sessions=sessions, **changes))
    assert response.status_code == 200
    errors = form_errors(response)
    for field, codes in expected.items():
        assert errors.get(field) == codes, errors
    assert not Event.objects.exists()


def test_editing_keeps_the_status_and_raises_the_calendar_sequence(bureau, event):
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    url = f"{EVENTS}edit/{event.pk}/"
    form = bureau.get(url).context["form"]
    assert "status" not in form.fields and "uid" not in form.fields and "sequence" not in form.fields
    sessions = [session_data(s.title, (s.starts_at - DAY).total_seconds() / 3600, pk=s.pk, room=s.room)
                for s in (woningbouw, betaalbaarheid)]
    data = event_data(sessions=sessions, initial=2, title=event.title, slug=event.slug, venue=event.venue,
                      address="", summary="", capacity="50", status=EventStatus.CANCELLED)
    response = bureau.post(url, data)
    assert response.status_code == 302, form_errors(response)
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.sequence == 0  # nothing a calendar shows changed
    response = bureau.post(url, {**data, "venue": "Theater Deventer"})
    assert response.status_code == 302, form_errors(response)
    event.refresh_from_db()
    assert event.venue == "Theater Deventer" and event.sequence == 1
    sessions[1]["room"] = "Zaal 9"
    assert bureau.post(url, {**data, "venue": "Theater Deventer", **{
        f"sessions-1-{key}": value for key, value in sessions[1].items()}}).status_code == 302
    event.refresh_from_db()
    assert event.sequence == 2 and Session.objects.get(pk=betaalbaarheid.pk).room == "Zaal 9"


def test_a_session_people_hold_a_place_in_cannot_be_deleted(bureau, event):
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    register(event, "Anna de Vries", sessions=[woningbouw])
    url = f"{EVENTS}edit/{event.pk}/"
    sessions = [session_data(woningbouw.title, 1, pk=woningbouw.pk, delete=True),
                session_data(betaalbaarheid.title, 3, pk=betaalbaarheid.pk)]
    data = event_data(sessions=sessions, initial=2, title=event.title, slug=event.slug, capacity="50")
    response = bureau.post(url, data)
    assert response.status_code == 200
    assert form_errors(response)["__all__"] == ["session_has_places"]
    assert event.sessions.count() == 2
    # A session without places may go.
    sessions = [session_data(woningbouw.title, 1, pk=woningbouw.pk),
                session_data(betaalbaarheid.title, 3, pk=betaalbaarheid.pk, delete=True)]
    response = bureau.post(url, event_data(sessions=sessions, initial=2, title=event.title, slug=event.slug))
    assert response.status_code == 302, form_errors(response)
    assert list(event.sessions.values_list("pk", flat=True)) == [woningbouw.pk]


# --- status -----------------------------------------------------------------------------------------

def test_the_status_moves_only_by_the_transitions(bureau, bureau_user):
    event = make_event(status=EventStatus.DRAFT)
    url = f"/admin/events/{event.pk}/status/"
    choices = [value for value, _label in bureau.get(url).context["form"].fields["status"].choices]
    assert choices == [EventStatus.PUBLISHED]
    response = bureau.post(url, {"status": EventStatus.CANCELLED})
    assert response.status_code == 200 and "status" in response.context["form"].errors
    assert bureau.post(url, {"status": EventStatus.PUBLISHED}).status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.PUBLISHED and event.sequence == 1
    [entry] = entries(event, LOG_STATUS)
    assert entry.user == bureau_user and entry.data["to"] == EventStatus.PUBLISHED

    register(event, "Anna de Vries")
    response = bureau.post(url, {"status": EventStatus.DRAFT})
    assert response.status_code == 200
    assert [e.code for e in response.context["form"].errors.as_data()["status"]] == ["has_registrations"]
    assert bureau.post(url, {"status": EventStatus.CANCELLED}).status_code == 302
    event.refresh_from_db()
    assert event.status == EventStatus.CANCELLED
    assert bureau.get(url).context["form"].fields["status"].choices == []


# --- registrations ---------------------------------------------------------------------------------

def test_the_registrations_page_shows_who_and_the_attendance(bureau, bureau_user, event):
    from stedennet.events.checkin import check_in

    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    anna = register(event, "Anna de Vries", sessions=[woningbouw, betaalbaarheid], organisation="Gemeente Zwolle")
    bram = register(event, "Bram Jansen", status=RegistrationStatus.WAITLISTED, sessions=[betaalbaarheid])
    carla = register(event, "Carla Smit", status=RegistrationStatus.CANCELLED)
    check_in(event, anna.code, by=bureau_user, session=woningbouw)
    url = f"/admin/events/{event.pk}/registrations/"
    html = bureau.get(url).content.decode()
    rows = re.findall(r'<tr data-registration="(\d+)" data-status="(\w+)"', html)
    assert rows == [(str(anna.pk), "confirmed"), (str(bram.pk), "waitlisted"), (str(carla.pk), "cancelled")]
    assert "Gemeente Zwolle" in html and f'data-session="{woningbouw.pk}" data-status="confirmed"' in html
    assert re.search(r'data-count="confirmed">1 / 50<', html) and re.search(r'data-count="checked_in">1<', html)
    session_rows = re.search(r'data-testid="session-attendance".*?</table>', html, re.S).group(0)
    assert re.search(rf'<tr data-session="{woningbouw.pk}">.*?data-count="checked_in">1<', session_rows, re.S)
    assert re.search(rf'<tr data-session="{betaalbaarheid.pk}">.*?data-count="waitlisted">1<', session_rows, re.S)
    assert html.count('data-testid="cancel-link"') == 2  # not for the cancelled one
    waiting = bureau.get(url, {"status": RegistrationStatus.WAITLISTED}).content.decode()
    assert re.findall(r'<tr data-registration="(\d+)"', waiting) == [str(bram.pk)]


def test_the_registrations_page_takes_a_fixed_number_of_queries(bureau, event):
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    register(event, "Anna de Vries", sessions=[woningbouw])
    url = f"/admin/events/{event.pk}/registrations/"
    bureau.get(url)  # warm the caches a running server has
    with CaptureQueriesContext(connection) as few:
        assert bureau.get(url).status_code == 200
    for number in range(30):
        register(event, f"Deelnemer {number}", sessions=[woningbouw, betaalbaarheid],
                 status=RegistrationStatus.WAITLISTED if number % 3 == 0 else RegistrationStatus.CONFIRMED)
    with CaptureQueriesContext(connection) as many:
        html = bureau.get(url).content.decode()
    assert html.count("<tr data-registration=") == 31
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_event_listing_takes_a_fixed_number_of_queries(bureau, event):
    register(event, "Anna de Vries")
    bureau.get(EVENTS)
    with CaptureQueriesContext(connection) as few:
        assert bureau.get(EVENTS).status_code == 200
    for number in range(8):
        other = make_event(f"Netwerkdag {number}", starts_at=DAY + datetime.timedelta(days=number + 1), capacity=10)
        for person in range(3):
            register(other, f"Deelnemer {number}-{person}",
                     status=RegistrationStatus.WAITLISTED if person == 2 else RegistrationStatus.CONFIRMED)
    with CaptureQueriesContext(connection) as many:
        html = bureau.get(EVENTS).content.decode()
    assert "Netwerkdag 7" in html and "2 / 10" in html
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_bureau_cancels_a_registration_for_someone(bureau, bureau_user, event):
    services = pytest.importorskip("stedennet.events.services")
    if not hasattr(services, "registration_cancel"):
        pytest.skip("registration_cancel is not written yet")
    anna = register(event, "Anna de Vries")
    url = f"/admin/events/registrations/{anna.pk}/cancel/"
    assert bureau.get(url).status_code == 200
    response = bureau.post(url)
    assert response.status_code == 302 and response["Location"] == f"/admin/events/{event.pk}/registrations/"
    anna.refresh_from_db()
    assert anna.status == RegistrationStatus.CANCELLED
    assert "cancelled" in [message.extra_tags for message in get_messages(response.wsgi_request)]
    assert 'data-testid="already-cancelled"' in bureau.get(url).content.decode()


# --- check-in over HTTP --------------------------------------------------------------------------------

def outcome(html: str) -> str:
    return re.search(r'data-outcome="([a-z_]+)"', html).group(1)


def test_the_check_in_page_answers_with_the_outcome(bureau, bureau_user, event):
    woningbouw, _betaalbaarheid = event.sessions.order_by("starts_at")
    anna = register(event, "Anna de Vries", sessions=[woningbouw], organisation="Gemeente Zwolle")
    url = f"/admin/events/{event.pk}/check-in/"
    page = bureau.get(url).content.decode()
    assert 'name="code"' in page and "jsqr/jsQR.js" in page and "events/checkin.js" in page
    assert 'name="session"' in page and f'value="{woningbouw.pk}"' in page

    typed = f" {anna.code[:4].lower()} {anna.code[4:].lower()} "
    html = bureau.post(url, {"code": typed, "session": ""}).content.decode()
    assert outcome(html) == "checked_in" and "Anna de Vries" in html and "Gemeente Zwolle" in html
    assert re.search(r'name="code"[^>]*>', html) and f'value="{typed}"' not in html  # emptied for the next
    assert 'data-checked-in="1"' in html and "<!DOCTYPE html>" in html  # without JavaScript: the whole page
    anna.refresh_from_db()
    assert anna.checked_in_by == bureau_user

    # By htmx: the fragment only, with the counts out of band.
    fragment = bureau.post(url, {"code": anna.code}, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in fragment and outcome(fragment) == "already"
    assert 'data-testid="checkin-already"' in fragment and 'data-hx-swap-oob="true"' in fragment
    assert bureau_user.get_username() in fragment

    other = make_event("Netwerkdag Economie")
    bram = register(other, "Bram Jansen")
    html = bureau.post(url, {"code": bram.code}, headers={"HX-Request": "true"}).content.decode()
    assert outcome(html) == "other_event" and f'data-event="{other.pk}"' in html and other.title in html
    assert outcome(bureau.post(url, {"code": "ZZZZ2222"}).content.decode()) == "unknown"
    carla = register(event, "Carla Smit", status=RegistrationStatus.CANCELLED)
    assert outcome(bureau.post(url, {"code": carla.code}).content.decode()) == "cancelled"
    dirk = register(event, "Dirk Bakker", status=RegistrationStatus.WAITLISTED)
    assert outcome(bureau.post(url, {"code": dirk.code}).content.decode()) == "waitlisted"


def test_a_session_check_in_over_http(bureau, event):
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    anna = register(event, "Anna de Vries", sessions=[woningbouw])
    url = f"/admin/events/{event.pk}/check-in/"
    page = bureau.get(url, {"session": woningbouw.pk}).content.decode()
    assert re.search(rf'<option value="{woningbouw.pk}" selected>', page)  # a room's page to bookmark
    assert bureau.get(url, {"session": "zaal"}).status_code == 200
    html = bureau.post(url, {"code": anna.code, "session": betaalbaarheid.pk}).content.decode()
    assert outcome(html) == "not_in_session"
    html = bureau.post(url, {"code": anna.code, "session": woningbouw.pk}).content.decode()
    assert outcome(html) == "checked_in"
    assert re.search(rf'<option value="{woningbouw.pk}" selected>', html)  # the same session for the next one
    attendance = re.search(rf'data-testid="attendance-session" data-session="{woningbouw.pk}">.*?</tr>', html, re.S)
    assert 'data-count="checked_in">1<' in attendance.group(0)


def test_an_empty_code_is_a_form_error(bureau, event):
    response = bureau.post(f"/admin/events/{event.pk}/check-in/", {"code": ""})
    assert response.status_code == 200 and "code" in response.context["form"].errors
    assert 'data-outcome=' not in response.content.decode()


def test_the_audit_trail_names_the_check_ins(back_office_login, client, make_user, bureau_user, event):
    """The site history (Wagtail's report) shows the events' own actions by their registered names."""
    from stedennet.events.checkin import check_in

    anna = register(event, "Anna de Vries")
    check_in(event, anna.code, by=bureau_user)
    back_office_login(client, make_user("beheer", superuser=True))
    response = client.get("/admin/reports/site-history/")
    assert response.status_code == 200
    assert "Anna de Vries" in response.content.decode()
    assert client.get(f"/admin/snippets/events/event/history/{event.pk}/").status_code == 200
