"""Search over everything the viewer may see: library items, questions and answers, people
(members only), public pages, work-programme actions, meeting documents, decisions and lobby
dossiers.

``search(viewer, query, filters=…, page=…)`` reads the index (``search.models.SearchDocument``)
in a constant number of queries, whatever the number of hits:

1. one query for the facets (type, pillar, city, year) *and* the total: the matching rows the
   viewer may see, grouped by the four together and summed per facet;
2. one query for the hits of the page, best first (``ts_rank``; with more than RANK_LIMIT hits
   newest first, read off the date index, so a word found in half the corpus stays fast);
3. at most two for the names of the pillars and cities in the facets, and at most two for the
   addresses of document and person hits.

Visibility is a filter on the rows, applied before anything is counted, grouped or shown, so
hits, snippets, totals and facet counts only ever see what the viewer may see. The index is
written by a background worker and may be behind (or the worker down), so the rows are checked
against the *current* permissions of their objects in the same query (``current_objects``: per
kind, the row's object must be among the objects the viewer may see now, by the same rules as
their own pages; kinds whose pages the viewer may not open are left out): a stale index can miss
things but never show them. Every hit links to a page its viewer may open (``hit_urls``).
Snippets are cut from the row's own text, which holds only what may be shown to whoever may
see the row; everything is escaped and the matched words are wrapped in <mark>.

Matching: on PostgreSQL ``to_tsquery('dutch', …)`` against the stored ``to_tsvector('dutch', …)``
(GIN index), ranked with ``ts_rank`` (title A, text B); on SQLite the same Snowball Dutch stems,
matched as whole words in the stored stems and ranked by hits in the title. Query words carry
their verb-form variants on both (``search.text.query_terms``).
"""

import math
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connections, router
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils.safestring import SafeString

from stedennet.advocacy.models import Dossier
from stedennet.governance.access import Viewer
from stedennet.governance.models import Body, Person
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.meetings.models import Decision, MeetingDocument
from stedennet.programmes.models import Action
from stedennet.registry.models import Municipality
from stedennet.search.index import DICTIONARY
from stedennet.search.models import SearchDocument, SearchKind
from stedennet.search.text import Term, highlight, highlight_stems, query_terms, snippet, tsquery_text

PER_PAGE = 20
RANK_LIMIT = 2000  # above this many hits, newest first instead of best first
MAX_QUERY = 200
MAX_PAGE = 500
FACETS = ("type", "pillar", "city", "year")
SHOWN_FIELDS = ("kind", "object_id", "parent_id", "title", "text", "url", "year", "date", "is_demo")


@dataclass(frozen=True)
class Filters:
    type: str = ""
    pillar: int | None = None
    city: int | None = None
    year: int | None = None

    @classmethod
    def from_params(cls, params) -> "Filters":
        """From GET parameters; anything unknown or malformed is ignored, not an error."""

        def number(name: str) -> int | None:
            value = (params.get(name) or "").strip()
            return int(value) if value.isdigit() and len(value) <= 12 else None

        kind = (params.get("type") or "").strip()
        return cls(type=kind if kind in SearchKind.values else "", pillar=number("pillar"), city=number("city"),
                   year=number("year"))

    def params(self) -> dict[str, str]:
        return {name: str(value) for name, value in
                (("type", self.type), ("pillar", self.pillar), ("city", self.city), ("year", self.year)) if value}


@dataclass
class Hit:
    kind: str
    kind_label: str
    object_id: int
    title: SafeString
    snippet: SafeString
    url: str
    year: int | None
    date: datetime | None
    is_demo: bool


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str = ""


