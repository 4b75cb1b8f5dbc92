import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from stedennet.registry.constants import PopulationSource
from stedennet.registry.services import ImportOptionInvalid, ImportRejected, population_import

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
        parser.add_argument("--url", default="", help="a link to the source (https://…)")

    def handle(self, *args, file: Path, source: str, date: str, note: str, url: str, **options) -> None:
        try:
            day = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date in the form YYYY-MM-DD") from None
        try:
            report = population_import(path=file, source=SOURCE_ALIASES[source], reference_date=day,
                                       source_note=note, source_url=url)
        except ImportOptionInvalid as invalid:
            raise CommandError(f"--{invalid.option} {invalid.value!r}: {invalid.reason}; nothing was imported") \
                from None
        except ImportRejected as exc:
            for problem in exc.errors:
                where = f"{file}:{problem.line}" if problem.line is not None else f"{file}"
                self.stderr.write(f"{where}: {problem.reason}")
            if exc.more:
                self.stderr.write(f"{file}: … and {exc.more} more errors")
            total = len(exc.errors) + exc.more
            raise CommandError(f"{file}: {total} error(s); nothing was imported") from None
        for change in report.changed:
            self.stdout.write(
                f"changed {change.municipality.cbs_code} {change.municipality}: "
                f"{_count(change.old)} -> {_count(change.new)} (the old figure is kept in the history)"
            )
        self.stdout.write(
            f"{file}: {len(report.added)} added, {len(report.changed)} changed, {report.unchanged} unchanged "
            f"({source}, reference date {day.isoformat()})"
        )


def _count(value: int) -> str:
    """An inhabitant count in the notation of the output's language (Dutch: 92.331)."""
    return number_format(value, force_grouping=True, use_l10n=True)
