"""Subscribing with double opt-in, confirming, unsubscribing by link and in one click (RFC 8058:
a POST with ``List-Unsubscribe=One-Click`` to the unsubscribe address, no CSRF token, no
sign-in); the pages answer the same whoever the address belongs to."""

import datetime

import pytest
from django.core import mail
from django.test import Client, TestCase
from django.utils import timezone

from stedennet.letters import services
from stedennet.letters.constants import SubscriberStatus
from stedennet.letters.models import Subscriber
from stedennet.letters.tests.factories import subscriber

pytestmark = pytest.mark.django_db
BASE = "https://leden.example.org"


def committed():
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.STEDENNET_BASE_URL = BASE


def confirm_link(message) -> str:
    return next(line.strip() for line in message.body.splitlines() if "/ledenbrieven/aanmelden/" in line)


def test_subscribing_mails_a_confirmation_link_and_only_confirming_makes_it_count(client):
    with committed():
        response = client.post("/ledenbrieven/aanmelden/", {"email": "Lezer@Example.org", "name": "Lezer"})
    assert response.status_code == 302 and response["Location"] == "/ledenbrieven/aanmelden/verstuurd/"
    found = Subscriber.objects.get()
    assert (found.email, found.status) == ("Lezer@Example.org", SubscriberStatus.PENDING)
    assert [message.to for message in mail.outbox] == [["Lezer@Example.org"]]
    link = confirm_link(mail.outbox[0])
    assert link == f"{BASE}/ledenbrieven/aanmelden/{found.token}/"
    path = link.removeprefix(BASE)
    page = client.get(path)  # a mail program's preview opens the link: nothing happens
    assert page.status_code == 200 and b'data-testid="confirm-form"' in page.content
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    assert client.post(path).status_code == 200
    found.refresh_from_db()
    assert found.status == SubscriberStatus.CONFIRMED and found.confirmed_at is not None
    assert b'data-testid="confirmed"' in client.post(path).content  # twice: no change


def test_asking_again_resends_at_most_every_ten_minutes_and_a_subscriber_gets_no_mail():
    now = timezone.now()
    with committed():
        first = services.subscriber_subscribe(email="a@example.org", now=now)
        services.subscriber_subscribe(email="A@example.org", now=now + datetime.timedelta(minutes=3))
    assert len(mail.outbox) == 1
    with committed():
        services.subscriber_subscribe(email="a@example.org", now=now + datetime.timedelta(minutes=11))
    assert len(mail.outbox) == 2 and Subscriber.objects.count() == 1
    services.subscriber_confirm(first)
    with committed():
        again = services.subscriber_subscribe(email="a@example.org", now=now + datetime.timedelta(minutes=30))
    assert len(mail.outbox) == 2 and again.status == SubscriberStatus.CONFIRMED


def test_subscribing_again_after_unsubscribing_starts_over_with_a_new_link():
    old = subscriber("b@example.org")
    services.subscriber_unsubscribe(old)
    with committed():
        again = services.subscriber_subscribe(email="b@example.org")
    assert again.status == SubscriberStatus.PENDING and again.token != old.token
    assert len(mail.outbox) == 1


def test_a_stopped_subscription_is_not_confirmed_by_an_old_link(client):
    stopped = subscriber("c@example.org", SubscriberStatus.UNSUBSCRIBED)
    response = client.post(f"/ledenbrieven/aanmelden/{stopped.token}/")
    assert response.status_code == 409 and b'data-code="not_pending"' in response.content
    assert Subscriber.objects.get().status == SubscriberStatus.UNSUBSCRIBED


def test_a_wrong_address_is_shown_on_the_field(client):
    response = client.post("/ledenbrieven/aanmelden/", {"email": "geen adres"})
    assert response.status_code == 400 and b'data-testid="error-email"' in response.content
    assert not Subscriber.objects.exists()
    with pytest.raises(services.LetterRefused) as refused:
        services.subscriber_subscribe(email="nog steeds geen")
    assert (refused.value.code, refused.value.field) == ("invalid_address", "email")


def test_one_click_unsubscribe_needs_no_csrf_token_and_no_sign_in():
    reader = subscriber()
    client = Client(enforce_csrf_checks=True)
    path = f"/ledenbrieven/afmelden/{reader.token}/"
    page = client.get(path)
    assert page.status_code == 200 and b'data-testid="unsubscribe-form"' in page.content
    assert page["Referrer-Policy"] == "same-origin" and "noindex" in page["X-Robots-Tag"]
    assert Subscriber.objects.get().status == SubscriberStatus.CONFIRMED
    response = client.post(path, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and b'data-testid="unsubscribed"' in response.content
    reader.refresh_from_db()
    assert reader.status == SubscriberStatus.UNSUBSCRIBED and reader.unsubscribed_at is not None
    assert b'data-testid="already-stopped"' in client.get(path).content


def test_unknown_tokens_are_not_found(client):
    for path in ("/ledenbrieven/afmelden/onbekend/", "/ledenbrieven/aanmelden/onbekend/"):
        assert client.get(path).status_code == 404
        assert client.post(path).status_code == 404


def test_the_pages_are_public_and_the_confirm_post_needs_csrf():
    client = Client(enforce_csrf_checks=True)
    assert client.get("/ledenbrieven/aanmelden/").status_code == 200
    assert client.get("/ledenbrieven/aanmelden/verstuurd/").status_code == 200
    assert client.post("/ledenbrieven/aanmelden/", {"email": "x@example.org"}).status_code == 403
    pending = subscriber("p@example.org", SubscriberStatus.PENDING)
    assert client.post(f"/ledenbrieven/aanmelden/{pending.token}/").status_code == 403
