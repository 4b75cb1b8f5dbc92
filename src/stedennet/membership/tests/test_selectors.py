import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stedennet.membership.selectors import member_count, members_on
from stedennet.membership.tests.factories import MembershipPeriodFactory
from stedennet.registry.tests.factories import PopulationFigureFactory

DAY = datetime.date(2024, 6, 1)


class TestMembersOn:
    def test_period_boundaries_are_inclusive(self, db):
        period = MembershipPeriodFactory(start_date=datetime.date(2022, 7, 1), end_date=datetime.date(2023, 12, 31))
        network = period.network
        assert member_count(network=network, day=datetime.date(2022, 6, 30)) == 0
        assert member_count(network=network, day=datetime.date(2022, 7, 1)) == 1
        assert member_count(network=network, day=datetime.date(2023, 12, 31)) == 1
        assert member_count(network=network, day=datetime.date(2024, 1, 1)) == 0

    def test_population_is_the_latest_known_on_the_day_cbs_final_first(self, db):
        period = MembershipPeriodFactory()
        m = period.municipality
        PopulationFigureFactory(municipality=m, reference_date=datetime.date(2023, 1, 1), inhabitants=100)
        PopulationFigureFactory(municipality=m, reference_date=datetime.date(2024, 1, 1), inhabitants=205,
                                source="municipal")
        PopulationFigureFactory(municipality=m, reference_date=datetime.date(2024, 1, 1), inhabitants=200,
                                source="cbs_provisional")
        PopulationFigureFactory(municipality=m, reference_date=datetime.date(2025, 1, 1), inhabitants=300)
        [row] = members_on(network=period.network, day=DAY)
        assert (row.population, row.population_date, row.population_source) == (
            200, datetime.date(2024, 1, 1), "cbs_provisional")
        [row] = members_on(network=period.network, day=datetime.date(2023, 6, 1))
        assert row.population == 100

    def test_sorts_by_population_descending(self, db):
        small = MembershipPeriodFactory()
        big = MembershipPeriodFactory(network=small.network)
        PopulationFigureFactory(municipality=small.municipality, inhabitants=10)
        PopulationFigureFactory(municipality=big.municipality, inhabitants=20)
        rows = members_on(network=small.network, day=DAY, sort="population", descending=True)
        assert [r.pk for r in rows] == [big.pk, small.pk]

    @pytest.mark.parametrize("sort", ["name", "population", "member_since"])
    def test_one_query_whatever_the_number_of_members(self, db, sort):
        first = MembershipPeriodFactory()
        network = first.network
        with CaptureQueriesContext(connection) as few:
            rows = list(members_on(network=network, day=DAY, sort=sort))
            [(r.municipality.province.name, r.population) for r in rows]
        for _ in range(30):
            period = MembershipPeriodFactory(network=network)
            PopulationFigureFactory(municipality=period.municipality)
        with CaptureQueriesContext(connection) as many:
            rows = list(members_on(network=network, day=DAY, sort=sort))
            [(r.municipality.province.name, r.population) for r in rows]
        assert len(rows) == 31
        assert len(few) == len(many) == 1
