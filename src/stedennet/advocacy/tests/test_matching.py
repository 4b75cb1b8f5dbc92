"""Matching the mirror to dossiers: each criterion, why it matched, dismissed stays dismissed,
catching up after a crash, rule checks, and a fixed number of queries per chunk."""

import datetime

import pytest
from django.utils import timezone

from stedennet.advocacy import matching, services
from stedennet.advocacy.constants import DossierStatus, ItemKind, ItemStatus
from stedennet.advocacy.matching import MatchRuleRefused, match_pending, rule_check
from stedennet.advocacy.models import DossierItem, MatchProgress, MatchRule
from stedennet.advocacy.tests import factories as f
from stedennet.parliament.signals import entities_applied

pytestmark = pytest.mark.usefixtures("g40_bodies")


def suggested(dossier) -> dict[str, list[str]]:
    return {item.title: [reason["why"] for reason in item.reasons]
            for item in DossierItem.objects.filter(dossier=dossier)}


def test_a_dossier_number_with_addition_matches_cases_and_documents_of_that_dossier_only():
    subject = f.dossier()
    f.rule(subject, dossier_numbers="36600-VII")
    vro, other = f.kamerstukdossier(36600, "VII"), f.kamerstukdossier(36600, "XV")
    f.zaak("Motie van het lid Jansen over woningbouw", dossier=vro, volgnummer=12)
    f.document("Brief over de voortgang", dossier=vro, volgnummer=14)
    f.zaak("Motie over iets anders", dossier=other)
    assert match_pending() == 2
    found = {item.title: item for item in DossierItem.objects.filter(dossier=subject)}
    assert set(found) == {"Motie van het lid Jansen over woningbouw", "Brief over de voortgang"}
    motion = found["Motie van het lid Jansen over woningbouw"]
    assert (motion.kind, motion.status, motion.reference) == (ItemKind.MOTION, ItemStatus.SUGGESTED, "36600-VII nr. 12")
    assert motion.reasons == [{"rule": subject.rules.get().pk, "why": "kamerstuk dossier 36600-VII"}]
    assert found["Brief over de voortgang"].kind == ItemKind.GOVERNMENT_LETTER


def test_terms_match_on_dutch_stems_and_phrases_in_order():
    subject = f.dossier()
    f.rule(subject, terms="woningbouwopgaven, sociale huur")
    f.zaak("Motie over de woningbouwopgave in Brabant")
    f.zaak("Motie over huur die sociaal is")  # the words, but not the phrase
    f.zaak("Motie over meer sociale huurwoningen")  # "huurwoningen" is another word
    f.zaak("Motie over de sociale huur in Zwolle")
    match_pending()
    assert suggested(subject) == {
        "Motie over de woningbouwopgave in Brabant": ["term “woningbouwopgaven”"],
        "Motie over de sociale huur in Zwolle": ["term “sociale huur”"],
    }


def test_every_filled_criterion_of_a_rule_must_hold_and_rules_are_alternatives():
    subject = f.dossier()
    vro = f.commissie("VRO")
    f.rule(subject, case_kinds="Motie", committees="vro", mps="Jansen")
    f.rule(subject, terms="dakloosheid")
    both = f.zaak("Motie over woningbouw")
    f.lead_committee(both, vro)
    f.submitter(both, "A. Jansen", "GL-PvdA")
    no_mp = f.zaak("Motie over stikstof")
    f.lead_committee(no_mp, vro)
    f.submitter(no_mp, "B. Pietersen", "VVD")
    amendment = f.zaak("Amendement over woningbouw", soort="Amendement")
    f.lead_committee(amendment, vro)
    f.submitter(amendment, "A. Jansen", "GL-PvdA")
    f.document("Brief regering over dakloosheid")
    f.debate("Commissiedebat over dakloosheid", commissie=vro)
    f.commitment("De minister stuurt voor de zomer een brief over dakloosheid.")
    match_pending()
    assert suggested(subject) == {
        "Motie over woningbouw": ["committee vro; kind motie; MP Jansen"],
        "Brief regering over dakloosheid": ["term “dakloosheid”"],
        "Commissiedebat over dakloosheid": ["term “dakloosheid”"],
        "De minister stuurt voor de zomer een brief over dakloosheid.": ["term “dakloosheid”"],
    }
    kinds = dict(DossierItem.objects.values_list("title", "kind"))
    assert kinds["Commissiedebat over dakloosheid"] == ItemKind.DEBATE
    assert kinds["De minister stuurt voor de zomer een brief over dakloosheid."] == ItemKind.COMMITMENT


def test_an_actor_arriving_later_makes_its_case_match():
    subject = f.dossier()
    f.rule(subject, mps="Jansen")
    motion = f.zaak("Motie over woningbouw")
    assert match_pending() == 0
    f.submitter(motion, "A. Jansen", "GL-PvdA")
    assert match_pending() == 1
    assert suggested(subject) == {"Motie over woningbouw": ["MP Jansen"]}


def test_an_mp_of_more_than_one_word_matches_the_words_in_order_in_one_name():
    subject = f.dossier()
    f.rule(subject, mps="De Vries\nEl Amrani")
    f.submitter(f.zaak("Motie A"), "A. de Vries", "PvdS")
    f.submitter(f.zaak("Motie B"), "S. el Amrani", "LMP")
    two = f.zaak("Motie C")
    f.submitter(two, "K. de Jong", "PvdS")
    f.submitter(two, "L. Vries", "PvdS")  # "de" and "vries", but not in one name
    match_pending()
    assert suggested(subject) == {"Motie A": ["MP De Vries"], "Motie B": ["MP El Amrani"]}


