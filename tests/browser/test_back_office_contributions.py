"""The bureau's contributions overview, an invoice and a member's timeline in the back office
pass axe (WCAG 2.1 A/AA) and the Nu Html Checker in a real browser."""

import datetime
import io
import re

import pytest
from django.core.management import call_command

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def loaded(transactional_db):
    from stedennet.invoices.demo import demo_billing_load
    from stedennet.invoices.services import invoices_issue
    from stedennet.registry.models import Network

    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    network = Network.objects.get(slug="g40")
    demo_billing_load(network=network)
    invoices_issue(network=network, year=2022, issue_date=datetime.date(2022, 12, 1))


def log_in_as_bureau(page, make_user):
    from stedennet.accounts.constants import Role

    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")


def test_the_bureau_reads_the_2022_contributions_an_invoice_and_a_timeline(loaded, page, check_page, make_user):
    from stedennet.invoices.models import Invoice

    log_in_as_bureau(page, make_user)

    check_page("/admin/contributions/overview/?year=2022")
    chart = page.get_by_role("img", name=re.compile("2022"))
    assert chart.first.is_visible()
    assert page.locator("svg[data-testid='members-chart'] rect.member-bar").count() == 41
    amstelveen = page.locator("tr[data-cbs-code='GM0362']")
    assert "€ 9.698,12" in amstelveen.inner_text()

    amstelveen.get_by_role("link").first.click()
    page.wait_for_url("**/admin/snippets/invoices/invoice/inspect/**")
    invoice = Invoice.objects.get(year=2022, municipality__cbs_code="GM0362")
    assert invoice.number in page.get_by_test_id("invoice").inner_text()
    check_page()

    check_page("/admin/membership/timeline/GM0362/")
    assert page.get_by_test_id("timeline").locator("li").count() >= 3