@dataclass
class Results:
    query: str
    terms: list[Term]
    filters: Filters
    total: int = 0
    page: int = 1
    num_pages: int = 0
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    order: str = "relevance"  # or "date": newest first, when there are more than RANK_LIMIT hits

    @property
    def searched(self) -> bool:
        return bool(self.terms)

    def url(self, **changes) -> str:
        """The address of these results with some parameters changed (None removes one)."""
        params = {"q": self.query, **self.filters.params()}
        for name, value in changes.items():
            if value is None or value == "":
                params.pop(name, None)
            else:
                params[name] = str(value)
        if params.get("page") == "1":
            del params["page"]
        return "?" + urlencode(params)

    @property
    def unfiltered_url(self) -> str:
        return "?" + urlencode({"q": self.query})

    @property
    def previous_url(self) -> str:
        return self.url(page=self.page - 1) if self.page > 1 else ""

    @property
    def next_url(self) -> str:
        return self.url(page=self.page + 1) if self.page < self.num_pages else ""

    @property
    def first_number(self) -> int:
        return (self.page - 1) * PER_PAGE + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return min(self.page * PER_PAGE, self.total)

    def page_links(self) -> list[tuple[int | None, str]]:
        """(number, address) for the pages around the current one; (None, "") for a gap."""
        shown = sorted({1, self.num_pages, *range(max(1, self.page - 2), min(self.num_pages, self.page + 2) + 1)})
        links: list[tuple[int | None, str]] = []
        for number in shown:
            if links and links[-1][0] is not None and number - links[-1][0] > 1:
                links.append((None, ""))
            links.append((number, self.url(page=number)))
        return links


# --- visibility -------------------------------------------------------------------------------------


def visible_documents(viewer: Viewer) -> QuerySet[SearchDocument]:
    """The index rows ``viewer`` may see by what the index says: the same rule as
    ``Viewer.may_see``, as one filter (read off the index on visibility). The index may be
    behind, so ``current_objects`` decides; this only narrows the rows cheaply first."""
    documents = SearchDocument.objects.all()
    if viewer.is_bureau:
        return documents
    allowed = viewer.visible_q(visibility="visibility", body="group_id")
    if viewer.body_ids:  # a meeting's decisions are for the people seated in its body too
        allowed |= Q(kind=SearchKind.DECISION, group_id__in=sorted(viewer.body_ids))
    return documents.filter(allowed)


def openable_objects(viewer: Viewer) -> dict[str, QuerySet]:
    """Per kind, the objects ``viewer`` may see *now*, by the same rules as their own pages
    (and only kinds whose pages the viewer may open): read from the objects' own tables, never
    from the index."""
    from wagtail.models import Page, PageViewRestriction

    # live pages under no view restriction (Wagtail's ``public()``, as a subquery): a restriction
    # on a page holds for it and every page below it, whose paths start with its path
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    reads_questions = viewer.is_member or viewer.is_partner or viewer.is_bureau
    member_or_bureau = viewer.is_member or viewer.is_bureau
    objects: dict[str, QuerySet] = {
        SearchKind.LIBRARY: LibraryItem.objects.visible_to(viewer),
        SearchKind.PAGE: Page.objects.live().exclude(Exists(restricted)),
        SearchKind.DOCUMENT: MeetingDocument.objects.filter(
            viewer.visible_q(visibility="visibility", body="meeting__body_id")),
        SearchKind.ACTION: Action.objects.all() if member_or_bureau
        else Action.objects.filter(is_public=True, programme__is_public=True),
        SearchKind.DOSSIER: Dossier.objects.visible_to(viewer),
    }
    if reads_questions:  # the question pages are for members, partners and the bureau
        questions = Question.objects.visible_to(viewer)
        objects[SearchKind.QUESTION] = questions
        objects[SearchKind.ANSWER] = Answer.objects.filter(question__in=questions.values("pk"))
    if member_or_bureau:  # people: the expertise directory is for members and the bureau
        objects[SearchKind.PERSON] = Person.objects.filter(erased_at__isnull=True)  # the erased are not findable
    if member_or_bureau:  # decisions: on the meeting's page, for members, the bureau and the body
        objects[SearchKind.DECISION] = Decision.objects.all()
    elif viewer.body_ids:
        objects[SearchKind.DECISION] = Decision.objects.filter(meeting__body_id__in=sorted(viewer.body_ids))
    return objects


