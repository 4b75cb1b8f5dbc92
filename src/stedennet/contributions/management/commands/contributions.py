import json

from django.core.management.base import BaseCommand, CommandError

from stedennet.contributions.selectors import AssessmentError, assess, rate_text
from stedennet.registry.selectors import network_current
from stedennet.web.formats import money_nl, number_nl, rate_nl


class Command(BaseCommand):
    help = "Contributions: `calculate YEAR [--json]` gives every member's contribution with its breakdown."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        calculate = sub.add_parser("calculate", help="assess every member's contribution for a year")
        calculate.add_argument("year", type=int)
        calculate.add_argument("--json", action="store_true",
                               help="a JSON object: the members with their breakdown, the total and the budget")

    def handle(self, *args, action: str, year: int, **options) -> None:
        network = network_current()
        if network is None:
            raise CommandError("No network loaded; run `stedennet load-g40` first.")
        try:
            assessment = assess(network=network, year=year)
        except AssessmentError as error:
            raise CommandError("cannot assess {}:\n  {}".format(year, "\n  ".join(error.problems))) from None
        rule = assessment.rule
        if options["json"]:
            # Amounts as strings with a dot (Decimal, machine-readable); null when there is no budget.
            self.stdout.write(_dumps({
                "year": year,
                "demo": rule.is_demo,
                "rate": rate_text(assessment.rate.rate),
                "members": len(assessment.lines),
                "total": str(assessment.total),
                "budget": None if assessment.budget is None else str(assessment.budget),
                "difference": None if assessment.difference is None else str(assessment.difference),
                "lines": [line.as_dict() for line in assessment.lines],
            }))
            return
        if rule.is_demo:
            self.stdout.write(f"DEMO DATA: the {year} rule is an assumption, not a decision of the network.")
        for step in assessment.rate.steps:
            self.stdout.write(step)
        self.stdout.write(
            f"{'code':<7} {'member':<24} {'inhabitants':>11} {'date':<10} {'source':<15} "
            f"{'rate':>8} {'mo':>2} {'amount':>14}"
        )
        for line in assessment.lines:
            self.stdout.write(
                f"{line.cbs_code:<7} {line.name[:24]:<24} {number_nl(line.population):>11} "
                f"{line.population_date.isoformat():<10} "
                f"{line.population_source:<15} {rate_nl(line.rate):>8} {line.months:>2} {money_nl(line.amount):>14}"
                + (f"  ({', '.join(line.notes)})" if line.notes else "")
            )
        self.stdout.write(f"Total {year}: {money_nl(assessment.total)} for {len(assessment.lines)} members.")
        if assessment.budget is None:
            self.stdout.write("Budget: none recorded.")
        else:
            self.stdout.write(
                f"Budget: {money_nl(assessment.budget)}{' (demo)' if rule.is_demo else ''}; "
                f"difference {money_nl(assessment.difference)}."
            )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
