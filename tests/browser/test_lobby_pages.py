"""The public lobby pages in a real browser: a visitor opens /lobby/ and a dossier (the ask and its
earlier versions, the letter with its outcome, the motion with its vote per party, the overdue
commitment), filters the timeline with the form; a member signs in and sees the letter that is
not public and the members' dossier. Every page passes axe (WCAG 2.1 A/AA) and the Nu Html
Checker, in Dutch and in English."""

import io

import pytest
from django.core.management import call_command

from stedennet.advocacy.tests.test_selectors import PASSWORD, lobby, people
from stedennet.governance.services import bodies_seed_load
from stedennet.registry.models import Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser


@pytest.fixture
def world(transactional_db, make_user):
    # Transactional tests truncate every table afterwards, the page tree included.
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    network = Network.objects.get(slug="g40")
    bodies_seed_load(network=network)
    return lobby(network), people(make_user)


def sign_in(page, username: str, next_path: str) -> None:
    page.goto(f"/inloggen/?next={next_path}")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url(f"**{next_path}")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_visitor_reads_the_lobby_and_a_dossier(world, page, check_page, live_server, language):
    lobby_, _users = world
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    html = check_page("/lobby/")
    assert f'<html lang="{language}"' in html
    dossiers = page.get_by_test_id("dossier")
    assert dossiers.count() == 1 and dossiers.first.get_attribute("data-slug") == "armoede"

    dossiers.first.get_by_role("link", name="Armoede en schulden").click()
    page.wait_for_url("**/lobby/armoede/")
    assert page.get_by_test_id("current-ask").get_attribute("data-version") == "2"
    earlier = page.get_by_test_id("earlier-asks")
    assert not page.get_by_test_id("earlier-ask").first.is_visible()
    earlier.locator("summary").click()
    assert page.get_by_test_id("earlier-ask").first.is_visible()
    letter = page.locator(f"#stap-{lobby_.letter.pk}")
    assert letter.get_attribute("data-outcome") == "granted"
    assert "Brief openbaar" in letter.get_by_test_id("documents").inner_text()
    assert page.locator(f"#stap-{lobby_.secret_letter.pk}").count() == 0
    votes = page.get_by_test_id("motion").first.get_by_test_id("vote")
    assert votes.count() == 5 and votes.first.get_attribute("data-party") == "PvdS"
    assert page.get_by_test_id("commitment").first.get_attribute("data-overdue") == "true"
    check_page()

    page.locator("#soort-motion").check()
    page.get_by_test_id("timeline-filter-submit").click()
    page.wait_for_url("**/lobby/armoede/?soort=motion#tijdlijn")
    kinds = page.get_by_test_id("timeline-entry").evaluate_all("entries => entries.map(e => e.dataset.kind)")
    assert kinds == ["motion", "motion"]
    check_page()


def test_a_member_sees_more(world, page, check_page):
    lobby_, _users = world
    check_page("/lobby/jeugdzorg/", expect_status=404)
    sign_in(page, "lid", "/lobby/armoede/")
    assert page.locator(f"#stap-{lobby_.secret_letter.pk}").get_by_test_id("not-public").is_visible()
    assert "Bijlage leden" in page.locator(f"#stap-{lobby_.letter.pk}").get_by_test_id("documents").inner_text()
    check_page()
    check_page("/lobby/")
    assert page.get_by_test_id("dossier").count() == 2
    check_page("/lobby/jeugdzorg/")
    check_page("/lobby/woningbouw/", expect_status=404)
