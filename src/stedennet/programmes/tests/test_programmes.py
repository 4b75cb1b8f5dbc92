"""Work programmes, actions with their owning theme group, progress updates, the strategic agenda
with key messages; the selectors that keep members-only material off the public pages; the demo."""

import datetime

import pytest
from django.utils import timezone

from stedennet.governance.models import Body
from stedennet.governance.services import GovernanceRefused, body_archive, position_assign, position_end
from stedennet.governance.tests.factories import PersonFactory
from stedennet.programmes.demo import demo_programmes_load
from stedennet.programmes.models import Action, ActionStatus, KeyMessage, ProgressUpdate, StrategicAgenda, WorkProgramme
from stedennet.programmes.selectors import (
    key_messages_grouped,
    pillar_by_slug,
    pillar_chairs,
    pillar_key_messages,
    pillar_page,
    pillars_of,
    programmes_current,
    strategic_agenda_current,
)
from stedennet.programmes.services import (
    ProgrammeRefused,
    action_add,
    action_set_owner,
    goal_add,
    key_message_add,
    progress_update_add,
    strategic_agenda_create,
    work_programme_create,
)

d = datetime.date.fromisoformat


def body(slug):
    return Body.objects.get(slug=slug)


def this_period():
    """A two-year period that includes today."""
    today = timezone.localdate()
    return datetime.date(today.year, 1, 1), datetime.date(today.year + 1, 12, 31)


@pytest.fixture
def social(g40_bodies):
    return body("sociale-pijler")


@pytest.fixture
def programme(social):
    start, end = this_period()
    return work_programme_create(pillar=social, title="Werkprogramma Sociale Pijler", period_start=start,
                                 period_end=end, goals=["Minder armoede", "Betere jeugdhulp"], is_public=True)


class TestWorkProgrammes:
    def test_a_programme_belongs_to_a_pillar_with_numbered_goals(self, programme, social):
        assert programme.pillar == social
        assert list(programme.goals.values_list("number", "text")) == [(1, "Minder armoede"), (2, "Betere jeugdhulp")]
        goal = goal_add(programme=programme, text="Schuldhulp")
        assert goal.number == 3

    def test_a_programme_for_a_body_that_is_not_a_pillar_is_refused_with_the_reason(self, g40_bodies):
        with pytest.raises(ProgrammeRefused) as refused:
            work_programme_create(pillar=body("dagelijks-bestuur"), title="X", period_start=d("2026-01-01"),
                                  period_end=d("2026-12-31"))
        assert "Dagelijks Bestuur" in str(refused.value)
        assert isinstance(refused.value, GovernanceRefused)
        assert not WorkProgramme.objects.exists()

    def test_a_period_that_ends_before_it_starts_is_refused(self, social):
        with pytest.raises(ProgrammeRefused) as refused:
            work_programme_create(pillar=social, title="X", period_start=d("2027-01-01"), period_end=d("2026-12-31"))
        assert "2026-12-31" in str(refused.value)

    def test_an_archived_pillar_gets_no_new_programme(self, social):
        body_archive(body=social, day=d("2026-01-01"))
        with pytest.raises(ProgrammeRefused, match="Sociale Pijler"):
            work_programme_create(pillar=social, title="X", period_start=d("2026-01-01"), period_end=d("2026-12-31"))


