"""The bureau's events back office in a real browser: the event listing (date, status,
registered / capacity, waiting list), creating an event with a session of its programme inline,
editing it, publishing it on its status page, its registrations with the attendance per session
and the exports, and cancelling a registration for someone (the first on the waiting list moves
up). Every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import datetime
import re

import pytest
from django.utils import timezone

from stedennet.site.services import home_page_ensure
from tests.browser.back_office import save
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def events(transactional_db, g40):
    from stedennet.events.constants import RegistrationStatus
    from stedennet.events.tests.test_checkin import make_event, register

    home_page_ensure()
    event = make_event("Kennisdag Wonen", slug="kennisdag-wonen", capacity=2)
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    people = {
        "anna": register(event, "Anna de Vries", sessions=[woningbouw, betaalbaarheid]),
        "bram": register(event, "Bram Jansen", organisation="Gemeente Deventer", sessions=[woningbouw]),
        "carla": register(event, "Carla Smit", status=RegistrationStatus.WAITLISTED, sessions=[woningbouw],
                          at=timezone.now() - datetime.timedelta(days=1)),
    }
    return {"event": event, **people}


def log_in_as_bureau(page, make_user):
    from stedennet.accounts.constants import Role

    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")


def buttons_fit(page) -> list:
    """Every button shows its text inside its box under an icon of normal size (the check of
    test_back_office_buttons, which crawls the other apps' back office)."""
    from tests.browser.test_back_office_buttons import BUTTON_CHECK

    return page.evaluate(BUTTON_CHECK)


def local(value: datetime.datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


def fill_date(page, selector: str, value: str) -> None:
    page.locator(selector).fill(value)
    page.keyboard.press("Escape")


def test_the_bureau_runs_the_events_back_office(events, page, check_page, make_user):
    from stedennet.events.constants import EventStatus, RegistrationStatus
    from stedennet.events.models import Event, Registration

    event = events["event"]
    log_in_as_bureau(page, make_user)

    check_page("/admin/snippets/events/event/")
    assert buttons_fit(page) == []
    listing = page.locator("main").inner_text()
    assert "Kennisdag Wonen" in listing and "2 / 2" in listing

    # A new event with one session of its programme.
    check_page("/admin/snippets/events/event/add/")
    start = timezone.localtime(event.starts_at) + datetime.timedelta(days=14)
    page.locator("#id_title").fill("Netwerkdag Economie")
    fill_date(page, "#id_starts_at", local(start))
    fill_date(page, "#id_ends_at", local(start + datetime.timedelta(hours=6)))
    page.locator("#id_venue").fill("Stadhuis Apeldoorn")
    page.locator("#id_capacity").fill("60")
    page.locator("#id_sessions-ADD").click()
    page.locator("#id_sessions-0-title").fill("Arbeidsmarkt in de regio")
    fill_date(page, "#id_sessions-0-starts_at", local(start + datetime.timedelta(hours=1)))
    fill_date(page, "#id_sessions-0-ends_at", local(start + datetime.timedelta(hours=2)))
    page.locator("#id_sessions-0-room").fill("Raadzaal")
    save(page)
    page.wait_for_url(re.compile(r"/admin/snippets/events/event/$"))
    check_page()
    created = Event.objects.get(title="Netwerkdag Economie")
    assert created.status == EventStatus.DRAFT and created.slug == "netwerkdag-economie"
    assert list(created.sessions.values_list("title", "room")) == [("Arbeidsmarkt in de regio", "Raadzaal")]

    check_page(f"/admin/snippets/events/event/edit/{created.pk}/")
    assert buttons_fit(page) == []
    page.locator("#id_venue").fill("Orpheus, Apeldoorn")
    save(page)
    page.wait_for_url(re.compile(r"/admin/snippets/events/event/$"))
    created.refresh_from_db()
    assert created.venue == "Orpheus, Apeldoorn" and created.sequence == 1

    check_page(f"/admin/events/{created.pk}/status/")
    assert buttons_fit(page) == []
    page.locator(f"input[name=status][value={EventStatus.PUBLISHED}]").check()
    save(page)
    page.wait_for_url(re.compile(r"/admin/snippets/events/event/$"))
    created.refresh_from_db()
    assert created.status == EventStatus.PUBLISHED

    # The registrations of the full event, with the waiting list and the attendance per session.
    check_page(f"/admin/events/{event.pk}/registrations/")
    assert buttons_fit(page) == []
    rows = page.locator("[data-testid=registrations] tbody tr")
    assert rows.count() == 3
    assert [rows.nth(n).get_attribute("data-status") for n in range(3)] == ["confirmed", "confirmed", "waitlisted"]
    assert page.get_by_test_id("figures").locator("[data-count=waitlisted]").inner_text() == "1"
    assert page.get_by_test_id("session-attendance").locator("tbody tr").count() == 2
    with page.expect_download() as download:
        page.get_by_test_id("export-csv").click()
    assert download.value.suggested_filename.endswith(".csv") and "kennisdag-wonen" in download.value.suggested_filename
    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # Cancelling Bram's place for him: Carla moves up from the waiting list.
    page.locator(f"tr[data-registration='{events['bram'].pk}'] [data-testid=cancel-link]").click()
    page.wait_for_url(f"**/admin/events/registrations/{events['bram'].pk}/cancel/")
    check_page()
    assert buttons_fit(page) == []
    page.get_by_test_id("cancel-confirm").click()
    page.wait_for_url(f"**/admin/events/{event.pk}/registrations/")
    check_page()
    assert Registration.objects.get(pk=events["bram"].pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(pk=events["carla"].pk).status == RegistrationStatus.CONFIRMED
    statuses = page.locator("[data-testid=registrations] tbody tr")
    assert statuses.locator("xpath=self::*[@data-status='waitlisted']").count() == 0


def test_the_photo_report_of_an_event(events, page, check_page, settings, tmp_path):
    """The photo report the bureau puts on the site afterwards: renditions linked to larger ones,
    the way back to the event; on a phone too."""
    from stedennet.events.tests.test_photo_report import PHOTOS, photo_report

    settings.MEDIA_ROOT = tmp_path / "media"
    event = events["event"]
    event.audience = "public"
    event.save(update_fields=["audience"])
    report = photo_report(event, photos=PHOTOS)
    check_page(report.url)
    gallery = page.get_by_test_id("photo-gallery")
    assert gallery.locator("img").count() == 3
    assert all(page.evaluate("(img) => img.complete && img.naturalWidth === 480", image)
               for image in gallery.locator("img").element_handles())
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_test_id("photo-large").first.click()
    page.wait_for_url("**/*.max-1600x1600.png")
    page.go_back()
    page.get_by_test_id("event-link").click()
    page.wait_for_url(f"**{event.get_absolute_url()}")
