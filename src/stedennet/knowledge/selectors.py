"""Knowledge reads, always through the viewer (``governance.access.Viewer``): nothing a viewer may
not see leaves these functions. Each is a fixed number of queries whatever the number of rows.

- ``library_items(viewer, ...)``: the library with filters (pillar, theme group, city, topic).
- ``library_item(viewer, pk)``: one item with its files, links and tags, or None when not visible.
- ``library_filters(viewer)``: the choices of the library's filters (topics of visible items only).
- ``questions(viewer, ...)``: questions with their number of answers.
- ``question_detail(viewer, pk)``: one question with its answers, or None when not visible.
- ``similar_questions(text, viewer)``: earlier visible questions sharing words with ``text``.
- ``shared_with_partners(viewer)``: what is shared with members and partners, and the viewer's bodies.
- ``expertise_directory(query, viewer)``: "who knows about X": people found by expertise,
  portfolio, name, and what they wrote (library items) or answered that the viewer may see,
  with their city and current groups. For members and the bureau only.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from stedennet.governance.access import Viewer
from stedennet.governance.models import Body, BodyKind, Person, Position, Visibility
from stedennet.knowledge.models import Answer, LibraryItem, Question, Topic
from stedennet.knowledge.stemming import stem as snowball_stem
from stedennet.membership.models import MembershipPeriod
from stedennet.registry.models import Municipality

# --- library ---------------------------------------------------------------------------------


def library_items(*, viewer: Viewer, pillar: Body | None = None, theme_group: Body | None = None,
                  municipality: Municipality | None = None, topic: Topic | None = None) -> QuerySet[LibraryItem]:
    """The items ``viewer`` may see, newest first, optionally of one pillar, theme group, city
    (its author's city or a city it is about) or topic; topics prefetched (one more query)."""
    items = LibraryItem.objects.visible_to(viewer)
    if pillar is not None:
        items = items.filter(Q(pillar=pillar) | Q(theme_group__parent=pillar))
    if theme_group is not None:
        items = items.filter(theme_group=theme_group)
    if municipality is not None:
        about = LibraryItem.tagged_municipalities.through.objects.filter(
            libraryitem_id=OuterRef("pk"), municipality_id=municipality.pk)
        items = items.filter(Q(municipality=municipality) | Exists(about))
    if topic is not None:
        items = items.filter(topics=topic)
    return (items.select_related("author", "municipality", "pillar", "theme_group", "group")
            .prefetch_related("topics").order_by("-created_at", "-pk"))


def library_item(*, viewer: Viewer, pk: int) -> LibraryItem | None:
    return (LibraryItem.objects.visible_to(viewer)
            .select_related("author", "author__municipality", "municipality", "pillar", "theme_group", "group")
            .prefetch_related("topics", "tagged_municipalities", "files", "links")
            .filter(pk=pk).first())


def member_municipalities(day=None) -> QuerySet[Municipality]:
    """The municipalities that are members on ``day`` (today), by name."""
    periods = MembershipPeriod.objects.on(day or timezone.localdate()).values("municipality_id")
    return Municipality.objects.filter(pk__in=periods).order_by("name")


@dataclass
class LibraryFilters:
    pillars: list[Body] = field(default_factory=list)
    theme_groups: list[Body] = field(default_factory=list)
    municipalities: list[Municipality] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)


def library_filters(*, viewer: Viewer) -> LibraryFilters:
    """Choices for the library's filters: pillars, theme groups, member cities, and the topics of
    the items ``viewer`` may see (a topic given only to hidden items is not shown) (four queries)."""
    bodies = list(Body.objects.filter(kind__in=[BodyKind.PILLAR, BodyKind.THEME_GROUP], archived_at__isnull=True)
                  .order_by("order", "name"))
    return LibraryFilters(
        pillars=[b for b in bodies if b.kind == BodyKind.PILLAR],
        theme_groups=sorted((b for b in bodies if b.kind == BodyKind.THEME_GROUP), key=lambda b: b.name),
        municipalities=list(member_municipalities()),
        topics=list(Topic.objects.filter(items__in=LibraryItem.objects.visible_to(viewer).values("pk"))
                    .distinct().order_by("name")),
    )


