"""Admission, resignation and merger as dated procedures with their documents."""

import datetime

import pytest

from stedennet.membership.models import MembershipPeriod, MembershipProcedure, MembershipRules, ProcedureStatus
from stedennet.membership.selectors import member_timeline
from stedennet.membership.services import (
    ProcedureRefused,
    admission_apply,
    admission_decide,
    admission_effective,
    admission_withdraw,
    municipalities_merge,
    procedure_transition,
    resignation_end_date,
    resignation_notice,
)
from stedennet.registry.models import Municipality, Succession

d = datetime.date.fromisoformat


@pytest.fixture
def wassenaar(g40):
    return Municipality.objects.get(cbs_code="GM0629")  # Wassenaar: not a G40 member


class TestAmstelveen:
    def test_the_seeded_procedure_has_its_three_dated_steps(self, g40):
        procedure = MembershipProcedure.objects.get(municipality__cbs_code="GM0362", kind="admission")
        steps = [(s.kind, s.date.isoformat()) for s in procedure.steps.all()]
        assert steps == [("college_decision", "2021-03-09"), ("board_approval", "2022-05-11"),
                         ("effective", "2022-07-01")]
        assert procedure.status == ProcedureStatus.EFFECTIVE
        assert procedure.period.start_date == d("2022-07-01")
        assert all("persbericht 1 juni 2022" in s.reference for s in procedure.steps.all())

    def test_the_timeline_lists_every_step_in_order(self, g40):
        amstelveen = Municipality.objects.get(cbs_code="GM0362")
        events = member_timeline(network=g40, municipality=amstelveen)
        assert [e["date"].isoformat() for e in events][:3] == ["2021-03-09", "2022-05-11", "2022-07-01"]
        assert events[0]["url"].startswith("https://amstelveenweb.com")


class TestAdmission:
    def test_apply_approve_effective_creates_the_period(self, g40, wassenaar):
        procedure = admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-01"),
                                    reference="Collegebesluit 12")
        admission_decide(procedure=procedure, approve=True, date=d("2026-04-01"), reference="Brief bestuur")
        period = admission_effective(procedure=procedure, date=d("2026-07-01"))
        assert period.start_date == d("2026-07-01") and period.municipality == wassenaar
        procedure.refresh_from_db()
        assert procedure.status == ProcedureStatus.EFFECTIVE and procedure.period == period

    def test_an_effective_date_before_the_board_decision_is_refused(self, g40, wassenaar):
        procedure = admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-01"))
        admission_decide(procedure=procedure, approve=True, date=d("2026-04-01"))
        expected = "De ingangsdatum 2026-03-01 ligt vóór het besluit van het bestuur van 2026-04-01"
        with pytest.raises(ProcedureRefused, match=expected):
            admission_effective(procedure=procedure, date=d("2026-03-01"))
        assert not MembershipPeriod.objects.filter(municipality=wassenaar).exists()

    def test_a_rejected_application_cannot_take_effect(self, g40, wassenaar):
        procedure = admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-01"))
        admission_decide(procedure=procedure, approve=False, date=d("2026-04-01"), reference="Afwijzingsbrief")
        with pytest.raises(ProcedureRefused, match="nadat het bestuur heeft ingestemd"):
            admission_effective(procedure=procedure, date=d("2026-07-01"))

    def test_withdrawal_ends_the_procedure(self, g40, wassenaar):
        procedure = admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-01"))
        admission_withdraw(procedure=procedure, date=d("2026-03-01"), reference="Brief college")
        procedure.refresh_from_db()
        assert procedure.status == ProcedureStatus.WITHDRAWN
        with pytest.raises(ProcedureRefused):
            admission_decide(procedure=procedure, approve=True, date=d("2026-04-01"))

    def test_a_member_cannot_apply_again(self, g40):
        with pytest.raises(ProcedureRefused, match="al lid"):
            admission_apply(network=g40, municipality=Municipality.objects.get(cbs_code="GM0362"),
                            date=d("2026-02-01"))


class TestResignation:
    @pytest.mark.parametrize(("notice", "end"), [
        ("2024-06-30", "2024-12-31"),
        ("2024-07-01", "2024-12-31"),  # exactly six months
        ("2024-07-02", "2025-12-31"),
        ("2024-01-15", "2024-12-31"),
    ])
    def test_the_end_date_follows_the_rule(self, notice, end):
        rules = MembershipRules(notice_months=6, financial_year_start_month=1)
        assert resignation_end_date(notice_date=d(notice), rules=rules) == d(end)

    def test_a_financial_year_from_july(self):
        rules = MembershipRules(notice_months=3, financial_year_start_month=7)
        assert resignation_end_date(notice_date=d("2024-02-01"), rules=rules) == d("2024-06-30")
        assert resignation_end_date(notice_date=d("2024-04-02"), rules=rules) == d("2025-06-30")

    def test_notice_ends_the_period_and_is_on_the_timeline(self, g40):
        amstelveen = Municipality.objects.get(cbs_code="GM0362")
        resignation_notice(network=g40, municipality=amstelveen, notice_date=d("2026-08-01"), reference="Brief")
        period = MembershipPeriod.objects.get(municipality=amstelveen)
        assert period.end_date == d("2027-12-31")
        kinds = [e["kind"] for e in member_timeline(network=g40, municipality=amstelveen)]
        assert kinds[-2:] == ["notice", "ended"]


