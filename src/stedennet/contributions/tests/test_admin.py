"""The contributions back office: rules, index series, size classes and the yearly overview."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stedennet.accounts.constants import Role
from stedennet.contributions.models import ContributionRule
from stedennet.contributions.selectors import assess
from stedennet.membership.models import MembershipPeriod
from stedennet.registry.models import Municipality, PopulationFigure

OVERVIEW = "/admin/contributions/overview/"


def euro_nl(amount: Decimal) -> str:
    """How the Dutch back office writes an amount: € 9.698,12."""
    return "€ " + f"{amount:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    return client


LISTINGS = [
    "/admin/snippets/contributions/contributionrule/",
    "/admin/snippets/contributions/contributionrule/?year=2024&is_demo=true",
    "/admin/snippets/contributions/contributionrule/?current=true",
    "/admin/snippets/contributions/indexseries/",
    "/admin/snippets/contributions/indexvalue/",
    "/admin/snippets/contributions/sizeclass/",
]


def test_the_bureau_opens_every_contributions_listing(g40, bureau):
    for url in LISTINGS:
        assert bureau.get(url).status_code == 200, url
    demo = bureau.get("/admin/snippets/contributions/contributionrule/?is_demo=true").content.decode()
    assert demo.count("w-status--primary") == 2  # 2023 and 2024, each flagged "Demo data"
    real = bureau.get("/admin/snippets/contributions/contributionrule/?is_demo=false").content.decode()
    assert real.count("w-status--primary") == 0


def test_the_2022_overview_shows_every_member_the_total_and_one_bar_each(g40, bureau):
    response = bureau.get(OVERVIEW, {"year": 2022})
    assert response.status_code == 200
    html = response.content.decode()
    assessment = assess(network=g40, year=2022)
    amstelveen = re.search(r'<tr data-cbs-code="GM0362">.*?</tr>', html, re.S).group(0)
    assert "Amstelveen" in amstelveen and "92.363" in amstelveen and "€ 9.698,12" in amstelveen
    assert ">6<" in amstelveen.replace(" ", "")  # six months: member from 1 July 2022
    assert euro_nl(assessment.total) in html
    assert html.count('<tr data-cbs-code="') == 41
    chart = re.search(r'<svg role="img"[^>]*data-testid="members-chart".*?</svg>', html, re.S).group(0)
    assert chart.count('class="member-bar"') == 41
    assert 'aria-labelledby="members-chart-title"' in chart and "<title id=\"members-chart-title\">" in chart
    assert '<desc id="members-chart-desc">' in chart
    assert 'data-testid="demo-badge"' not in html  # 2022 is the network's own rule


def test_the_bars_run_largest_first(g40, bureau):
    html = bureau.get(OVERVIEW, {"year": 2022}).content.decode()
    chart = re.search(r'data-testid="members-chart".*?</svg>', html, re.S).group(0)
    widths = [float(w) for w in re.findall(r'class="member-bar" x="[\d.]+" y="[\d.]+" width="([\d.]+)"', chart)]
    assert len(widths) == 41 and widths == sorted(widths, reverse=True) and widths[0] > 0


def test_the_2024_overview_says_demo_data_and_shows_the_budget(g40, bureau):
    html = bureau.get(OVERVIEW, {"year": 2024}).content.decode()
    assessment = assess(network=g40, year=2024)
    assert 'data-testid="demo-badge"' in html
    assert euro_nl(Decimal("1175000.00")) in html  # the (invented) budget
    assert euro_nl(assessment.difference) in html
    chart = re.search(r'data-testid="budget-chart".*?</svg>', html, re.S).group(0)
    assert chart.count('class="budget-bar"') == 2


def test_without_a_year_the_latest_year_with_a_rule_is_shown(g40, bureau):
    response = bureau.get(OVERVIEW)
    assert response.context["year"] == 2024


def test_an_assessment_that_cannot_be_made_lists_its_problems(g40, bureau):
    PopulationFigure.objects.filter(municipality__cbs_code="GM0362", reference_date="2022-01-01").delete()
    html = bureau.get(OVERVIEW, {"year": 2022}).content.decode()
    assert 'data-testid="problems"' in html and "GM0362" in html
    assert 'data-testid="members-chart"' not in html


def test_the_overview_shows_the_invoice_status_per_member(g40_billing, bureau):
    from stedennet.invoices.services import invoices_issue, payment_record

    report = invoices_issue(network=g40_billing, year=2022, issue_date=datetime.date(2022, 12, 1))
    amstelveen = next(i for i in report.issued if i.municipality.cbs_code == "GM0362")
    payment_record(invoice=amstelveen, date=datetime.date(2022, 12, 10), amount=amstelveen.total_amount)
    html = bureau.get(OVERVIEW, {"year": 2022}).content.decode()
    row = re.search(r'<tr data-cbs-code="GM0362">.*?</tr>', html, re.S).group(0)
    assert amstelveen.number in row and 'data-status="paid"' in row
    assert html.count('data-status="overdue"') == 40  # the others, unpaid long after their due date


def test_the_overview_runs_a_constant_number_of_queries(g40, bureau):
    bureau.get(OVERVIEW, {"year": 2022})  # warm the caches a running server has
    with CaptureQueriesContext(connection) as before:
        assert bureau.get(OVERVIEW, {"year": 2022}).status_code == 200
    members = set(MembershipPeriod.objects.filter(network=g40).values_list("municipality_id", flat=True))
    for index, municipality in enumerate(Municipality.objects.exclude(pk__in=members).order_by("cbs_code")[:20]):
        MembershipPeriod.objects.create(network=g40, municipality=municipality, start_date=datetime.date(2020, 1, 1))
        PopulationFigure.objects.get_or_create(
            municipality=municipality, reference_date=datetime.date(2022, 1, 1), source="cbs_final",
            superseded_at=None, defaults={"inhabitants": 20_000 + index})
    bureau.get(OVERVIEW, {"year": 2022})
    with CaptureQueriesContext(connection) as after:
        response = bureau.get(OVERVIEW, {"year": 2022})
    assert response.content.decode().count('class="member-bar"') == 61
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]


def test_a_civil_servant_and_a_visitor_are_refused(g40, client, make_user):
    response = client.get(OVERVIEW, {"year": 2022})
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
    response = client.get(OVERVIEW, {"year": 2022})
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert b"member-bar" not in response.content


def test_an_admin_user_outside_the_bureau_gets_403(back_office_login, g40, client, make_user):
    from django.contrib.auth.models import Permission

    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    response = client.get(OVERVIEW, {"year": 2022})
    assert response.status_code == 403
    assert b"member-bar" not in response.content
    assert client.get("/admin/snippets/contributions/contributionrule/").status_code != 200


def test_saving_a_rule_supersedes_it_instead_of_editing_it(g40, bureau):
    rule = ContributionRule.objects.current().get(network=g40, year=2022)
    data = {
        "year": "2022", "rate_method": "fixed", "rate": "0.22", "index_series": "", "rate_decimals": "4",
        "reference_date_rule": "fee_year", "population_basis": "municipal_first", "pro_rata": "whole_months",
        "minimum": "", "maximum": "", "budget": "", "source": "Besluit ALV 2021-12", "is_demo": "",
    }
    response = bureau.post(f"/admin/snippets/contributions/contributionrule/edit/{rule.pk}/", data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    rules = list(ContributionRule.objects.filter(network=g40, year=2022).order_by("recorded_at"))
    assert [(r.rate, r.superseded_at is None) for r in rules] == [(Decimal("0.21"), False), (Decimal("0.22"), True)]
    assert bureau.get(f"/admin/snippets/contributions/contributionrule/delete/{rule.pk}/").status_code != 200
    assert ContributionRule.objects.filter(pk=rule.pk).exists()
