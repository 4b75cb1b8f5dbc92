"""The demo items (idempotent, every one flagged and with a demo GUID) and what advocacy reads:
a motion's submitters, appraisal, decision and votes per party; the items of a dossier;
overdue commitments; what changed since a moment; in a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stedennet.parliament.demo import G, is_demo_guid, load_demo_parliament
from stedennet.parliament.kamerstuk import kamerstuk_key, kamerstuk_label, parse_dossier_key
from stedennet.parliament.models import ENTITY_MODELS, Document, Link, Stemming, Toezegging, Zaak
from stedennet.parliament.selectors import (
    activities_for_zaken,
    changed_since,
    commitments_overdue,
    document_kamerstukken,
    documents_for_zaken,
    dossier_keys,
    is_overdue,
    items_for_dossier_numbers,
    motion_summaries,
    motion_summary,
    party_votes,
)
from stedennet.parliament.signals import entities_applied

pytestmark = pytest.mark.django_db


def test_the_demo_is_flagged_idempotent_and_announced(django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, category, guids, deleted, **kwargs):
        heard.append(category)

    entities_applied.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = load_demo_parliament()
    finally:
        entities_applied.disconnect(listener)
    assert created["Zaak"] == 3 and created["Stemming"] == 10 and created["Fractie"] == 5
    assert set(heard) == set(ENTITY_MODELS)
    counts = {category: model.objects.count() for category, model in ENTITY_MODELS.items()}
    for model in ENTITY_MODELS.values():
        assert all(row.is_demo and is_demo_guid(row.guid) for row in model.objects.all())
    assert all(link.is_demo for link in Link.objects.all())
    synced = Zaak.objects.get(guid=G["motie"]).synced_at
    assert sum(load_demo_parliament().values()) == 0  # again: nothing new, nothing changed
    assert {category: model.objects.count() for category, model in ENTITY_MODELS.items()} == counts
    assert Zaak.objects.get(guid=G["motie"]).synced_at == synced


@pytest.fixture
def demo(db):
    load_demo_parliament()


def test_the_motion_on_36600_vii_with_its_votes_per_party(demo):
    summary = motion_summary(Zaak.objects.get(guid=G["motie"]))
    assert [(s.naam, s.fractie, s.relatie) for s in summary.submitters] == [
        ("Anna de Vries", "PvdS", "Indiener"), ("Bram Jansen", "LMP", "Medeindiener")]
    assert summary.kabinetsappreciatie == "Oordeel Kamer"
    assert summary.decision.outcome == "Aangenomen"
    assert [(v.fractie, v.soort, v.zetels) for v in summary.votes] == [
        ("PvdS", "Voor", 40), ("LMP", "Voor", 35), ("CSA", "Tegen", 30), ("GV", "Voor", 25),
        ("PvhP", "Niet deelgenomen", 20)]
    assert (summary.decision.seats_for, summary.decision.seats_against, summary.decision.seats_absent) == (100, 30, 20)
    rejected = motion_summary(Zaak.objects.get(guid=G["motie2"]))
    assert rejected.decision.outcome == "Verworpen" and rejected.decision.seats_against == 85


def test_roll_call_votes_count_one_seat_per_member():
    votes = [Stemming(guid=G["stem_pvds"], soort="Voor", actor_fractie="PvdS", fractie_grootte=40,
                      persoon_id=G["de_vries"]),
             Stemming(guid=G["stem_lmp"], soort="Voor", actor_fractie="PvdS", fractie_grootte=40,
                      persoon_id=G["jansen"]),
             Stemming(guid=G["stem_csa"], soort="Tegen", actor_fractie="CSA", fractie_grootte=30)]
    assert [(v.fractie, v.soort, v.zetels) for v in party_votes(votes)] == [("CSA", "Tegen", 30), ("PvdS", "Voor", 2)]


def test_motion_summaries_take_three_queries_for_any_number(demo):
    zaken = list(Zaak.objects.all())
    with CaptureQueriesContext(connection) as queries:
        summaries = motion_summaries(zaken)
    assert len(summaries) == 3 and len(queries) <= 4


def test_the_items_of_a_dossier(demo):
    items = items_for_dossier_numbers(["36600 - vii", "nonsense"])
    assert [d.kamerstuk_key for d in items.dossiers] == ["36600-VII"]
    assert {z.guid for z in items.zaken} == {G["motie"], G["motie2"], G["brief"]}
    assert {d.guid for d in items.documenten} == {G["brief_document"], G["motie_document"]}
    assert not items_for_dossier_numbers(["36600"]).dossiers.exists()  # no dossier without addition
    assert not items_for_dossier_numbers(["36600-VII"], since=timezone.now()).zaken.exists()
    documents = list(documents_for_zaken([G["brief"]]))
    assert [d.guid for d in documents] == [G["brief_document"]]
    assert document_kamerstukken(documents) == {G["brief_document"]: "36600-VII nr. 14"}
    assert [a.guid for a in activities_for_zaken([G["motie"]])] == [G["debat"]]


def test_overdue_commitments():
    load_demo_parliament()
    today = datetime.date(2026, 3, 1)
    overdue = list(commitments_overdue(today))
    assert [t.guid for t in overdue] == [G["toezegging_overdue"]]
    assert is_overdue(overdue[0], today) and not is_overdue(Toezegging.objects.get(guid=G["toezegging_open"]), today)
    Toezegging.objects.filter(guid=G["toezegging_overdue"]).update(status="Voldaan")
    assert not commitments_overdue(today).exists()
    Toezegging.objects.filter(guid=G["toezegging_overdue"]).update(status="Deels voldaan")  # still partly open
    assert commitments_overdue(today).exists()
    # Due on 1 July 2025: not overdue that day, overdue the day after.
    assert not commitments_overdue(datetime.date(2025, 7, 1)).exists()
    assert commitments_overdue(datetime.date(2025, 7, 2)).exists()


def test_changed_since(demo):
    moment = timezone.now()
    assert changed_since(moment) == {category: [] for category in ENTITY_MODELS}
    Document.objects.filter(guid=G["brief_document"]).update(synced_at=timezone.now())
    assert changed_since(moment, ["Document"]) == {"Document": [G["brief_document"]]}


def test_kamerstuk_keys():
    assert kamerstuk_key(36600, "vii") == "36600-VII" and kamerstuk_key(36600, "") == "36600"
    assert kamerstuk_key(None, "VII") == ""
    assert kamerstuk_label(36600, "XV", 12) == "36600-XV nr. 12"
    assert parse_dossier_key("36600-VII") == (36600, "VII")
    assert parse_dossier_key(" 36600 - vii ") == (36600, "VII")
    assert parse_dossier_key("36600") == (36600, "")
    assert parse_dossier_key("21501-32") == (21501, "32")
    for bad in ("36600-", "VII", "36.600", "", "36600-VII-12 extra!"):
        assert parse_dossier_key(bad) is None, bad
    assert dossier_keys(["36600-vii", "x", "21501 - 32"]) == ["36600-VII", "21501-32"]
