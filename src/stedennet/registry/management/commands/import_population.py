import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stedennet.registry.constants import PopulationSource
from stedennet.registry.services import ImportRejected, population_import

SOURCE_ALIASES = {value.replace("_", "-"): value for value in PopulationSource.values}


class Command(BaseCommand):
    help = (
        "Import a CSV of population figures (columns cbs_code and inhabitants) for one source and "
        "reference date. All rows or none: a bad row is reported as FILE:LINE: reason."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--source", required=True, choices=sorted(SOURCE_ALIASES),
                            help="cbs-final, cbs-provisional or municipal")
        parser.add_argument("--date", required=True, help="reference date, YYYY-MM-DD")
        parser.add_argument("--note", default="", help="which table or publication the figures come from")
        parser.add_argument("--url", default="", help="a link to the source")

    def handle(self, *args, file: Path, source: str, date: str, note: str, url: str, **options) -> None:
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date in the form YYYY-MM-DD") from None
        try:
            report = population_import(path=file, source=SOURCE_ALIASES[source], reference_date=day,
                                       source_note=note, source_url=url)
        except ImportRejected as exc:
            for line, reason in exc.errors:
                self.stderr.write(f"{file}:{line}: {reason}")
            raise CommandError(f"{file}: {len(exc.errors)} error(s); nothing was imported") from None
        for change in report.changed:
            self.stdout.write(
                f"changed {change.municipality.cbs_code} {change.municipality}: "
                f"{change.old} -> {change.new} (the old figure is kept in the history)"
            )
        self.stdout.write(
            f"{file}: {len(report.added)} added, {len(report.changed)} changed, {report.unchanged} unchanged "
            f"({source}, reference date {day.isoformat()})"
        )