# --- questions -------------------------------------------------------------------------------

def questions(*, viewer: Viewer, group: Body | None = None) -> QuerySet[Question]:
    """The questions ``viewer`` may see, newest first, with their number of answers."""
    found = Question.objects.visible_to(viewer)
    if group is not None:
        found = found.filter(group=group)
    return (found.select_related("asker", "municipality", "group")
            .annotate(answer_count=Count("answers")).order_by("-created_at", "-pk"))


def question_detail(*, viewer: Viewer, pk: int) -> Question | None:
    """One question ``viewer`` may see, with its answers (and their authors' cities) prefetched."""
    answers = Answer.objects.select_related("author", "author__municipality", "author__partner").order_by(
        "created_at", "pk")
    question = (Question.objects.visible_to(viewer)
                .select_related("asker", "asker__municipality", "municipality", "group", "best_answer")
                .prefetch_related(Prefetch("answers", queryset=answers))
                .filter(pk=pk).first())
    if question is not None:
        question.is_followed = bool(viewer.person) and question.followers.filter(pk=viewer.person.pk).exists()
    return question


STOPWORDS = frozenset({
    "aan", "al", "alle", "als", "bij", "dan", "dat", "de", "deze", "die", "dit", "door", "een", "en", "er",
    "hoe", "hun", "ik", "in", "is", "je", "kan", "kun", "kunnen", "maar", "met", "meer", "na", "naar",
    "niet", "nog", "of", "om", "onze", "ook", "op", "over", "te", "tot", "u", "uit", "van", "voor", "waar",
    "wat", "we", "welke", "wie", "wij", "worden", "wordt", "zijn", "zich", "zo", "zou", "the", "and", "for",
    "with", "what", "how", "who", "are", "our",
})
MAX_TOKENS = 8


