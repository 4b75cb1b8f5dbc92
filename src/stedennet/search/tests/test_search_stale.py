"""A search index that is behind never shows what was just made private.

Everything findable is indexed; then the background worker stops (the index tasks that saves and
deletes enqueue are held back, never run) and one object of every indexed kind is restricted,
moved or deleted: a library item, a question (and so its answer), a meeting document, a
decision (its meeting moved to another body; another one deleted), a person (deleted), a
work-programme action, a Wagtail page (a view restriction; another one unpublished). The index
still holds the old rows, with their old visibility. Every role searches, and each restricted
object is absent from the hits, the snippets, the page as a whole, the total and the facets;
what the role may still see is there. Every hit links to a page the role may open."""

import collections
import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, Position, Visibility
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.meetings.models import MeetingDocument
from stedennet.meetings.services import AgendaEntry, DecisionEntry, decisions_replace, meeting_create
from stedennet.programmes.services import action_add, work_programme_create
from stedennet.search import signals as search_signals
from stedennet.search.models import SearchDocument

ROLES = ["anonymous", "partner", "civil_servant", "administrator", "bureau"]
HIDDEN_BODY = "ambtelijk-ondersteuningsteam"  # none of the roles sits in it
PARTNERS_BODY = "themagroep-armoede-en-schulden"  # the partner sits in it
COMMON = "stalewoord"
ALL, NOBODY = [True] * 5, [False] * 5
READERS = [False, True, True, True, True]  # questions: signed-in readers (members, partners, bureau)
MEMBERS = [False, False, True, True, True]
BUREAU = [False, False, False, False, True]

# marker → (kind, who sees it before, who sees it after the change)
EXPECTED = {
    "stalebiebmerk": ("library", ALL, BUREAU),
    "stalevraagmerk": ("question", READERS, BUREAU),
    "staleantwmerk": ("answer", READERS, BUREAU),
    "stalestukmerk": ("document", ALL, BUREAU),
    "staleverhuisdbesluitmerk": ("decision", READERS, MEMBERS),
    "stalewegbesluitmerk": ("decision", READERS, NOBODY),
    "stalepersoonmerk": ("person", MEMBERS, NOBODY),
    "staleactiemerk": ("action", ALL, MEMBERS),
    "staleafgeschermdmerk": ("page", ALL, NOBODY),
    "staleingetrokkenmerk": ("page", ALL, NOBODY),
}


@pytest.fixture
def held_tasks(monkeypatch):
    """Until ``stop()``: index at once (the test's transaction never commits). After: the worker is
    down, every index task that is due waits in ``held`` and never runs."""
    state = {"stopped": False, "held": []}

    def after_commit(function):
        if state["stopped"]:
            state["held"].append(function)
        else:
            function()

    monkeypatch.setattr(search_signals, "after_commit", after_commit)
    return state


@pytest.fixture
def world(g40_bodies, make_user, settings, tmp_path, held_tasks):
    from wagtail.documents.models import Document

    from stedennet.site.models import ContentPage
    from stedennet.site.services import home_page_ensure

    settings.MEDIA_ROOT = str(tmp_path)
    hidden, partners_body = Body.objects.get(slug=HIDDEN_BODY), Body.objects.get(slug=PARTNERS_BODY)
    partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="partner")
    Position.objects.create(person=partner, body=partners_body, start_date=datetime.date(2024, 1, 1))
    users = {
        "anonymous": None, "partner": partner.user,
        "civil_servant": person_with_account(function="civil_servant", username="ambtenaar").user,
        "administrator": person_with_account(function="alderman", username="wethouder", cbs_code="GM0363").user,
        "bureau": make_user("bureau", AccountRole.BUREAU),
    }
    now = timezone.now()
    asker = PersonFactory(function="civil_servant", name="Vragensteller")
    objects = {}

    objects["stalebiebmerk"] = LibraryItem.objects.create(
        title="Bibliotheekstuk stalebiebmerk", body=f"<p>Over {COMMON}.</p>", visibility=Visibility.PUBLIC)
    question = Question.objects.create(title="Vraag over ondersteuning", body=f"stalevraagmerk: {COMMON}?", asker=asker,
                                       visibility=Visibility.MEMBERS_AND_PARTNERS)
    objects["stalevraagmerk"] = question
    objects["staleantwmerk"] = Answer.objects.create(question=question, author=asker,
                                                     body=f"Antwoord staleantwmerk over {COMMON}.")
    hidden_meeting = meeting_create(body=hidden, starts_at=now, ends_at=now + datetime.timedelta(hours=1))
    stored = Document.objects.create(title="stuk", file=ContentFile(b"%PDF-1.4 stuk", name="stuk.pdf"))
    objects["stalestukmerk"] = MeetingDocument.objects.create(
        meeting=hidden_meeting, title=f"Stuk stalestukmerk {COMMON}", document=stored, visibility=Visibility.PUBLIC)
    moving = meeting_create(body=partners_body, starts_at=now, ends_at=now + datetime.timedelta(hours=1),
                            agenda=[AgendaEntry("Punt")])
    objects["staleverhuisdbesluitmerk"], = decisions_replace(meeting=moving, entries=[
        DecisionEntry(moving.agenda_items.get(), f"Besloten: staleverhuisdbesluitmerk {COMMON}.")])
    other = meeting_create(body=partners_body, starts_at=now, ends_at=now + datetime.timedelta(hours=1),
                           agenda=[AgendaEntry("Punt")])
    objects["stalewegbesluitmerk"], = decisions_replace(meeting=other, entries=[
        DecisionEntry(other.agenda_items.get(), f"Besloten: stalewegbesluitmerk {COMMON}.")])
    objects["stalepersoonmerk"] = PersonFactory(name="Deskundige Stalepersoonmerk", expertise=COMMON)
    today = timezone.localdate()
    programme = work_programme_create(pillar=Body.objects.get(slug="fysieke-pijler"), title="Werkprogramma",
                                      period_start=datetime.date(today.year, 1, 1),
                                      period_end=datetime.date(today.year, 12, 31), is_public=True)
    objects["staleactiemerk"] = action_add(programme=programme, title=f"Actie staleactiemerk {COMMON}",
                                           is_public=True)
    home = home_page_ensure()
    for marker, slug in (("staleafgeschermdmerk", "afgeschermd"), ("staleingetrokkenmerk", "ingetrokken")):
        page = home.add_child(instance=ContentPage(title=f"Pagina {marker}", slug=slug,
                                                   body=f"<p>Over {COMMON}.</p>"))
        page.save_revision().publish()
        objects[marker] = page
    keys = {marker: (EXPECTED[marker][0], objects[marker].pk) for marker in EXPECTED}  # kept past deletion
    return users, objects, keys, moving, hidden


