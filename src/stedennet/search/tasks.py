"""Background tasks of site search (django-tasks). The search index is updated here, never in
the request that changed the data: the receivers in ``search.signals`` enqueue these."""

from django_tasks import task

from stedennet.search import index
from stedennet.search.models import SearchKind


@task()
def search_index_update(kind: str, ids: list[int]) -> int:
    """(Re)index these objects of one kind; gone or hidden ones leave the index."""
    return index.index_update(kind, ids)


@task()
def search_index_page_tree(page_id: int) -> int:
    """A page and everything below it (after a move, a new slug, unpublishing, a view restriction)."""
    return index.index_update(SearchKind.PAGE, index.page_tree_ids(page_id))


@task()
def search_index_rebuild(kinds: list[str] | None = None) -> dict[str, int]:
    """The whole index anew (or these kinds)."""
    return index.rebuild(kinds)
