"""Every public page, in Dutch and English, passes axe (WCAG 2.1 A/AA) and the Nu Html Checker;
and a visitor's journey through the registry works in a real browser."""

import io
import re

import pytest
from django.core.management import call_command

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/leden/",
    "/leden/?sort=population&order=desc",
    "/leden/?sort=member_since",
    "/leden/amstelveen/",
    "/leden/alkmaar/",
    "/leden/den-haag/",  # a partner, not a member: the 404 page
    "/partners/",
]


@pytest.fixture
def loaded(transactional_db):
    # Transactional tests truncate every table afterwards, the page tree included.
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_public_page_is_accessible_and_valid(loaded, page, check_page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    for path in PUBLIC_PAGES:
        status = 404 if path == "/leden/den-haag/" else 200
        html = check_page(path, expect_status=status)
        assert f'<html lang="{language}"' in html, path


def test_a_visitor_finds_amstelveen_and_its_two_population_figures(loaded, page, check_page):
    page.goto("/")
    assert page.get_by_test_id("member-count").inner_text() == "41 leden"
    member_map = page.get_by_role("img", name=re.compile("Kaart van Nederland"))
    assert member_map.is_visible()
    assert member_map.evaluate("img => img.complete && img.naturalWidth > 0"), "the map image loads"

    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Leden", exact=True).click()
    page.wait_for_url("**/leden/")
    page.get_by_role("link", name="Inwoners", exact=True).click()
    page.wait_for_url("**sort=population&order=desc")  # the first click: the largest first
    assert page.locator("tbody tr").first.get_attribute("data-cbs-code") == "GM0772"  # Eindhoven
    assert page.get_by_role("columnheader", name="Inwoners").get_attribute("aria-sort") == "descending"
    page.get_by_role("link", name="Inwoners", exact=True).click()
    page.wait_for_url("**order=asc**")
    assert page.locator("tbody tr").first.get_attribute("data-cbs-code") == "GM0106"  # Assen, the smallest
    assert page.get_by_role("columnheader", name="Inwoners").get_attribute("aria-sort") == "ascending"

    page.get_by_role("link", name="Amstelveen").click()
    page.wait_for_url("**/leden/amstelveen/")
    table = page.locator("table").first
    assert table.get_by_role("row", name=re.compile("92.331")).is_visible()
    assert table.get_by_role("row", name=re.compile("92.363")).is_visible()
    timeline = page.get_by_test_id("timeline")
    steps = timeline.locator("li")
    assert steps.count() == 3
    assert steps.nth(0).inner_text().startswith("9 maart 2021")
    assert "College besluit lidmaatschap aan te vragen" in steps.nth(0).inner_text()
    assert steps.nth(1).inner_text().startswith("11 mei 2022") and "Bestuur stemt in" in steps.nth(1).inner_text()
    assert steps.nth(2).inner_text().startswith("1 juli 2022") and "Lidmaatschap gaat in" in steps.nth(2).inner_text()
    assert timeline.get_by_role("link").first.get_attribute("href").startswith("https://amstelveenweb.com/")
    check_page()

    page.get_by_role("button", name="English").click()
    page.wait_for_url("**/leden/amstelveen/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Population").is_visible()
    assert page.get_by_test_id("membership-status").inner_text() == "member since 1 July 2022"
    check_page()


def test_the_bureau_manages_municipalities_in_the_back_office(loaded, page, make_user):
    from stedennet.accounts.constants import Role

    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")
    page.goto("/admin/snippets/registry/municipality/?q=amstelveen")
    assert page.get_by_role("link", name="Amstelveen").first.is_visible()
    page.goto("/admin/snippets/registry/populationfigure/?source=municipal")
    assert page.get_by_text("Amstelveen").count() >= 4
