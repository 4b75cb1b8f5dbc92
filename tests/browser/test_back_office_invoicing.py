"""Done when: the bureau issues the 2024 invoices from the back office and sees them on the
dashboard. In a real browser, signed in with the demo account: the contributions overview, the
preview (what will be issued, nothing yet), the confirmation, the invoice page with its buttons,
sending it by mail, and the dashboard's figures; each page passes axe (WCAG 2.1 A/AA) and the
Nu Html Checker."""

import re

import pytest

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

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

    sign_in_page(page, "bureau", "demo-bureau-g40", next="/admin/")
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
    # The year's 41 invoices are issued in this one request: slow on a loaded CI machine, so a longer wait.
    page.wait_for_url("**/admin/contributions/overview/?year=2024", timeout=90_000)
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


def test_the_bureau_invites_a_person_and_the_mail_lands_in_the_demo_outbox(ready, page, check_page):
    """The demo walk of issue 8: inviting with "send by e-mail" (the default) answers a page that
    shows the link and says the mail is in the outbox, where the bureau then reads it."""
    from stedennet.governance.demo import demo_governance_load
    from stedennet.governance.models import Person
    from stedennet.mail.models import OutgoingMail

    demo_governance_load(network=ready)
    invitee = Person.objects.filter(user__isnull=True).exclude(email="").order_by("pk").first()
    sign_in_page(page, "bureau", "demo-bureau-g40", next="/admin/")
    page.wait_for_url("**/admin/")

    check_page(f"/admin/governance/people/{invitee.pk}/invite/")
    assert page.locator("input[name=send]").is_checked()
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    check_page()
    assert page.get_by_test_id("invitation-url").input_value().startswith("http")
    status = page.get_by_test_id("invitation-mail").get_attribute("data-status")
    mail = OutgoingMail.objects.get(to__contains=invitee.email)
    assert status == "queued"  # the page answers before the worker delivers: the mail waits in the outbox
    assert mail.status == "sent"  # then the worker (run at once in tests) delivered it
    from django.urls import reverse

    link = page.get_by_test_id("invitation-mail").get_by_role("link")
    assert link.get_attribute("href").endswith(reverse("mail_outbox:inspect", args=[mail.pk]))
    check_page(reverse("mail_outbox:inspect", args=[mail.pk]))
    assert invitee.email in page.content()