class TestMerger:
    def test_the_successor_continues_and_history_stays(self, g40, wassenaar):
        groningen = Municipality.objects.get(cbs_code="GM0014")
        new = Municipality.objects.create(cbs_code="GM9999", name="Nieuwstad", slug="nieuwstad",
                                          province=groningen.province)
        period = municipalities_merge(network=g40, predecessors=[groningen, wassenaar], successor=new,
                                      date=d("2027-01-01"), source="Herindelingswet (test)")
        assert period.start_date == d("2027-01-01") and "Groningen" in period.note
        old = MembershipPeriod.objects.get(municipality=groningen)
        assert old.end_date == d("2026-12-31")
        assert Succession.objects.filter(successor=new).count() == 2
        events = member_timeline(network=g40, municipality=groningen)
        assert any(e["kind"] == "succession" and "Nieuwstad" in e["text"] for e in events)


class TestAuditTrail:
    def test_every_step_is_logged_with_who_recorded_it(self, g40, wassenaar, make_user):
        from wagtail.models import ModelLogEntry

        bureau = make_user("bureau")
        procedure = admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-01"), user=bureau,
                                    reference="Collegebesluit 12")
        admission_decide(procedure=procedure, approve=True, date=d("2026-04-01"), user=bureau)
        admission_effective(procedure=procedure, date=d("2026-07-01"))  # e.g. from the command line
        entries = ModelLogEntry.objects.filter(object_id=str(procedure.pk),
                                               content_type__model="membershipprocedure").order_by("pk")
        assert [(e.action, e.user) for e in entries] == [
            ("stedennet.procedure_applied", bureau), ("stedennet.procedure_decided", bureau),
            ("stedennet.procedure_effective", None)]
        assert entries[0].data == {"municipality": "GM0629", "status": "applied", "step": "college_decision",
                                   "date": "2026-02-01", "reference": "Collegebesluit 12"}
        assert entries[1].data["status"] == "approved"

    def test_a_refused_step_leaves_no_entry(self, g40, wassenaar):
        from wagtail.models import ModelLogEntry

        procedure = admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-01"))
        admission_decide(procedure=procedure, approve=False, date=d("2026-04-01"))
        with pytest.raises(ProcedureRefused):
            admission_effective(procedure=procedure, date=d("2026-07-01"))
        entries = ModelLogEntry.objects.filter(object_id=str(procedure.pk), content_type__model="membershipprocedure")
        assert list(entries.order_by("pk").values_list("action", flat=True)) == [
            "stedennet.procedure_applied", "stedennet.procedure_decided"]


class TestTransitions:
    """Every status change goes through ``procedure_transition`` and the one table of ``constants``."""

    @pytest.mark.parametrize(("status", "new"), [
        (ProcedureStatus.APPLIED, ProcedureStatus.EFFECTIVE),
        (ProcedureStatus.REJECTED, ProcedureStatus.APPROVED),
        (ProcedureStatus.WITHDRAWN, ProcedureStatus.WITHDRAWN),
        (ProcedureStatus.EFFECTIVE, ProcedureStatus.WITHDRAWN),
        (ProcedureStatus.NOTICE_GIVEN, ProcedureStatus.EFFECTIVE),
    ])
    def test_a_transition_the_table_does_not_allow_is_refused_with_a_code(self, g40, wassenaar, status, new):
        procedure = MembershipProcedure.objects.create(network=g40, municipality=wassenaar, kind="admission",
                                                       status=status)
        with pytest.raises(ProcedureRefused) as refused:
            procedure_transition(procedure, new)
        assert refused.value.code == "transition"
        procedure.refresh_from_db()
        assert procedure.status == status

    def test_the_table_allows_what_the_procedures_do(self):
        from stedennet.membership.constants import TRANSITIONS

        assert TRANSITIONS[ProcedureStatus.APPLIED] == {ProcedureStatus.APPROVED, ProcedureStatus.REJECTED,
                                                        ProcedureStatus.WITHDRAWN}
        assert TRANSITIONS[ProcedureStatus.APPROVED] == {ProcedureStatus.EFFECTIVE, ProcedureStatus.WITHDRAWN}
        assert all(not TRANSITIONS[s] for s in (ProcedureStatus.REJECTED, ProcedureStatus.WITHDRAWN,
                                                ProcedureStatus.EFFECTIVE, ProcedureStatus.NOTICE_GIVEN))

    def test_refusals_name_the_field_they_concern(self, g40, wassenaar):
        procedure = admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-01"))
        with pytest.raises(ProcedureRefused) as refused:
            admission_apply(network=g40, municipality=wassenaar, date=d("2026-02-02"))
        assert (refused.value.code, refused.value.field) == ("under_way", "municipality")
        with pytest.raises(ProcedureRefused) as refused:
            admission_decide(procedure=procedure, approve=True, date=d("2026-01-01"))
        assert (refused.value.code, refused.value.field) == ("date_before_application", "date")
