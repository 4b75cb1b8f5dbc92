"""Search respects visibility exactly: for every visibility level (public, members, members and
partners, one group) × every role (anonymous, partner, member of another group, member of the
group, bureau), one thing of every kind with a unique marker word is searched for through
/zoeken/, and its presence or absence is asserted in the hits, the snippets (the whole page),
the total and every facet count. People (members only) and work-programme actions (public, or
members only) have their own levels and are in the same matrix.

Each level has its own city and year, and the group level its own pillar, so a count or a facet
value that leaked would show."""

import collections
import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import position_assign, theme_group_join
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.meetings.models import MeetingDocument
from stedennet.meetings.services import meeting_create
from stedennet.programmes.services import action_add, work_programme_create
from stedennet.registry.models import Municipality
from stedennet.search import index as search_index
from stedennet.search import signals as search_signals
from stedennet.search.models import SearchKind

ROLES = ["anonymous", "partner", "other_group_member", "group_member", "bureau"]
GROUP = "themagroep-armoede-en-schulden"  # civil service, open; its pillar is the Sociale Pijler
OTHER_GROUP = "ambtelijk-ondersteuningsteam"
COMMON = "matrixonderwerp"  # in every item, to see totals and facets over everything at once

# level → who sees it (ROLES order)
SEES = {
    Visibility.PUBLIC: [True, True, True, True, True],
    Visibility.MEMBERS: [False, False, True, True, True],
    Visibility.MEMBERS_AND_PARTNERS: [False, True, True, True, True],
    Visibility.BODY: [False, False, False, True, True],
}
# each level gets its own city (CBS code), year and pillar, so a leaked facet value shows
PLACES = {
    Visibility.PUBLIC: ("GM0363", 2021, "fysieke-pijler"),
    Visibility.MEMBERS: ("GM0344", 2022, "pijler-economie-en-werk"),
    Visibility.MEMBERS_AND_PARTNERS: ("GM0599", 2023, "fysieke-pijler"),
    Visibility.BODY: ("GM0518", 2024, "sociale-pijler"),
}
LEVEL_WORD = {Visibility.PUBLIC: "publiek", Visibility.MEMBERS: "leden", Visibility.MEMBERS_AND_PARTNERS: "partners",
              Visibility.BODY: "groep"}


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    """These tests run inside a transaction that never commits: index at once what would wait for it."""
    monkeypatch.setattr(search_signals, "after_commit", lambda function: function())


@pytest.fixture
def world(g40_bodies, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    group = Body.objects.get(slug=GROUP)
    partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="partner")
    other = person_with_account(function="civil_servant", username="ander", cbs_code="GM0014")
    position_assign(person=other, body=Body.objects.get(slug=OTHER_GROUP), start_date=datetime.date(2024, 1, 1))
    member = person_with_account(function="civil_servant", username="groepslid", cbs_code="GM0014")
    theme_group_join(person=member, body=group, day=datetime.date(2024, 1, 1))
    users = {"anonymous": None, "partner": partner.user, "other_group_member": other.user,
             "group_member": member.user, "bureau": make_user("bureau", AccountRole.BUREAU)}

    asker = PersonFactory(function="civil_servant", name="Vragensteller")
    social = Body.objects.get(slug="sociale-pijler").pk
    items = []  # (kind, pk, marker, who sees it, city id, year, pillar id)

    def record(kind, pk, marker, sees, city=None, year=None, pillar=None):
        items.append({"kind": kind, "pk": pk, "marker": marker, "sees": sees, "city": city, "year": year,
                      "pillar": pillar})

    for level, (code, year, pillar_slug) in PLACES.items():
        city = Municipality.objects.get(cbs_code=code)
        pillar = Body.objects.get(slug=pillar_slug)
        when = datetime.datetime(year, 6, 1, 12, tzinfo=datetime.UTC)
        body_group = group if level == Visibility.BODY else None
        word = LEVEL_WORD[level]

        item = LibraryItem.objects.create(
            title=f"Bibliotheekstuk bieb{word}merk", summary=f"Over {COMMON}.", body=f"<p>Tekst over {COMMON}.</p>",
            visibility=level, group=body_group, pillar=pillar, municipality=city)
        LibraryItem.objects.filter(pk=item.pk).update(created_at=when)
        search_index.index_update(SearchKind.LIBRARY, [item.pk])
        record("library", item.pk, f"bieb{word}merk", SEES[level], city.pk, year, pillar.pk)

        question = Question.objects.create(
            title=f"Vraag vraag{word}merk", body=f"Wie weet iets van {COMMON}?", asker=asker, municipality=city,
            group=group if level == Visibility.BODY else None, visibility=level)
        answer = Answer.objects.create(question=question, author=asker, body=f"Antwoord antw{word}merk over {COMMON}.")
        Question.objects.filter(pk=question.pk).update(created_at=when)
        Answer.objects.filter(pk=answer.pk).update(created_at=when)
        search_index.index_update(SearchKind.QUESTION, [question.pk])
        search_index.index_update(SearchKind.ANSWER, [answer.pk])
        question_pillar = social if level == Visibility.BODY else None
        # questions and answers are on pages for signed-in readers: anonymous visitors get no hit
        reads = [False, *SEES[level][1:]]
        record("question", question.pk, f"vraag{word}merk", reads, city.pk, year, question_pillar)
        record("answer", answer.pk, f"antw{word}merk", reads, asker.municipality_id, year, question_pillar)

        meeting = meeting_create(body=group, starts_at=when, ends_at=when + datetime.timedelta(hours=2))
        from wagtail.documents.models import Document

        stored = Document.objects.create(title=word, file=ContentFile(b"%PDF-1.4", name=f"{word}.pdf"))
        document = MeetingDocument.objects.create(meeting=meeting, title=f"Stuk stuk{word}merk over {COMMON}",
                                                  document=stored, visibility=level)
        record("document", document.pk, f"stuk{word}merk", SEES[level], None, year, social)

    expert = PersonFactory(name="Deskundige Persoonmerk", expertise=f"{COMMON} en schulden",
                           municipality=Municipality.objects.get(cbs_code="GM0153"))
    record("person", expert.pk, "persoonmerk", SEES[Visibility.MEMBERS], expert.municipality_id)

    today = timezone.localdate()
    economy = Body.objects.get(slug="pijler-economie-en-werk")
    programme = work_programme_create(pillar=economy, title="Werkprogramma", period_start=datetime.date(2020, 1, 1),
                                      period_end=datetime.date(today.year + 1, 12, 31), is_public=True)
    public_action = action_add(programme=programme, title=f"Actie actiepubliekmerk {COMMON}", is_public=True)
    members_action = action_add(programme=programme, title=f"Actie actieledenmerk {COMMON}", is_public=False)
    record("action", public_action.pk, "actiepubliekmerk", SEES[Visibility.PUBLIC], None, 2020, economy.pk)
    record("action", members_action.pk, "actieledenmerk", SEES[Visibility.MEMBERS], None, 2020, economy.pk)
    return users, items


