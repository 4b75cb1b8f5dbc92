"""Issue 12's events journey in a real browser: a civil servant signs in and registers for a
knowledge day that is full, and lands on the waiting list (and gets the waiting-list mail); a
registrant opens the link in her confirmation mail (received over SMTP) in a browser without a
session and cancels (a confirm step, then POST); the waitlisted civil servant moves up by
herself, gets a mail with her check-in code, and her page shows the QR code. Every page visited
passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command

from stedennet.governance.models import Body, Position, Visibility
from stedennet.governance.services import bodies_seed_load
from stedennet.registry.models import Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
AXE = Path(django_settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def knowledge_day(transactional_db, smtp_server, settings, live_server):
    """A members' knowledge day with two places, both taken (Anna and Bert), and a session of the
    theme group Jeugd with places of its own."""
    from django.utils import timezone

    from stedennet.events import services
    from stedennet.events.tests.factories import event, session, soon
    from stedennet.governance.tests.factories import person_with_account

    settings.STEDENNET_BASE_URL = live_server.url  # the links in the mails lead to this test server
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))
    jeugd = Body.objects.get(slug="themagroep-jeugd")
    start = soon(21, 9, 30)
    day = event("Kennisdag jeugd en armoede", audience=Visibility.MEMBERS, capacity=2, starts_at=start,
                ends_at=start + datetime.timedelta(hours=7), venue="Stadhuis Zwolle",
                address="Grote Kerkplein 15, 8011 PK Zwolle", sessions=[
                    session(start + datetime.timedelta(minutes=45), "Jeugdhulp dichtbij huis", room="Zaal 1",
                            speakers="Jeugdconsulent", group=jeugd, capacity=20),
                    session(start + datetime.timedelta(hours=3), "Schulden vroeg signaleren", room="Zaal 2")])
    people = {}
    for username, name in (("anna", "Anna Aalbers"), ("bert", "Bert Bakker"), ("carla", "Carla Claassen")):
        people[username] = person_with_account(function="civil_servant", username=username, name=name,
                                               email=f"{username}@gemeente.example.nl")
    Position.objects.create(person=people["carla"], body=jeugd,
                            start_date=timezone.localdate() - datetime.timedelta(days=60))
    for username in ("anna", "bert"):
        services.registration_create(day, user=people[username].user)
    assert [message["X-Envelope-To"] for message in smtp_server] == ["anna@gemeente.example.nl",
                                                                    "bert@gemeente.example.nl"]
    return day, people


def mails_to(smtp_server, address: str) -> list:
    return [message for message in smtp_server if message["X-Envelope-To"] == address]


def html_of(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def kind_of(message) -> str:
    return re.search(r'data-kind="([a-z_]+)"', html_of(message)).group(1)


def accessible_and_valid(page, vnu) -> None:
    """axe and the Nu Html Checker on a page of another browser context than the ``page`` fixture's."""
    html = page.evaluate("async () => (await fetch(location.href)).text()")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert [v["id"] for v in result["violations"]] == [], result["violations"]
    errors = [f"line {e.get('lastLine')}: {e.get('message')}" for e in vnu(html)]
    assert errors == [], errors


def test_a_civil_servant_waits_a_registrant_cancels_by_mail_and_the_waiting_one_moves_up(
        knowledge_day, page, check_page, browser, live_server, vnu, smtp_server):
    from stedennet.events.constants import RegistrationStatus
    from stedennet.events.models import Registration

    day, people = knowledge_day
    carla = people["carla"]

    # The civil servant opens the knowledge day, is asked to sign in, and comes back to it.
    page.goto(day.get_absolute_url())
    page.wait_for_url("**/inloggen/?next=**")
    check_page()
    page.locator("#id_login").fill("carla")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url(f"**{day.get_absolute_url()}")
    check_page()
    assert page.get_by_test_id("event-places").get_attribute("data-full") == "true"
    assert page.get_by_test_id("full-notice").is_visible()
    assert carla.name in page.get_by_test_id("registering-as").inner_text()
    assert page.get_by_test_id("session").count() == 2

    # She registers, with the session of her theme group: the event is full, so she waits.
    jeugd = day.sessions.get(title="Jeugdhulp dichtbij huis")
    page.locator(f"[data-testid=session-choice][data-value='{jeugd.pk}'] input").check()
    page.locator("#id_remarks").fill("Graag een vegetarische lunch.")
    page.get_by_test_id("register").click()
    page.wait_for_url("**/evenementen/inschrijving/**")
    check_page()
    registration = Registration.objects.get(event=day, person=carla)
    assert registration.status == RegistrationStatus.WAITLISTED
    assert page.get_by_test_id("status").get_attribute("data-status") == "waitlisted"
    assert page.get_by_test_id("message").get_attribute("data-code") == "waitlisted"
    assert page.get_by_test_id("my-session").get_attribute("data-status") == "waitlisted"
    assert page.get_by_test_id("qr").count() == 0  # no check-in code while waiting
    (waiting_mail,) = mails_to(smtp_server, carla.email)
    assert kind_of(waiting_mail) == "waitlisted"

    # The event page now says she is on the list.
    check_page(day.get_absolute_url())
    assert page.get_by_test_id("my-registration").get_attribute("data-status") == "waitlisted"

    # Anna cancels through the link in her confirmation mail, in a browser without a session.
    (confirmation,) = mails_to(smtp_server, people["anna"].email)
    assert kind_of(confirmation) == "confirmed"
    anna = Registration.objects.get(event=day, person=people["anna"])
    link = re.search(r'href="([^"]+)" style="[^"]*" data-testid="registration-link"',
                     html_of(confirmation)).group(1)
    assert link == f"{live_server.url}/evenementen/inschrijving/{anna.token}/"
    assert link in confirmation.get_body(preferencelist=("plain",)).get_content()
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    try:
        other = context.new_page()
        other.set_default_timeout(15_000)
        assert other.goto(link).status == 200
        accessible_and_valid(other, vnu)
        assert other.get_by_test_id("code").get_attribute("data-code") == anna.code
        assert other.locator("[data-testid=qr] svg[role=img]").count() == 1
        other.get_by_test_id("cancel-link").click()
        other.wait_for_url("**/afmelden/")
        accessible_and_valid(other, vnu)
        other.get_by_test_id("confirm-cancel").click()
        other.wait_for_url(link)
        accessible_and_valid(other, vnu)
        assert other.get_by_test_id("status").get_attribute("data-status") == "cancelled"
        assert other.get_by_test_id("message").get_attribute("data-code") == "cancelled"
        assert other.get_by_test_id("cancel-link").count() == 0
    finally:
        context.close()

    # The civil servant moved up by herself, with her session, and got a mail with her code.
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.sessions.get().status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(pk=anna.pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.filter(event=day, status=RegistrationStatus.CONFIRMED).count() == 2
    moved = mails_to(smtp_server, carla.email)[-1]
    assert kind_of(moved) == "moved_up"
    assert f'data-code="{registration.code}"' in html_of(moved)
    assert any(part.get_content_type() == "image/png" for part in moved.walk())
    assert kind_of(mails_to(smtp_server, people["anna"].email)[-1]) == "cancelled"

    # Her own page shows the place and the QR code.
    check_page(registration.get_absolute_url())
    assert page.get_by_test_id("status").get_attribute("data-status") == "confirmed"
    assert page.get_by_test_id("code").get_attribute("data-code") == registration.code
    assert page.locator("[data-testid=qr] svg[role=img]").count() == 1