class TestActions:
    def test_an_action_is_owned_by_a_theme_group_of_its_pillar(self, programme):
        goal = programme.goals.get(number=1)
        action = action_add(programme=programme, title="Kennissessie", owner=body("themagroep-armoede-en-schulden"),
                            goal=goal, is_public=True)
        assert action.owner.slug == "themagroep-armoede-en-schulden"
        assert action.status == ActionStatus.PLANNED and action.goal == goal

    def test_another_pillars_theme_group_is_refused_with_the_reason(self, programme):
        with pytest.raises(ProgrammeRefused) as refused:
            action_add(programme=programme, title="Woningbouw", owner=body("themagroep-wonen"))
        message = str(refused.value)
        assert "Themagroep Wonen" in message and "Fysieke Pijler" in message and "Sociale Pijler" in message
        assert not Action.objects.exists()

    @pytest.mark.parametrize("slug", ["sociale-pijler-bo", "sociale-pijler", "dagelijks-bestuur"])
    def test_a_body_that_is_not_a_theme_group_is_refused_with_the_reason(self, programme, slug):
        owner = body(slug)
        with pytest.raises(ProgrammeRefused) as refused:
            action_add(programme=programme, title="X", owner=owner)
        assert owner.name in str(refused.value)
        assert not Action.objects.exists()

    def test_an_archived_theme_group_is_refused(self, programme):
        group = body_archive(body=body("themagroep-jeugd"), day=d("2026-01-01"))
        with pytest.raises(ProgrammeRefused, match="Themagroep Jeugd"):
            action_add(programme=programme, title="X", owner=group)

    def test_a_goal_of_another_programme_is_refused(self, programme, social):
        other = work_programme_create(pillar=social, title="Ander", period_start=d("2024-01-01"),
                                      period_end=d("2025-12-31"), goals=["Ander doel"])
        with pytest.raises(ProgrammeRefused):
            action_add(programme=programme, title="X", goal=other.goals.get())

    def test_changing_the_owner_follows_the_same_rule(self, programme):
        action = action_add(programme=programme, title="X", owner=body("themagroep-jeugd"))
        with pytest.raises(ProgrammeRefused, match="Themagroep Mobiliteit"):
            action_set_owner(action=action, owner=body("themagroep-mobiliteit"))
        action.refresh_from_db()
        assert action.owner.slug == "themagroep-jeugd"
        action_set_owner(action=action, owner=body("themagroep-armoede-en-schulden"))
        action.refresh_from_db()
        assert action.owner.slug == "themagroep-armoede-en-schulden"


class TestProgressUpdates:
    def test_an_update_sets_the_status_and_the_history_stays_in_the_updates(self, programme):
        action = action_add(programme=programme, title="X", owner=body("themagroep-jeugd"))
        progress_update_add(action=action, date=d("2026-03-01"), text="Gestart", status=ActionStatus.ONGOING)
        action.refresh_from_db()
        assert action.status == ActionStatus.ONGOING
        progress_update_add(action=action, date=d("2026-06-01"), text="Afgerond", status=ActionStatus.DONE)
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert list(action.updates.values_list("date", "status", "text")) == [
            (d("2026-03-01"), "ongoing", "Gestart"), (d("2026-06-01"), "done", "Afgerond")]

    def test_a_back_dated_update_is_kept_without_changing_the_current_status(self, programme):
        action = action_add(programme=programme, title="X")
        progress_update_add(action=action, date=d("2026-06-01"), text="Afgerond", status=ActionStatus.DONE)
        progress_update_add(action=action, date=d("2026-02-01"), text="Vergeten: gestart", status=ActionStatus.ONGOING)
        action.refresh_from_db()
        assert action.status == ActionStatus.DONE
        assert ProgressUpdate.objects.filter(action=action).count() == 2

    def test_an_unknown_status_is_refused(self, programme):
        from django.core.exceptions import ValidationError

        action = action_add(programme=programme, title="X")
        with pytest.raises(ValidationError) as refused:
            progress_update_add(action=action, date=d("2026-06-01"), text="?", status="finished")
        assert "status" in refused.value.message_dict
        assert not ProgressUpdate.objects.exists()


