import datetime
import json as jsonlib

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.formats import number_format

from stedennet.membership.selectors import members_on
from stedennet.registry.selectors import network_current


class Command(BaseCommand):
    help = "List the network's members on a date (default today)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help="print a JSON list")
        parser.add_argument("--on", dest="on", help="date, YYYY-MM-DD (default: today)")

    def handle(self, *args, on: str | None, **options) -> None:
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            raise CommandError(f"--on {on!r} is not a date in the form YYYY-MM-DD") from None
        network = network_current()
        if network is None:
            raise CommandError("No network loaded yet: run `stedennet load-g40` first.")
        rows = [
            {
                "cbs_code": p.municipality.cbs_code,
                "name": p.municipality.display_name,
                "province": p.municipality.province.name,
                "member_since": p.start_date.isoformat() if p.start_date else None,
                "member_until": p.end_date.isoformat() if p.end_date else None,
                "population": p.population,
                "population_date": p.population_date.isoformat() if p.population_date else None,
                "population_source": p.population_source,
            }
            for p in members_on(network=network, day=day)
        ]
        if options["json"]:
            self.stdout.write(_dumps(rows))
            return
        self.stdout.write(f"{network.name}: {len(rows)} members on {day.isoformat()}")
        for row in rows:
            self.stdout.write(
                f"{row['cbs_code']}  {row['name']:<28} since {row['member_since'] or 'unknown':<10}  "
                f"{_count(row['population']):>9} ({row['population_source'] or 'no figure'}, {row['population_date']})"
            )


def _dumps(rows: list[dict]) -> str:
    return jsonlib.dumps(rows, ensure_ascii=False, indent=2)


def _count(value: int | None) -> str:
    """An inhabitant count in the notation of the output's language (Dutch: 92.331)."""
    return "" if value is None else number_format(value, force_grouping=True, use_l10n=True)
