"""The yearly assessment: exact to the cent, every figure explained, bad input named."""

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from stedennet.contributions.models import ContributionRule
from stedennet.contributions.selectors import AssessmentError, assess, months_in_year
from stedennet.contributions.services import rule_record
from stedennet.contributions.tests.factories import IndexSeriesFactory, IndexValueFactory, SizeClassFactory
from stedennet.membership.models import MembershipPeriod
from stedennet.registry.models import PopulationFigure


def line_of(assessment, code):
    return next(line for line in assessment.lines if line.cbs_code == code)


class TestTheG40Rule:
    def test_amstelveen_2022_pays_six_twelfths_of_92363_times_021(self, g40):
        assessment = assess(network=g40, year=2022)
        amstelveen = line_of(assessment, "GM0362")
        assert amstelveen.population == 92363
        assert amstelveen.population_source == "municipal"
        assert amstelveen.population_date == datetime.date(2022, 1, 1)
        assert amstelveen.rate == Decimal("0.21")
        assert amstelveen.full_year_amount == Decimal("19396.23")
        assert amstelveen.months == 6
        assert amstelveen.amount == Decimal("9698.12")  # 9698.115 rounded half-up, once
        assert len(assessment.lines) == 41

    def test_other_members_pay_a_full_year_on_cbs_figures(self, g40):
        assessment = assess(network=g40, year=2022)
        groningen = line_of(assessment, "GM0014")
        figure = PopulationFigure.objects.current().get(municipality__cbs_code="GM0014",
                                                        reference_date="2022-01-01", source="cbs_final")
        assert groningen.population_source == "cbs_final" and groningen.months == 12
        assert groningen.amount == (figure.inhabitants * Decimal("0.21")).quantize(Decimal("0.01"))
        assert assessment.total == sum(line.amount for line in assessment.lines)
        assert isinstance(assessment.total, Decimal)

    def test_2023_and_2024_rules_are_demo_data(self, g40):
        assert ContributionRule.objects.current().get(network=g40, year=2022).is_demo is False
        assert ContributionRule.objects.current().get(network=g40, year=2024).is_demo is True
        assert line_of(assess(network=g40, year=2023), "GM0362").months == 12

    def test_a_cbs_only_rule_takes_92331(self, g40):
        rule_record(network=g40, year=2022, rate=Decimal("0.21"), population_basis="cbs_only")
        amstelveen = line_of(assess(network=g40, year=2022), "GM0362")
        assert (amstelveen.population, amstelveen.full_year_amount) == (92331, Decimal("19389.51"))

    def test_no_pro_rata_charges_the_full_year(self, g40):
        rule_record(network=g40, year=2022, rate=Decimal("0.21"), pro_rata="none")
        assert line_of(assess(network=g40, year=2022), "GM0362").amount == Decimal("19396.23")

    def test_the_reference_date_can_be_the_year_before(self, g40):
        rule_record(network=g40, year=2022, rate=Decimal("0.21"), reference_date_rule="previous_year")
        amstelveen = line_of(assess(network=g40, year=2022), "GM0362")
        assert (amstelveen.population, amstelveen.population_date) == (90830, datetime.date(2021, 1, 1))


class TestRulesAsData:
    def test_a_changed_rule_supersedes_and_keeps_the_old_one(self, g40):
        _, outcome = rule_record(network=g40, year=2022, rate=Decimal("0.22"))
        assert outcome == "changed"
        rules = ContributionRule.objects.filter(network=g40, year=2022).order_by("recorded_at")
        assert [r.rate for r in rules] == [Decimal("0.21"), Decimal("0.22")]
        assert rules[0].superseded_at is not None and rules[1].superseded_at is None

    def test_a_new_rule_is_in_the_audit_trail_an_unchanged_one_is_not(self, g40, make_user):
        from wagtail.models import ModelLogEntry

        logged = ModelLogEntry.objects.filter(content_type__model="contributionrule", action="wagtail.create")
        seeded = {str(pk) for pk in ContributionRule.objects.values_list("pk", flat=True)}
        assert seeded and set(logged.filter(user__isnull=True).values_list("object_id", flat=True)) == seeded
        before = logged.count()
        assert rule_record(network=g40, year=2022, rate=Decimal("0.21"))[1] == "unchanged"
        assert logged.count() == before
        user = make_user("bureau")
        rule, outcome = rule_record(network=g40, year=2022, rate=Decimal("0.22"), user=user)
        assert outcome == "changed"
        entry = logged.latest("pk")
        assert (entry.object_id, entry.user) == (str(rule.pk), user)

    def test_indexation_multiplies_the_previous_rate_and_rounds_as_configured(self, g40):
        series = IndexSeriesFactory(name="Test index")
        IndexValueFactory(series=series, year=2023, value=Decimal("0.05300"))
        IndexValueFactory(series=series, year=2024, value=Decimal("0.03100"))
        rule_record(network=g40, year=2023, rate_method="indexed", rate=None, index_series=series, rate_decimals=4)
        rule_record(network=g40, year=2024, rate_method="indexed", rate=None, index_series=series, rate_decimals=3)
        a2023 = assess(network=g40, year=2023)
        assert a2023.rate.rate == Decimal("0.2211")  # 0.21 × 1.053 = 0.22113
        a2024 = assess(network=g40, year=2024)
        assert a2024.rate.rate == Decimal("0.228")  # 0.2211 × 1.031 = 0.2279541 → 3 decimals half-up
        assert len(a2024.rate.steps) == 3 and "0,2211 × (1 + 0,03100" in a2024.rate.steps[-1]

    def test_size_classes_minimum_and_maximum(self, g40):
        rule, _ = rule_record(network=g40, year=2022, rate=None, minimum=Decimal("15000"), maximum=Decimal("55000"))
        SizeClassFactory(rule=rule, min_population=0, max_population=99999, rate=Decimal("0.20"))
        SizeClassFactory(rule=rule, min_population=100000, max_population=None, rate=Decimal("0.25"))
        assessment = assess(network=g40, year=2022)
        amstelveen = line_of(assessment, "GM0362")  # 92,363 × 0.20 = 18,472.60, half a year
        assert (amstelveen.rate, amstelveen.full_year_amount, amstelveen.amount) == (
            Decimal("0.20"), Decimal("18472.60"), Decimal("9236.30"))
        assen = line_of(assessment, "GM0106")  # ~69,000 × 0.20 < 15,000: the minimum applies
        assert assen.full_year_amount == Decimal("15000.00") and assen.notes == ["minimum van toepassing"]
        eindhoven = line_of(assessment, "GM0772")  # 238,326 × 0.25 = 59,581.50 > 55,000: the maximum applies
        assert eindhoven.full_year_amount == Decimal("55000.00") and eindhoven.notes == ["maximum van toepassing"]


