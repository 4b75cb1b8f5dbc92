"""Reading contributions: the rule of a year, its rate (with how it was reached) and the yearly
assessment, every member's contribution exact to the cent. Nothing here writes.

Money is Decimal throughout; each line is rounded half-up to cents once, at the end of its own
computation (population × rate × months / 12, then minimum/maximum, then rounding).
"""

import calendar
import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from stedennet.contributions.models import (
    ContributionRule,
    IndexValue,
    PopulationBasis,
    ProRata,
    RateMethod,
    ReferenceDateRule,
)
from stedennet.membership.models import MembershipPeriod
from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality, Network, PopulationFigure
from stedennet.web.refusals import Refused

CENT = Decimal("0.01")
TWELVE = Decimal(12)


class AssessmentError(Refused):
    """The assessment cannot be made; ``problems`` names every member and what is missing (one
    reason each, with its ``code``: ``no_rule``, ``no_population_figure`` …)."""

    default_code = "assessment"

    def __init__(self, problems: list):
        reasons = [p if isinstance(p, Refused) else Refused(str(p), self.default_code) for p in problems]
        super().__init__(reasons)
        self.problems = [str(reason) for reason in reasons]

    def __str__(self) -> str:
        return "\n".join(self.problems)


@dataclass(frozen=True)
class RateExplained:
    rate: Decimal
    steps: list[str]


@dataclass
class AssessmentLine:
    municipality: Municipality
    population: int
    population_source: str
    population_date: datetime.date
    rate: Decimal
    months: int
    full_year_amount: Decimal
    amount: Decimal
    period_start: datetime.date
    period_end: datetime.date
    size_class: str = ""
    notes: list[str] = field(default_factory=list)
    # The months the member pays for: the invoice period (Amstelveen 2022: 1 July - 31 December).
    billed_from: datetime.date | None = None
    billed_to: datetime.date | None = None

    @property
    def cbs_code(self) -> str:
        return self.municipality.cbs_code

    @property
    def name(self) -> str:
        return self.municipality.display_name

    def as_dict(self) -> dict:
        return {
            "cbs_code": self.cbs_code,
            "name": self.name,
            "population": self.population,
            "population_source": self.population_source,
            "population_date": self.population_date.isoformat(),
            "rate": rate_text(self.rate),
            "months": self.months,
            "full_year_amount": str(self.full_year_amount),
            "amount": str(self.amount),
            "period_start": self.period_start.isoformat(),
            "period_end": self.period_end.isoformat(),
            "size_class": self.size_class,
            "notes": self.notes,
        }


@dataclass
class Assessment:
    network: Network
    year: int
    rule: ContributionRule
    rate: RateExplained
    lines: list[AssessmentLine]

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0.00"))

    @property
    def budget(self) -> Decimal | None:
        return self.rule.budget

    @property
    def difference(self) -> Decimal | None:
        return None if self.budget is None else self.total - self.budget


def rate_text(rate: Decimal) -> str:
    """A rate as people write it: at least two decimals, no trailing zeros beyond (0.21, 0.2134)."""
    return f"{rate:.2f}" if rate == rate.quantize(CENT) else f"{rate.normalize():f}"


def _shown(value: Decimal, *, trim: bool = True) -> str:
    """A rate or index in the notation of the active language (Dutch: 0,21), for explanations."""
    return number_format(Decimal(rate_text(value)) if trim else value, use_l10n=True)


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# --- rules ---------------------------------------------------------------------------------

def rule_for(*, network: Network, year: int) -> ContributionRule | None:
    return (
        ContributionRule.objects.current().filter(network=network, year=year)
        .select_related("index_series").prefetch_related("size_classes").first()
    )


def rule_years(*, network: Network) -> list[int]:
    """The years that have a current rule, the latest first."""
    return list(ContributionRule.objects.current().filter(network=network)
                .order_by("-year").values_list("year", flat=True))


