import json

from django.core.management.base import BaseCommand, CommandError

from stedennet.contributions.services import AssessmentError, assess
from stedennet.registry.selectors import network_current


def euro(value) -> str:
    return f"€{value:,.2f}".replace(",", " ")


class Command(BaseCommand):
    help = "Contributions: `calculate YEAR [--json]` gives every member's contribution with its breakdown."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        calculate = sub.add_parser("calculate", help="assess every member's contribution for a year")
        calculate.add_argument("year", type=int)
        calculate.add_argument("--json", action="store_true", help="a JSON list, one object per member")

    def handle(self, *args, action: str, year: int, **options) -> None:
        network = network_current()
        if network is None:
            raise CommandError("No network loaded; run `stedennet load-g40` first.")
        try:
            assessment = assess(network=network, year=year)
        except AssessmentError as error:
            raise CommandError("cannot assess {}:\n  {}".format(year, "\n  ".join(error.problems))) from None
        if options["json"]:
            self.stdout.write(_dumps([line.as_dict() for line in assessment.lines]))
            return
        rule = assessment.rule
        if rule.is_demo:
            self.stdout.write(f"DEMO DATA: the {year} rule is an assumption, not a decision of the network.")
        for step in assessment.rate.steps:
            self.stdout.write(step)
        self.stdout.write(
            f"{'code':<7} {'member':<24} {'inhabitants':>11} {'date':<10} {'source':<15} "
            f"{'rate':>7} {'mo':>2} {'amount':>14}"
        )
        for line in assessment.lines:
            self.stdout.write(
                f"{line.cbs_code:<7} {line.name[:24]:<24} {line.population:>11,} "
                f"{line.population_date.isoformat():<10} "
                f"{line.population_source:<15} {line.rate:>7} {line.months:>2} {euro(line.amount):>14}"
                + (f"  ({', '.join(line.notes)})" if line.notes else "")
            )
        self.stdout.write(f"Total {year}: {euro(assessment.total)} for {len(assessment.lines)} members.")
        if assessment.budget is None:
            self.stdout.write("Budget: none recorded.")
        else:
            self.stdout.write(
                f"Budget: {euro(assessment.budget)}{' (demo)' if rule.is_demo else ''}; "
                f"difference {euro(assessment.difference)}."
            )


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)
