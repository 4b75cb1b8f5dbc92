"""Writes the search index (``search.models.SearchDocument``).

Flows owned here:
- ``index_update(kind, ids)`` – (re)index these objects of one kind; those that no longer exist
  or may no longer be found (an unpublished page) leave the index. Run by the background task
  ``search.tasks.search_index_update``, which ``search.signals`` enqueue on every save and
  delete of the indexed objects, once the transaction commits.
- ``rebuild(kinds)`` – the whole index (or some kinds) in bulk, batch by batch; for a new
  installation, after a bulk import, or with ``stedennet search-index``.
- ``page_tree_ids(page_id)`` – a page and every page below it (for ``search_index_page_tree``).

Every row carries the text that whoever may see the row may read, and nothing else: a library
item's title, summary, text, topics, file and link titles (not its author, since people are for
members only); a question's title and explanation; an answer's text (with the question's
visibility); a person's name, function, portfolio, expertise and organisation (members only);
a page's title, description and text (live pages without view restrictions only); an action's
title, description and programme (public when both the action and its programme are public,
else members only); a meeting document's title and body name (with the document's visibility,
for body members the meeting's body); a decision's reference, agenda item, text and body name
(members, and the people seated in the meeting's body); a lobby dossier's title, summary, every
version of its ask, the titles and summaries of its public interventions and the titles of its
confirmed parliamentary items (with the dossier's visibility and group). Rows hold no more than the visibility at
the time they were written: ``search.selectors`` checks each against its object's current
permissions when it reads, so an index that is behind can miss things but never show them.
"""

import datetime
import html
import logging
from collections.abc import Callable, Iterable, Iterator

from django.contrib.postgres.search import SearchVector
from django.db import connections, router, transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from stedennet.advocacy.constants import ItemStatus
from stedennet.advocacy.models import AskVersion, Dossier, DossierItem, Intervention
from stedennet.governance.models import Body, BodyKind, Person, Visibility
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.meetings.models import Decision, MeetingDocument
from stedennet.programmes.models import Action
from stedennet.search.models import SearchDocument, SearchKind
from stedennet.search.text import stems_of

logger = logging.getLogger(__name__)
BATCH = 2000
MAX_TEXT = 100_000
DICTIONARY = "dutch"
UPDATE_FIELDS = ["parent_id", "title", "text", "url", "visibility", "group_id", "pillar_id", "municipality_id",
                 "year", "date", "is_demo", "title_stems", "stems"]


# --- text -------------------------------------------------------------------------------------


