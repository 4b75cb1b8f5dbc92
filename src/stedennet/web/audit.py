"""Who changed what: the context of every history event of the audit trail (``stedennet.audit``).

- ``audit_context(**meta)``: everything written inside it is recorded with ``meta`` (``via="cli"``,
  ``command=...``; nested contexts add to the outer one and give it back as it was when they end).
- ``AuditContextMiddleware``: every request runs inside a context ``{"via": "web", "path": ...,
  "user": <id or None>}``. The user is resolved when a row is written, not when the request
  starts, so a sign-in within the request counts; on GET, HEAD and OPTIONS the user is only known
  once the view has looked at it (the middleware does not make the session query itself).
  No IP address and no username are stored: personal data the trail would have to erase.
- ``current_context()`` / ``current_context_id()``: what the SQLite fallback of the audit app
  writes on each event row.
- ``audit_paused()``: nothing is recorded inside it (loading and removing test fixtures).

On PostgreSQL the context is handed to django-pghistory (``pghistory.context``), whose triggers
store it on every event row; on SQLite ``pghistory.context`` is never entered (its execute wrapper
reads psycopg connection state that sqlite3 does not have), and the audit app's signal receivers
read ``current_context()`` instead.
"""

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject, empty

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass
class _Context:
    id: uuid.UUID
    metadata: dict
    request: HttpRequest | None = None
    # On PostgreSQL: pghistory's own metadata dict, serialised into each statement that writes.
    shared: dict | None = field(default=None, repr=False)

    def resolved(self) -> dict:
        if self.request is None:
            return dict(self.metadata)
        return {**self.metadata, "user": _user_id(self.request)}


_current: contextvars.ContextVar[_Context | None] = contextvars.ContextVar("stedennet_audit", default=None)
_paused: contextvars.ContextVar[bool] = contextvars.ContextVar("stedennet_audit_paused", default=False)


def _on_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _user_id(request: HttpRequest) -> int | None:
    """The request's user as it is now, without a query: a user nobody has looked at yet is None."""
    user = request.__dict__.get("user")
    if user is None or (isinstance(user, SimpleLazyObject) and user._wrapped is empty):
        return None
    return user.pk if user.is_authenticated else None


def _refresh_user(execute, sql, params, many, context):
    """Outermost execute wrapper on PostgreSQL: the user written with a statement is the one of now."""
    current = _current.get()
    if current is not None and current.request is not None and current.shared is not None:
        current.shared["user"] = _user_id(current.request)
    return execute(sql, params, many, context)


@contextlib.contextmanager
def _entered(metadata: dict, request: HttpRequest | None = None) -> Iterator[_Context]:
    outer = _current.get()
    if outer is not None:
        inner = _Context(id=outer.id, metadata={**outer.metadata, **metadata}, request=request or outer.request,
                         shared=outer.shared)
        token = _current.set(inner)
        before = dict(outer.shared) if outer.shared is not None else None
        if inner.shared is not None:
            inner.shared.update(inner.resolved())
        try:
            yield inner
        finally:
            _current.reset(token)
            if before is not None:
                outer.shared.clear()
                outer.shared.update(before)
        return
    if not _on_postgresql():
        token = _current.set(_Context(id=uuid.uuid4(), metadata=dict(metadata), request=request))
        try:
            yield _current.get()
        finally:
            _current.reset(token)
        return

    import pghistory

    with contextlib.ExitStack() as stack:
        # Ours first, so it runs before pghistory's wrapper serialises the metadata.
        stack.enter_context(connection.execute_wrapper(_refresh_user))
        shared = stack.enter_context(pghistory.context())
        context = _Context(id=shared.id, metadata=dict(metadata), request=request, shared=shared.metadata)
        shared.metadata.update(context.resolved())
        token = _current.set(context)
        try:
            yield context
        finally:
            _current.reset(token)


def audit_context(**metadata) -> contextlib.AbstractContextManager[_Context]:
    """Record every change made inside with this metadata (JSON values: ids, names, paths)."""
    return _entered(metadata)


def current_context() -> dict | None:
    """The metadata of the innermost context, its user resolved now; None outside any context."""
    current = _current.get()
    return current.resolved() if current is not None else None


def current_context_id() -> uuid.UUID | None:
    """One id for everything written inside the same outermost context (a request, a command)."""
    current = _current.get()
    return current.id if current is not None else None


def is_paused() -> bool:
    return _paused.get()


@contextlib.contextmanager
def audit_paused() -> Iterator[None]:
    """Record nothing inside: the SQLite receivers skip, and on PostgreSQL every django-pgtrigger
    trigger is ignored (the history triggers and the append-only protection of the event tables)."""
    token = _paused.set(True)
    try:
        if _on_postgresql():
            import pgtrigger

            with pgtrigger.ignore():
                yield
        else:
            yield
    finally:
        _paused.reset(token)


class AuditContextMiddleware:
    """Every request inside an audit context: via web, its path (no query string: it may carry a
    token) and the user who writes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in SAFE_METHODS and hasattr(request, "user"):
            request.user.is_authenticated  # noqa: B018 (the session's user is who writes: look it up now)
        with _entered({"via": "web", "path": request.path}, request=request):
            return self.get_response(request)
