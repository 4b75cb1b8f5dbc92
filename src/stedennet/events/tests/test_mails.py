"""The mails to registrants, as they leave the outbox: headers, the structure
(alternative [text, related [html, QR image]] and the iCal file), the QR image that the HTML
refers to by Content-ID, the check-in code typed out, and links that open the registrant's page;
the waiting-list mail has no code. Also delivered over real SMTP."""

import email
import email.policy
import re

import pytest
from django.core import mail
from django.test import Client

from stedennet.events import qr, services
from stedennet.events.mails import registration_message
from stedennet.events.tests.factories import event, register, session, soon
from stedennet.events.tests.test_ical import events as vevents
from stedennet.events.tests.test_ical import parse


def parsed(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.raw, policy=email.policy.default)


def tree(part) -> object:
    """The MIME structure as nested lists of content types."""
    if part.is_multipart():
        return [part.get_content_type(), [tree(child) for child in part.iter_parts()]]
    return part.get_content_type()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def day(g40):
    return event("Kennisdag Wonen; \"met\" één", capacity=1, venue="Stadhuis", address="Plein 1, Zwolle",
                 sessions=[session(soon(30, 11), "Betaalbaar wonen", room="Zaal 1")])


def test_the_confirmation_mail(day, committed, settings):
    settings.STEDENNET_BASE_URL = "https://stedennet.example.nl"
    with committed():
        registration = register(day, name="Anna de Vries", email="anna@example.org",
                                sessions=[day.sessions.get()])
    (message,) = mail.outbox
    raw = parsed(message)
    assert raw["To"] == "anna@example.org" and raw["From"] == settings.DEFAULT_FROM_EMAIL
    assert raw["Auto-Submitted"] == "auto-generated" and raw["Message-ID"] and raw["Subject"]
    assert tree(raw) == ["multipart/mixed", [
        ["multipart/alternative", ["text/plain", ["multipart/related", ["text/html", "image/png"]]]],
        "text/calendar"]]
    related = next(part for part in raw.walk() if part.get_content_type() == "multipart/related")
    assert related.get_param("type") == "text/html"

    html = raw.get_body(preferencelist=("html",)).get_content()
    image = next(part for part in raw.walk() if part.get_content_type() == "image/png")
    content_id = image["Content-ID"].strip("<>")
    assert f'src="cid:{content_id}"' in html
    assert image.get_content_disposition() == "inline"
    assert image.get_content() == qr.qr_png(registration.code)  # the code itself, as the page shows it
    assert image.get_content()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f'data-code="{registration.code}"' in html and 'data-kind="confirmed"' in html

    text = raw.get_body(preferencelist=("plain",)).get_content()
    page = f"https://stedennet.example.nl/evenementen/inschrijving/{registration.token}/"
    assert registration.code in text and page in text
    assert f'href="{page}"' in html
    assert "https://stedennet.example.nl/evenementen/" + day.slug + "/" in text

    calendar = next(part for part in raw.walk() if part.get_content_type() == "text/calendar")
    assert calendar.get_param("method") == "PUBLISH" and calendar.get_filename() == "evenement.ics"
    (vevent,) = vevents(parse(calendar.get_payload(decode=True)))
    assert vevent.get("UID") == day.uid


def test_the_link_in_the_mail_opens_the_registrants_page(day, committed):
    with committed():
        registration = register(day)
    html = mail.outbox[0].alternatives[0].content
    link = re.search(r'href="([^"]+)" style="[^"]*" data-testid="registration-link"', html).group(1)
    response = Client().get(link.split("127.0.0.1:8000", 1)[-1])
    assert response.status_code == 200
    assert f'data-registration="{registration.pk}"' in response.content.decode()


def test_the_waiting_list_mail_has_no_code(day, committed):
    register(day)
    mail.outbox.clear()
    with committed():
        waiting = register(day)
    raw = parsed(mail.outbox[0])
    assert tree(raw) == ["multipart/alternative", ["text/plain", "text/html"]]
    html = raw.get_body(preferencelist=("html",)).get_content()
    assert 'data-kind="waitlisted"' in html and 'data-position="1"' in html
    assert waiting.code not in html and waiting.code not in raw.get_body(preferencelist=("plain",)).get_content()


def test_the_moved_up_mail_has_the_code(day, committed):
    holder = register(day)
    waiting = register(day)
    mail.outbox.clear()
    with committed():
        services.registration_cancel(holder)
    moved = next(message for message in mail.outbox if message.to == [waiting.email])
    raw = parsed(moved)
    html = raw.get_body(preferencelist=("html",)).get_content()
    assert 'data-kind="moved_up"' in html and f'data-code="{waiting.code}"' in html
    assert any(part.get_content_type() == "image/png" for part in raw.walk())


def test_the_cancellation_and_event_cancelled_mails_have_no_code(day, committed):
    registration = register(day)
    for kind in ("cancelled", "event_cancelled"):
        message = registration_message(registration, kind)
        raw = email.message_from_bytes(message.message().as_bytes(), policy=email.policy.default)
        assert not any(part.get_content_type() == "image/png" for part in raw.walk())
        assert f'data-kind="{kind}"' in raw.get_body(preferencelist=("html",)).get_content()


def test_an_unknown_kind_is_an_error(day):
    with pytest.raises(ValueError):
        registration_message(register(day), "nonsense")


def test_a_demo_registration_gets_no_mail(day, committed):
    with committed():
        register(day, is_demo=True)
    assert mail.outbox == []


def test_the_confirmation_goes_over_smtp(day, committed, smtp_server):
    with committed():
        registration = register(day)
    (received,) = smtp_server
    assert received["X-Envelope-To"] == registration.email
    assert any(part.get_content_type() == "image/png" for part in received.walk())
