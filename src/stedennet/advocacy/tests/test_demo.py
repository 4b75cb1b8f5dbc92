"""The demo of advocacy (`stedennet load-demo-advocacy`): idempotent, flagged demo everywhere it
shows, with suggestions from the mirror's demo, a confirmed motion, an ask, letters and an outcome."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from stedennet.advocacy.constants import Addressee, ItemKind, ItemStatus, Outcome
from stedennet.advocacy.demo import DOSSIERS, load_demo_advocacy
from stedennet.advocacy.models import (
    Alert,
    AskVersion,
    Dossier,
    DossierItem,
    DossierOwner,
    Intervention,
    MatchRule,
)
from stedennet.governance.models import Body, BodyKind
from stedennet.meetings.models import AgendaItem, Decision, Meeting
from stedennet.parliament.demo import G, is_demo_guid
from stedennet.parliament.models import ENTITY_MODELS, Zaak

MODELS = (Dossier, DossierOwner, AskVersion, Intervention, MatchRule, DossierItem, Alert)


def counts() -> dict[str, int]:
    found = {model.__name__: model.objects.count() for model in MODELS}
    found.update({category: model.objects.count() for category, model in ENTITY_MODELS.items()})
    found["confirmed"] = DossierItem.objects.filter(status=ItemStatus.CONFIRMED).count()
    return found


def run() -> str:
    out = io.StringIO()
    call_command("load_demo_advocacy", stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def demo(g40_bodies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run()
    return output


def test_the_command_runs_twice_with_the_same_counts(demo, django_capture_on_commit_callbacks):
    assert "Demo advocacy: 3 dossiers" in demo and "demo" in demo
    before = counts()
    items = list(DossierItem.objects.order_by("pk").values_list("pk", "status", "title", "reasons"))
    with django_capture_on_commit_callbacks(execute=True):
        again = run()
    assert "0 dossiers, 0 interventions, 0 matching rules, 0 suggested and 0 confirmed" in again
    assert counts() == before
    assert list(DossierItem.objects.order_by("pk").values_list("pk", "status", "title", "reasons")) == items


def test_the_dossiers_are_demo_owned_by_theme_groups_of_their_pillar(demo):
    dossiers = list(Dossier.objects.all())
    assert len(dossiers) == len(DOSSIERS) == 3
    for dossier in dossiers:
        assert dossier.is_demo and "(demo)" in dossier.title
        owners = list(dossier.owners.all())
        assert owners and all(owner.kind == BodyKind.THEME_GROUP and owner.parent_id == dossier.pillar_id
                              for owner in owners)
        ask = dossier.asks.get()
        assert ask.number == 1 and ask.adopted_on >= dossier.opened_on and ask.text.startswith("DEMO")
        assert ask.body.slug == f"{dossier.pillar.slug}-bo"  # the pillar's bestuurlijk overleg
        assert dossier.rules.exists() and dossier.interventions.exists()
    assert all(intervention.is_demo and intervention.title.startswith("DEMO")
               for intervention in Intervention.objects.all())
    housing = Dossier.objects.get(slug="demo-woningbouw-volkshuisvesting")
    assert housing.pillar.slug == "fysieke-pijler"
    assert list(housing.owners.values_list("slug", flat=True)) == ["themagroep-wonen"]
    letter = housing.interventions.get()
    assert (letter.addressee, letter.addressee_name, letter.outcome) == (
        Addressee.COMMITTEE, "vaste commissie voor Volkshuisvesting en Ruimtelijke Ordening", Outcome.PENDING)


def test_suggestions_exist_one_motion_is_confirmed_and_is_the_evidence_of_an_outcome(demo):
    assert DossierItem.objects.filter(status=ItemStatus.SUGGESTED).count() >= 5
    youth = Dossier.objects.get(slug="demo-jeugdzorg-financiering")
    confirmed = DossierItem.objects.get(status=ItemStatus.CONFIRMED)
    assert (confirmed.dossier, confirmed.guid, confirmed.kind) == (youth, G["motie"], ItemKind.MOTION)
    assert confirmed.decided_at is not None
    assert {reason["why"] for reason in confirmed.reasons} == {"kamerstuk dossier 36600-VII; kind motie",
                                                               "term “gemeentefonds”"}
    letter = youth.interventions.get()
    assert (letter.outcome, letter.outcome_on, letter.evidence_item) == (
        Outcome.PARTLY, datetime.date(2024, 11, 19), confirmed)
    # Each dossier's rules find something in the mirror's demo.
    for dossier in Dossier.objects.all():
        assert dossier.items.exists(), dossier.title
    social = Dossier.objects.get(slug="demo-sociaal-domein-middelen")
    assert set(social.items.values_list("kind", flat=True)) >= {ItemKind.MOTION, ItemKind.COMMITMENT, ItemKind.DEBATE}


def test_the_demo_is_flagged_on_every_item_and_the_mirror_is_the_demo_one(demo):
    items = list(DossierItem.objects.all())
    assert items and all(item.is_demo and is_demo_guid(item.guid) for item in items)
    assert Zaak.objects.filter(guid=G["motie"], is_demo=True).exists()
    assert all(zaak.is_demo for zaak in Zaak.objects.all())


def test_the_confirmation_alerts_the_owning_group_once(g40_bodies, django_capture_on_commit_callbacks):
    from stedennet.accounts.services import demo_accounts_create
    from stedennet.governance.demo import demo_governance_load

    demo_accounts_create()  # as `make run` does before: "bureau", and "bestuurder" in Themagroep Jeugd
    demo_governance_load(network=g40_bodies)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    confirmed = DossierItem.objects.get(status=ItemStatus.CONFIRMED)
    assert confirmed.decided_by.username == "bureau"
    alerted = Alert.objects.filter(item=confirmed)
    assert "bestuurder" in set(alerted.values_list("user__username", flat=True))
    assert any("bestuurder@demo.stedennet.invalid" in message.to for message in mail.outbox)
    sent = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        run()
    assert Alert.objects.filter(item=confirmed).count() == alerted.count() and len(mail.outbox) == sent


def test_an_absent_theme_group_is_replaced_by_another_of_its_pillar(g40_bodies):
    Body.objects.filter(slug="themagroep-wonen").update(archived_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    load_demo_advocacy()
    housing = Dossier.objects.get(slug="demo-woningbouw-volkshuisvesting")
    assert list(housing.owners.values_list("slug", flat=True)) == ["themagroep-mobiliteit"]


def test_a_decision_of_the_pillar_meeting_adopts_the_ask_when_there_is_one(g40_bodies):
    bo = Body.objects.get(slug="sociale-pijler-bo")
    start = datetime.datetime(2024, 9, 26, 14, 0, tzinfo=datetime.UTC)
    meeting = Meeting.objects.create(body=bo, title="DEMO Bestuurlijk overleg", starts_at=start,
                                     ends_at=start + datetime.timedelta(hours=2), uid="test-demo-bo@stedennet")
    agenda_item = AgendaItem.objects.create(meeting=meeting, number=1, title="Lobby jeugdzorg")
    decision = Decision.objects.create(meeting=meeting, agenda_item=agenda_item, number=4, text="Inzet vastgesteld.")
    load_demo_advocacy()
    assert Dossier.objects.get(slug="demo-jeugdzorg-financiering").asks.get().decision == decision
    assert Dossier.objects.get(slug="demo-woningbouw-volkshuisvesting").asks.get().decision is None


def test_without_the_g40_the_command_says_what_to_run(db):
    with pytest.raises(CommandError, match="load-g40"):
        run()
