"""Issue 12 end to end in a real browser: the bureau composes member letter Lbr. YY/001 from the
draft in the back office (a board decision and a coming knowledge day in it), edits its title,
previews it as mail and as web page, sends itself a test through the outbox and SMTP, sees on the
send step which members have no griffie address, sends it, and watches the progress bar fill up
(htmx polls the counts every second) until every recipient has exactly one message on the local
SMTP server; then the letter is in the public archive. Every page passes axe (WCAG 2.1 A/AA) and
the Nu Html Checker."""

import datetime
import io
import re
import time
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser

ALMERE, ZWOLLE = "GM0034", "GM0193"


@pytest.fixture
def world(transactional_db, settings):
    from stedennet.events.services import event_create
    from stedennet.governance.models import Body, Visibility
    from stedennet.governance.services import bodies_seed_load
    from stedennet.letters.tests.factories import addresses_for_members, subscriber
    from stedennet.meetings.services import AgendaEntry, decision_add, meeting_create
    from stedennet.registry.models import Network

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))
    start = timezone.now() - datetime.timedelta(days=7)
    meeting = meeting_create(body=Body.objects.get(slug="algemeen-bestuur"), starts_at=start,
                             ends_at=start + datetime.timedelta(hours=2), agenda=[AgendaEntry("Begroting")])
    decision_add(meeting=meeting, agenda_item=meeting.agenda_items.get(), text="Het AB stelt de begroting vast.")
    day = timezone.now() + datetime.timedelta(days=30)
    event_create(title="Kennisdag Wonen", starts_at=day, ends_at=day + datetime.timedelta(hours=6),
                 status="published", audience=Visibility.PUBLIC, venue="Stadhuis Zwolle")
    addresses = addresses_for_members(without_griffie=(ALMERE, ZWOLLE))
    reader = subscriber("lezer@example.org")
    return {"addresses": addresses, "reader": reader}


def log_in_as_bureau(page, make_user):
    from stedennet.accounts.constants import Role

    user = make_user("bureau", Role.BUREAU)
    user.email = "bureau@example.org"
    user.save()
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")


def wait_until(condition, seconds: float = 15.0):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def test_the_bureau_composes_previews_sends_and_follows_a_member_letter(
        world, page, check_page, make_user, smtp_server, settings, live_server):
    from stedennet.letters.constants import LetterStatus
    from stedennet.letters.models import Letter
    from stedennet.mail.bulk import mailing_send

    settings.STEDENNET_BASE_URL = live_server.url
    reference = f"Lbr. {timezone.localdate().year % 100:02d}/001"
    log_in_as_bureau(page, make_user)

    # A new letter from the draft: it gets its number at once.
    check_page("/admin/snippets/letters/letter/")
    check_page("/admin/snippets/letters/letter/add/")
    assert page.locator("[data-section=decisions]").get_attribute("data-count") == "1"
    assert page.locator("[data-section=events]").get_attribute("data-count") == "1"
    page.get_by_test_id("create-draft").click()
    page.wait_for_url(re.compile(r"/admin/snippets/letters/letter/edit/\d+/$"))
    letter = Letter.objects.get()
    assert (letter.reference, letter.status) == (reference, LetterStatus.DRAFT)
    assert "Het AB stelt de begroting vast." in letter.body and "Kennisdag Wonen" in letter.body
    check_page()

    # The bureau edits the title and saves; the preview as mail opens.
    page.locator("#id_title").fill("Nieuws uit het netwerk")
    page.locator("#w-editor-form button[type=submit]").first.click()
    page.wait_for_url(f"**/admin/letters/{letter.pk}/preview/")
    check_page()
    assert page.get_by_test_id("letter-preview").get_attribute("data-reference") == reference
    assert reference in page.get_by_test_id("mail-subject").inner_text()
    assert "Kennisdag Wonen" in page.get_by_test_id("mail-text").inner_text()
    frame = page.frame_locator("[data-testid=mail-html]")
    assert "Het AB stelt de begroting vast." in frame.locator("body").inner_text()

    # A test to oneself, through the outbox and SMTP.
    page.get_by_test_id("test-send").get_by_role("button").click()
    page.wait_for_url(f"**/admin/letters/{letter.pk}/preview/")
    wait_until(lambda: len(smtp_server) == 1)
    assert smtp_server[0]["X-Envelope-To"] == "bureau@example.org" and reference in smtp_server[0]["Subject"]

    check_page(f"/admin/letters/{letter.pk}/preview/web/")
    assert page.get_by_test_id("letter-title").inner_text() == "Nieuws uit het netwerk"

    # The send step names the members without a griffie address.
    check_page(f"/admin/letters/{letter.pk}/send/")
    plan = page.get_by_test_id("send-plan")
    total = int(plan.get_attribute("data-total"))
    assert total == 41 * 2 - 2 + 1
    codes = {item.get_attribute("data-code") for item in page.get_by_test_id("without-griffie").locator("li").all()}
    assert codes == {ALMERE, ZWOLLE}

    # Send. The background worker is held back for a moment, so the page shows the sending
    # under way; then the worker runs and the bar fills up by itself.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    page.get_by_test_id("send").click()
    page.wait_for_url(f"**/admin/letters/{letter.pk}/progress/")
    progress = page.get_by_test_id("progress")
    assert progress.get_attribute("data-done") == "false"
    assert progress.get_attribute("data-to-go") == str(total)
    check_page()
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENDING
    assert mailing_send(letter.mailing_id)["outcome"] == "finished"
    page.wait_for_selector("[data-testid=progress][data-done=true]", timeout=15_000)
    progress = page.get_by_test_id("progress")
    assert (progress.get_attribute("data-sent"), progress.get_attribute("data-to-go")) == (str(total), "0")
    bar = page.locator("#letter-progress-bar")
    assert bar.get_attribute("value") == bar.get_attribute("max") == str(total)
    check_page()

    # Every recipient has exactly one message (and the bureau its test).
    envelopes = Counter(message["X-Envelope-To"] for message in smtp_server[1:])
    assert len(envelopes) == total and set(envelopes.values()) == {1}
    assert {a.email for a in world["addresses"]} | {world["reader"].email} == set(envelopes)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SENT

    # Pressing send again (an old tab) sends nothing more.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    page.goto(f"/admin/letters/{letter.pk}/send/")
    page.wait_for_url(f"**/admin/letters/{letter.pk}/progress/")
    assert len(smtp_server) == total + 1
    subscriber_mail = next(m for m in smtp_server if m["X-Envelope-To"] == world["reader"].email)
    assert subscriber_mail["List-Unsubscribe"].startswith(f"<{live_server.url}/ledenbrieven/afmelden/")

    # The letter in the public archive.
    check_page("/ledenbrieven/")
    assert page.get_by_test_id("letter").get_attribute("data-reference") == reference
    check_page(letter.get_absolute_url())
    assert page.get_by_test_id("letter-title").inner_text() == "Nieuws uit het netwerk"
