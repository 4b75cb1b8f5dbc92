"""Strict query strings and the shared parameter types.

ninja ignores query keys an operation does not declare; a typo (``?provence=``) would then
silently return everything. :func:`strict_query` (installed on the whole API in view mode,
before validation) refuses such keys with a 400 problem naming each of them. A key given twice
where one value is expected is refused too.
"""

import datetime
import functools
from typing import Annotated

from django.http import HttpRequest
from ninja import Query

from stedennet.api.problems import InvalidInput, instance_of, problem_response


def declared_query_keys(operation) -> frozenset[str]:
    keys: set[str] = set()
    for model in getattr(operation, "models", ()):
        if getattr(model, "__ninja_param_source__", None) == "query":
            keys.update(getattr(model, "__ninja_flatten_map__", {}).keys())
    return frozenset(keys)


def strict_query(run):
    """ninja "view" decorator: ``run`` is the bound ``Operation.run``."""
    operation = getattr(run, "__self__", None)

    @functools.wraps(run)
    def checked(request: HttpRequest, *args, **kwargs):
        allowed = declared_query_keys(operation) if operation is not None else frozenset()
        problems = [(key, "unknown_parameter", "This operation has no such query parameter.")
                    for key in request.GET if key not in allowed]
        problems += [(key, "repeated_parameter", "Give this parameter once.")
                     for key in request.GET if key in allowed and len(request.GET.getlist(key)) > 1]
        if problems:
            refusal = InvalidInput(problems)
            return problem_response(400, refusal.detail, instance=instance_of(request), invalid_params=problems)
        return run(request, *args, **kwargs)

    return checked


def parse_date(name: str, value: str | None) -> datetime.date | None:
    """A date given as ``YYYY-MM-DD`` (the only form accepted), or None when absent."""
    if value is None or value == "":
        return None
    try:
        if len(value) != 10:
            raise ValueError(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise InvalidInput([(name, "invalid_date", "Use a date as YYYY-MM-DD.")]) from None


DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"


def date_query(description: str, *, alias: str | None = None):
    """An optional date in the query string (``YYYY-MM-DD``; checked again by :func:`parse_date`)."""
    return Annotated[str | None, Query(alias=alias, pattern=DATE_PATTERN,
                                       description=description)]


def slug_query(description: str, *, alias: str | None = None):
    """An optional slug in the query string."""
    return Annotated[str | None, Query(alias=alias, pattern=SLUG_PATTERN, description=description)]


def choice_query(choices, description: str):
    """An optional value of ``choices`` (a ``Literal``) in the query string."""
    return Annotated[choices | None, Query(description=description)]