def rate_for(*, rule: ContributionRule, _depth: int = 0) -> RateExplained:
    """The rate per inhabitant of a rule, with how it was reached: a fixed rate as given, an
    indexed rate as the previous year's rate × (1 + index), rounded as the rule says."""
    if rule.rate_method == RateMethod.FIXED:
        if rule.rate is None:
            raise AssessmentError([Refused(_("The rule for %(year)s has no rate per inhabitant.") % {"year": rule.year},
                                           "no_rate")])
        return RateExplained(rule.rate, [_("%(year)s: rate €%(rate)s per inhabitant (fixed).")
                                         % {"year": rule.year, "rate": _shown(rule.rate)}])
    if _depth > 50:
        raise AssessmentError([Refused(_("Indexation goes back more than 50 years without a fixed rate."),
                                       "indexation_too_deep")])
    previous = rule_for(network=rule.network, year=rule.year - 1)
    if previous is None:
        message = _("The rule for %(year)s indexes the rate of %(previous)s, which has no rule.") % {
            "year": rule.year, "previous": rule.year - 1}
        raise AssessmentError([Refused(message, "no_previous_rule")])
    index = IndexValue.objects.filter(series=rule.index_series, year=rule.year).first()
    if index is None:
        raise AssessmentError([Refused(_("The index series %(series)s has no value for %(year)s.")
                                       % {"series": rule.index_series, "year": rule.year}, "no_index_value")])
    before = rate_for(rule=previous, _depth=_depth + 1)
    exponent = Decimal(1).scaleb(-rule.rate_decimals)
    rate = (before.rate * (1 + index.value)).quantize(exponent, rounding=ROUND_HALF_UP)
    step = _("%(year)s: €%(before)s × (1 + %(index)s %(series)s%(demo)s) = €%(rate)s per inhabitant.") % {
        "year": rule.year, "before": _shown(before.rate), "index": _shown(index.value, trim=False),
        "series": rule.index_series, "demo": _(", demo value") if index.is_demo else "", "rate": _shown(rate),
    }
    return RateExplained(rate, [*before.steps, step])


# --- assessment ----------------------------------------------------------------------------

def months_in_year(*, start: datetime.date, end: datetime.date, pro_rata: str) -> int:
    """Months of ``start``..``end`` (both within one year) that count under the pro-rata rule."""
    if pro_rata == ProRata.NONE:
        return 12
    months = 0
    for month in range(start.month, end.month + 1):
        first = datetime.date(start.year, month, 1)
        last = datetime.date(start.year, month, calendar.monthrange(start.year, month)[1])
        covered_whole = start <= first and end >= last
        covered_some = start <= last and end >= first
        months += covered_whole if pro_rata == ProRata.WHOLE_MONTHS else covered_some
    return months


def months_billed(*, start: datetime.date, end: datetime.date, pro_rata: str) -> list[int]:
    """The months (1-12) of ``start``..``end`` (both within one year) that the member pays for."""
    if pro_rata == ProRata.NONE:
        return list(range(1, 13))
    billed = []
    for month in range(start.month, end.month + 1):
        first = datetime.date(start.year, month, 1)
        last = datetime.date(start.year, month, calendar.monthrange(start.year, month)[1])
        whole = start <= first and end >= last
        if whole or (pro_rata == ProRata.STARTED_MONTHS and start <= last and end >= first):
            billed.append(month)
    return billed


def _reference_date(rule: ContributionRule) -> datetime.date:
    year = rule.year if rule.reference_date_rule == ReferenceDateRule.FEE_YEAR else rule.year - 1
    return datetime.date(year, 1, 1)


def _source_order(basis: str) -> list[str]:
    if basis == PopulationBasis.MUNICIPAL_FIRST:
        return [PopulationSource.MUNICIPAL, PopulationSource.CBS_FINAL, PopulationSource.CBS_PROVISIONAL]
    if basis == PopulationBasis.CBS_ONLY:
        return [PopulationSource.CBS_FINAL, PopulationSource.CBS_PROVISIONAL]
    return [PopulationSource.CBS_FINAL]


