"""Digests in a real browser: a signed-in civil servant chooses a weekly digest on
/mijn/samenvatting/; the digest arrives through SMTP; then, in a fresh browser without any
session, the unsubscribe link from that mail shows a confirmation, and after the button the digest
is stopped. Every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from stedennet.governance.models import Body, Position, Visibility
from stedennet.governance.services import bodies_seed_load
from stedennet.knowledge.digests import digests_send
from stedennet.knowledge.models import DigestFrequency, DigestSubscription, LibraryItem
from stedennet.registry.models import Municipality, Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ARMOEDE = "themagroep-armoede-en-schulden"
AXE = Path(django_settings.NODE_MODULES_DIR) / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture
def seeded(transactional_db):
    # Transactional tests truncate every table afterwards, the page tree included.
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))


def sign_in(page, username: str) -> None:
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()


def accessible_and_valid(page, vnu) -> None:
    """axe and the Nu Html Checker on a page of another browser context than the ``page`` fixture's."""
    html = page.evaluate("async () => (await fetch(location.href)).text()")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
    assert [v["id"] for v in result["violations"]] == [], result["violations"]
    errors = [f"line {e.get('lastLine')}: {e.get('message')}" for e in vnu(html)]
    assert errors == [], errors


def test_a_member_chooses_a_weekly_digest_and_unsubscribes_from_the_mail(
        seeded, page, check_page, browser, live_server, vnu, smtp_server, settings):
    from stedennet.governance.tests.factories import PersonFactory, person_with_account

    settings.STEDENNET_BASE_URL = live_server.url  # the links in the mail lead to this test server
    member = person_with_account(function="civil_servant", username="ambtenaar", name="Ambtenaar Amstelveen",
                                 email="ambtenaar@amstelveen.example")
    armoede = Body.objects.get(slug=ARMOEDE)
    Position.objects.create(person=member, body=armoede, start_date=timezone.localdate() - datetime.timedelta(30))
    author = PersonFactory(name="Auteur Eindhoven", municipality=Municipality.objects.get(cbs_code="GM0772"))
    LibraryItem.objects.create(title="Schuldhulp in de wijk", summary="Wat werkt in Eindhoven.",
                               theme_group=armoede, author=author, visibility=Visibility.MEMBERS)

    page.goto("/mijn/samenvatting/")
    page.wait_for_url("**/inloggen/?next=**")
    sign_in(page, "ambtenaar")
    page.wait_for_url("**/mijn/samenvatting/")
    assert page.get_by_test_id("current").get_attribute("data-frequency") == "none"
    assert page.get_by_test_id("digest-group").get_attribute("data-slug") == ARMOEDE
    check_page()

    page.locator("input[name=frequency][value=weekly]").check()
    page.get_by_test_id("save").click()
    page.wait_for_url("**/mijn/samenvatting/")
    assert page.get_by_test_id("message").get_attribute("data-level") == "success"
    assert page.get_by_test_id("current").get_attribute("data-frequency") == "weekly"
    assert page.locator("input[name=frequency][value=weekly]").is_checked()
    check_page()
    subscription = DigestSubscription.objects.get(user=member.user)
    assert subscription.frequency == DigestFrequency.WEEKLY

    assert digests_send(frequency="weekly").sent == ["ambtenaar"]
    assert len(smtp_server) == 1
    message = smtp_server[0]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Schuldhulp in de wijk" in text
    link = message["List-Unsubscribe"].strip().removeprefix("<").removesuffix(">")
    assert link == f"{live_server.url}/samenvatting/afmelden/{subscription.unsubscribe_token}/" and link in text

    # A fresh browser: no session, no cookies.
    context = browser.new_context(bypass_csp=True, locale="nl-NL")
    try:
        anonymous = context.new_page()
        anonymous.set_default_timeout(15_000)
        response = anonymous.goto(link)
        assert response.status == 200
        assert anonymous.get_by_test_id("confirm-text").is_visible()
        accessible_and_valid(anonymous, vnu)
        subscription.refresh_from_db()
        assert subscription.frequency == DigestFrequency.WEEKLY  # opening the link changes nothing yet
        anonymous.get_by_test_id("confirm").click()
        anonymous.get_by_test_id("unsubscribed").wait_for()
        subscription.refresh_from_db()
        assert subscription.frequency == DigestFrequency.NONE
        assert anonymous.locator("html").get_attribute("lang") == "nl"
        accessible_and_valid(anonymous, vnu)  # the page as it now shows: no digest
        assert anonymous.get_by_test_id("already-stopped").count() == 0  # still the confirmation, not reloaded
    finally:
        context.close()
