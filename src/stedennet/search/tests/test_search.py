"""Search: Dutch stemming (PostgreSQL's dutch configuration, the Snowball fallback on SQLite),
highlighted and escaped snippets, facets, pagination, index updates through background tasks on
save and delete, every kind of findable thing, and a constant number of queries.

The visibility of every level for every role is in test_visibility_matrix.py."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.access import ANONYMOUS, viewer_for
from stedennet.governance.models import Body, Visibility
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.knowledge.models import Answer, LibraryItem, Question, Topic
from stedennet.knowledge.tests.factories import AnswerFactory, QuestionFactory
from stedennet.programmes.services import action_add, work_programme_create
from stedennet.registry.models import Municipality
from stedennet.search import index as search_index
from stedennet.search import signals as search_signals
from stedennet.search.models import SearchDocument, SearchKind
from stedennet.search.selectors import Filters, search
from stedennet.search.text import query_terms, snippet, stem, tsquery_text


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    """These tests run inside a transaction that never commits: run at once what would wait for
    the commit (test_index_updates_wait_for_the_commit takes the real way)."""
    monkeypatch.setattr(search_signals, "after_commit", lambda function: function())


@pytest.fixture
def member(g40_bodies):
    return person_with_account(function="civil_servant", username="ambtenaar", cbs_code="GM0363")


@pytest.fixture
def bureau(make_user):
    return make_user("bureau", AccountRole.BUREAU)


def _item(title: str, *, body: str = "", summary: str = "", visibility=Visibility.PUBLIC, **fields) -> LibraryItem:
    return LibraryItem.objects.create(title=title, body=body, summary=summary, visibility=visibility, **fields)


def _found(results) -> list[tuple[str, str]]:
    return [(hit.kind, re.sub(r"</?mark>", "", str(hit.title))) for hit in results.hits]


# --- the stemmer and the query ---------------------------------------------------------------------


@pytest.mark.parametrize(("word", "expected"), [
    # PostgreSQL 15: SELECT ts_lexize('dutch_stem', word)
    ("schuldhulpverlening", "schuldhulpverlen"),
    ("schuldhulpverleningen", "schuldhulpverlen"),
    ("organiseren", "organiser"),
    ("organiseer", "organiser"),
    ("gemeenten", "gemeent"),
    ("gemeente", "gemeent"),
    ("jongeren", "jonger"),
    ("woningen", "woning"),
    ("mogelijkheden", "mogelijk"),
    ("duurzaamheid", "duurzam"),
    ("betaalbare", "betal"),
    ("ruïne", "ruin"),
])
def test_the_stemmer_is_snowball_dutch_as_postgresql_has_it(word, expected):
    assert stem(word) == expected


def test_query_terms_leave_out_stopwords_and_add_verb_forms():
    terms = query_terms("Hoe organiseert de gemeente -jeugd?")
    assert [(t.word, t.negated) for t in terms] == [("organiseert", False), ("gemeente", False), ("jeugd", True)]
    assert terms[0].forms == ("organiseert", "organiseer")
    assert "organiser" in terms[0].stems
    assert tsquery_text(terms) == "(organiseert | organiseer) & (gemeente) & !(jeugd)"
    assert query_terms("de het een") == []
    assert query_terms("-jeugd") == []  # only exclusions: nothing to look for
    # tsquery syntax cannot get in: only runs of letters and digits are words
    assert tsquery_text(query_terms("a:* | b & !c <-> 'd'")) == "(a) & (b) & (c) & (d)"


def test_snippets_escape_everything_and_mark_only_the_matched_words():
    text = "<script>alert(1)</script> De gemeenten organiseren schuldhulpverlening & meer. " + "woord " * 60
    html = str(snippet(text, frozenset({"schuldhulpverlen", "organiser"})))
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>organiseren</mark>" in html
    assert "<mark>schuldhulpverlening</mark>" in html
    assert "&amp; meer" in html
    assert html.endswith("…")
    assert re.sub(r"</?mark>", "", html).count("<") == 0


# --- finding -----------------------------------------------------------------------------------------


def test_dutch_inflections_are_found(g40_bodies):
    _item("Schuldhulpverlening in de wijk", body="<p>Hoe gemeenten de aanpak organiseren.</p>")
    _item("Jeugdzorg", body="<p>Over wachtlijsten.</p>")

    assert _found(search(ANONYMOUS, "schuldhulpverleningen")) == [("library", "Schuldhulpverlening in de wijk")]
    assert _found(search(ANONYMOUS, "wachtlijst")) == [("library", "Jeugdzorg")]
    assert _found(search(ANONYMOUS, "gemeente")) == [("library", "Schuldhulpverlening in de wijk")]
    # A verb form that Snowball does not bring together with the infinitive, on both databases.
    assert _found(search(ANONYMOUS, "organiseert")) == [("library", "Schuldhulpverlening in de wijk")]
    assert _found(search(ANONYMOUS, "georganiseerd")) == [("library", "Schuldhulpverlening in de wijk")]
    # Every word must occur; a word with a minus must not.
    assert _found(search(ANONYMOUS, "schuldhulpverlening wachtlijsten")) == []
    assert _found(search(ANONYMOUS, "gemeenten -wijk")) == []
    assert search(ANONYMOUS, "").hits == []


def test_hits_have_a_highlighted_title_and_snippet_and_the_best_match_comes_first(g40_bodies):
    _item("Armoede", body="<p>Over <strong>armoedebestrijding</strong> en de <em>aanpak</em> van "
                          "schuldhulpverlening &amp; preventie.</p>")
    _item("Schuldhulpverlening voor jongeren", body="<p>Jongeren met schulden.</p>")

    results = search(ANONYMOUS, "schuldhulpverlening")
    assert [hit.object_id for hit in results.hits] == [
        LibraryItem.objects.get(title__startswith="Schuld").pk, LibraryItem.objects.get(title="Armoede").pk]
    first, second = results.hits
    assert str(first.title) == "<mark>Schuldhulpverlening</mark> voor jongeren"
    assert str(second.snippet) == "Over armoedebestrijding en de aanpak van <mark>schuldhulpverlening</mark> " \
                                  "&amp; preventie."


def test_facets_count_type_pillar_city_and_year_and_filter(g40_bodies, member):
    pillar = Body.objects.get(slug="sociale-pijler")
    group = Body.objects.get(slug="themagroep-armoede-en-schulden")
    utrecht = Municipality.objects.get(cbs_code="GM0344")
    asker = PersonFactory(function="civil_servant")
    old = _item("Armoedeval 2023", body="armoede", pillar=pillar, municipality=utrecht)
    LibraryItem.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2023, 5, 1, tzinfo=datetime.UTC))
    search_index.index_update(SearchKind.LIBRARY, [old.pk])
    _item("Armoede en werk", body="armoede", theme_group=group)
    question = Question.objects.create(title="Wie heeft een armoedemonitor?", body="armoede in cijfers",
                                       asker=asker, municipality=utrecht, group=group,
                                       visibility=Visibility.PUBLIC)
    Answer.objects.create(question=question, author=asker, body="Wij meten armoede jaarlijks.")

    reader = viewer_for(member.user)  # questions are for signed-in readers
    results = search(reader, "armoede")
    assert results.total == 4
    facets = {name: {v.label: v.count for v in values} for name, values in results.facets.items()}
    this_year = str(timezone.now().year)
    assert {v.value: v.count for v in results.facets["type"]} == {"library": 2, "question": 1, "answer": 1}
    assert facets["pillar"] == {"Sociale Pijler": 4}  # the theme group's pillar counts too
    assert facets["city"] == {"Utrecht": 2, "Amstelveen": 1}  # the answer's author's city
    assert facets["year"] == {this_year: 3, "2023": 1}

    by_city = search(reader, "armoede", filters=Filters(city=utrecht.pk))
    assert by_city.total == 2
    assert {hit.kind for hit in by_city.hits} == {"library", "question"}
    selected = [v for v in by_city.facets["city"] if v.selected]
    assert [(v.label, v.count) for v in selected] == [("Utrecht", 2)]
    assert "city" not in selected[0].url  # choosing a chosen value removes the filter
    assert search(reader, "armoede", filters=Filters(year=2023)).total == 1
    assert search(reader, "armoede", filters=Filters(type="answer")).total == 1


def test_pages_of_results(g40_bodies):
    for number in range(45):
        _item(f"Notitie {number}", body="vroegsignalering van schulden")
    first = search(ANONYMOUS, "vroegsignalering")
    assert (first.total, first.num_pages, len(first.hits)) == (45, 3, 20)
    last = search(ANONYMOUS, "vroegsignalering", page=3)
    assert (last.page, len(last.hits), last.first_number, last.last_number) == (3, 5, 41, 45)
    assert last.previous_url.endswith("page=2") and last.next_url == ""
    beyond = search(ANONYMOUS, "vroegsignalering", page=99)
    assert beyond.page == 3
    seen = {hit.object_id for p in (1, 2, 3) for hit in search(ANONYMOUS, "vroegsignalering", page=p).hits}
    assert len(seen) == 45


# --- every kind of findable thing ----------------------------------------------------------------------


def test_questions_answers_people_actions_documents_and_pages_are_found(g40_bodies, member, settings, tmp_path):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    from stedennet.meetings.models import MeetingDocument
    from stedennet.meetings.services import meeting_create
    from stedennet.site.models import ContentPage
    from stedennet.site.services import home_page_ensure

    settings.MEDIA_ROOT = str(tmp_path)
    pillar = Body.objects.get(slug="fysieke-pijler")
    asker = PersonFactory(function="civil_servant", name="Vrager", expertise="")
    question = Question.objects.create(title="Wie kent een goede regeling voor woonwagens?", asker=asker,
                                       visibility=Visibility.MEMBERS)
    Answer.objects.create(question=question, author=asker, body="De regeling voor woonwagens van Zwolle is goed.")
    PersonFactory(name="Deskundige Woonwagens", expertise="beleid voor woonwagens en standplaatsen")
    today = timezone.localdate()
    programme = work_programme_create(pillar=pillar, title="Werkprogramma Fysiek", is_public=True,
                                      period_start=datetime.date(today.year, 1, 1),
                                      period_end=datetime.date(today.year, 12, 31))
    action_add(programme=programme, title="Woonwagens: beleid verkennen", is_public=True)
    action_add(programme=programme, title="Woonwagens: locaties intern", is_public=False)
    now = timezone.now()
    meeting = meeting_create(body=pillar, starts_at=now, ends_at=now + datetime.timedelta(hours=1))
    document = Document.objects.create(title="stuk", file=ContentFile(b"%PDF-1.4", name="stuk.pdf"))
    attached = MeetingDocument.objects.create(meeting=meeting, title="Notitie woonwagens", document=document,
                                              visibility=Visibility.PUBLIC)
    home = home_page_ensure()
    page = home.add_child(instance=ContentPage(title="Over woonwagens", slug="woonwagens",
                                               body="<p>Alles over <b>woonwagens</b>.</p>"))
    page.save_revision().publish()

    public = {(hit.kind, re.sub(r"</?mark>", "", str(hit.title)), hit.url)
              for hit in search(ANONYMOUS, "woonwagens").hits}
    assert public == {
        ("action", "Woonwagens: beleid verkennen", "/pijlers/fysieke-pijler/#work-programme"),
        ("document", "Notitie woonwagens", attached.document.url),  # served to whoever may see it
        ("page", "Over woonwagens", "/woonwagens/"),
    }
    members = {(hit.kind, re.sub(r"</?mark>", "", str(hit.title)))
               for hit in search(viewer_for(member.user), "woonwagens").hits}
    assert members == {
        ("action", "Woonwagens: beleid verkennen"), ("action", "Woonwagens: locaties intern"),
        ("document", "Notitie woonwagens"), ("page", "Over woonwagens"),
        ("question", "Wie kent een goede regeling voor woonwagens?"),
        ("answer", "Wie kent een goede regeling voor woonwagens?"),
        ("person", "Deskundige Woonwagens"),
    }

    page.unpublish()
    assert "page" not in {hit.kind for hit in search(ANONYMOUS, "woonwagens").hits}


# --- index updates: background tasks on save and delete -------------------------------------------------


def test_saving_and_deleting_updates_the_index_through_a_task(g40_bodies, member):
    from django_tasks.signals import task_finished

    finished = []

    def record(sender, task_result, **kwargs):
        finished.append((task_result.task.name, task_result.args))

    task_finished.connect(record)
    try:
        item = _item("Buurtbudgetten", body="Over bewonersinitiatieven.")
    finally:
        task_finished.disconnect(record)
    assert ("search_index_update", ["library", [item.pk]]) in finished

    assert _found(search(ANONYMOUS, "bewonersinitiatief")) == [("library", "Buurtbudgetten")]
    item.title = "Wijkbudgetten"
    item.save()
    assert _found(search(ANONYMOUS, "wijkbudget")) == [("library", "Wijkbudgetten")]
    assert _found(search(ANONYMOUS, "buurtbudget")) == []

    topic = Topic.objects.create(name="Participatie", slug="participatie")
    item.topics.add(topic)
    assert _found(search(ANONYMOUS, "participatie")) == [("library", "Wijkbudgetten")]

    item.visibility = Visibility.MEMBERS
    item.save()
    assert search(ANONYMOUS, "wijkbudget").total == 0
    assert search(viewer_for(member.user), "wijkbudget").total == 1

    item.delete()
    assert search(viewer_for(member.user), "wijkbudget").total == 0
    assert not SearchDocument.objects.filter(kind="library").exists()


def test_index_updates_wait_for_the_commit(g40_bodies, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _item("Regenwater", body="Afkoppelen van regenwater.")
        assert search(ANONYMOUS, "regenwater").total == 0  # nothing before the commit
    assert len(callbacks) == 1
    assert search(ANONYMOUS, "regenwater").total == 1


def test_a_questions_visibility_carries_over_to_its_answers(g40_bodies, member):
    partner = viewer_for(person_with_account(function="other", partner=g40_bodies.partners.first(),
                                             username="partner").user)
    asker = PersonFactory(function="civil_servant")
    question = QuestionFactory(title="Ervaring met energiecoaches?", asker=asker, municipality=None,
                               visibility=Visibility.MEMBERS_AND_PARTNERS)
    answer = AnswerFactory(question=question, author=asker, body="Energiecoaches werken goed bij ons.")
    assert {hit.kind for hit in search(partner, "energiecoaches").hits} == {"question", "answer"}

    question.visibility = Visibility.MEMBERS
    question.save()
    assert search(partner, "energiecoaches").total == 0
    assert search(viewer_for(member.user), "energiecoaches").total == 2

    question.delete()
    assert not SearchDocument.objects.filter(kind__in=["question", "answer"]).exists()
    assert not Answer.objects.filter(pk=answer.pk).exists()


def test_rebuild_indexes_everything_in_bulk(g40_bodies):
    for number in range(5):
        _item(f"Stuk {number}", body="herindeling van gemeenten")
    SearchDocument.objects.all().delete()
    assert search(ANONYMOUS, "herindeling").total == 0

    counts = search_index.rebuild()
    assert counts["library"] == 5
    assert counts["person"] == 0
    assert search(ANONYMOUS, "herindelingen").total == 5


# --- the page -------------------------------------------------------------------------------------------


def test_the_search_page_shows_hits_facets_and_pages(client, g40_bodies):
    _item("Schuldhulpverlening <b>vet</b>", body="<p>Gemeenten organiseren hulp. <script>x()</script></p>")
    response = client.get(reverse("search:search"), {"q": "organiseert"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-total="1"' in html
    assert 'data-testid="result" data-kind="library"' in html
    assert "<mark>organiseren</mark>" in html
    assert "<script>x()" not in html
    assert "Schuldhulpverlening &lt;b&gt;vet&lt;/b&gt;" in html
    assert 'data-facet="type" data-value="library" data-count="1"' in html


def test_the_search_page_without_a_query_and_with_bad_input(client, g40_bodies):
    assert client.get("/zoeken/").status_code == 200
    response = client.get("/zoeken/", {"q": "de het", "type": "nonsense", "pillar": "x", "page": "abc"})
    assert response.status_code == 200
    assert 'data-testid="no-terms"' in response.content.decode()
    response = client.get("/zoeken/", {"q": "armoede " * 100})
    assert response.status_code == 200
    assert 'data-testid="query-shortened"' in response.content.decode()
    assert client.post("/zoeken/", {"q": "x"}).status_code == 405


def test_the_search_page_runs_a_constant_number_of_queries(client, g40_bodies, member):
    pillar = Body.objects.get(slug="sociale-pijler")
    client.force_login(member.user)
    cities = list(Municipality.objects.order_by("pk")[:30])

    def add(count: int, offset: int) -> None:
        for number in range(offset, offset + count):
            _item(f"Kennisdocument {number}", body="participatie van inwoners", pillar=pillar,
                  municipality=cities[number % len(cities)], visibility=Visibility.MEMBERS)

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get("/zoeken/", {"q": "participatie"})
        assert response.status_code == 200
        return len(context.captured_queries)

    add(3, 0)
    queries()  # the first request fills per-process caches (the network of the page header)
    few = queries()
    add(60, 3)
    assert queries() == few
    assert few <= 10


def test_with_many_hits_the_newest_come_first(g40_bodies, monkeypatch):
    from stedennet.search import selectors as search_module

    for number in range(5):
        item = _item(f"Wijkaanpak {number}", body="wijkaanpak" if number else "wijkaanpak wijkaanpak in de titel")
        LibraryItem.objects.filter(pk=item.pk).update(
            created_at=datetime.datetime(2020 + number, 1, 1, tzinfo=datetime.UTC))
        search_index.index_update(SearchKind.LIBRARY, [item.pk])
    assert search(ANONYMOUS, "wijkaanpak").order == "relevance"
    monkeypatch.setattr(search_module, "RANK_LIMIT", 3)
    results = search(ANONYMOUS, "wijkaanpak")
    assert results.order == "date"
    assert [str(hit.date.year) for hit in results.hits] == ["2024", "2023", "2022", "2021", "2020"]