def test_a_case_shows_its_subject_not_its_dossier_title():
    subject = f.dossier()
    f.rule(subject, dossier_numbers="36600-VII")
    f.zaak("Vaststelling van de begrotingsstaten", onderwerp="Motie van het lid De Vries over het gemeentefonds",
           dossier=f.kamerstukdossier(36600, "VII"))
    match_pending()
    assert DossierItem.objects.get().title == "Motie van het lid De Vries over het gemeentefonds"


def test_a_dismissed_match_stays_dismissed_after_later_syncs():
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    motion = f.zaak("Motie over woningbouw")
    match_pending()
    item = DossierItem.objects.get()
    services.item_decide(item=item, status=ItemStatus.DISMISSED)
    # The Kamer changes the case; the sync stores it again; the matching runs again.
    type(motion).objects.filter(pk=motion.pk).update(titel="Gewijzigde motie over woningbouw",
                                                     synced_at=timezone.now())
    assert match_pending() == 0
    item.refresh_from_db()
    assert (item.status, item.title) == (ItemStatus.DISMISSED, "Motie over woningbouw")
    assert DossierItem.objects.count() == 1


def test_a_confirmed_item_keeps_its_status_and_gets_the_new_title():
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    motion = f.zaak("Motie over woningbouw")
    match_pending()
    services.item_decide(item=DossierItem.objects.get(), status=ItemStatus.CONFIRMED)
    type(motion).objects.filter(pk=motion.pk).update(titel="Gewijzigde motie over woningbouw",
                                                     synced_at=timezone.now())
    match_pending()
    item = DossierItem.objects.get()
    assert (item.status, item.title) == (ItemStatus.CONFIRMED, "Gewijzigde motie over woningbouw")


def test_closed_dossiers_and_inactive_rules_collect_nothing():
    open_one, closed = f.dossier(), f.dossier("Afgesloten dossier")
    f.rule(open_one, terms="woningbouw", is_active=False)
    f.rule(closed, terms="woningbouw")
    services.dossier_status_set(dossier=closed, status=DossierStatus.CLOSED, day=datetime.date(2026, 2, 1))
    f.zaak("Motie over woningbouw")
    assert match_pending() == 0
    assert not DossierItem.objects.exists()


def test_the_signal_of_an_applied_page_matches_and_catches_up_what_a_crash_left():
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    first = f.zaak("Motie over woningbouw in Almere")  # applied, but the process died before matching
    second = f.zaak("Motie over woningbouw in Zwolle")
    entities_applied.send(sender=None, category="Zaak", guids=[str(second.guid)], deleted=[])
    assert set(DossierItem.objects.values_list("guid", flat=True)) == {first.guid, second.guid}
    assert MatchProgress.objects.get(category="Zaak").matched_until == max(first.synced_at, second.synced_at)
    entities_applied.send(sender=None, category="Zaak", guids=[str(second.guid)], deleted=[])
    assert DossierItem.objects.count() == 2


def test_a_tombstone_withdraws_a_suggestion_but_not_a_confirmed_item():
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    withdrawn, kept = f.zaak("Motie over woningbouw"), f.zaak("Tweede motie over woningbouw")
    match_pending()
    services.item_decide(item=DossierItem.objects.get(guid=kept.guid), status=ItemStatus.CONFIRMED)
    Zaak = type(withdrawn)
    Zaak.objects.filter(guid__in=[withdrawn.guid, kept.guid]).delete()
    entities_applied.send(sender=None, category="Zaak", guids=[], deleted=[str(withdrawn.guid), str(kept.guid)])
    assert list(DossierItem.objects.values_list("guid", "status")) == [(kept.guid, ItemStatus.CONFIRMED)]


def test_a_new_rule_matches_the_mirror_already_there():
    f.zaak("Motie over woningbouw")
    match_pending()
    subject = f.dossier()
    f.rule(subject, terms="woningbouw")
    assert matching.match_dossier(subject) == 1
    assert matching.match_dossier(subject) == 0


@pytest.mark.parametrize("criteria, code, field", [
    ({"dossier_numbers": "36600-VII\nkamerstuk 12"}, "dossier_number_malformed", "dossier_numbers"),
    ({"terms": " , ; "}, "terms_empty", "terms"),
    ({"terms": "de het een"}, "terms_empty", "terms"),
    ({"mps": ",,"}, "list_empty", "mps"),
    ({}, "rule_empty", None),
])
def test_a_rule_that_cannot_work_is_refused_on_its_field(criteria, code, field):
    with pytest.raises(MatchRuleRefused) as refused:
        rule_check(MatchRule(dossier=f.dossier(), **criteria))
    assert (refused.value.code, refused.value.field) == (code, field)


def test_a_good_rule_passes_and_reads_dossier_numbers_as_the_mirror_stores_them():
    rule = MatchRule(dossier=f.dossier(), dossier_numbers="36600 - vii; 36410", terms="woningbouw")
    rule_check(rule)
    rule.save()
    assert matching.compile_rules([rule])[0].keys == {"36600-VII", "36410"}


def test_matching_a_chunk_runs_a_fixed_number_of_queries(django_assert_max_num_queries):
    subject = f.dossier()
    f.rule(subject, terms="woningbouw", committees="VRO")
    vro = f.commissie("VRO")
    match_pending()

    def cases(n):
        for i in range(n):
            case = f.zaak(f"Motie {i} over woningbouw")
            f.lead_committee(case, vro)

    cases(3)
    with django_assert_max_num_queries(60) as few:
        match_pending()
    cases(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        match_pending()
    assert DossierItem.objects.filter(dossier=subject).count() == 33