def plain(value: str) -> str:
    """Text without markup: tags removed, entities read, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(value or "")).split())


def _join(*parts: str) -> str:
    return "\n".join(p for p in (plain(part) for part in parts) if p)[:MAX_TEXT]


def _pillars() -> dict[int, int | None]:
    """body id → the id of the pillar it belongs to (itself for a pillar), one query."""
    bodies = {pk: (kind, parent) for pk, kind, parent in Body.objects.values_list("pk", "kind", "parent_id")}
    result: dict[int, int | None] = {}
    for pk in bodies:
        current, seen = pk, set()
        while current is not None and current not in seen:
            seen.add(current)
            kind, parent = bodies.get(current, (None, None))
            if kind == BodyKind.PILLAR:
                break
            current = parent
        result[pk] = current if current is not None and bodies.get(current, (None,))[0] == BodyKind.PILLAR else None
    return result


def _year(value) -> int | None:
    return value.year if value else None


# --- one builder per kind: objects (all, or these ids) → documents -----------------------------


def _library(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    items = LibraryItem.objects.prefetch_related("topics", "files", "links").order_by("pk")
    if ids is not None:
        items = items.filter(pk__in=ids)
    for item in items.iterator(chunk_size=BATCH):
        pillar = item.pillar_id or pillars.get(item.theme_group_id)
        yield SearchDocument(
            kind=SearchKind.LIBRARY, object_id=item.pk, title=item.title[:300],
            text=_join(item.summary, item.body, " ".join(t.name for t in item.topics.all()),
                       " ".join(f.title for f in item.files.all()), " ".join(link.title for link in item.links.all())),
            visibility=item.visibility, group_id=item.group_id, pillar_id=pillar,
            municipality_id=item.municipality_id, year=_year(item.created_at), date=item.created_at,
            is_demo=item.is_demo,
        )


def _questions(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    questions = Question.objects.order_by("pk")
    if ids is not None:
        questions = questions.filter(pk__in=ids)
    for question in questions.iterator(chunk_size=BATCH):
        yield SearchDocument(
            kind=SearchKind.QUESTION, object_id=question.pk, title=question.title[:300], text=_join(question.body),
            visibility=question.visibility, group_id=question.group_id, pillar_id=pillars.get(question.group_id),
            municipality_id=question.municipality_id, year=_year(question.created_at), date=question.created_at,
            is_demo=question.is_demo,
        )


def _answers(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    answers = Answer.objects.select_related("question", "author").order_by("pk")
    if ids is not None:
        answers = answers.filter(pk__in=ids)
    for answer in answers.iterator(chunk_size=BATCH):
        question = answer.question
        yield SearchDocument(
            kind=SearchKind.ANSWER, object_id=answer.pk, parent_id=question.pk, title=question.title[:300],
            text=_join(answer.body), visibility=question.visibility, group_id=question.group_id,
            pillar_id=pillars.get(question.group_id), municipality_id=answer.author.municipality_id,
            year=_year(answer.created_at), date=answer.created_at, is_demo=question.is_demo,
        )


def _people(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    people = Person.objects.filter(erased_at__isnull=True).select_related("municipality", "partner").order_by("pk")
    if ids is not None:
        people = people.filter(pk__in=ids)
    for person in people.iterator(chunk_size=BATCH):
        organisation = person.municipality or person.partner
        yield SearchDocument(
            kind=SearchKind.PERSON, object_id=person.pk, title=person.name[:300],
            text=_join(str(person.get_function_display()), person.portfolio, person.expertise,
                       str(organisation) if organisation else ""),
            visibility=Visibility.MEMBERS, municipality_id=person.municipality_id, is_demo=person.is_demo,
        )


def _actions(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    actions = Action.objects.select_related("programme", "programme__pillar").order_by("pk")
    if ids is not None:
        actions = actions.filter(pk__in=ids)
    for action in actions.iterator(chunk_size=BATCH):
        programme = action.programme
        public = action.is_public and programme.is_public
        url = reverse("programmes:pillar", kwargs={"slug": programme.pillar.slug}) + "#work-programme"
        yield SearchDocument(
            kind=SearchKind.ACTION, object_id=action.pk, parent_id=programme.pk, title=action.title[:300],
            text=_join(action.description, programme.title), url=url,
            visibility=Visibility.PUBLIC if public else Visibility.MEMBERS, pillar_id=programme.pillar_id,
            year=programme.period_start.year, is_demo=programme.is_demo,
        )


def _documents(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    documents = MeetingDocument.objects.select_related("meeting", "meeting__body").order_by("pk")
    if ids is not None:
        documents = documents.filter(pk__in=ids)
    for document in documents.iterator(chunk_size=BATCH):
        meeting = document.meeting
        yield SearchDocument(
            kind=SearchKind.DOCUMENT, object_id=document.pk, parent_id=meeting.pk, title=document.title[:300],
            text=_join(meeting.body.name), visibility=document.visibility, group_id=meeting.body_id,
            pillar_id=pillars.get(meeting.body_id), year=_year(meeting.starts_at), date=meeting.starts_at,
            is_demo=meeting.body.is_demo,
        )


def _decisions(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    decisions = Decision.objects.select_related("meeting", "meeting__body", "agenda_item").order_by("pk")
    if ids is not None:
        decisions = decisions.filter(pk__in=ids)
    for decision in decisions.iterator(chunk_size=BATCH):
        meeting = decision.meeting
        url = reverse("meetings:meeting", kwargs={"pk": meeting.pk})
        yield SearchDocument(
            kind=SearchKind.DECISION, object_id=decision.pk, parent_id=meeting.pk,
            title=f"{decision.reference}: {decision.agenda_item.title}"[:300],
            text=_join(decision.text, meeting.title, meeting.body.name),
            url=f"{url}#besluit-{decision.number}" if url else "",
            visibility=Visibility.MEMBERS, group_id=meeting.body_id, pillar_id=pillars.get(meeting.body_id),
            year=_year(meeting.starts_at), date=meeting.starts_at, is_demo=meeting.body.is_demo,
        )


def _page_text(page) -> str:
    parts = [page.search_description or ""]
    for field in page._meta.concrete_fields:  # rich text and stream fields say their own text
        if not hasattr(field, "get_searchable_content"):
            continue
        try:
            parts.extend(str(p) for p in field.get_searchable_content(field.value_from_object(page)))
        except (TypeError, ValueError, AttributeError):  # a field that cannot say its text is left out
            logger.warning("search index: no text from %s.%s of page %s", type(page).__name__, field.name, page.pk)
    return _join(*parts)


def _pages(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    from wagtail.models import Page

    pages = Page.objects.live().public().filter(depth__gt=1).order_by("pk")
    if ids is not None:
        pages = pages.filter(pk__in=ids)
    for start in range(0, pages.count(), BATCH):
        for page in pages[start:start + BATCH].specific():
            url = page.get_url() or ""
            if not url:
                continue  # outside every site: nobody can open it
            yield SearchDocument(
                kind=SearchKind.PAGE, object_id=page.pk, title=page.title[:300], text=_page_text(page),
                url=url[:500], visibility=Visibility.PUBLIC,
                year=_year(page.last_published_at or page.first_published_at),
                date=page.last_published_at or page.first_published_at,
            )


def _dossiers(ids: list[int] | None, pillars: dict) -> Iterator[SearchDocument]:
    """A lobby dossier with what its page shows everyone who may see it: the summary, every
    version of the ask, the titles and summaries of the public interventions (the others are for
    members only, and a public dossier's row is for everyone) and the titles of the confirmed
    parliamentary items (suggested and dismissed ones are never shown)."""
    dossiers = Dossier.objects.prefetch_related(
        Prefetch("asks", queryset=AskVersion.objects.order_by("number")),
        Prefetch("interventions", queryset=Intervention.objects.filter(is_public=True).order_by("date", "pk")),
        Prefetch("items", queryset=DossierItem.objects.filter(status=ItemStatus.CONFIRMED).order_by("pk")),
    ).order_by("pk")
    if ids is not None:
        dossiers = dossiers.filter(pk__in=ids)
    for dossier in dossiers.iterator(chunk_size=BATCH):
        opened = datetime.datetime.combine(dossier.opened_on, datetime.time(), tzinfo=timezone.get_current_timezone())
        yield SearchDocument(
            kind=SearchKind.DOSSIER, object_id=dossier.pk, title=dossier.title[:300],
            text=_join(dossier.summary, *(ask.text for ask in dossier.asks.all()),
                       *(f"{i.title}\n{i.summary}" for i in dossier.interventions.all()),
                       *(item.title for item in dossier.items.all())),
            url=dossier.get_absolute_url()[:500], visibility=dossier.visibility, group_id=dossier.group_id,
            pillar_id=dossier.pillar_id, year=dossier.opened_on.year, date=opened, is_demo=dossier.is_demo,
        )


BUILDERS: dict[str, Callable[[list[int] | None, dict], Iterator[SearchDocument]]] = {
    SearchKind.LIBRARY: _library,
    SearchKind.QUESTION: _questions,
    SearchKind.ANSWER: _answers,
    SearchKind.PERSON: _people,
    SearchKind.ACTION: _actions,
    SearchKind.DOCUMENT: _documents,
    SearchKind.DECISION: _decisions,
    SearchKind.PAGE: _pages,
    SearchKind.DOSSIER: _dossiers,
}


# --- writing ------------------------------------------------------------------------------------


def _is_postgres(using: str) -> bool:
    return connections[using].vendor == "postgresql"


def _vector_update(rows, using: str) -> int:
    """Compute the Dutch tsvector of these rows (a queryset) in the database: title A, text B."""
    return rows.using(using).update(
        vector=SearchVector("title", weight="A", config=DICTIONARY)
        + SearchVector("text", weight="B", config=DICTIONARY)
    )


def _write(documents: list[SearchDocument], using: str) -> None:
    postgres = _is_postgres(using)
    for document in documents:
        if not postgres:  # the SQLite fallback matches stems; PostgreSQL has its own dictionary
            document.title_stems = f" {' '.join(stems_of(document.title))} "
            document.stems = f" {' '.join(stems_of(document.title + ' ' + document.text))} "
    SearchDocument.objects.using(using).bulk_create(
        documents, batch_size=500, update_conflicts=True, unique_fields=["kind", "object_id"],
        update_fields=UPDATE_FIELDS,
    )


def index_update(kind: str, ids: Iterable[int], *, using: str | None = None) -> int:
    """Bring the rows of these objects up to date; returns how many are findable."""
    using = using or router.db_for_write(SearchDocument)
    ids = sorted({int(i) for i in ids})
    if kind not in BUILDERS or not ids:
        return 0
    documents = list(BUILDERS[kind](ids, _pillars()))
    found = {d.object_id for d in documents}
    with transaction.atomic(using=using):
        gone = [i for i in ids if i not in found]
        if gone:
            SearchDocument.objects.using(using).filter(kind=kind, object_id__in=gone).delete()
        if documents:
            _write(documents, using)
            if _is_postgres(using):
                _vector_update(SearchDocument.objects.filter(kind=kind, object_id__in=sorted(found)), using)
    return len(documents)


def rebuild(kinds: Iterable[str] | None = None, *, using: str | None = None,
            progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Index everything of these kinds (all by default) anew, in batches. Returns rows per kind."""
    using = using or router.db_for_write(SearchDocument)
    pillars = _pillars()
    counts: dict[str, int] = {}
    for kind in kinds or BUILDERS:
        with transaction.atomic(using=using):
            SearchDocument.objects.using(using).filter(kind=kind).delete()
            batch: list[SearchDocument] = []
            total = 0
            for document in BUILDERS[kind](None, pillars):
                batch.append(document)
                if len(batch) >= BATCH:
                    _write(batch, using)
                    total += len(batch)
                    batch = []
                    if progress:
                        progress(kind, total)
            if batch:
                _write(batch, using)
                total += len(batch)
            if _is_postgres(using):
                _vector_update(SearchDocument.objects.filter(kind=kind), using)
        counts[kind] = total
        if progress:
            progress(kind, total)
    return counts


def page_tree_ids(page_id: int) -> list[int]:
    """The page and every page below it (its path begins theirs); just the id of a page that is gone."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return [page_id]
    return list(Page.objects.filter(path__startswith=page.path).values_list("pk", flat=True))