def current_objects(viewer: Viewer) -> Q:
    """The index rows whose object exists and ``viewer`` may see now: per kind, the row's
    object id must be among the visible objects of that kind (a subquery each, in the same
    query as the search). A row of a kind the viewer may not open, of an object that was
    deleted, restricted or unpublished since it was indexed, is left out."""
    allowed = Q(pk__in=[])
    for kind, objects in openable_objects(viewer).items():
        allowed |= Q(kind=kind, object_id__in=objects.order_by().values("pk"))
    return allowed


# --- matching ---------------------------------------------------------------------------------------


def _is_postgres(documents: QuerySet) -> bool:
    return connections[documents.db].vendor == "postgresql"


def matching(documents: QuerySet[SearchDocument], terms: list[Term]) -> QuerySet[SearchDocument]:
    """The rows that match every term (and none of the negated ones), annotated with ``rank``."""
    if _is_postgres(documents):
        query = SearchQuery(tsquery_text(terms), config=DICTIONARY, search_type="raw")
        return documents.filter(vector=query).annotate(rank=SearchRank(F("vector"), query))
    rank = Value(0, output_field=IntegerField())
    for term in terms:
        condition = Q()
        for term_stem in sorted(term.stems):
            condition |= Q(stems__contains=f" {term_stem} ")
        if term.negated:
            documents = documents.exclude(condition)
            continue
        documents = documents.filter(condition)
        in_title = Q()
        for term_stem in sorted(term.stems):
            in_title |= Q(title_stems__contains=f" {term_stem} ")
        rank = rank + Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    return documents.annotate(rank=rank)


def _filtered(documents: QuerySet[SearchDocument], filters: Filters) -> QuerySet[SearchDocument]:
    if filters.type:
        documents = documents.filter(kind=filters.type)
    if filters.pillar:
        documents = documents.filter(pillar_id=filters.pillar)
    if filters.city:
        documents = documents.filter(municipality_id=filters.city)
    if filters.year:
        documents = documents.filter(year=filters.year)
    return documents


def facet_counts(documents: QuerySet[SearchDocument]) -> dict[str, dict[str, int]]:
    """Counts per type, pillar, city and year over ``documents``: one grouped query over the four
    together, summed up here per facet."""
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    rows = (documents.order_by().values_list("kind", "pillar_id", "municipality_id", "year")
            .annotate(n=Count("*")))
    for kind, pillar, city, year, n in rows:
        for facet, value in (("type", kind), ("pillar", pillar), ("city", city), ("year", year)):
            if value is not None:
                counts[facet][str(value)] = counts[facet].get(str(value), 0) + n
    return counts


# --- presenting -------------------------------------------------------------------------------------


def hit_urls(documents: list[SearchDocument]) -> dict[tuple[str, int], str]:
    """The address of each hit, a page its viewer may open (the hits are what the viewer may see):
    a meeting document's own address (``/documenten/<id>/<name>``, served to whoever its
    visibility admits), a person's entry in the expertise directory (found by the current name).
    At most two queries, for the documents and the people among the hits."""
    urls: dict[tuple[str, int], str] = {}
    ids: dict[str, list[int]] = {SearchKind.DOCUMENT: [], SearchKind.PERSON: []}
    for document in documents:
        kind, pk = document.kind, document.object_id
        if kind in (SearchKind.PAGE, SearchKind.ACTION, SearchKind.DECISION, SearchKind.DOSSIER):
            urls[kind, pk] = document.url
        elif kind == SearchKind.LIBRARY:
            urls[kind, pk] = reverse("knowledge:item", kwargs={"pk": pk})
        elif kind == SearchKind.QUESTION:
            urls[kind, pk] = reverse("knowledge:question", kwargs={"pk": pk})
        elif kind == SearchKind.ANSWER:
            url = reverse("knowledge:question", kwargs={"pk": document.parent_id})
            urls[kind, pk] = f"{url}#answer-{pk}" if url else ""
        elif kind in ids:
            ids[kind].append(pk)
    if ids[SearchKind.DOCUMENT]:
        for attached in MeetingDocument.objects.filter(pk__in=ids[SearchKind.DOCUMENT]).select_related("document"):
            urls[SearchKind.DOCUMENT, attached.pk] = attached.document.url
    if ids[SearchKind.PERSON]:
        directory = reverse("knowledge:experts")
        for pk, name in Person.objects.filter(pk__in=ids[SearchKind.PERSON]).values_list("pk", "name"):
            urls[SearchKind.PERSON, pk] = f"{directory}?{urlencode({'q': name})}#expert-{pk}" if directory else ""
    return urls


