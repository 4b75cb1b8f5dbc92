"""Lobby dossiers in site search: found by the words of their ask (in another form: stemming),
their public interventions and confirmed parliamentary items; never beyond their visibility,
also when the index is behind; the hit links to the dossier's page."""

import datetime
import io
import re
import uuid

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.advocacy import services
from stedennet.advocacy.constants import Addressee, InterventionKind, ItemStatus
from stedennet.advocacy.models import Dossier, DossierItem
from stedennet.advocacy.tests import factories as f
from stedennet.governance.access import ANONYMOUS, viewer_for
from stedennet.governance.models import Position, Visibility
from stedennet.governance.tests.factories import person_with_account
from stedennet.search import signals as search_signals
from stedennet.search.models import SearchDocument, SearchKind
from stedennet.search.selectors import Filters, search

pytestmark = pytest.mark.usefixtures("g40_bodies")


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    monkeypatch.setattr(search_signals, "after_commit", lambda function: function())


def found(viewer, query: str) -> list[str]:
    return [re.sub(r"</?mark>", "", str(hit.title)) for hit in search(viewer, query).hits
            if hit.kind == SearchKind.DOSSIER]


def ask(dossier, text: str):
    services.ask_adopt(dossier=dossier, text=text, adopted_on=datetime.date(2026, 2, 1), body=dossier.pillar)


def test_a_public_dossier_is_found_by_a_form_of_a_word_of_its_ask():
    dossier = f.dossier("Gemeentefonds")
    ask(dossier, "Wij vragen structurele financiering van de woningbouwopgaven.")
    assert found(ANONYMOUS, "woningbouwopgave") == ["Gemeentefonds"]
    hit = next(hit for hit in search(ANONYMOUS, "woningbouwopgave").hits if hit.kind == SearchKind.DOSSIER)
    assert hit.url == dossier.get_absolute_url()


def test_visibility_holds_for_members_groups_and_the_bureau(make_user):
    members_only = f.dossier("Ledendossier", visibility=Visibility.MEMBERS)
    group_only = f.dossier("Groepsdossier", visibility=Visibility.BODY, group=f.body(f.WONEN))
    ask(members_only, "Meer geld voor jeugdzorg.")
    ask(group_only, "Minder regels voor jeugdzorg.")
    outsider = person_with_account(name="Buiten", email="buiten@example.org")
    insider = person_with_account(name="Binnen", email="binnen@example.org")
    Position.objects.create(person=insider, body=f.body(f.WONEN), start_date=datetime.date(2026, 1, 1))
    bureau = make_user("bureau", AccountRole.BUREAU)
    assert found(ANONYMOUS, "jeugdzorg") == []
    assert found(viewer_for(outsider.user), "jeugdzorg") == ["Ledendossier"]
    assert sorted(found(viewer_for(insider.user), "jeugdzorg")) == ["Groepsdossier", "Ledendossier"]
    assert sorted(found(viewer_for(bureau), "jeugdzorg")) == ["Groepsdossier", "Ledendossier"]


def test_a_dossier_made_private_after_indexing_is_not_shown_from_the_stale_index(monkeypatch):
    dossier = f.dossier("Gemeentefonds")
    ask(dossier, "Een gemeentefonds dat meegroeit.")
    monkeypatch.setattr(search_signals, "after_commit", lambda function: None)  # the worker is stopped
    Dossier.objects.filter(pk=dossier.pk).update(visibility=Visibility.MEMBERS)
    assert SearchDocument.objects.get(kind=SearchKind.DOSSIER).visibility == Visibility.PUBLIC  # stale
    assert found(ANONYMOUS, "meegroeit") == []


def test_only_public_interventions_make_a_dossier_findable():
    dossier = f.dossier("Gemeentefonds")
    services.intervention_record(dossier=dossier, kind=InterventionKind.LETTER, title="Brief over opschalingskorting",
                                 date=datetime.date(2026, 2, 2), addressee=Addressee.CABINET)
    services.intervention_record(dossier=dossier, kind=InterventionKind.MEETING_OFFICIALS, title="Gesprek over BTW",
                                 date=datetime.date(2026, 2, 3), addressee=Addressee.CABINET, is_public=False)
    assert found(ANONYMOUS, "opschalingskorting") == ["Gemeentefonds"]
    assert found(ANONYMOUS, "btw") == []


def test_searching_costs_the_same_queries_with_more_dossiers():
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            search(ANONYMOUS, "gemeentefonds")
        return len(captured)

    for n in range(2):
        ask(f.dossier(f"Gemeentefonds {n}"), "Het gemeentefonds groeit mee.")
    few = queries()
    for n in range(2, 22):
        ask(f.dossier(f"Gemeentefonds {n}"), "Het gemeentefonds groeit mee.")
    assert queries() == few


ROLES = ["anonymous", "partner", "member", "group_member", "bureau"]
SEES = {
    Visibility.PUBLIC: {"anonymous", "partner", "member", "group_member", "bureau"},
    Visibility.MEMBERS: {"member", "group_member", "bureau"},
    Visibility.MEMBERS_AND_PARTNERS: {"partner", "member", "group_member", "bureau"},
    Visibility.BODY: {"group_member", "bureau"},
}


