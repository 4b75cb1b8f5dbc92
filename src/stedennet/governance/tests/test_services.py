"""Positions with terms and their rules, opting in and out of theme groups, election turnover."""

import datetime

import pytest

from stedennet.governance.models import Body, MembershipRequest, Position
from stedennet.governance.services import (
    GovernanceRefused,
    election_turnover,
    position_assign,
    theme_group_join,
    theme_group_leave,
    theme_group_request,
    theme_group_request_decide,
    vacancy_fill,
)
from stedennet.governance.tests.factories import PersonFactory

d = datetime.date.fromisoformat


def body(slug):
    return Body.objects.get(slug=slug)


@pytest.fixture
def alderman(g40_bodies):
    return PersonFactory(name="Wethouder Een", function="alderman")


@pytest.fixture
def civil_servant(g40_bodies):
    return PersonFactory(name="Ambtenaar Een", function="civil_servant")


class TestSeed:
    def test_the_g40_bodies_are_seeded_once(self, g40_bodies):
        from stedennet.governance.services import bodies_seed_load

        assert bodies_seed_load(network=g40_bodies) == 0
        assert set(Body.objects.filter(parent__isnull=True).values_list("short_name", flat=True)) == {
            "AB", "DB", "AOT", "CO", "SP", "EW", "FP"}
        pillar = body("sociale-pijler")
        assert {b.track for b in pillar.children.filter(kind="pillar_meeting")} == {"administrative", "civil_service"}
        assert all(b.is_demo for b in Body.objects.filter(kind="theme_group"))
        assert not body("dagelijks-bestuur").is_demo


class TestPositions:
    def test_an_administrator_sits_in_an_administrative_body(self, alderman):
        position = position_assign(person=alderman, body=body("algemeen-bestuur"), start_date=d("2022-06-01"))
        assert position.on_behalf_of.cbs_code == "GM0362"

    def test_a_civil_servant_is_refused_in_an_administrative_body_with_the_reason(self, civil_servant):
        with pytest.raises(GovernanceRefused) as refused:
            position_assign(person=civil_servant, body=body("dagelijks-bestuur"), start_date=d("2022-06-01"))
        assert "Dagelijks Bestuur" in str(refused.value) and "Ambtenaar Een" in str(refused.value)
        assert not Position.objects.exists()

    def test_an_administrator_is_refused_in_a_civil_service_body(self, alderman):
        with pytest.raises(GovernanceRefused, match="Ambtelijk Ondersteuningsteam"):
            position_assign(person=alderman, body=body("ambtelijk-ondersteuningsteam"), start_date=d("2022-06-01"))

    def test_one_chair_at_a_time(self, alderman):
        position_assign(person=alderman, body=body("dagelijks-bestuur"), role="chair", start_date=d("2022-06-01"))
        other = PersonFactory(function="mayor")
        with pytest.raises(GovernanceRefused, match=alderman.name):
            position_assign(person=other, body=body("dagelijks-bestuur"), role="chair", start_date=d("2023-01-01"))


class TestThemeGroups:
    def test_join_an_open_group_of_ones_kind_and_leave_with_history(self, civil_servant):
        group = body("themagroep-armoede-en-schulden")
        position = theme_group_join(person=civil_servant, body=group, day=d("2026-01-10"))
        assert position.role == "member"
        theme_group_leave(person=civil_servant, body=group, day=d("2026-06-01"))
        position.refresh_from_db()
        assert position.end_date == d("2026-05-31")
        assert Position.objects.filter(person=civil_servant).count() == 1

    def test_a_closed_group_takes_requests_the_bureau_decides(self, civil_servant, make_user):
        group = body("themagroep-wonen")
        with pytest.raises(GovernanceRefused):
            theme_group_join(person=civil_servant, body=group)
        request = theme_group_request(person=civil_servant, body=group, motivation="Woningbouw")
        with pytest.raises(GovernanceRefused):
            theme_group_request(person=civil_servant, body=group)
        theme_group_request_decide(request=request, approve=True, by=make_user("bureau", None))
        assert MembershipRequest.objects.get().status == "approved"
        assert Position.objects.current().filter(person=civil_servant, body=group).exists()

    def test_a_group_of_the_other_kind_is_refused(self, civil_servant):
        with pytest.raises(GovernanceRefused, match="Themagroep Binnensteden"):
            theme_group_join(person=civil_servant, body=body("themagroep-binnensteden"))


class TestElectionTurnover:
    def test_ends_every_administrator_position_and_keeps_history(self, alderman, civil_servant, g40_bodies):
        mayor = PersonFactory(function="mayor", name="Burgemeester Een")
        ab = position_assign(person=alderman, body=body("algemeen-bestuur"), start_date=d("2022-06-01"))
        chair = position_assign(person=mayor, body=body("dagelijks-bestuur"), role="chair", start_date=d("2022-06-01"))
        aot = position_assign(person=civil_servant, body=body("ambtelijk-ondersteuningsteam"),
                              start_date=d("2022-06-01"))
        ended = election_turnover(network=g40_bodies, day=d("2026-03-31"))
        assert {p.pk for p in ended} == {ab.pk, chair.pk}
        for position in (ab, chair):
            position.refresh_from_db()
            assert position.end_date == d("2026-03-31") and position.end_reason
        aot.refresh_from_db()
        assert aot.end_date is None
        assert Position.objects.count() == 3

    def test_filling_a_vacancy_is_one_step_and_records_the_succession(self, alderman, g40_bodies):
        chair = position_assign(person=alderman, body=body("dagelijks-bestuur"), role="chair",
                                start_date=d("2022-06-01"))
        election_turnover(network=g40_bodies, day=d("2026-03-31"))
        successor = PersonFactory(function="mayor", name="Nieuwe Voorzitter")
        new = vacancy_fill(vacancy=Position.objects.get(pk=chair.pk), person=successor, start_date=d("2026-05-01"))
        assert (new.role, new.body.slug, new.predecessor_id) == ("chair", "dagelijks-bestuur", chair.pk)
        with pytest.raises(GovernanceRefused):
            vacancy_fill(vacancy=Position.objects.get(pk=chair.pk), person=successor, start_date=d("2026-06-01"))