def _facets(results: Results, counts: dict[str, dict[str, int]]) -> dict[str, list[FacetValue]]:
    kind_labels = dict(SearchKind.choices)
    pillar_ids = [int(v) for v in counts["pillar"]]
    city_ids = [int(v) for v in counts["city"]]
    if results.filters.pillar and results.filters.pillar not in pillar_ids:
        pillar_ids.append(results.filters.pillar)
    if results.filters.city and results.filters.city not in city_ids:
        city_ids.append(results.filters.city)
    pillar_names = dict(Body.objects.filter(pk__in=pillar_ids).values_list("pk", "name")) if pillar_ids else {}
    city_names = {}
    if city_ids:
        city_names = {pk: common or name for pk, name, common in
                      Municipality.objects.filter(pk__in=city_ids).values_list("pk", "name", "common_name")}
    selected = {"type": results.filters.type, "pillar": str(results.filters.pillar or ""),
                "city": str(results.filters.city or ""), "year": str(results.filters.year or "")}

    def label(facet: str, value: str) -> str:
        if facet == "type":
            return str(kind_labels.get(value, value))
        if facet == "pillar":
            return pillar_names.get(int(value), value)
        if facet == "city":
            return city_names.get(int(value), value)
        return value

    facets: dict[str, list[FacetValue]] = {}
    for facet in FACETS:
        values = [FacetValue(value=value, label=label(facet, value), count=count, selected=value == selected[facet])
                  for value, count in counts[facet].items()]
        if selected[facet] and not any(v.selected for v in values):
            values.append(FacetValue(value=selected[facet], label=label(facet, selected[facet]), count=0,
                                     selected=True))
        if facet == "year":
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            values.sort(key=lambda v: (-v.count, v.label))
        for value in values:
            value.url = results.url(**{facet: None if value.selected else value.value, "page": None})
        facets[facet] = values
    return facets


def search(viewer: Viewer, query: str, *, filters: Filters | None = None, page: int = 1,
           per_page: int = PER_PAGE) -> Results:
    """What ``viewer`` finds for ``query``: one page of hits, the total and the facets."""
    query = " ".join((query or "").split())[:MAX_QUERY]
    filters = filters or Filters()
    terms = query_terms(query)
    results = Results(query=query, terms=terms, filters=filters)
    if not terms:
        return results
    documents = SearchDocument.objects.using(router.db_for_read(SearchDocument))
    visible = visible_documents(viewer).using(documents.db).filter(current_objects(viewer))
    matched = _filtered(matching(visible, terms), filters)

    counts = facet_counts(matched)
    results.total = sum(counts["type"].values())
    results.num_pages = max(1, math.ceil(results.total / per_page))
    results.page = max(1, min(page, results.num_pages, MAX_PAGE))
    results.facets = _facets(results, counts)
    if not results.total:
        return results

    offset = (results.page - 1) * per_page
    newest_first = F("date").desc(nulls_last=True), F("id").desc()
    if results.total > RANK_LIMIT:
        # Many hits: newest first, which the database reads off an index for the page alone;
        # ranking would have to weigh every hit.
        results.order = "date"
        rows = matched.only(*SHOWN_FIELDS).order_by(*newest_first)
    else:
        rows = matched.only(*SHOWN_FIELDS).order_by("-rank", *newest_first)
    stems = highlight_stems(terms)
    kind_labels = dict(SearchKind.choices)
    shown = list(rows[offset:offset + per_page])
    urls = hit_urls(shown)
    for document in shown:
        results.hits.append(Hit(
            kind=document.kind, kind_label=str(kind_labels.get(document.kind, document.kind)),
            object_id=document.object_id, title=highlight(document.title, stems),
            snippet=snippet(document.text, stems), url=urls.get((document.kind, document.object_id), ""),
            year=document.year, date=document.date, is_demo=document.is_demo,
        ))
    return results
