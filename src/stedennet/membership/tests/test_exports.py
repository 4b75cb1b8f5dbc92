"""The member data as CSV: /leden/leden.csv (the members today, as /leden/ lists them, in a fixed
number of queries) and /leden/<slug>/inwoners.csv (a member's population series, each figure with
its reference date and source); both linked from their pages; 404 where the page is 404."""

import csv
import datetime
import io

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stedennet.membership.exports import MEMBER_COLUMNS, POPULATION_COLUMNS
from stedennet.membership.selectors import member_count
from stedennet.membership.services import membership_period_create
from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality

SOURCES = set(PopulationSource.values)


def read_csv(response, filename: str) -> tuple[list[str], list[dict]]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")  # no byte-order mark: machine-readable open data
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    return reader.fieldnames, rows


# --- /leden/leden.csv ---------------------------------------------------------------------------


def test_the_members_today_with_population_reference_date_and_source(client, g40):
    today = timezone.localdate()
    header, rows = read_csv(client.get("/leden/leden.csv"), f"leden-g40-{today.isoformat()}.csv")
    assert header == MEMBER_COLUMNS
    assert len(rows) == member_count(network=g40, day=today)
    by_code = {row["cbs_code"]: row for row in rows}
    assert len(by_code) == len(rows)
    amstelveen = by_code["GM0362"]
    assert amstelveen["name"] == "Amstelveen" and amstelveen["province"] == "Noord-Holland"
    assert amstelveen["member_since"] == "2022-07-01"
    assert amstelveen["url"] == "http://testserver/leden/amstelveen/"
    for row in rows:
        assert row["population"].isdigit() and int(row["population"]) > 0
        datetime.date.fromisoformat(row["population_reference_date"])
        assert row["population_source"] in SOURCES
    # The founding members joined before our records: no date, as on the page.
    assert any(row["member_since"] == "" for row in rows)
    assert [row["name"] for row in rows] == sorted((row["name"] for row in rows), key=str.casefold)


def test_a_municipality_that_is_no_member_is_not_listed(client, g40):
    _header, rows = read_csv(client.get("/leden/leden.csv"), f"leden-g40-{timezone.localdate().isoformat()}.csv")
    assert "GM0363" not in {row["cbs_code"] for row in rows}  # Amsterdam (G4)


def test_the_members_csv_takes_a_fixed_number_of_queries(client, g40):
    def queries() -> int:
        client.get("/leden/leden.csv")  # warm: the data version and the network after a change
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/leden/leden.csv")
        assert response.status_code == 200
        return len(captured), response.content.count(b"\n")

    few, lines = queries()
    for code in ("GM0363", "GM0599", "GM0518"):  # Amsterdam, Rotterdam, Den Haag join
        membership_period_create(network=g40, municipality=Municipality.objects.get(cbs_code=code),
                                 start_date=timezone.localdate() - datetime.timedelta(days=1))
    more, more_lines = queries()
    assert more_lines == lines + 3
    assert more == few


def test_the_member_list_links_the_csv(client, g40):
    tree = lxml.html.fromstring(client.get("/leden/").content.decode())
    assert tree.xpath('//a[@data-testid="members-csv"]/@href') == ["/leden/leden.csv"]


# --- /leden/<slug>/inwoners.csv -------------------------------------------------------------------


def test_a_members_population_series_with_source_and_reference_date(client, g40):
    header, rows = read_csv(client.get("/leden/amstelveen/inwoners.csv"), "inwoners-amstelveen.csv")
    assert header == POPULATION_COLUMNS
    assert {row["cbs_code"] for row in rows} == {"GM0362"}
    assert {row["source"] for row in rows} <= SOURCES
    dates = [row["reference_date"] for row in rows]
    assert dates == sorted(dates, reverse=True)  # newest reference date first
    # Sources disagree and both are kept: CBS's final figure and the municipality's own count.
    figures_2022 = {(row["source"], int(row["inhabitants"])) for row in rows if row["reference_date"] == "2022-01-01"}
    assert {("cbs_final", 92331), ("municipal", 92363)} <= figures_2022
    municipality = Municipality.objects.get(cbs_code="GM0362")
    assert len(rows) == municipality.population_figures.filter(superseded_at__isnull=True).count()


def test_a_superseded_figure_is_not_in_the_series(client, g40):
    from stedennet.registry.services import population_figure_record

    municipality = Municipality.objects.get(cbs_code="GM0362")
    before = municipality.population_figures.filter(superseded_at__isnull=True).count()
    population_figure_record(municipality=municipality, reference_date=datetime.date(2022, 1, 1),
                             inhabitants=92400, source=PopulationSource.MUNICIPAL, source_note="Herteld")
    _header, rows = read_csv(client.get("/leden/amstelveen/inwoners.csv"), "inwoners-amstelveen.csv")
    assert len(rows) == before
    municipal_2022 = [row for row in rows if row["reference_date"] == "2022-01-01" and row["source"] == "municipal"]
    assert [(row["inhabitants"], row["source_details"]) for row in municipal_2022] == [("92400", "Herteld")]


@pytest.mark.parametrize("slug", ["amsterdam", "bestaat-niet"])
def test_no_series_where_there_is_no_member_page(client, g40, slug):
    assert client.get(f"/leden/{slug}/").status_code == 404
    assert client.get(f"/leden/{slug}/inwoners.csv").status_code == 404


def test_the_member_page_links_the_csv(client, g40):
    tree = lxml.html.fromstring(client.get("/leden/amstelveen/").content.decode())
    assert tree.xpath('//a[@data-testid="population-csv"]/@href') == ["/leden/amstelveen/inwoners.csv"]