def _page(client, user, query: str, **params) -> dict:
    client.logout()
    if user is not None:
        client.force_login(user)
    response = client.get("/zoeken/", {"q": query, **params})
    assert response.status_code == 200
    html = response.content.decode()
    form = html.index('data-testid="search-form"')
    results = html[html.index("</form>", form):]  # below the search box, which holds the query itself
    total = re.search(r'data-testid="result-count" data-total="(\d+)"', html)
    facets = collections.defaultdict(dict)
    for facet, value, count in re.findall(r'data-facet="(\w+)" data-value="(\w*)" data-count="(\d+)"', html):
        facets[facet][value] = int(count)
    return {
        "html": html,
        "results": results,
        "total": int(total.group(1)) if total else None,
        "hits": set(re.findall(r'data-testid="result" data-kind="(\w+)" data-id="(\d+)"', html)),
        "facets": dict(facets),
    }


def _expected_facets(visible: list[dict]) -> dict:
    facets = {"type": collections.Counter(i["kind"] for i in visible),
              "pillar": collections.Counter(str(i["pillar"]) for i in visible if i["pillar"]),
              "city": collections.Counter(str(i["city"]) for i in visible if i["city"]),
              "year": collections.Counter(str(i["year"]) for i in visible if i["year"])}
    return {name: dict(counts) for name, counts in facets.items() if counts}


@pytest.mark.parametrize("role", ROLES)
def test_everything_found_at_once_is_exactly_what_the_role_may_see(client, world, role):
    users, items = world
    index = ROLES.index(role)
    visible = [i for i in items if i["sees"][index]]
    hidden = [i for i in items if not i["sees"][index]]
    assert len(items) == 19 and visible

    page = _page(client, users[role], COMMON)
    assert page["hits"] == {(i["kind"], str(i["pk"])) for i in visible}
    assert page["total"] == len(visible)
    assert page["facets"] == _expected_facets(visible)
    for item in hidden:  # not in a title, a snippet, an address or anywhere else on the page
        assert item["marker"] not in page["html"].lower()
    for item in visible:
        assert item["marker"] in page["html"].lower()


@pytest.mark.parametrize("role", ROLES)
def test_every_item_searched_for_by_its_marker(client, world, role):
    users, items = world
    index = ROLES.index(role)
    for item in items:
        page = _page(client, users[role], item["marker"])
        expected = {(item["kind"], str(item["pk"]))} if item["sees"][index] else set()
        if item["kind"] == "question" and item["sees"][index]:  # an answer carries its question's title
            answer = next(i for i in items if i["kind"] == "answer" and i["marker"] == item["marker"].replace(
                "vraag", "antw", 1))
            expected.add(("answer", str(answer["pk"])))
        assert page["hits"] == expected, (role, item["marker"])
        assert page["total"] == len(expected), (role, item["marker"])
        if expected:
            assert f"<mark>{item['marker']}</mark>" in page["html"].lower(), (role, item["marker"])
        else:
            assert item["marker"] not in page["results"].lower(), (role, item["marker"])
            assert page["facets"] == {}, (role, item["marker"])


@pytest.mark.parametrize("role", ROLES)
def test_a_filter_on_a_hidden_facet_value_finds_nothing(client, world, role):
    """Asking for the city or year of the group-only items by address reveals no count."""
    users, items = world
    index = ROLES.index(role)
    code, year, _pillar = PLACES[Visibility.BODY]
    city = Municipality.objects.get(cbs_code=code).pk
    for params, key in (({"city": city}, "city"), ({"year": year}, "year")):
        page = _page(client, users[role], COMMON, **params)
        visible = [i for i in items if i["sees"][index] and i[key] == (city if key == "city" else year)]
        assert page["total"] == len(visible)
        assert page["hits"] == {(i["kind"], str(i["pk"])) for i in visible}
