"""Lobby dossiers in site search: found by the words of their ask (in another form: stemming),
their public interventions and confirmed parliamentary items; never beyond their visibility,
also when the index is behind; the hit links to the dossier's page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stedennet.accounts.constants import Role as AccountRole
from stedennet.advocacy import services
from stedennet.advocacy.constants import Addressee, InterventionKind
from stedennet.advocacy.models import Dossier
from stedennet.advocacy.tests import factories as f
from stedennet.governance.access import ANONYMOUS, viewer_for
from stedennet.governance.models import Position, Visibility
from stedennet.governance.tests.factories import person_with_account
from stedennet.search import signals as search_signals
from stedennet.search.models import SearchDocument, SearchKind
from stedennet.search.selectors import search

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
