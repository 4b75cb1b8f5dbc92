"""Cached fragments follow the data in every worker: a write makes the next page fresh."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stedennet.membership.models import MembershipPeriod
from stedennet.registry.services import population_import
from stedennet.web.cache import REGISTRY, cached, data_changed, data_version


def test_a_fragment_is_built_once_per_version(db):
    built = []
    first = cached(REGISTRY, ("x",), lambda: built.append(1) or "one")
    again = cached(REGISTRY, ("x",), lambda: built.append(1) or "two")
    assert (first, again, len(built)) == ("one", "one", 1)
    data_changed(REGISTRY)
    assert cached(REGISTRY, ("x",), lambda: "three") == "three"


def test_the_version_is_read_once_per_request(g40, client):
    client.get("/leden/")
    with CaptureQueriesContext(connection) as queries:
        client.get("/leden/")
    # The second request serves the member list from the cache: only the version is read
    # (plus the session-free middleware's nothing).
    assert len(queries) == 1, [q["sql"] for q in queries]


def test_the_member_list_shows_an_ended_membership_at_once(g40, client):
    assert 'data-cbs-code="GM0362"' in client.get("/leden/").content.decode()
    period = MembershipPeriod.objects.get(municipality__cbs_code="GM0362")
    period.end_date = datetime.date(2023, 12, 31)
    period.save()
    # Another worker process would hold the old fragment in its own memory; only the version moved.
    assert 'data-cbs-code="GM0362"' not in client.get("/leden/").content.decode()


def test_a_population_import_shows_at_once_even_after_bulk_writes(g40, client, tmp_path):
    html = client.get("/leden/?sort=population&order=desc").content.decode()
    assert "999.999" not in html
    before = data_version(REGISTRY)
    path = tmp_path / "pop.csv"
    path.write_text("cbs_code,inhabitants\nGM0362,999999\n", encoding="utf-8")
    population_import(path=path, source="municipal", reference_date=datetime.date(2026, 1, 1))
    assert data_version(REGISTRY) != before
    cache_keys_before = len(cache._cache)
    html = client.get("/leden/?sort=population&order=desc").content.decode()
    assert "999.999" in html
    assert len(cache._cache) > cache_keys_before