def tokens(text: str) -> list[str]:
    """The words of ``text`` that carry meaning: lower case, without accents, no stop words or short words."""
    plain = unicodedata.normalize("NFKD", (text or "").lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    seen: list[str] = []
    for word in re.findall(r"[a-z0-9]+", plain):
        if len(word) >= 3 and word not in STOPWORDS and word not in seen:
            seen.append(word)
    return seen


def _stem(word: str) -> str:
    """What ``word`` has in common with its Snowball Dutch stem (``stemming.stem``, the same
    stemmer as site search): "jongeren" → "jonger", "organiseer" → "organise". It begins the other
    forms of the word too, so it is matched as part of words (compounds included); never shorter
    than 4 letters, else the word itself."""
    stemmed = snowball_stem(word)
    length = 0
    while length < min(len(word), len(stemmed)) and word[length] == stemmed[length]:
        length += 1
    return word[:length] if length >= 4 else word


def similar_questions(text: str, viewer: Viewer, *, limit: int = 5,
                      exclude_pk: int | None = None) -> list[Question]:
    """Earlier questions ``viewer`` may see that share the most words with ``text`` (stems match,
    so "jongeren" finds "jongere"); one query, ranked in Python over at most 200 candidates."""
    stems = [_stem(word) for word in tokens(text)][:MAX_TOKENS]
    if not stems:
        return []
    condition = Q()
    for stem in stems:
        condition |= Q(title__icontains=stem) | Q(body__icontains=stem)
    candidates = (Question.objects.visible_to(viewer).filter(condition)
                  .select_related("municipality", "group").annotate(answer_count=Count("answers"))
                  .order_by("-created_at", "-pk"))
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    ranked = []
    for question in candidates[:200]:
        title_words = " ".join(tokens(question.title))
        body_words = " ".join(tokens(question.body))
        score = sum(2 if stem in title_words else 1 if stem in body_words else 0 for stem in stems)
        if score:
            ranked.append((score, question))
    ranked.sort(key=lambda pair: -pair[0])  # stable: newest first among equals
    return [question for _score, question in ranked[:limit]]


# --- expertise directory ---------------------------------------------------------------------

MAX_EXPERTS = 50


def _answers_visible(viewer: Viewer) -> QuerySet[Answer]:
    return Answer.objects.filter(question__in=Question.objects.visible_to(viewer).values("pk"))


def expertise_directory(query: str, viewer: Viewer, *, limit: int = MAX_EXPERTS) -> list[Person]:
    """People who know about ``query``: every word must occur in their expertise, portfolio or
    name, or in a library item they wrote or an answer they gave that ``viewer`` may see. Each
    person comes with ``matching_items``, ``matching_answers`` (visible ones only) and
    ``current_positions`` (with the body). Members and the bureau only; others get nobody.
    Five queries whatever the number of people."""
    if not (viewer.is_member or viewer.is_bureau):
        return []
    words = tokens(query)[:MAX_TOKENS]
    whole_name = " ".join((query or "").split())
    if not words and not whole_name:
        return []
    items = LibraryItem.objects.visible_to(viewer)
    answers = _answers_visible(viewer)
    condition = Q() if words else Q(pk__in=[])
    any_item = Q() if words else Q(pk__in=[])
    any_answer = Q() if words else Q(pk__in=[])
    for word in words:
        stem = _stem(word)
        item_text = Q(title__icontains=stem) | Q(summary__icontains=stem) | Q(body__icontains=stem)
        answer_text = Q(body__icontains=stem) | Q(question__title__icontains=stem)
        condition &= (
            Q(expertise__icontains=stem) | Q(portfolio__icontains=stem) | Q(name__icontains=word)
            | Exists(items.filter(item_text, author_id=OuterRef("pk")))
            | Exists(answers.filter(answer_text, author_id=OuterRef("pk")))
        )
        any_item |= item_text
        any_answer |= answer_text
    # a person's whole name as written (search links to a person's entry this way), accents and all
    condition |= Q(name__iexact=whole_name)
    positions = (Position.objects.current().select_related("body")
                 .order_by("body__order", "body__name"))
    people = (Person.objects.filter(condition)
              .select_related("municipality", "partner")
              .prefetch_related(
                  Prefetch("positions", queryset=positions, to_attr="current_positions"),
                  Prefetch("library_items", queryset=items.filter(any_item).order_by("-created_at"),
                           to_attr="matching_items"),
                  Prefetch("answers", queryset=answers.filter(any_answer).select_related("question")
                           .order_by("-created_at"), to_attr="matching_answers"))
              .order_by("name", "pk"))
    return list(people[:limit])


# --- what is shared with partners --------------------------------------------------------------

SHARED_LIMIT = 20


@dataclass
class SharedWithPartners:
    """The newest library items and questions shared with members and partners (at most
    ``SHARED_LIMIT`` each, with the total), and the bodies the viewer sits in."""

    items: list[LibraryItem]
    item_count: int
    questions: list[Question]
    question_count: int
    positions: list[Position]


def shared_with_partners(*, viewer: Viewer, limit: int = SHARED_LIMIT) -> SharedWithPartners:
    """What the network shares with its partners (visibility "members and partners"), as far as
    ``viewer`` may see it, and the viewer's current positions. Six queries whatever the numbers."""
    items = (LibraryItem.objects.visible_to(viewer).filter(visibility=Visibility.MEMBERS_AND_PARTNERS)
             .select_related("author", "municipality").order_by("-created_at", "-pk"))
    found = (Question.objects.visible_to(viewer).filter(visibility=Visibility.MEMBERS_AND_PARTNERS)
             .select_related("asker", "municipality").annotate(answer_count=Count("answers"))
             .order_by("-created_at", "-pk"))
    positions = []
    if viewer.person is not None:
        positions = list(Position.objects.current().filter(person=viewer.person)
                         .select_related("body", "body__parent").order_by("body__order", "body__name", "pk"))
    return SharedWithPartners(items=list(items[:limit]), item_count=items.count(),
                              questions=list(found[:limit]), question_count=found.count(), positions=positions)
