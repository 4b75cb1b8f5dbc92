"""Theme groups and bodies in a real browser: a civil servant signs in on the site's own sign-in
page, joins an open theme group and asks to join a closed one; the bureau sees on the Dagelijks
Bestuur's page who chaired it when. Every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import datetime
import io

import pytest
from django.core.management import call_command

from stedennet.governance.models import Body, MembershipRequest, Position
from stedennet.governance.services import bodies_seed_load, position_assign
from stedennet.registry.models import Network
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery"
ARMOEDE = "themagroep-armoede-en-schulden"
WONEN = "themagroep-wonen"


@pytest.fixture
def bodies(transactional_db):
    # Transactional tests truncate every table afterwards, the page tree included.
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    bodies_seed_load(network=Network.objects.get(slug="g40"))


def sign_in(page, username: str) -> None:
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()


def test_a_civil_servant_joins_one_group_and_asks_to_join_another(bodies, page, check_page):
    from stedennet.governance.tests.factories import person_with_account

    person = person_with_account(function="civil_servant", username="ambtenaar", name="Ambtenaar Alkmaar")
    check_page("/inloggen/")
    sign_in(page, "ambtenaar")
    page.wait_for_url("**/mijn/groepen/")
    check_page()

    groups = page.get_by_test_id("theme-group")
    armoede = groups.and_(page.locator(f"[data-slug={ARMOEDE}]"))
    wonen = groups.and_(page.locator(f"[data-slug={WONEN}]"))
    assert armoede.get_attribute("data-state") == "open"
    assert wonen.get_attribute("data-state") == "closed"

    armoede.get_by_test_id("join").click()
    page.wait_for_url("**/mijn/groepen/")
    assert armoede.get_attribute("data-state") == "member"
    wonen.get_by_test_id("request").click()
    page.wait_for_url("**/mijn/groepen/")
    assert wonen.get_attribute("data-state") == "requested"

    positions = page.get_by_test_id("position")
    assert positions.count() == 1 and positions.first.get_attribute("data-body") == ARMOEDE
    assert "Themagroep Armoede en schulden" in positions.first.inner_text()
    requests = page.get_by_test_id("pending-request")
    assert requests.count() == 1 and requests.first.get_attribute("data-body") == WONEN
    assert "Themagroep Wonen" in requests.first.inner_text()
    assert Position.objects.current().filter(person=person, body__slug=ARMOEDE).exists()
    assert MembershipRequest.objects.filter(person=person, body__slug=WONEN, status="pending").exists()
    check_page()

    armoede.get_by_role("link", name="Themagroep Armoede en schulden").click()
    page.wait_for_url(f"**/organen/{ARMOEDE}/")
    members = page.get_by_test_id("member")
    assert members.count() == 1 and "Ambtenaar Alkmaar" in members.first.inner_text()
    assert page.get_by_test_id("group-actions").get_attribute("data-state") == "member"
    assert page.get_by_test_id("demo-badge").first.is_visible()
    check_page()
    check_page(f"/organen/{WONEN}/")


def test_the_executive_board_shows_who_chaired_it_when(bodies, page, check_page, make_user):
    from stedennet.accounts.constants import Role as AccountRole
    from stedennet.governance.tests.factories import PersonFactory

    board = Body.objects.get(slug="dagelijks-bestuur")
    first = PersonFactory(name="Burgemeester Eerste", function="mayor")
    second = PersonFactory(name="Burgemeester Tweede", function="mayor")
    old = position_assign(person=first, body=board, role="chair", start_date=datetime.date(2022, 6, 1),
                          end_date=datetime.date(2026, 3, 31))
    position_assign(person=second, body=board, role="chair", start_date=datetime.date(2026, 5, 1), predecessor=old)
    make_user("bureau", AccountRole.BUREAU)

    page.goto("/organen/dagelijks-bestuur/")
    page.wait_for_url("**/inloggen/?next=**")
    sign_in(page, "bureau")
    page.wait_for_url("**/organen/dagelijks-bestuur/")

    chairs = page.get_by_test_id("chair")
    assert chairs.count() == 2
    assert "Burgemeester Eerste" in chairs.nth(0).inner_text()
    assert "1 juni 2022" in chairs.nth(0).inner_text() and "31 maart 2026" in chairs.nth(0).inner_text()
    assert (chairs.nth(0).get_attribute("data-start"), chairs.nth(0).get_attribute("data-end")) == (
        "2022-06-01", "2026-03-31")
    assert "Burgemeester Tweede" in chairs.nth(1).inner_text() and "1 mei 2026" in chairs.nth(1).inner_text()
    assert "Burgemeester Eerste" in chairs.nth(1).inner_text()  # whom the second succeeded
    assert (chairs.nth(1).get_attribute("data-start"), chairs.nth(1).get_attribute("data-end")) == ("2026-05-01", "")
    check_page()
