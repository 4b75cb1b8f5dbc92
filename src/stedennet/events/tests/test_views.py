"""The public pages of events: who sees which event (anonymous, partner, member, body member,
bureau × audiences, drafts), the list and the archive (kinds, a fixed number of queries), the
event page (programme, places, photo reports), registering through the form (anonymous and
signed in, full → waiting list, twice), the registrant's page (QR code, headers) and cancelling
(confirm step, POST with CSRF)."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stedennet.events import services
from stedennet.events.constants import EventKind, EventStatus, RegistrationStatus
from stedennet.events.models import PhotoReportPage, Registration
from stedennet.events.tests.factories import body, event, register, session, soon, viewers
from stedennet.governance.models import Visibility

ROLES = ("anonymous", "partner", "member", "body_member", "body_partner", "bureau")


def html(response) -> str:
    return response.content.decode()


def listed_slugs(response, name: str) -> list[str]:
    return re.findall(rf'data-testid="{name}" data-slug="([^"]+)"', html(response))


@pytest.fixture
def users(g40_bodies, make_user):
    return viewers(make_user)


def client_for(users, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


@pytest.fixture
def audiences(users):
    jeugd = body("themagroep-jeugd")
    return {
        "public": event("Openbaar", audience=Visibility.PUBLIC),
        "members": event("Leden", audience=Visibility.MEMBERS),
        "members_partners": event("Leden en partners", audience=Visibility.MEMBERS_AND_PARTNERS),
        "body": event("Themagroep", audience=Visibility.BODY, body=jeugd),
        "draft": event("Concept", status=EventStatus.DRAFT),
    }


SEES = {
    "anonymous": {"public"},
    "partner": {"public", "members_partners"},
    "member": {"public", "members", "members_partners"},
    "body_member": {"public", "members", "members_partners", "body"},
    "body_partner": {"public", "members_partners", "body"},
    "bureau": {"public", "members", "members_partners", "body", "draft"},
}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_which_event(users, audiences, role):
    client = client_for(users, role)
    listed = set(listed_slugs(client.get(reverse("events:event_list")), "event"))
    assert listed == {audiences[name].slug for name in SEES[role]}
    for name, found in audiences.items():
        response = client.get(found.get_absolute_url())
        if name in SEES[role]:
            assert response.status_code == 200, (role, name)
        elif role == "anonymous":
            assert response.status_code == 302 and "next=" in response["Location"], name
        else:
            assert response.status_code == 404, (role, name)


def test_an_unknown_event_for_anonymous_asks_to_sign_in_as_a_hidden_one_does(client, g40):
    response = client.get(reverse("events:event", kwargs={"slug": "bestaat-niet"}))
    assert response.status_code == 302 and "next=" in response["Location"]


def test_the_list_filters_by_kind_and_links_the_archive(client, g40):
    knowledge = event("Kennis", kind=EventKind.KNOWLEDGE_DAY)
    network = event("Netwerk", kind=EventKind.NETWORK_DAY)
    past = event("Voorbij", days=-10)
    response = client.get(reverse("events:event_list"), {"soort": EventKind.NETWORK_DAY})
    assert listed_slugs(response, "event") == [network.slug]
    assert set(listed_slugs(client.get(reverse("events:event_list"), {"soort": "onzin"}), "event")) == {
        knowledge.slug, network.slug}
    assert 'data-testid="archive-link"' in html(response)
    assert listed_slugs(client.get(reverse("events:archive")), "event") == [past.slug]


def test_the_list_says_places_left_and_full(client, g40):
    full = event("Vol", capacity=1)
    register(full)
    roomy = event("Ruim", capacity=10)
    page = html(client.get(reverse("events:event_list")))
    assert f'data-slug="{full.slug}" data-kind="knowledge_day" data-status="published" data-audience="public" ' \
           f'data-places-left="0"' in page
    assert f'data-slug="{roomy.slug}" data-kind="knowledge_day" data-status="published" data-audience="public" ' \
           f'data-places-left="10"' in page


def _grow(count: int) -> None:
    for number in range(count):
        grown = event(f"Extra {number}", capacity=5, sessions=[session(soon(40 + number), "Sessie")])
        register(grown)
        event(f"Voorbij {number}", days=-20 - number)


@pytest.mark.parametrize("role", ["anonymous", "body_member"])
def test_list_and_archive_take_the_same_queries_whatever_the_data(users, role, django_assert_max_num_queries):
    client = client_for(users, role)
    event("Eerste")
    event("Eerder", days=-5)
    counts = {}
    for name in ("events:event_list", "events:archive"):
        client.get(reverse(name))  # warm caches (content types, site)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(name)).status_code == 200
        counts[name] = len(queries)
    _grow(6)
    for name, count in counts.items():
        with django_assert_max_num_queries(count):
            client.get(reverse(name))


# --- the event page -------------------------------------------------------------------------------

@pytest.fixture
def day(g40_bodies):
    start = soon(30, 10)
    return event("Kennisdag", capacity=2, venue="Stadhuis", address="Plein 1, Zwolle",
                 online_url="https://meet.example.org/kennisdag", sessions=[
                     session(start, "Jeugd", group=body("themagroep-jeugd"), capacity=1, room="Zaal 1",
                             speakers="Spreker Een"),
                     session(start + datetime.timedelta(hours=2), "Wonen", room="Zaal 2")])


def test_the_event_page_shows_programme_place_audience_and_places(client, day):
    page = html(client.get(day.get_absolute_url()))
    assert page.count('data-testid="session"') == 2
    assert "Spreker Een" in page and "Zaal 1" in page and "Themagroep Jeugd" in page
    assert 'data-testid="address"' in page and 'href="https://meet.example.org/kennisdag"' in page
    assert 'data-audience="public"' in page
    assert 'data-places-left="2" data-full="false"' in page
    assert 'data-testid="registration-form"' in page
    assert 'data-testid="event-ical"' in page


def test_a_full_event_says_so_and_offers_the_waiting_list(client, day):
    register(day)
    register(day)
    page = html(client.get(day.get_absolute_url()))
    assert 'data-places-left="0" data-full="true"' in page and 'data-testid="full-notice"' in page


def test_the_event_page_links_its_live_photo_reports(client, day):
    from stedennet.site.services import home_page_ensure

    home = home_page_ensure()
    live = home.add_child(instance=PhotoReportPage(title="Foto's van de kennisdag", slug="fotos-kennisdag",
                                                   event=day))
    draft = home.add_child(instance=PhotoReportPage(title="Nog niet klaar", slug="concept-fotos", event=day,
                                                    live=False))
    page = html(client.get(day.get_absolute_url()))
    assert 'data-testid="photo-report"' in page and live.title.replace("'", "&#x27;") in page
    assert draft.title not in page


def test_a_closed_or_cancelled_event_has_no_form(client, g40):
    closed = event("Gesloten", registration_closes_at=timezone.now() - datetime.timedelta(minutes=1))
    cancelled = event("Afgelast", status=EventStatus.CANCELLED)
    assert 'data-reason="closed"' in html(client.get(closed.get_absolute_url()))
    page = html(client.get(cancelled.get_absolute_url()))
    assert 'data-reason="cancelled"' in page and 'data-testid="cancelled-notice"' in page
    assert 'data-testid="registration-form"' not in page


# --- registering through the form ------------------------------------------------------------------

def test_an_anonymous_visitor_registers_for_a_public_event(client, day, django_capture_on_commit_callbacks,
                                                          mailoutbox):
    jeugd = day.sessions.get(title="Jeugd")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(day.get_absolute_url(), {
            "name": "Anna", "email": "anna@example.org", "organisation": "Gemeente Zwolle",
            "sessions": [jeugd.pk], "remarks": "Vegetarisch"})
    registration = Registration.objects.get(event=day)
    assert response.status_code == 302 and response["Location"] == registration.get_absolute_url()
    assert (registration.name, registration.status) == ("Anna", RegistrationStatus.CONFIRMED)
    assert list(registration.sessions.values_list("session__title", "status")) == [("Jeugd", "confirmed")]
    assert [message.to for message in mailoutbox] == [["anna@example.org"]]


def test_the_same_address_twice_is_refused_on_the_form(client, day):
    register(day, email="anna@example.org")
    response = client.post(day.get_absolute_url(),
                           {"name": "Anna", "email": "ANNA@example.org"})
    assert response.status_code == 200 and 'data-testid="error-email"' in html(response)
    assert Registration.objects.filter(event=day).count() == 1


def test_a_bad_form_shows_its_errors(client, day):
    response = client.post(day.get_absolute_url(), {"name": "", "email": "x"})
    assert 'data-testid="error-name"' in html(response) and 'data-testid="error-email"' in html(response)
    assert not Registration.objects.exists()


def test_anonymous_cannot_register_for_a_members_event(client, users):
    members = event("Leden", audience=Visibility.MEMBERS)
    response = client.post(members.get_absolute_url(),
                           {"name": "A", "email": "a@example.org"})
    assert response.status_code == 302 and "next=" in response["Location"]
    assert not Registration.objects.exists()


def test_a_signed_in_member_registers_as_their_person_and_lands_on_the_waiting_list(users, day):
    register(day)
    register(day)
    client = client_for(users, "member")
    form = html(client.get(day.get_absolute_url()))
    assert 'data-testid="registering-as"' in form and 'name="email"' not in form
    response = client.post(day.get_absolute_url(), {})
    registration = Registration.objects.get(event=day, person=users["member"].person)
    assert registration.status == RegistrationStatus.WAITLISTED
    assert response["Location"] == registration.get_absolute_url()
    page = html(client.get(day.get_absolute_url()))
    assert 'data-testid="my-registration" data-status="waitlisted"' in page
    # Again: to their own page, with a message.
    again = client.post(day.get_absolute_url(), {}, follow=True)
    assert again.redirect_chain[-1][0] == registration.get_absolute_url()
    assert 'data-code="already_registered"' in html(again)


def test_the_form_needs_csrf(day):
    client = Client(enforce_csrf_checks=True)
    response = client.post(day.get_absolute_url(),
                           {"name": "A", "email": "a@example.org"})
    assert response.status_code == 403 and not Registration.objects.exists()


# --- the registrant's page and cancelling ----------------------------------------------------------

def test_the_registrants_page_with_qr_code_and_private_headers(client, day):
    registration = register(day, sessions=[day.sessions.get(title="Jeugd")])
    response = client.get(registration.get_absolute_url())
    page = html(response)
    assert response["Cache-Control"] == "private, no-store" and response["Referrer-Policy"] == "same-origin"
    assert 'data-status="confirmed"' in page and f'data-code="{registration.code}"' in page
    assert re.search(r'<svg role="img" aria-label="[^"]+"[^>]*class="events-qr"', page)
    assert 'data-testid="my-session"' in page and 'data-testid="cancel-link"' in page
    assert reverse("events:registration_ical", kwargs={"token": registration.token}) in page


def test_a_waitlisted_registrant_sees_no_qr_code(client, day):
    register(day)
    register(day)
    waiting = register(day)
    page = html(client.get(waiting.get_absolute_url()))
    assert 'data-status="waitlisted"' in page and "<svg" not in page and waiting.code not in page


def test_an_unknown_token_is_404(client, g40):
    assert client.get(reverse("events:registration", kwargs={"token": "onbekend"})).status_code == 404
    assert client.get(reverse("events:registration_cancel", kwargs={"token": "onbekend"})).status_code == 404


def test_cancelling_asks_first_then_cancels_on_post_and_moves_the_next_up(day, django_capture_on_commit_callbacks,
                                                                          mailoutbox):
    holder, _second, waiting = register(day), register(day), register(day)
    client = Client(enforce_csrf_checks=True)
    confirm = client.get(reverse("events:registration_cancel", kwargs={"token": holder.token}))
    assert confirm.status_code == 200 and 'data-testid="cancel-form"' in html(confirm)
    assert Registration.objects.get(pk=holder.pk).status == RegistrationStatus.CONFIRMED  # a GET changes nothing
    assert client.post(reverse("events:registration_cancel", kwargs={"token": holder.token})).status_code == 403
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html(confirm)).group(1)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("events:registration_cancel", kwargs={"token": holder.token}),
                               {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == holder.get_absolute_url()
    assert Registration.objects.get(pk=holder.pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED
    assert sorted(message.to[0] for message in mailoutbox) == sorted([holder.email, waiting.email])
    page = html(client.get(holder.get_absolute_url()))
    assert 'data-status="cancelled"' in page and 'data-testid="cancel-link"' not in page
    # Cancelling again says so.
    again = client.post(reverse("events:registration_cancel", kwargs={"token": holder.token}),
                        {"csrfmiddlewaretoken": token}, follow=True)
    assert 'data-code="already_cancelled"' in html(again)


def test_after_the_start_the_cancel_page_says_it_is_too_late(client, g40):
    started = event("Bezig", starts_at=timezone.now() + datetime.timedelta(minutes=30))
    registration = register(started)
    started.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    services.event_update(started)
    page = html(client.get(reverse("events:registration_cancel", kwargs={"token": registration.token})))
    assert 'data-testid="too-late"' in page and 'data-testid="cancel-form"' not in page


def test_after_the_event_is_cancelled_the_registrant_page_says_so_without_code(client, day):
    registration = register(day)
    services.event_status_set(day, EventStatus.CANCELLED)
    page = html(client.get(registration.get_absolute_url()))
    assert 'data-testid="cancelled-notice"' in page and "<svg" not in page and 'data-testid="cancel-link"' not in page
