"""The public pages of the member letter in a real browser: the archive by year, a letter's web
page, subscribing (the confirmation mail arrives through SMTP; its link shows a button that
confirms), and unsubscribing from the link in a letter, without any session. Every page passes
axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import datetime
import io
import re
import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser


@pytest.fixture
def archive(transactional_db):
    from stedennet.letters.tests.factories import sent_letter

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    moment = timezone.make_aware(datetime.datetime(timezone.localdate().year - 1, 11, 20, 10))
    spring = sent_letter("Voorjaarsnieuws", sent_at=moment - datetime.timedelta(days=200), is_demo=True)
    return [sent_letter("Terugblik op het najaar", sent_at=moment), spring]


def wait_until(condition, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_the_archive_and_a_letter(archive, page, check_page):
    check_page("/ledenbrieven/")
    assert [item.get_attribute("data-reference") for item in page.get_by_test_id("letter").all()] == [
        archive[0].reference, archive[1].reference]
    assert page.locator(f"[data-reference='{archive[1].reference}'] [data-testid=demo-badge]").count() == 1
    page.get_by_role("link", name=re.compile("Terugblik op het najaar")).click()
    page.wait_for_url(f"**{archive[0].get_absolute_url()}")
    check_page()
    assert page.get_by_test_id("letter-title").inner_text() == "Terugblik op het najaar"
    response = page.goto("/ledenbrieven/feed.atom")
    assert response.status == 200 and archive[0].reference in response.text()


def test_subscribing_confirming_and_unsubscribing(archive, page, check_page, browser, live_server, smtp_server,
                                                  settings):
    from stedennet.letters.constants import SubscriberStatus
    from stedennet.letters.models import Subscriber

    settings.STEDENNET_BASE_URL = live_server.url
    check_page("/ledenbrieven/aanmelden/")
    page.locator("#id_email").fill("geen adres")
    page.get_by_test_id("subscribe").click()
    assert page.get_by_test_id("error-email").count() == 1
    check_page()
    page.locator("#id_email").fill("lezer@example.org")
    page.locator("#id_name").fill("Lezer")
    page.get_by_test_id("subscribe").click()
    page.wait_for_url("**/ledenbrieven/aanmelden/verstuurd/")
    check_page()
    wait_until(lambda: len(smtp_server) == 1)
    body = smtp_server[0].get_body(("plain",)).get_content()
    link = re.search(rf"{re.escape(live_server.url)}/ledenbrieven/aanmelden/[\w-]+/", body).group(0)
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING
    check_page(link)  # opening the link confirms nothing: it shows the button
    assert page.get_by_test_id("confirm-form").count() == 1
    assert Subscriber.objects.get().status == SubscriberStatus.PENDING

    # The links from the mails, in a browser without any session.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-NL")
    try:
        visitor = context.new_page()
        visitor.set_default_timeout(15_000)
        visitor.goto(link)
        visitor.get_by_test_id("confirm").click()
        visitor.wait_for_selector("[data-testid=confirmed]")
        subscriber = Subscriber.objects.get()
        assert subscriber.status == SubscriberStatus.CONFIRMED
        check_page(f"/ledenbrieven/afmelden/{subscriber.token}/")
        assert page.get_by_test_id("unsubscribe-form").count() == 1
        visitor.goto(f"/ledenbrieven/afmelden/{subscriber.token}/")
        assert visitor.get_by_test_id("confirm-text").count() == 1
        visitor.get_by_test_id("confirm").click()
        visitor.wait_for_selector("[data-testid=unsubscribed]")
        subscriber.refresh_from_db()
        assert subscriber.status == SubscriberStatus.UNSUBSCRIBED
    finally:
        context.close()
    check_page(f"/ledenbrieven/afmelden/{subscriber.token}/")
    assert page.get_by_test_id("already-stopped").count() == 1
