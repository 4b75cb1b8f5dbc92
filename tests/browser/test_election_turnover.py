"""Done when: the end-of-term action after the March 2026 elections leaves the positions in history
and lists the vacancies. The bureau runs it in the back office of a real browser: preview,
confirm, the vacancies per pillar and body, one filled in one step; the turnover and vacancy pages
pass axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone, translation
from django.utils.formats import date_format

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser

d = datetime.date.fromisoformat
ELECTIONS_END = d("2026-03-31")


@pytest.fixture
def seated(transactional_db):
    """The G40 with its bodies; four administrators' positions from 1 June 2022 (AB, DB chair,
    BO Sociale Pijler, theme group Jeugd) and one civil servant's (AOT)."""
    from stedennet.governance.models import Body
    from stedennet.governance.services import bodies_seed_load, position_assign
    from stedennet.governance.tests.factories import PersonFactory
    from stedennet.registry.models import Network

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))
    start = d("2022-06-01")
    people = {
        "ab": PersonFactory(name="Wethouder Amstelveen", function="alderman"),
        "db": PersonFactory(name="Burgemeester Amstelveen", function="mayor"),
        "bo": PersonFactory(name="Wethouder Sociaal", function="alderman"),
        "jeugd": PersonFactory(name="Wethouder Jeugd", function="alderman"),
        "aot": PersonFactory(name="Ambtenaar Amstelveen", function="civil_servant"),
    }
    seats = {
        "ab": ("algemeen-bestuur", "member"),
        "db": ("dagelijks-bestuur", "chair"),
        "bo": ("sociale-pijler-bo", "member"),
        "jeugd": ("themagroep-jeugd", "member"),
        "aot": ("ambtelijk-ondersteuningsteam", "member"),
    }
    positions = {key: position_assign(person=people[key], body=Body.objects.get(slug=slug), role=role,
                                      start_date=start) for key, (slug, role) in seats.items()}
    successor = PersonFactory(name="Wethouder Opvolger", function="alderman")
    return {"positions": positions, "successor": successor}


def sign_in_as_bureau(page, make_user):
    from stedennet.accounts.constants import Role

    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")


def test_the_bureau_ends_the_term_keeps_the_history_and_fills_a_vacancy(seated, page, check_page, make_user):
    from stedennet.governance.models import Position

    positions, successor = seated["positions"], seated["successor"]
    sign_in_as_bureau(page, make_user)

    # 1. The turnover form proposes today; the bureau sets the last day of the term and previews.
    check_page("/admin/governance/turnover/")
    assert page.locator("#id_day").input_value() == timezone.localdate().isoformat()
    page.locator("#id_day").fill(ELECTIONS_END.isoformat())
    # Submitted from the keyboard: Wagtail's date picker stays open over the button after typing a date.
    page.locator("#id_reason").press("Enter")
    preview = page.locator("[data-testid=turnover-preview]")
    preview.wait_for()
    assert preview.get_attribute("data-count") == "4"
    listed = {int(row.get_attribute("data-position")) for row in page.locator("[data-testid=turnover-position]").all()}
    assert listed == {positions[key].pk for key in ("ab", "db", "bo", "jeugd")}
    assert not Position.objects.filter(end_date__isnull=False).exists()  # a preview changes nothing
    check_page()  # the whole page, Wagtail's admin chrome included

    # 2. Confirm: the positions end on 31 March 2026; the vacancies page follows.
    page.locator("[data-testid=turnover-confirm] button[type=submit]").click()
    page.wait_for_url("**/admin/governance/vacancies/")
    assert page.locator("[data-testid=vacancies]").get_attribute("data-count") == "4"
    groups = [(group.get_attribute("data-pillar"), group.get_attribute("data-count"))
              for group in page.locator("[data-testid=vacancy-group]").all()]
    assert groups == [("", "2"), ("sociale-pijler", "2")]
    rows = [row.get_attribute("data-body") for row in page.locator("[data-testid=vacancy]").all()]
    assert rows == ["algemeen-bestuur", "dagelijks-bestuur", "sociale-pijler-bo", "themagroep-jeugd"]
    check_page()  # the whole page, Wagtail's admin chrome included

    # History: every ended position is still there, with its end date and reason.
    assert Position.objects.count() == 5
    for key in ("ab", "db", "bo", "jeugd"):
        positions[key].refresh_from_db()
        assert positions[key].end_date == ELECTIONS_END and positions[key].end_reason
    positions["aot"].refresh_from_db()
    assert positions["aot"].end_date is None

    # 3. Fill the BO seat in one step.
    page.locator(f"[data-testid=vacancy][data-position='{positions['bo'].pk}'] [data-testid=vacancy-fill]").click()
    page.wait_for_url(f"**/admin/governance/vacancies/{positions['bo'].pk}/fill/")
    check_page()  # the whole page, Wagtail's admin chrome included
    page.locator("#id_start_date").fill("2026-04-15")
    page.locator("#id_person").select_option(str(successor.pk))
    page.locator("#w-editor-form button[type=submit]").first.click()
    page.wait_for_url("**/admin/governance/vacancies/")
    assert page.locator("[data-testid=vacancies]").get_attribute("data-count") == "3"
    assert page.locator(f"[data-testid=vacancy][data-position='{positions['bo'].pk}']").count() == 0
    filled = Position.objects.get(person=successor)
    assert (filled.predecessor_id, filled.body.slug, filled.start_date) == (positions["bo"].pk, "sociale-pijler-bo",
                                                                            d("2026-04-15"))

    # 4. The positions listing still shows the ended positions with their end date.
    page.goto("/admin/snippets/governance/position/?status=ended")
    with translation.override("nl"):
        ended_on = date_format(ELECTIONS_END, "DATE_FORMAT")
    for key in ("ab", "db", "bo", "jeugd"):
        row = page.locator("table.listing tbody tr").filter(has_text=positions[key].person.name).filter(
            has_text=positions[key].body.name)
        assert row.count() == 1, key
        assert ended_on in row.inner_text(), key
    assert page.locator("table.listing tbody tr").filter(has_text="Ambtenaar Amstelveen").count() == 0