def assess(*, network: Network, year: int) -> Assessment:
    """Every member's contribution for ``year``, or an AssessmentError naming every problem."""
    rule = rule_for(network=network, year=year)
    if rule is None:
        raise AssessmentError([Refused(_("There is no contribution rule for %(year)s.") % {"year": year}, "no_rule")])
    problems: list[Refused] = []
    if rule.rate is not None and rule.rate < 0:
        problems.append(Refused(_("The rate for %(year)s is negative: %(rate)s.") % {"year": year, "rate": rule.rate},
                                "negative_rate"))
    classes = list(rule.size_classes.all())
    try:
        rate = rate_for(rule=rule) if (rule.rate_method == RateMethod.INDEXED or rule.rate is not None or not classes) \
            else RateExplained(Decimal(0), [_("%(year)s: rates per size class.") % {"year": year}])
    except AssessmentError as error:
        raise AssessmentError(problems + error.error_list) from None
    if problems:
        raise AssessmentError(problems)

    year_start, year_end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    periods = list(
        MembershipPeriod.objects.filter(network=network)
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=year_end))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=year_start))
        .select_related("municipality").order_by("municipality__name", "start_date")
    )
    reference = _reference_date(rule)
    order = _source_order(rule.population_basis)
    figures: dict[int, dict[str, PopulationFigure]] = {}
    for figure in PopulationFigure.objects.current().filter(
        municipality__in={p.municipality_id for p in periods}, reference_date=reference, source__in=order
    ):
        figures.setdefault(figure.municipality_id, {})[figure.source] = figure

    by_municipality: dict[int, list[MembershipPeriod]] = {}
    for period in periods:
        by_municipality.setdefault(period.municipality_id, []).append(period)

    lines = []
    for municipality_periods in by_municipality.values():
        municipality = municipality_periods[0].municipality
        start = max(municipality_periods[0].start_date or year_start, year_start)
        end = min(municipality_periods[-1].end_date or year_end, year_end)
        months = sum(
            months_in_year(start=max(p.start_date or year_start, year_start),
                           end=min(p.end_date or year_end, year_end), pro_rata=rule.pro_rata)
            for p in municipality_periods
        )
        billed = sorted({month for p in municipality_periods for month in months_billed(
            start=max(p.start_date or year_start, year_start), end=min(p.end_date or year_end, year_end),
            pro_rata=rule.pro_rata)})
        billed_from = datetime.date(year, billed[0], 1) if billed else None
        billed_to = datetime.date(year, billed[-1], calendar.monthrange(year, billed[-1])[1]) if billed else None
        available = figures.get(municipality.pk, {})
        figure = next((available[s] for s in order if s in available), None)
        if figure is None:
            problems.append(Refused(
                _("%(name)s (%(code)s): no population figure for %(date)s from %(sources)s.") % {
                    "name": municipality.display_name, "code": municipality.cbs_code,
                    "date": reference.isoformat(),
                    "sources": ", ".join(str(PopulationSource(s).label) for s in order)}, "no_population_figure"))
            continue
        line_rate, class_label, fixed = rate.rate, "", None
        if classes:
            band = next((c for c in classes if c.contains(figure.inhabitants)), None)
            if band is None:
                problems.append(Refused(
                    _("%(name)s (%(code)s): %(population)s inhabitants fall in no size class.") % {
                        "name": municipality.display_name, "code": municipality.cbs_code,
                        "population": figure.inhabitants}, "no_size_class"))
                continue
            class_label = str(band)
            if band.amount is not None:
                fixed = band.amount
            else:
                line_rate = band.rate
        full = fixed if fixed is not None else figure.inhabitants * line_rate
        notes = []
        if rule.minimum is not None and full < rule.minimum:
            full, notes = rule.minimum, [_("minimum applies")]
        if rule.maximum is not None and full > rule.maximum:
            full, notes = rule.maximum, [_("maximum applies")]
        amount = money(full * months / TWELVE)
        lines.append(AssessmentLine(
            municipality=municipality, population=figure.inhabitants, population_source=figure.source,
            population_date=figure.reference_date, rate=line_rate, months=months, full_year_amount=money(full),
            amount=amount, period_start=start, period_end=end, size_class=class_label, notes=notes,
            billed_from=billed_from, billed_to=billed_to,
        ))
    if problems:
        raise AssessmentError(problems)
    lines.sort(key=lambda line: line.municipality.name)
    return Assessment(network=network, year=year, rule=rule, rate=rate, lines=lines)