@pytest.fixture
def viewers(g40_bodies, make_user):
    partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="partner")
    member = person_with_account(username="lid", cbs_code="GM0014")
    insider = person_with_account(username="groepslid", cbs_code="GM0014")
    Position.objects.create(person=insider, body=f.body(f.WONEN), start_date=datetime.date(2026, 1, 1))
    return {"anonymous": ANONYMOUS, "partner": viewer_for(partner.user), "member": viewer_for(member.user),
            "group_member": viewer_for(insider.user), "bureau": viewer_for(make_user("bureau", AccountRole.BUREAU))}


@pytest.mark.parametrize("role", ROLES)
def test_every_visibility_for_every_role(viewers, role):
    for level in SEES:
        dossier = f.dossier(f"Dossier {level}", visibility=level,
                            group=f.body(f.WONEN) if level == Visibility.BODY else None)
        ask(dossier, f"Een vraag over matrixonderwerp{level.replace('_', '')}.")
    viewer = viewers[role]
    for level, who in SEES.items():
        assert found(viewer, f"matrixonderwerp{level.replace('_', '')}") == (
            [f"Dossier {level}"] if role in who else []), (role, level)
    results = search(viewer, "vraag")  # the total and the type facet count only what the role may see
    expected = sum(role in who for who in SEES.values())
    assert results.total == expected
    assert {v.value: v.count for v in results.facets.get("type", [])} == ({"dossier": expected} if expected else {})


def test_the_summary_every_ask_version_and_confirmed_items_are_found_suggested_items_not():
    dossier = f.dossier("Gemeentefonds", summary="Over de opschalingskorting.")
    ask(dossier, "Eerste versie over de normeringssystematiek.")
    ask(dossier, "Tweede versie over het accres.")
    DossierItem.objects.create(dossier=dossier, category="Zaak", guid=uuid.uuid4(), title="Motie over de ozb",
                               status=ItemStatus.CONFIRMED, suggested_at=timezone.now())
    suggested = DossierItem.objects.create(dossier=dossier, category="Zaak", guid=uuid.uuid4(),
                                           title="Motie over de hondenbelasting", suggested_at=timezone.now())
    for word in ("opschalingskorting", "normeringssystematiek", "accres", "ozb"):
        assert found(ANONYMOUS, word) == ["Gemeentefonds"], word
    assert found(ANONYMOUS, "hondenbelasting") == []
    services.item_decide(item=suggested, status=ItemStatus.CONFIRMED)  # confirming re-indexes the dossier
    assert found(ANONYMOUS, "hondenbelasting") == ["Gemeentefonds"]


def test_changes_to_the_dossier_and_its_parts_reach_the_index():
    dossier = f.dossier("Gemeentefonds")
    letter = services.intervention_record(dossier=dossier, kind=InterventionKind.LETTER, title="Brief",
                                          summary="Over de opschalingskorting.", date=datetime.date(2026, 2, 2),
                                          addressee=Addressee.CABINET)
    assert found(ANONYMOUS, "opschalingskorting") == ["Gemeentefonds"]
    letter.is_public = False
    letter.save()
    assert found(ANONYMOUS, "opschalingskorting") == []
    letter.delete()
    dossier.title = "Financiële verhoudingen"
    dossier.visibility = Visibility.MEMBERS
    services.dossier_update(dossier=dossier)
    row = SearchDocument.objects.get(kind=SearchKind.DOSSIER, object_id=dossier.pk)
    assert (row.title, row.visibility) == ("Financiële verhoudingen", Visibility.MEMBERS)
    dossier.delete()
    assert not SearchDocument.objects.filter(kind=SearchKind.DOSSIER).exists()


def test_the_row_carries_pillar_year_date_and_demo_and_filters_by_type():
    dossier = f.dossier("Gemeentefonds", opened_on=datetime.date(2025, 11, 3), is_demo=True)
    ask(dossier, "Het gemeentefonds groeit mee.")
    row = SearchDocument.objects.get(kind=SearchKind.DOSSIER, object_id=dossier.pk)
    assert (row.pillar_id, row.year, row.is_demo, row.url) == (
        dossier.pillar_id, 2025, True, dossier.get_absolute_url())
    assert timezone.localtime(row.date).date() == datetime.date(2025, 11, 3)
    assert [hit.kind for hit in search(ANONYMOUS, "gemeentefonds", filters=Filters(type="dossier")).hits] == [
        SearchKind.DOSSIER]
    assert search(ANONYMOUS, "gemeentefonds", filters=Filters(type="library")).hits == []


def test_the_rebuild_command_takes_the_dossier_kind():
    dossier = f.dossier("Gemeentefonds")
    ask(dossier, "Het gemeentefonds groeit mee.")
    SearchDocument.objects.filter(kind=SearchKind.DOSSIER).delete()
    call_command("search_index", kind=["dossier"], stdout=io.StringIO())
    assert found(ANONYMOUS, "gemeentefonds") == ["Gemeentefonds"]


def test_the_search_page_links_the_hit_to_the_dossier_page_it_opens(client):
    dossier = f.dossier("Gemeentefonds")
    ask(dossier, "Wij vragen structurele financiering van de woningbouwopgaven.")
    page = client.get(reverse("search:search"), {"q": "woningbouwopgave"}).content.decode()
    assert 'data-kind="dossier"' in page and f'href="{dossier.get_absolute_url()}"' in page
    assert client.get(dossier.get_absolute_url()).status_code == 200
