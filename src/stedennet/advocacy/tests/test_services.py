"""The rules of dossiers, asks, interventions and outcomes, with their refusal codes and audit entries."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from stedennet.advocacy import services
from stedennet.advocacy.constants import Addressee, DossierStatus, InterventionKind, ItemStatus, Outcome
from stedennet.advocacy.models import AskVersion, DossierItem
from stedennet.advocacy.services import AdvocacyRefused
from stedennet.advocacy.tests.factories import FYSIEK, OPENED, WONEN, body, dossier
from stedennet.governance.models import Visibility
from stedennet.meetings.models import AgendaItem, Decision, Meeting

pytestmark = pytest.mark.usefixtures("g40_bodies")


def decision_of(slug: str, number: int = 3) -> Decision:
    from django.utils import timezone

    meeting = Meeting.objects.create(body=body(slug), title="Bestuurlijk overleg",
                                     starts_at=timezone.make_aware(datetime.datetime(2026, 2, 12, 14, 0)),
                                     ends_at=timezone.make_aware(datetime.datetime(2026, 2, 12, 16, 0)),
                                     uid=f"test-{slug}-{number}@stedennet")
    item = AgendaItem.objects.create(meeting=meeting, number=1, title="Woningbouw")
    return Decision.objects.create(meeting=meeting, agenda_item=item, number=number, text="Het BO stelt de inzet vast.")


def test_a_dossier_belongs_to_a_pillar_and_is_owned_by_theme_groups():
    created = dossier()
    assert created.status == DossierStatus.OPEN
    assert list(created.owners.values_list("slug", flat=True)) == [WONEN]
    with pytest.raises(AdvocacyRefused) as refused:
        dossier("Niet een pijler", pillar=WONEN)
    assert refused.value.code == "not_a_pillar"
    with pytest.raises(AdvocacyRefused) as refused:
        dossier("Eigenaar geen themagroep", owners=[FYSIEK])
    assert refused.value.code == "owner_not_theme_group"
    with pytest.raises(AdvocacyRefused) as refused:
        dossier("Alleen voor een groep", visibility=Visibility.BODY)
    assert (refused.value.code, refused.value.field) == ("group_required", "group")


def test_ask_versions_are_numbered_and_never_overwritten(make_user):
    bureau = make_user("bureau")
    subject = dossier()
    decision = decision_of("fysieke-pijler-bo")
    first = services.ask_adopt(dossier=subject, text="Structureel geld voor woningbouw.",
                               body=body("fysieke-pijler-bo"), adopted_on=datetime.date(2026, 2, 12),
                               decision=decision, by=bureau)
    second = services.ask_adopt(dossier=subject, text="Structureel geld, en regie op locaties.",
                                body=body("fysieke-pijler-bo"), adopted_on=datetime.date(2026, 4, 1), by=bureau)
    assert (first.number, second.number) == (1, 2)
    first.refresh_from_db()
    assert first.text == "Structureel geld voor woningbouw." and first.decision == decision
    assert list(AskVersion.objects.filter(dossier=subject).values_list("number", flat=True)) == [2, 1]
    entries = ModelLogEntry.objects.filter(action=services.ASK_ADOPTED, object_id=str(subject.pk))
    assert sorted(entry.data["version"] for entry in entries) == [1, 2]
    assert entries.filter(data__decision=decision.reference).count() == 1
    assert all(entry.user_id == bureau.pk for entry in entries)


@pytest.mark.parametrize("kwargs, code, field", [
    ({"adopted_on": OPENED - datetime.timedelta(days=1)}, "before_dossier_opened", "adopted_on"),
    ({"text": "  "}, "ask_empty", "text"),
])
def test_an_ask_that_breaks_a_rule_is_refused(kwargs, code, field):
    subject = dossier()
    arguments = {"dossier": subject, "text": "Inzet", "adopted_on": datetime.date(2026, 2, 1),
                 "body": body("fysieke-pijler-bo")} | kwargs
    with pytest.raises(AdvocacyRefused) as refused:
        services.ask_adopt(**arguments)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert not AskVersion.objects.exists()


def test_an_ask_older_than_the_last_version_or_by_another_body_is_refused():
    subject = dossier()
    services.ask_adopt(dossier=subject, text="Eerste", adopted_on=datetime.date(2026, 3, 1),
                       body=body("fysieke-pijler-bo"))
    with pytest.raises(AdvocacyRefused) as refused:
        services.ask_adopt(dossier=subject, text="Tweede", adopted_on=datetime.date(2026, 2, 1),
                           body=body("fysieke-pijler-bo"))
    assert refused.value.code == "before_previous_version"
    with pytest.raises(AdvocacyRefused) as refused:
        services.ask_adopt(dossier=subject, text="Tweede", adopted_on=datetime.date(2026, 3, 2),
                           body=body("algemeen-bestuur"), decision=decision_of("sociale-pijler-bo"))
    assert refused.value.code == "decision_other_body"
    # The pillar adopts what its own administrative meeting decided.
    ask = services.ask_adopt(dossier=subject, text="Tweede", adopted_on=datetime.date(2026, 3, 2),
                             body=body(FYSIEK), decision=decision_of("fysieke-pijler-bo", 4))
    assert ask.number == 2


def test_an_intervention_dated_before_its_dossier_opened_is_refused_with_the_reason():
    subject = dossier()
    with pytest.raises(AdvocacyRefused) as refused:
        services.intervention_record(dossier=subject, kind=InterventionKind.LETTER, title="Brief",
                                     date=OPENED - datetime.timedelta(days=3), addressee=Addressee.CABINET)
    assert (refused.value.code, refused.value.field) == ("before_dossier_opened", "date")
    assert refused.value.params == {"opened": OPENED.isoformat()}
    with pytest.raises(AdvocacyRefused) as refused:
        services.intervention_record(dossier=subject, kind=InterventionKind.LETTER, title="Brief",
                                     date=OPENED, addressee=Addressee.COMMITTEE)
    assert (refused.value.code, refused.value.field) == ("addressee_name_required", "addressee_name")
    with pytest.raises(AdvocacyRefused) as refused:
        services.intervention_record(dossier=subject, kind=InterventionKind.MEETING_MPS, title="Gesprek",
                                     date=OPENED, addressee=Addressee.MPS, mps="\n ")
    assert refused.value.code == "mps_required"
    assert not subject.interventions.exists()


def test_an_outcome_has_its_date_after_the_intervention_and_evidence_of_the_dossier(make_user):
    bureau = make_user("bureau")
    subject, other = dossier(), dossier("Ander dossier")
    letter = services.intervention_record(
        dossier=subject, kind=InterventionKind.LETTER, title="Brief aan de commissie VRO",
        date=datetime.date(2026, 3, 1), addressee=Addressee.COMMITTEE, addressee_name="vaste commissie voor VRO",
        signatories="Voorzitter G40\n",
        by=bureau)
    assert letter.outcome == Outcome.PENDING and letter.signatory_list == ["Voorzitter G40"]
    with pytest.raises(AdvocacyRefused) as refused:
        services.intervention_outcome_set(intervention=letter, outcome=Outcome.GRANTED, day=datetime.date(2026, 2, 1))
    assert refused.value.code == "outcome_before_intervention"
    with pytest.raises(AdvocacyRefused) as refused:
        services.intervention_outcome_set(intervention=letter, outcome=Outcome.GRANTED, day=None)
    assert refused.value.code == "outcome_date_required"
    foreign = DossierItem.objects.create(dossier=other, category="Zaak", guid="6f1c1e59-2c0e-4b8e-9d7e-2f5a0c1d9e01",
                                         title="Motie", suggested_at=letter.created_at)
    with pytest.raises(AdvocacyRefused) as refused:
        services.intervention_outcome_set(intervention=letter, outcome=Outcome.GRANTED, day=datetime.date(2026, 4, 1),
                                          evidence_item=foreign)
    assert refused.value.code == "evidence_other_dossier"
    letter.refresh_from_db()
    assert letter.outcome == Outcome.PENDING
    done = services.intervention_outcome_set(intervention=letter, outcome=Outcome.PARTLY, day=datetime.date(2026, 4, 1),
                                             note="Motie aangenomen", evidence_url="https://www.tweedekamer.nl/",
                                             by=bureau)
    assert (done.outcome, done.outcome_on) == (Outcome.PARTLY, datetime.date(2026, 4, 1))
    entry = ModelLogEntry.objects.get(action=services.OUTCOME_RECORDED, object_id=str(letter.pk))
    assert entry.data == {"outcome": Outcome.PARTLY, "day": "2026-04-01"} and entry.user_id == bureau.pk


def test_status_follows_the_transition_table():
    subject = dossier()
    services.dossier_status_set(dossier=subject, status=DossierStatus.PARTLY_ACHIEVED, day=datetime.date(2026, 5, 1))
    closed = services.dossier_status_set(dossier=subject, status=DossierStatus.CLOSED, day=datetime.date(2026, 6, 1))
    assert closed.closed_on == datetime.date(2026, 6, 1)
    with pytest.raises(AdvocacyRefused) as refused:
        services.dossier_status_set(dossier=subject, status=DossierStatus.ACHIEVED)
    assert (refused.value.code, refused.value.field) == ("status_not_allowed", "status")
    reopened = services.dossier_status_set(dossier=subject, status=DossierStatus.OPEN, day=datetime.date(2026, 7, 1))
    assert reopened.closed_on is None
    changes = ModelLogEntry.objects.filter(action=services.STATUS_CHANGED, object_id=str(subject.pk))
    assert sorted((entry.data["from"], entry.data["to"]) for entry in changes) == [
        ("closed", "open"), ("open", "partly_achieved"), ("partly_achieved", "closed")]


def test_a_dismissed_item_cannot_be_confirmed_by_the_queue():
    subject = dossier()
    item = DossierItem.objects.create(dossier=subject, category="Zaak", guid="6f1c1e59-2c0e-4b8e-9d7e-2f5a0c1d9e02",
                                      title="Motie", suggested_at=subject.created_at)
    services.item_decide(item=item, status=ItemStatus.DISMISSED)
    with pytest.raises(AdvocacyRefused) as refused:
        services.item_decide(item=item, status=ItemStatus.CONFIRMED)
    assert refused.value.code == "item_status_not_allowed"
    item.refresh_from_db()
    assert item.status == ItemStatus.DISMISSED
    assert ModelLogEntry.objects.filter(action=services.ITEM_DISMISSED, object_id=str(subject.pk)).count() == 1


def test_confirming_a_document_fetches_its_file_and_nothing_else_does(settings, django_capture_on_commit_callbacks):
    from stedennet.parliament.models import Document
    from stedennet.parliament.tests.tkfeed import PDF, Answer, FeedServer

    server = FeedServer().start()
    try:
        settings.STEDENNET_TK_FEED_URL = server.url
        server.file("/files/brief.pdf", Answer(body=PDF, content_type="application/pdf"))
        subject = dossier()
        document = Document.objects.create(guid="6f1c1e59-2c0e-4b8e-9d7e-2f5a0c1d9e03", titel="Brief regering",
                                           soort="Brief regering", enclosure_url=f"{server.base}/files/brief.pdf",
                                           content_type="application/pdf", content_length=len(PDF),
                                           synced_at=subject.created_at)
        suggested_item = DossierItem.objects.create(dossier=subject, category="Document", guid=document.guid,
                                                    title="Brief regering", suggested_at=subject.created_at)
        document.refresh_from_db()
        assert not document.file  # a suggestion fetches nothing
        with django_capture_on_commit_callbacks(execute=True):
            services.item_decide(item=suggested_item, status=ItemStatus.CONFIRMED)
        document.refresh_from_db()
        assert document.file and document.file.read() == PDF
    finally:
        server.stop()
