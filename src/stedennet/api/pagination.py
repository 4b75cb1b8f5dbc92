"""Pages of a list: ``page`` (from 1) and ``pageSize`` (1–100, default 20).

A page beyond the last is refused with 400 naming ``page`` (an empty list has one page, the
first, which is empty). Two queries per page: the count and the rows.
"""

from collections.abc import Callable, Sequence
from typing import Annotated

from django.db.models import QuerySet
from ninja import Query

from stedennet.api.problems import InvalidInput

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
MAX_PAGE = 1_000_000


# The two query parameters of every list: ``page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE``.
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="The page, from 1.")]
PageSize = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, alias="pageSize", description="Results per page (1-100).")]


def paginate(rows: QuerySet | Sequence, *, page: int, page_size: int,
             serialise: Callable | None = None) -> dict:
    """The page of ``rows`` as the body of a list response."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    page_count = max(1, -(-count // page_size))
    if page > page_count:
        raise InvalidInput([("page", "page_out_of_range", f"There are {page_count} pages.")])
    start = (page - 1) * page_size
    items = list(rows[start:start + page_size])
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "page_count": page_count,
        "results": [serialise(item) for item in items] if serialise else items,
    }
