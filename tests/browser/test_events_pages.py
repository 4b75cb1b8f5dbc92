"""The public pages of events in a real browser, in Dutch and in English: the list (with the kind
filter), the archive (with a photo report), an event's page with its programme and the form (also
with errors), a member's event after signing in, the registrant's page with its QR code, and the
cancel step. Every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import io

import pytest
from django.core.management import call_command

from stedennet.governance.services import bodies_seed_load
from stedennet.registry.models import Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, settings, live_server):
    from stedennet.events.demo import load_demo_events
    from stedennet.events.models import Event, PhotoReportPage
    from stedennet.events.tests.factories import event, register, session, soon

    settings.STEDENNET_BASE_URL = live_server.url
    home = home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    network = Network.objects.get(slug="g40")
    bodies_seed_load(network=network)
    load_demo_events(network=network)
    conference = Event.objects.get(slug="demo-conferentie")
    home.add_child(instance=PhotoReportPage(title="Foto's van de jaarconferentie", slug="fotos-jaarconferentie",
                                            event=conference))
    start = soon(14, 13)
    public = event("Open middag over de binnenstad", capacity=1, starts_at=start, venue="Bibliotheek",
                   address="Stationsplein 1, Zwolle", online_url="https://meet.example.org/open-middag",
                   summary="Een middag voor iedereen.", sessions=[
                       session(start, "Rondleiding", room="Hal", capacity=10),
                       session(start.replace(hour=15), "Gesprek", room="Zaal 1")])
    holder = register(public, name="Hanna Houder", email="hanna@example.org", sessions=[public.sessions.first()])
    waiting = register(public, name="Wim Wachter", email="wim@example.org")
    return {"public": public, "holder": holder, "waiting": waiting,
            "knowledge_day": Event.objects.get(slug="demo-kennisdag-sociaal-domein"), "conference": conference}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_pages_of_events(world, page, check_page, live_server, vnu, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    html = check_page("/evenementen/")
    assert f'<html lang="{language}"' in html
    listed = page.get_by_test_id("event")
    # The demo's coming events are for members (and partners): a visitor sees the public one.
    assert [listed.nth(i).get_attribute("data-slug") for i in range(listed.count())] == [world["public"].slug]
    page.get_by_test_id("kind-filter").locator("[data-kind=network_day]").click()
    page.wait_for_url("**?soort=network_day")
    check_page()
    assert page.get_by_test_id("no-events").is_visible()

    check_page("/evenementen/archief/")
    conference = page.locator(f"[data-testid=event][data-slug='{world['conference'].slug}']")
    assert conference.get_by_test_id("demo-badge").count() == 1
    assert conference.get_by_test_id("photo-report").count() == 1

    check_page(world["conference"].get_absolute_url())
    assert page.get_by_test_id("demo-note").is_visible()
    assert page.get_by_test_id("photo-report").count() == 1
    assert page.get_by_test_id("registration-closed").get_attribute("data-reason") == "closed"

    public = world["public"]
    check_page(public.get_absolute_url())
    assert page.get_by_test_id("event-places").get_attribute("data-full") == "true"
    assert page.get_by_test_id("session").count() == 2
    page.get_by_test_id("register").click()  # empty: errors on the fields
    page.wait_for_selector("[data-testid=form-errors]")
    assert vnu(page.content()) == []  # the page with its errors, as the browser has it
    check_page()
    assert page.get_by_test_id("error-name").is_visible()

    holder = world["holder"]
    check_page(holder.get_absolute_url())
    assert page.get_by_test_id("code").get_attribute("data-code") == holder.code
    assert page.locator("[data-testid=qr] svg[role=img]").count() == 1
    check_page(f"{holder.get_absolute_url()}afmelden/")
    assert page.get_by_test_id("cancel-form").is_visible()
    check_page(world["waiting"].get_absolute_url())
    assert page.get_by_test_id("status").get_attribute("data-status") == "waitlisted"


def test_a_member_reads_the_knowledge_day_and_its_programme(world, page, check_page):
    from stedennet.governance.tests.factories import person_with_account

    person_with_account(function="civil_servant", username="lid", name="Lid Lelystad",
                        email="lid@gemeente.example.nl")
    day = world["knowledge_day"]
    page.goto(f"/inloggen/?next={day.get_absolute_url()}")
    page.locator("#id_login").fill("lid")
    page.locator("#id_password").fill("correct horse battery")
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url(f"**{day.get_absolute_url()}")
    check_page()
    assert page.get_by_test_id("session").count() == 8
    assert page.get_by_test_id("registration-form").is_visible()
    assert page.get_by_test_id("registering-as").is_visible()
    check_page("/evenementen/")
    assert page.get_by_test_id("event").count() == 3  # the public one, the knowledge day, the network day
    assert page.get_by_test_id("my-feed").count() == 1
