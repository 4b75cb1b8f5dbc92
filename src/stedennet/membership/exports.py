"""The member data as CSV, for anyone to reuse (open data; the same rows as the pages):

- ``members_csv``: the members on a day, as ``/leden/`` lists them (``members_on``: one query,
  whatever the number of members), each with its latest population figure, that figure's
  reference date and its source.
- ``population_csv``: a municipality's population series (every current figure, newest reference
  date first), each with its reference date, source, source details and link.

Machine-readable rather than spreadsheet-shaped: UTF-8 without a byte-order mark, commas between
fields, a dot in numbers (none are fractional: inhabitants are whole numbers, never grouped),
ISO dates (``YYYY-MM-DD``), ``\\n`` line ends, a header row of stable English column names, and
codes for sources (``cbs_final``, ``cbs_provisional``, ``municipal``), as the command line's CSV.
An empty ``member_since`` means "a member since before our records", as on the pages.
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterable

from stedennet.membership.selectors import members_on
from stedennet.registry.models import Municipality, Network
from stedennet.registry.selectors import population_series

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
MEMBER_COLUMNS = ["cbs_code", "name", "province", "member_since", "population", "population_reference_date",
                  "population_source", "url"]
POPULATION_COLUMNS = ["cbs_code", "municipality", "reference_date", "inhabitants", "source", "source_details",
                      "source_url"]


def _iso(day: datetime.date | None) -> str:
    return day.isoformat() if day else ""


def _write(header: list[str], rows: Iterable[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def members_csv(*, network: Network, day: datetime.date, url_for: Callable[[str], str] = lambda slug: "") -> str:
    """The members on ``day`` by name; ``url_for(slug)`` gives each member page's address."""
    rows = (
        [period.municipality.cbs_code, period.municipality.display_name,
         period.municipality.province.name if period.municipality.province_id else "",
         _iso(period.start_date), period.population or "", _iso(period.population_date),
         period.population_source or "", url_for(period.municipality.slug)]
        for period in members_on(network=network, day=day)
    )
    return _write(MEMBER_COLUMNS, rows)


def population_csv(*, municipality: Municipality) -> str:
    """Every current population figure of ``municipality``, newest reference date first."""
    rows = (
        [municipality.cbs_code, municipality.display_name, figure.reference_date.isoformat(), figure.inhabitants,
         figure.source, figure.source_note, figure.source_url]
        for figure in population_series(municipality=municipality)
    )
    return _write(POPULATION_COLUMNS, rows)
