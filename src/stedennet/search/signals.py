"""Keeps the search index up to date: every save and delete of something findable enqueues a
background task (``search.tasks``) once the transaction commits; the task rewrites the rows
(``search.index.index_update``). The request that changed the data never writes the index.

The apps whose objects are indexed know nothing of search: the receivers here listen to Django's
``post_save``/``post_delete``/``m2m_changed`` of their models and to Wagtail's page signals
(``page_published``, ``page_unpublished``, ``page_slug_changed``, ``post_page_move``, and the
saves and deletes of ``PageViewRestriction``), on Wagtail's generic ``Page``, so the site's own
page models need no import. ``connect()`` is called once, from ``SearchConfig.ready()``.

What a change enqueues:
- a library item, question, answer, person, action, meeting document or decision: its own row;
  a question also its answers (their visibility is the question's);
- a library file, link or topic (added, removed, renamed): the library items it belongs to;
- a work programme: its actions; a meeting: its documents and decisions;
- a lobby dossier, or one of its ask versions, interventions or parliamentary items: the dossier;
- a page published: the page; unpublished, moved, a new slug, a view restriction added or
  removed: the page and every page below it (``search_index_page_tree``); a page deleted: its row.
"""

import functools
from collections.abc import Callable, Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from stedennet.advocacy.models import AskVersion, Dossier, DossierItem, Intervention
from stedennet.governance.models import Person
from stedennet.knowledge.models import Answer, LibraryFile, LibraryItem, LibraryLink, Question, Topic
from stedennet.meetings.models import Decision, Meeting, MeetingDocument
from stedennet.programmes.models import Action, WorkProgramme
from stedennet.search.models import SearchKind


def after_commit(function: Callable[[], object]) -> None:
    """Run ``function`` once the current transaction commits (at once outside a transaction):
    the task then reads what was committed, and nothing is enqueued for a rolled-back change."""
    transaction.on_commit(function)


def enqueue(kind: str, ids: Iterable[int]) -> None:
    from stedennet.search.tasks import search_index_update

    ids = sorted({int(i) for i in ids if i is not None})
    if ids:
        after_commit(functools.partial(search_index_update.enqueue, kind, ids))


def _on_change(kind: str, related: Callable | None = None):
    def receiver(sender, instance, raw=False, **kwargs):
        if raw:
            return
        enqueue(kind, [instance.pk])
        if related is not None:
            for other_kind, ids in related(instance):
                enqueue(other_kind, ids)

    return receiver


def _answers_of(question: Question):
    return [(SearchKind.ANSWER, list(question.answers.values_list("pk", flat=True)))]


def _item_of_part(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue(SearchKind.LIBRARY, [instance.item_id])


def _topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        enqueue(SearchKind.LIBRARY, [instance.pk])
    elif pk_set:
        enqueue(SearchKind.LIBRARY, pk_set)


def _topic_renamed(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        enqueue(SearchKind.LIBRARY, instance.items.values_list("pk", flat=True))


def _programme_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue(SearchKind.ACTION, instance.actions.values_list("pk", flat=True))


def _meeting_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue(SearchKind.DOCUMENT, instance.documents.values_list("pk", flat=True))
        enqueue(SearchKind.DECISION, instance.decisions.values_list("pk", flat=True))


def _page_tree(page_id: int) -> None:
    from stedennet.search.tasks import search_index_page_tree

    after_commit(functools.partial(search_index_page_tree.enqueue, page_id))


def _page_published(sender, instance, **kwargs):
    enqueue(SearchKind.PAGE, [instance.pk])


def _page_tree_changed(sender, instance, **kwargs):
    _page_tree(instance.pk)


def _page_moved(sender, instance, **kwargs):
    _page_tree(instance.pk)


def _restriction_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.page_id:
        _page_tree(instance.page_id)


def _deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        enqueue(SearchKind.PAGE, [instance.pk])


SAVED = [
    (LibraryItem, SearchKind.LIBRARY, None),
    (Question, SearchKind.QUESTION, _answers_of),
    (Answer, SearchKind.ANSWER, None),
    (Person, SearchKind.PERSON, None),
    (Action, SearchKind.ACTION, None),
    (MeetingDocument, SearchKind.DOCUMENT, None),
    (Decision, SearchKind.DECISION, None),
    (Dossier, SearchKind.DOSSIER, None),
]
# The parts of a dossier that its row holds (ask versions, interventions, confirmed items).
DOSSIER_PARTS = (AskVersion, Intervention, DossierItem)


def _dossier_of_part(sender, instance, raw=False, **kwargs):
    if not raw:
        enqueue(SearchKind.DOSSIER, [instance.dossier_id])


def connect() -> None:
    """Connect the receivers (idempotent: each has a dispatch_uid)."""
    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for model, kind, related in SAVED:
        receiver = _on_change(kind, related)
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"search-save-{kind}")
        post_delete.connect(_on_change(kind), sender=model, weak=False, dispatch_uid=f"search-delete-{kind}")
    for part in (LibraryFile, LibraryLink):
        post_save.connect(_item_of_part, sender=part, dispatch_uid=f"search-save-{part.__name__}")
        post_delete.connect(_item_of_part, sender=part, dispatch_uid=f"search-delete-{part.__name__}")
    for part in DOSSIER_PARTS:
        post_save.connect(_dossier_of_part, sender=part, dispatch_uid=f"search-save-{part.__name__}")
        post_delete.connect(_dossier_of_part, sender=part, dispatch_uid=f"search-delete-{part.__name__}")
    m2m_changed.connect(_topics_changed, sender=LibraryItem.topics.through, dispatch_uid="search-topics")
    post_save.connect(_topic_renamed, sender=Topic, dispatch_uid="search-topic")
    post_save.connect(_programme_changed, sender=WorkProgramme, dispatch_uid="search-programme")
    post_save.connect(_meeting_changed, sender=Meeting, dispatch_uid="search-meeting")
    page_published.connect(_page_published, dispatch_uid="search-page-published")
    page_unpublished.connect(_page_tree_changed, dispatch_uid="search-page-unpublished")
    page_slug_changed.connect(_page_tree_changed, dispatch_uid="search-page-slug")
    post_page_move.connect(_page_moved, dispatch_uid="search-page-move")
    post_save.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-save")
    post_delete.connect(_restriction_changed, sender=PageViewRestriction, dispatch_uid="search-restriction-delete")
    post_delete.connect(_deleted, dispatch_uid="search-page-delete")