class TestSelectors:
    def test_the_public_sees_only_public_programmes_and_their_public_actions(self, programme, social):
        start, end = this_period()
        hidden = work_programme_create(pillar=social, title="Intern programma", period_start=start, period_end=end)
        work_programme_create(pillar=social, title="Oud programma", period_start=d("2020-01-01"),
                              period_end=d("2021-12-31"), is_public=True)
        public_action = action_add(programme=programme, title="Openbaar", is_public=True)
        action_add(programme=programme, title="Intern", is_public=False)
        action_add(programme=hidden, title="In intern programma", is_public=True)

        public = programmes_current(pillar=social)
        assert [p.title for p in public] == ["Werkprogramma Sociale Pijler"]
        assert list(public[0].actions.all()) == [public_action]

        everything = programmes_current(pillar=social, include_members_only=True)
        assert {p.title for p in everything} == {"Werkprogramma Sociale Pijler", "Intern programma"}
        titles = {a.title for p in everything for a in p.actions.all()}
        assert titles == {"Openbaar", "Intern", "In intern programma"}

    def test_actions_carry_their_latest_update(self, programme, social):
        action = action_add(programme=programme, title="X", is_public=True)
        progress_update_add(action=action, date=d("2026-05-01"), text="Laatste", status=ActionStatus.ONGOING)
        progress_update_add(action=action, date=d("2026-01-01"), text="Eerste", status=ActionStatus.PLANNED)
        loaded = programmes_current(pillar=social)[0].actions.all()[0]
        assert (loaded.latest_update_date, loaded.latest_update_text) == (d("2026-05-01"), "Laatste")

    def test_the_page_splits_public_and_members_only(self, programme, social):
        start, end = this_period()
        hidden = work_programme_create(pillar=social, title="Intern programma", period_start=start, period_end=end)
        action_add(programme=programme, title="Openbaar", is_public=True)
        action_add(programme=programme, title="Intern", is_public=False)
        action_add(programme=hidden, title="In intern programma", is_public=True)

        public = pillar_page(pillar=social)
        assert [[a.title for a in b.actions] for b in public.programmes] == [["Openbaar"]]
        assert public.members_only == []

        members = pillar_page(pillar=social, include_members_only=True)
        assert [[a.title for a in b.actions] for b in members.programmes] == [["Openbaar"]]
        assert {(b.programme.title, b.whole, tuple(a.title for a in b.actions)) for b in members.members_only} == {
            ("Werkprogramma Sociale Pijler", False, ("Intern",)),
            ("Intern programma", True, ("In intern programma",)),
        }
        assert [g.slug for g in members.theme_groups] == ["themagroep-armoede-en-schulden", "themagroep-jeugd"]
        assert {m.slug for m in members.meetings} == {"sociale-pijler-bo", "sociale-pijler-ao"}

    def test_chairs_are_the_current_chairs_and_vice_chairs_of_the_pillars_bodies(self, social):
        start = d("2022-06-01")
        chair = PersonFactory(name="Voorzitter BO", function="alderman")
        vice = PersonFactory(name="Vice AO", function="civil_servant")
        lead = PersonFactory(name="Voorzitter Armoede", function="civil_servant")
        former = PersonFactory(name="Oud-voorzitter AO", function="civil_servant")
        member = PersonFactory(name="Gewoon lid", function="alderman")
        elsewhere = PersonFactory(name="Voorzitter Wonen", function="civil_servant")
        position_assign(person=chair, body=body("sociale-pijler-bo"), role="chair", start_date=start)
        position_assign(person=vice, body=body("sociale-pijler-ao"), role="vice_chair", start_date=start)
        position_assign(person=lead, body=body("themagroep-armoede-en-schulden"), role="chair", start_date=start)
        ended = position_assign(person=former, body=body("sociale-pijler-ao"), role="chair", start_date=start)
        position_end(position=ended, day=d("2024-01-01"))
        position_assign(person=member, body=body("sociale-pijler-bo"), role="member", start_date=start)
        position_assign(person=elsewhere, body=body("themagroep-wonen"), role="chair", start_date=start)

        chairs = pillar_chairs(pillar=social)
        assert [(p.person.name, p.body.slug, p.role) for p in chairs] == [
            ("Voorzitter BO", "sociale-pijler-bo", "chair"),
            ("Vice AO", "sociale-pijler-ao", "vice_chair"),
            ("Voorzitter Armoede", "themagroep-armoede-en-schulden", "chair"),
        ]
        assert [p.person.name for p in pillar_chairs(pillar=social, day=d("2023-01-01"))] == [
            "Voorzitter BO", "Oud-voorzitter AO", "Vice AO", "Voorzitter Armoede"]  # the chair before the vice-chair

    def test_pillars_exclude_archived_ones_and_other_bodies(self, g40_bodies, social):
        assert [p.slug for p in pillars_of(network=g40_bodies)] == [
            "sociale-pijler", "pijler-economie-en-werk", "fysieke-pijler"]
        assert pillar_by_slug("algemeen-bestuur") is None
        body_archive(body=social, day=d("2026-01-01"))
        assert pillar_by_slug("sociale-pijler") is None
        assert len(pillars_of(network=g40_bodies)) == 2


