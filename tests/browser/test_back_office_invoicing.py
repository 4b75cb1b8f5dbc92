"""Done when: the bureau issues the 2024 invoices from the back office and sees them on the
dashboard. In a real browser, signed in with the demo account: the contributions overview, the
preview (what will be issued, nothing yet), the confirmation, the invoice page with its buttons,
sending it by mail, and the dashboard's figures; each page passes axe (WCAG 2.1 A/AA) and the
Nu Html Checker."""

import re

import pytest

from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser


@pytest.fixture
def ready(g40, transactional_db):
    from stedennet.accounts.services import demo_accounts_create
    from stedennet.invoices.demo import demo_billing_load

    home_page_ensure()
    demo_accounts_create()
    demo_billing_load(network=g40)
    return g40


def test_the_bureau_issues_the_2024_invoices_and_sees_them_on_the_dashboard(ready, page, check_page):
    from stedennet.invoices.models import Invoice, InvoiceMailing

    page.goto("/admin/login/")
    page.fill("#id_username", "bureau")
    page.fill("#id_password", "demo-bureau-g40")
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/admin/")
    dashboard = page.get_by_test_id("dashboard-stedennet-invoices")
    assert dashboard.locator("[data-figure='open']").get_attribute("data-count") == "0"

    check_page("/admin/contributions/overview/?year=2024")
    page.get_by_role("link", name=re.compile("2024")).filter(has_text=re.compile("factur|invoice", re.I)).click()
    page.wait_for_url("**/admin/invoices/year/2024/issue/")
    check_page()
    planned = page.get_by_test_id("issue-planned")
    assert planned.get_attribute("data-count") == "41"
    assert "€ 19.952,94" in planned.locator("tr[data-cbs-code='GM0362']").inner_text()
    assert not Invoice.objects.exists()  # a preview issues nothing

    page.locator("#id_issue_date").fill("2024-02-01")
    page.get_by_role("button", name=re.compile("voorbeeld|preview", re.I)).click()
    page.wait_for_url("**/issue/?issue_date=2024-02-01")
    page.get_by_test_id("issue-confirm").get_by_role("button").click()
    page.wait_for_url("**/admin/contributions/overview/?year=2024")
    assert Invoice.objects.filter(year=2024).count() == 41

    amstelveen = Invoice.objects.get(year=2024, municipality__cbs_code="GM0362")
    page.locator("tr[data-cbs-code='GM0362']").get_by_role("link", name=amstelveen.number).click()
    page.wait_for_url(f"**/inspect/{amstelveen.pk}/")
    check_page()
    assert page.locator("[data-action='pay']").is_visible()
    page.locator("[data-action='send']").click()
    page.wait_for_url(f"**/admin/invoices/{amstelveen.number}/send/")
    check_page()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**/inspect/{amstelveen.pk}/")
    assert InvoiceMailing.objects.filter(invoice=amstelveen).exists()
    assert "crediteuren.amstelveen@example.org" in page.get_by_test_id("sent").inner_text()

    check_page("/admin/")
    dashboard = page.get_by_test_id("dashboard-stedennet-invoices")
    assert dashboard.locator("[data-figure='open']").get_attribute("data-count") == "41"
    assert dashboard.locator("[data-figure='unsent']").get_attribute("data-count") == "40"
    assert "€ " in dashboard.locator("[data-figure='open']").inner_text()
    dashboard.get_by_role("link", name=re.compile("Alle facturen|All invoices")).click()
    page.wait_for_url("**/admin/snippets/invoices/invoice/")
