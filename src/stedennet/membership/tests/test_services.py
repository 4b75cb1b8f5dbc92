import datetime

import pytest
from django.core.exceptions import ValidationError

from stedennet.membership.models import MembershipPeriod
from stedennet.membership.services import membership_period_create, network_seed_load
from stedennet.membership.tests.factories import MembershipPeriodFactory
from stedennet.registry.models import Municipality, PartnerOrganisation, PopulationFigure


class TestMembershipPeriodCreate:
    def test_an_overlapping_period_is_refused(self, db):
        existing = MembershipPeriodFactory(start_date=datetime.date(2020, 1, 1), end_date=datetime.date(2022, 12, 31))
        with pytest.raises(ValidationError, match="overlapt"):
            membership_period_create(network=existing.network, municipality=existing.municipality,
                                     start_date=datetime.date(2022, 6, 1))
        assert MembershipPeriod.objects.count() == 1

    def test_a_later_period_after_resignation_is_accepted(self, db):
        existing = MembershipPeriodFactory(ended=True)
        membership_period_create(network=existing.network, municipality=existing.municipality,
                                 start_date=datetime.date(2024, 1, 1))
        assert MembershipPeriod.objects.count() == 2

    def test_an_end_before_the_start_is_refused(self, db):
        existing = MembershipPeriodFactory(ended=True)
        with pytest.raises(ValidationError) as exc:
            membership_period_create(network=existing.network, municipality=existing.municipality,
                                     start_date=datetime.date(2025, 6, 1), end_date=datetime.date(2025, 1, 1))
        assert "end_date" in exc.value.message_dict

    def test_an_unknown_start_overlaps_everything_before_its_end(self, db):
        existing = MembershipPeriodFactory(start_date=None)
        with pytest.raises(ValidationError):
            membership_period_create(network=existing.network, municipality=existing.municipality,
                                     start_date=datetime.date(1990, 1, 1), end_date=datetime.date(1991, 1, 1))


class TestNetworkSeedLoad:
    def test_loads_the_g40(self, db):
        report = network_seed_load()
        assert (report.members, report.periods_created, report.partners) == (41, 41, 7)
        assert Municipality.objects.count() == 342
        assert MembershipPeriod.objects.filter(end_date__isnull=True).count() == 41
        amstelveen = MembershipPeriod.objects.get(municipality__cbs_code="GM0362")
        assert amstelveen.start_date == datetime.date(2022, 7, 1)
        assert "amstelveenweb.com" in amstelveen.source
        assert set(PartnerOrganisation.objects.values_list("short_name", flat=True)) == {
            "VNG", "IPO", "Platform31", "Amsterdam", "Rotterdam", "Den Haag", "Utrecht"}
        assert Municipality.objects.get(cbs_code="GM0518").display_name == "Den Haag"
        assert Municipality.objects.get(cbs_code="GM0518").slug == "den-haag"

    def test_keeps_both_amstelveen_figures_for_2022_each_with_its_source(self, db):
        network_seed_load()
        figures = PopulationFigure.objects.current().filter(
            municipality__cbs_code="GM0362", reference_date=datetime.date(2022, 1, 1)
        )
        by_source = {f.source: f for f in figures}
        assert by_source["cbs_final"].inhabitants == 92_331
        assert by_source["municipal"].inhabitants == 92_363
        assert "Gemeente Amstelveen" in by_source["municipal"].source_note
        assert "1 juni 2022" in by_source["municipal"].source_note

    def test_every_figure_carries_its_source(self, db):
        network_seed_load()
        assert not PopulationFigure.objects.filter(source_note="").exists()

    def test_a_second_run_changes_nothing(self, db):
        network_seed_load()
        counts = (Municipality.objects.count(), PopulationFigure.objects.count(), MembershipPeriod.objects.count(),
                  PartnerOrganisation.objects.count())
        report = network_seed_load()
        assert report.periods_created == report.figures_added == report.figures_changed == 0
        assert report.municipalities_created == 0
        assert counts == (Municipality.objects.count(), PopulationFigure.objects.count(),
                          MembershipPeriod.objects.count(), PartnerOrganisation.objects.count())

    def test_a_bureau_change_to_a_join_date_is_not_overwritten(self, db):
        network_seed_load()
        MembershipPeriod.objects.filter(municipality__cbs_code="GM0362").update(start_date=datetime.date(2022, 8, 1))
        report = network_seed_load()
        assert any("GM0362" in w for w in report.warnings)
        assert MembershipPeriod.objects.get(municipality__cbs_code="GM0362").start_date == datetime.date(2022, 8, 1)