class TestStrategicAgenda:
    @pytest.fixture
    def agenda(self, g40_bodies):
        agenda = strategic_agenda_create(network=g40_bodies, title="Strategische agenda 2026-2030",
                                         period_start=d("2026-01-01"), period_end=d("2030-12-31"),
                                         source="https://example.org/agenda.pdf")
        key_message_add(agenda=agenda, text="Fysiek", pillar=body("fysieke-pijler"))
        key_message_add(agenda=agenda, text="Sociaal", pillar=body("sociale-pijler"))
        key_message_add(agenda=agenda, text="Algemeen")
        key_message_add(agenda=agenda, text="Sociaal twee", pillar=body("sociale-pijler"))
        return agenda

    def test_key_messages_are_numbered_and_grouped_per_pillar(self, agenda):
        assert list(agenda.key_messages.values_list("number", flat=True)) == [1, 2, 3, 4]
        groups = key_messages_grouped(agenda=agenda)
        assert [(g.pillar.slug if g.pillar else None, [m.text for m in g.messages]) for g in groups] == [
            (None, ["Algemeen"]),
            ("sociale-pijler", ["Sociaal", "Sociaal twee"]),
            ("fysieke-pijler", ["Fysiek"]),
        ]

    def test_a_key_message_belongs_to_a_pillar_not_another_body(self, agenda):
        with pytest.raises(ProgrammeRefused, match="Themagroep Jeugd"):
            key_message_add(agenda=agenda, text="X", pillar=body("themagroep-jeugd"))
        assert KeyMessage.objects.count() == 4

    def test_the_current_agenda_is_public_and_in_force(self, agenda, g40_bodies):
        day = d("2026-06-01")
        strategic_agenda_create(network=g40_bodies, title="Concept 2027", period_start=d("2026-05-01"),
                                period_end=d("2030-12-31"), is_public=False)
        strategic_agenda_create(network=g40_bodies, title="Oud", period_start=d("2018-01-01"),
                                period_end=d("2021-12-31"))
        assert strategic_agenda_current(network=g40_bodies, day=day) == agenda
        assert strategic_agenda_current(network=g40_bodies, day=d("2031-01-01")) is None
        assert [m.text for m in pillar_key_messages(pillar=body("sociale-pijler"), day=day)] == [
            "Sociaal", "Sociaal twee"]
        agenda.is_public = False
        agenda.save()
        assert pillar_key_messages(pillar=body("sociale-pijler"), day=day) == []

    def test_a_period_that_ends_before_it_starts_is_refused(self, g40_bodies):
        with pytest.raises(ProgrammeRefused):
            strategic_agenda_create(network=g40_bodies, title="X", period_start=d("2030-01-01"),
                                    period_end=d("2026-01-01"))
        assert not StrategicAgenda.objects.exists()


class TestDemo:
    def test_demo_programmes_per_pillar_and_an_agenda_once(self, g40_bodies):
        counts = demo_programmes_load(g40_bodies)
        assert counts == {"programmes": 3, "agendas": 1}
        programmes = WorkProgramme.objects.select_related("pillar")
        assert programmes.count() == 3
        for programme in programmes:
            assert programme.is_demo and programme.is_public
            assert programme.title == f"DEMO werkprogramma {programme.pillar.name} 2026-2027"
            assert (programme.period_start, programme.period_end) == (d("2026-01-01"), d("2027-12-31"))
            assert programme.goals.count() == 2
            actions = list(programme.actions.select_related("owner"))
            assert len(actions) == 3
            assert sum(not a.is_public for a in actions) == 1
            assert all(a.owner.kind == "theme_group" and a.owner.parent_id == programme.pillar_id for a in actions)
            assert all(a.title.startswith("DEMO") for a in actions)
            assert ProgressUpdate.objects.filter(action__programme=programme).count() == 1
        assert WorkProgramme.objects.get(title="DEMO werkprogramma Sociale Pijler 2026-2027")

        agenda = StrategicAgenda.objects.get()
        assert agenda.title.startswith("DEMO") and agenda.is_public
        assert (agenda.period_start, agenda.period_end) == (d("2026-01-01"), d("2030-12-31"))
        assert sorted(agenda.key_messages.values_list("pillar__slug", flat=True)) == [
            "fysieke-pijler", "pijler-economie-en-werk", "sociale-pijler"]

        assert demo_programmes_load(g40_bodies) == {"programmes": 0, "agendas": 0}
        assert WorkProgramme.objects.count() == 3 and Action.objects.count() == 9
        assert ProgressUpdate.objects.count() == 3 and KeyMessage.objects.count() == 3
