"""The bureau's dashboard on the back-office home: open and overdue invoices, requests to join,
vacancies, upcoming meetings and failed mail, each with links, in a bounded number of queries;
and no third-party calls from the back office (no gravatar, no external resources)."""

import datetime
import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stedennet.accounts.constants import Role
from stedennet.invoices.models import Invoice
from stedennet.invoices.services import invoices_issue, payment_record

d = datetime.date.fromisoformat


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    return client


@pytest.fixture
def busy(g40_billing, g40_bodies):
    """Invoices (2022 overdue, one overpaid), a request to join, a vacancy, a meeting, a failed mail."""
    from stedennet.governance.models import Body, MembershipRequest, Person, Position
    from stedennet.governance.services import position_assign
    from stedennet.mail.models import OutgoingMail
    from stedennet.registry.models import Municipality

    invoices_issue(network=g40_billing, year=2022, issue_date=d("2022-12-01"))
    paid = Invoice.objects.get(year=2022, municipality__cbs_code="GM0193")
    payment_record(invoice=paid, date=d("2022-12-10"), amount=paid.total_amount + Decimal("5.00"))
    amstelveen = Municipality.objects.get(cbs_code="GM0362")
    person = Person.objects.create(name="Demo-Anna", email="anna@demo.invalid", municipality=amstelveen,
                                   function="alderman", is_demo=True)
    group = Body.objects.filter(kind="theme_group").order_by("pk").first()
    MembershipRequest.objects.create(person=person, body=group, motivation="graag")
    board = Body.objects.get(slug="algemeen-bestuur")
    position_assign(person=person, body=board, role="member", start_date=d("2022-04-01"))
    Position.objects.filter(person=person, body=board).update(end_date=d("2026-03-31"), end_reason="verkiezingen")
    from stedennet.meetings.models import Meeting

    start = timezone.now() + datetime.timedelta(days=10)
    Meeting.objects.create(body=board, title="Demo-vergadering AB", starts_at=start,
                           ends_at=start + datetime.timedelta(hours=2), uid=f"m-{uuid.uuid4()}")
    OutgoingMail.objects.create(status="failed", from_email="bureau@x.invalid", recipients=["a@x.invalid"],
                                to="a@x.invalid", subject="Uitnodiging", message=b"", attempts=2,
                                last_error="Connection refused (localhost:25)")
    return g40_billing


def panel(html: str, name: str) -> str:
    start = html.index(f'data-testid="dashboard-stedennet-{name}"')
    return html[start:start + 6000]


def figure(html: str, name: str, key: str) -> int:
    match = re.search(rf'data-figure="{key}" data-count="(\d+)"', panel(html, name))
    return int(match.group(1))


def test_the_bureau_sees_its_work_with_links(busy, bureau):
    html = bureau.get("/admin/").content.decode()
    assert figure(html, "invoices", "open") == 40 and figure(html, "invoices", "overdue") == 40
    assert figure(html, "invoices", "overpaid") == 1 and figure(html, "invoices", "unsent") == 41
    assert "/admin/snippets/invoices/invoice/" in panel(html, "invoices")
    assert figure(html, "requests", "pending") == 1 and "Demo-Anna" in panel(html, "requests")
    assert re.search(r'href="/admin/governance/requests/\d+/decide/"', panel(html, "requests"))
    assert figure(html, "vacancies", "vacancies") >= 1 and 'href="/admin/governance/vacancies/"' in html
    assert "Demo-vergadering AB" in panel(html, "meetings")
    assert figure(html, "mail", "failed") == 1 and "Connection refused" in panel(html, "mail")
    assert re.search(r'href="/admin/mail/outbox/[^"]*\d+/"', panel(html, "mail"))


def test_the_open_amount_is_what_is_outstanding(busy, bureau):
    from stedennet.invoices.selectors import invoice_figures

    figures = invoice_figures(network=busy, day=d("2023-06-01"))
    unpaid = Invoice.objects.filter(year=2022).exclude(municipality__cbs_code="GM0193")
    assert figures.open_amount == figures.overdue_amount == sum(i.total_amount for i in unpaid)
    early = invoice_figures(network=busy, day=d("2022-12-02"))
    assert (early.open_count, early.overdue_count) == (40, 0)


def test_the_dashboard_runs_a_bounded_number_of_queries(busy, bureau):
    bureau.get("/admin/")  # warm the caches of the first request
    with CaptureQueriesContext(connection) as few:
        assert bureau.get("/admin/").status_code == 200
    invoices_issue(network=busy, year=2023, issue_date=d("2023-02-01"))
    invoices_issue(network=busy, year=2024, issue_date=d("2024-02-01"))
    with CaptureQueriesContext(connection) as many:
        html = bureau.get("/admin/").content.decode()
    assert figure(html, "invoices", "open") == 40 + 82
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 40


def test_others_with_back_office_access_see_no_bureau_panels(back_office_login, busy, client, make_user):
    from django.contrib.auth.models import Permission

    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    html = client.get("/admin/").content.decode()
    assert "dashboard-stedennet-invoices" not in html


EXTERNAL_RESOURCE = re.compile(
    r'''(?:src|srcset|poster|data|action)\s*=\s*["']\s*(?:https?:)?//|<link[^>]+href=["']\s*(?:https?:)?//'''
    r'''|url\(\s*["']?\s*(?:https?:)?//''', re.I)


@pytest.mark.parametrize("superuser", [False, True])
def test_no_back_office_page_loads_anything_from_another_host(back_office_login, busy, client, make_user, superuser):
    user = make_user("boss", superuser=True) if superuser else make_user("bureau", Role.BUREAU)
    user.email = "someone@example.org"  # gravatar.com would be asked for this address's picture
    user.save()
    back_office_login(client, user)
    invoice = Invoice.objects.first()
    for url in ["/admin/", "/admin/snippets/invoices/invoice/", "/admin/contributions/overview/?year=2022",
                "/admin/invoices/year/2024/issue/", f"/admin/snippets/invoices/invoice/inspect/{invoice.pk}/",
                "/admin/account/", *(["/admin/users/"] if superuser else [])]:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert "gravatar" not in html.lower(), url
        assert EXTERNAL_RESOURCE.findall(html) == [], url