class TestMonths:
    @pytest.mark.parametrize(("start", "end", "rule", "months"), [
        ("2022-07-01", "2022-12-31", "whole_months", 6),
        ("2022-07-15", "2022-12-31", "whole_months", 5),
        ("2022-07-15", "2022-12-31", "started_months", 6),
        ("2022-01-01", "2022-03-30", "whole_months", 2),
        ("2022-01-01", "2022-03-30", "started_months", 3),
        ("2022-07-15", "2022-12-31", "none", 12),
    ])
    def test_months_counted(self, start, end, rule, months):
        d = datetime.date.fromisoformat
        assert months_in_year(start=d(start), end=d(end), pro_rata=rule) == months


class TestBadInput:
    def test_a_year_without_a_rule(self, g40):
        with pytest.raises(AssessmentError, match="2031"):
            assess(network=g40, year=2031)

    def test_a_negative_rate_is_refused(self, g40):
        with pytest.raises(ValueError, match="niet negatief"):
            rule_record(network=g40, year=2025, rate=Decimal("-0.21"))
        assert not ContributionRule.objects.filter(year=2025).exists()

    def test_a_member_without_a_figure_is_named(self, g40):
        rule_record(network=g40, year=2026, rate=Decimal("0.21"))
        with pytest.raises(AssessmentError) as error:
            assess(network=g40, year=2026)
        assert len(error.value.problems) == 41
        assert any("Amstelveen (GM0362)" in p and "2026-01-01" in p for p in error.value.problems)


class TestCommand:
    def test_json_lists_every_member_with_its_breakdown(self, g40):
        out = StringIO()
        call_command("contributions", "calculate", "2022", "--json", stdout=out)
        result = json.loads(out.getvalue())
        rows = result["lines"]
        amstelveen = next(r for r in rows if r["cbs_code"] == "GM0362")
        assert amstelveen == {**amstelveen, "name": "Amstelveen", "population": 92363, "population_source": "municipal",
                              "population_date": "2022-01-01", "rate": "0.21", "months": 6, "amount": "9698.12"}
        assert len(rows) == 41 == result["members"]

    def test_json_has_the_total_against_the_budget(self, g40):
        out = StringIO()
        call_command("contributions", "calculate", "2024", "--json", stdout=out)
        result = json.loads(out.getvalue())
        assessment = assess(network=g40, year=2024)
        assert (result["year"], result["demo"], result["rate"]) == (2024, True, "0.21")
        assert Decimal(result["total"]) == assessment.total == sum(Decimal(r["amount"]) for r in result["lines"])
        assert (result["budget"], result["difference"]) == ("1175000.00", str(assessment.total - Decimal("1175000.00")))

    def test_text_shows_the_total_against_the_budget_and_the_demo_flag(self, g40):
        out = StringIO()
        call_command("contributions", "calculate", "2024", stdout=out)
        text = out.getvalue()
        assert "DEMO DATA" in text and "Budget: € 1.175.000,00 (demo)" in text and "Total 2024: € 1." in text
        # One notation throughout: Dutch thousands and decimal comma for counts, rates and amounts.
        hertogenbosch = next(line for line in text.splitlines() if line.startswith("GM0796"))
        assert "160.757" in hertogenbosch and "€ 0,21" in hertogenbosch and "€ 33.758,97" in hertogenbosch
        assert "0,21 per" in text.splitlines()[1]

    def test_an_impossible_assessment_exits_with_the_reasons(self, g40):
        MembershipPeriod.objects.filter(municipality__cbs_code="GM0362").update(start_date="2022-07-01")
        PopulationFigure.objects.filter(municipality__cbs_code="GM0362", reference_date="2022-01-01").delete()
        expected = r"Amstelveen \(GM0362\): geen inwonertal op 2022-01-01 uit Eigen telling gemeente, CBS, definitief"
        with pytest.raises(CommandError, match=expected):
            call_command("contributions", "calculate", "2022", stdout=StringIO())


def test_a_superseding_rule_keeps_the_size_classes(g40):
    rule, _ = rule_record(network=g40, year=2022, rate=None)
    SizeClassFactory(rule=rule, min_population=0, max_population=None, rate=Decimal("0.20"))
    new, outcome = rule_record(network=g40, year=2022, rate=None, budget=Decimal("1000000"))
    assert outcome == "changed"
    assert [(c.min_population, c.rate) for c in new.size_classes.all()] == [(0, Decimal("0.2000"))]
    assert line_of(assess(network=g40, year=2022), "GM0362").rate == Decimal("0.20")
