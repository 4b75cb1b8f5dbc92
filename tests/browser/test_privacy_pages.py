"""Privacy in a real browser: a person edits their profile, sees their data and downloads it; the
bureau erases another person in the back office (the confirmation says what happens), after which
that person's name is gone from the body's page. Every page passes axe (WCAG 2.1 A/AA) and the Nu
Html Checker."""

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.utils import translation

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    from stedennet.governance.models import Body, Position
    from stedennet.governance.models import Role as PositionRole
    from stedennet.governance.services import bodies_seed_load
    from stedennet.governance.tests.factories import person_with_account
    from stedennet.registry.models import Network

    settings.STEDENNET_ERASURE_LIST = tmp_path / "erasures.jsonl"
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))
    body = Body.objects.get(slug="sociale-pijler-ao")
    reader = person_with_account(name="Lotte Lezer", email="lotte@example.org", username="lotte")
    leaving = person_with_account(name="Vera Vertrokken", email="vera@example.org", username="vera")
    for person, role in [(reader, PositionRole.MEMBER), (leaving, PositionRole.CHAIR)]:
        Position.objects.create(person=person, body=body, role=role, start_date=datetime.date(2024, 1, 1))
    return {"reader": reader, "leaving": leaving, "body": body}


def test_a_person_sees_and_downloads_their_data_and_edits_their_profile(world, page, check_page):
    sign_in_page(page, "lotte", PASSWORD, next="/mijn/profiel/")
    check_page("/mijn/profiel/")
    page.locator("#id_portfolio").fill("Armoedebeleid")
    page.locator("#id_name").fill("")
    page.get_by_test_id("save").click()
    page.wait_for_selector("[data-testid=form-errors]")
    check_page()
    assert page.get_by_test_id("error-name").is_visible()
    page.locator("#id_name").fill("Lotte de Lezer")
    page.get_by_test_id("save").click()
    page.wait_for_selector("[data-testid=message]")
    check_page()
    assert page.locator("#id_portfolio").input_value() == "Armoedebeleid"

    page.get_by_test_id("link-data").click()
    page.wait_for_url("**/mijn/gegevens/")
    check_page()
    assert page.locator("[data-testid=holding][data-model='governance.Position']").count() == 1
    assert "Armoedebeleid" in page.locator("main").inner_text()
    with page.expect_download() as download:
        page.get_by_test_id("download").click()
    data = json.loads(download.value.path().read_text(encoding="utf-8"))
    people = [record for app in data["apps"] for holding in app["holdings"]
              if holding["model"] == "governance.Person" for record in holding["records"]]
    assert [(record["name"], record["email"]) for record in people] == [("Lotte de Lezer", "lotte@example.org")]


def test_the_bureau_erases_a_person(world, page, check_page, make_user):
    from stedennet.accounts.constants import Role
    from stedennet.governance.models import Person

    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", PASSWORD, next="/admin/")
    page.wait_for_url("**/admin/")
    leaving = world["leaving"]
    check_page(f"/admin/governance/people/{leaving.pk}/erase/")
    assert page.get_by_test_id("erase-summary").is_visible()
    assert page.locator("[data-testid=erase-holding][data-model='governance.Position']").get_attribute(
        "data-count") == "1"
    page.locator("#id_confirm").check()
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/admin/snippets/governance/person/")  # Wagtail's own listing: not ours to check
    leaving.refresh_from_db()
    assert leaving.erased_at is not None

    page.context.clear_cookies()
    sign_in_page(page, "lotte", PASSWORD, next=world["body"].get_absolute_url())
    check_page(world["body"].get_absolute_url())
    text = page.locator("main").inner_text()
    with translation.override("nl"):
        former = Person.former_member_label(leaving.municipality)
    assert "Vera Vertrokken" not in text and former in text