def _restrict(objects, moving_meeting, hidden: Body) -> None:
    from wagtail.models import PageViewRestriction

    item = objects["stalebiebmerk"]
    item.visibility, item.group = Visibility.BODY, hidden
    item.save()
    question = objects["stalevraagmerk"]
    question.visibility, question.group = Visibility.BODY, hidden
    question.save()
    document = objects["stalestukmerk"]
    document.visibility = Visibility.BODY
    document.save()
    moving_meeting.body = hidden
    moving_meeting.save()
    objects["stalewegbesluitmerk"].delete()
    objects["stalepersoonmerk"].delete()
    action = objects["staleactiemerk"]
    action.is_public = False
    action.save()
    PageViewRestriction.objects.create(page=objects["staleafgeschermdmerk"],
                                       restriction_type=PageViewRestriction.LOGIN)
    objects["staleingetrokkenmerk"].unpublish()


def _search(client, user, query: str) -> dict:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get("/zoeken/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    results = html[html.index("</form>", html.index('data-testid="search-form"')):]
    total = re.search(r'data-testid="result-count" data-total="(\d+)"', html)
    facets = collections.defaultdict(dict)
    for facet, value, count in re.findall(r'data-facet="(\w+)" data-value="(\w*)" data-count="(\d+)"', html):
        facets[facet][value] = int(count)
    hits = re.findall(r'data-testid="result" data-kind="(\w+)" data-id="(\d+)">\s*<h3[^>]*>(?:<a class="utrecht-link" '
                      r'href="([^"]*)")?', html)
    return {"html": html.lower(), "results": results.lower(), "total": int(total.group(1)) if total else 0,
            "hits": {(kind, int(pk)) for kind, pk, _url in hits},
            "urls": {(kind, int(pk)): url for kind, pk, url in hits},
            "facets": dict(facets)}


def _check(client, users, keys, *, after: bool) -> None:
    for index, role in enumerate(ROLES):
        expected = {keys[m] for m, (_kind, before, later) in EXPECTED.items()
                    if (later if after else before)[index]}
        page = _search(client, users[role], COMMON)
        assert page["hits"] == expected, (role, after)
        assert page["total"] == len(expected), (role, after)
        assert sum(page["facets"].get("type", {}).values()) == len(expected), (role, after)
        assert page["facets"].get("type", {}) == dict(collections.Counter(kind for kind, _pk in expected)), role
        for marker, (_kind, before, later) in EXPECTED.items():
            sees = (later if after else before)[index]
            if not sees:  # not in a title, a snippet, an address or anywhere on the page
                assert marker not in page["html"], (role, marker, after)
            alone = _search(client, users[role], marker)
            assert (alone["total"], alone["hits"]) == ((1, {keys[marker]}) if sees else (0, set())), \
                (role, marker, after)
            if not sees:
                assert alone["facets"] == {} and marker not in alone["results"], (role, marker, after)


def test_a_stale_index_shows_nothing_that_was_restricted_to_any_role(client, world, held_tasks):
    users, objects, keys, moving, hidden = world
    _check(client, users, keys, after=False)

    held_tasks["stopped"] = True  # the worker is down from here on
    _restrict(objects, moving, hidden)
    assert held_tasks["held"], "the changes enqueued index updates, which never ran"
    stale = SearchDocument.objects.get(kind="library", object_id=objects["stalebiebmerk"].pk)
    assert stale.visibility == Visibility.PUBLIC  # the index is behind
    assert SearchDocument.objects.filter(kind="person", object_id=keys["stalepersoonmerk"][1]).exists()
    assert SearchDocument.objects.filter(kind="page", title__startswith="Pagina stale").count() == 2

    _check(client, users, keys, after=True)


@pytest.mark.parametrize("role", ROLES)
def test_every_hit_links_to_a_page_the_viewer_may_open(client, world, role):
    users, objects, keys, _moving, _hidden = world
    page = _search(client, users[role], COMMON)
    assert page["hits"]
    for key, url in page["urls"].items():
        assert url, key
        response = client.get(url.split("#")[0])
        assert response.status_code == 200, (role, key, url, response.status_code)
        anchor = url.partition("#")[2]
        if anchor:  # the person in the directory, the decision on the meeting page
            assert f'id="{anchor}"' in response.content.decode(), (role, key, url)
    if role == "anonymous":  # the public meeting document opens without signing in
        assert page["urls"][keys["stalestukmerk"]] == objects["stalestukmerk"].document.url
