"""Keeping the mirror up to date, and what is done with it on request.

**The sync.** Per category, page by page from its cursor: fetch a page (outside any transaction;
5xx, 429, timeouts, network errors and the Kamer's ``<Error>`` document are retried with
back-off, every failed attempt recorded as a ``FeedFailure``), parse it whole, then apply it in
**one transaction together with the cursor move**: the raw entries are stored (append-only), each
entity is upserted by GUID (the later version wins: a larger ``bijgewerkt``, and for equal ones
the later entry), a tombstone deletes the entity and its links, references to entities not seen
yet are kept as plain GUIDs, and the cursor becomes the skiptoken of the page's last entry.

A sync killed at any moment therefore leaves either the page applied with its cursor, or
neither: the next run fetches the same page again and ends with the same database as a run
that was never interrupted. Two syncs at once cannot apply a page twice: the cursor row is
locked and must still be where the page was fetched from. A page that cannot be read (not XML,
not a feed, an entry without GUID or cursor) is kept as that category's error with its body;
the cursor stays; the other categories go on.

After each page the signal ``entities_applied`` names what changed (see ``signals``).

**On request.** ``document_file_fetch`` fetches a document's file (advocacy asks for the
documents linked to a dossier), checking its size against ``contentLength`` and its type;
``sync_request`` ("sync now") and ``sync_schedule_start`` / ``sync_schedule_next`` (the periodic
background task) enqueue syncs.
"""

import datetime
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.parliament import client, conf
from stedennet.parliament.constants import CATEGORIES, FILE_TYPES, FailureKind
from stedennet.parliament.feed import FeedEntry, FeedPage, PageProblem, parse_page
from stedennet.parliament.mapping import SPECS
from stedennet.parliament.models import Document, FeedCursor, FeedFailure, Link, RawEntry, SyncSchedule
from stedennet.parliament.signals import entities_applied
from stedennet.web.refusals import Refused

__all__ = [
    "CategoryResult",
    "DocumentFileRefused",
    "SyncReport",
    "category_sync",
    "document_file_fetch",
    "page_apply",
    "parliament_sync",
    "sync_request",
    "sync_schedule_next",
    "sync_schedule_start",
]

logger = logging.getLogger(__name__)

SYNC_REQUESTED = "parliament.sync_requested"
BODY_KEPT = 2 * 1024 * 1024  # of a page that could not be read
_EARLIEST = datetime.datetime.min.replace(tzinfo=datetime.UTC)
# Seconds before the next run of a periodic chain whose run stopped before the end of the feed.
CATCH_UP_DELAY = 5


# --- results -----------------------------------------------------------------------------------

@dataclass
class CategoryResult:
    category: str
    pages: int = 0
    entries: int = 0
    stored: int = 0
    deleted: int = 0
    ignored: int = 0
    at_end: bool = False
    error: str = ""
    error_kind: str = ""
    changed: set[str] = field(default_factory=set, repr=False)
    removed: set[str] = field(default_factory=set, repr=False)

    def as_dict(self) -> dict:
        return {"category": self.category, "pages": self.pages, "entries": self.entries, "stored": self.stored,
                "deleted": self.deleted, "ignored": self.ignored, "at_end": self.at_end, "error": self.error,
                "error_kind": self.error_kind}


@dataclass
class SyncReport:
    results: list[CategoryResult]

    @property
    def ok(self) -> bool:
        return not any(result.error for result in self.results)

    @property
    def at_end(self) -> bool:
        """Every category reached the end of the feed (or failed): nothing left for now."""
        return all(result.at_end or result.error for result in self.results)

    @property
    def changed(self) -> dict[str, set[str]]:
        return {result.category: result.changed for result in self.results if result.changed}

    def as_dict(self) -> dict:
        return {"ok": self.ok, "at_end": self.at_end, "categories": [result.as_dict() for result in self.results]}


@dataclass
class _Applied:
    skiptoken: int
    entries: int
    stored: list[str]
    deleted: list[str]
    ignored: int


# --- the sync ----------------------------------------------------------------------------------

def parliament_sync(categories: Iterable[str] | None = None, *, max_pages: int | None = None,
                    sleep: Callable[[float], None] = time.sleep) -> SyncReport:
    """Sync each category (default: all, in ``CATEGORIES`` order) up to the end of the feed, or
    ``max_pages`` pages each. A category that fails does not stop the others; only when the
    feed's server cannot be reached at all (no connection, after the retries) are the remaining
    categories not tried again in this run: they get the same error, without waiting."""
    chosen = list(categories) if categories else list(CATEGORIES)
    unknown = [category for category in chosen if category not in CATEGORIES]
    if unknown:
        raise ValueError(f"unknown categories: {', '.join(unknown)}")
    results, unreachable = [], None
    for category in chosen:
        if unreachable is not None:
            cursor, _created = FeedCursor.objects.get_or_create(category=category)
            _record_error(cursor, unreachable)
            results.append(CategoryResult(category, error=unreachable.message, error_kind=str(unreachable.kind)))
            continue
        result = category_sync(category, max_pages=max_pages, sleep=sleep)
        results.append(result)
        if result.error_kind == FailureKind.NETWORK and result.error.startswith(client.UNREACHABLE):
            unreachable = _Failed(FailureKind.NETWORK, f"{result.error} (not tried: the server was unreachable)")
    return SyncReport(results)


def category_sync(category: str, *, max_pages: int | None = None,
                  sleep: Callable[[float], None] = time.sleep) -> CategoryResult:
    result = CategoryResult(category)
    cursor, _created = FeedCursor.objects.get_or_create(category=category)
    while max_pages is None or result.pages < max_pages:
        url = client.page_url(category, cursor.skiptoken)
        FeedCursor.objects.filter(pk=cursor.pk).update(last_attempt_at=timezone.now())
        try:
            page = _fetch_page(category, url, cursor.skiptoken, sleep)
        except PageProblem as problem:
            _record_error(cursor, problem)
            result.error, result.error_kind = problem.message, str(problem.kind)
            break
        fresh = [entry for entry in page.entries if cursor.skiptoken is None or entry.skiptoken > cursor.skiptoken]
        if not fresh:
            FeedCursor.objects.filter(pk=cursor.pk).update(last_success_at=timezone.now(), failures_in_a_row=0)
            result.at_end = True
            break
        applied = page_apply(category, FeedPage(fresh), expected_skiptoken=cursor.skiptoken)
        cursor.refresh_from_db()
        if applied is None:  # another sync moved the cursor meanwhile: go on from where it is now
            continue
        result.pages += 1
        result.entries += applied.entries
        result.stored += len(applied.stored)
        result.deleted += len(applied.deleted)
        result.ignored += applied.ignored
        result.changed.update(applied.stored)
        result.changed.difference_update(applied.deleted)
        result.removed.update(applied.deleted)
    return result


class _Failed(PageProblem):
    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


def _fetch_page(category: str, url: str, skiptoken: int | None, sleep) -> FeedPage:
    """The parsed page at ``url``, trying again after transient failures; each failure recorded."""
    attempts = conf.retries() + 1
    for attempt in range(1, attempts + 1):
        body, problem, status = b"", None, None
        try:
            response = client.get(url, limit=conf.max_page_bytes())
            body, status = response.body, response.status
            return parse_page(body, category)
        except client.FetchProblem as failure:
            problem, status, body = _Failed(failure.kind, failure.message), failure.status_code, failure.body
            transient = failure.transient
            if failure.body and failure.kind == FailureKind.HTTP:  # a 5xx may carry the <Error> document
                try:
                    parse_page(failure.body, category)
                except PageProblem as inner:
                    if inner.kind == FailureKind.ERROR_BODY:
                        problem = _Failed(failure.kind, f"{failure.message}: {inner.message}")
        except PageProblem as failure:
            problem, transient = failure, failure.kind == FailureKind.ERROR_BODY
        FeedFailure.objects.create(
            category=category, kind=problem.kind, url=url, skiptoken=skiptoken, attempt=attempt,
            message=problem.message[:2000], status_code=status,
            body=body[:BODY_KEPT].decode("utf-8", "replace") if body else "", occurred_at=timezone.now(),
        )
        logger.warning("parliament sync %s: attempt %s of %s failed: %s", category, attempt, attempts, problem.message)
        if not transient or attempt == attempts:
            raise problem
        sleep(min(conf.backoff() * 2 ** (attempt - 1), 60.0))
    raise AssertionError("unreachable")


def _record_error(cursor: FeedCursor, problem: PageProblem) -> None:
    now = timezone.now()
    FeedCursor.objects.filter(pk=cursor.pk).update(
        last_error=f"{problem.kind}: {problem.message}"[:2000], last_error_at=now,
        failures_in_a_row=F("failures_in_a_row") + 1)


def _key(bijgewerkt: datetime.datetime | None, skiptoken: int | None) -> tuple:
    return (bijgewerkt or _EARLIEST, skiptoken if skiptoken is not None else -1)


def page_apply(category: str, page: FeedPage, *, expected_skiptoken: int | None,
               now: datetime.datetime | None = None) -> _Applied | None:
    """Apply one parsed page and move the cursor to its last entry, in one transaction; None
    (nothing done) when the cursor is no longer at ``expected_skiptoken``."""
    spec = SPECS[category]
    model = spec.model
    now = now or timezone.now()
    entries = page.entries
    with transaction.atomic():
        cursor = FeedCursor.objects.select_for_update().get(category=category)
        if cursor.skiptoken != expected_skiptoken:
            return None
        winners: dict = {}
        for entry in entries:
            current = winners.get(entry.guid)
            if current is None or _key(entry.entity.bijgewerkt, entry.skiptoken) >= _key(
                    current.entity.bijgewerkt, current.skiptoken):
                winners[entry.guid] = entry
        stored_keys = {guid: _key(bijgewerkt, skiptoken) for guid, bijgewerkt, skiptoken in
                       model.objects.filter(guid__in=list(winners)).values_list("guid", "bijgewerkt", "skiptoken")}
        unseen = [guid for guid, entry in winners.items() if guid not in stored_keys and not entry.entity.deleted]
        # A tombstone applied earlier keeps an older version that arrives later from coming back.
        for guid, bijgewerkt, skiptoken in RawEntry.objects.filter(
                category=category, guid__in=unseen, deleted=True).values_list("guid", "bijgewerkt", "skiptoken"):
            stored_keys[guid] = max(stored_keys.get(guid, _key(None, None)), _key(bijgewerkt, skiptoken))
        upserts, deletes, outcome = [], [], {}
        for guid, entry in winners.items():
            if guid in stored_keys and stored_keys[guid] > _key(entry.entity.bijgewerkt, entry.skiptoken):
                outcome[entry.skiptoken] = RawEntry.Outcome.IGNORED
            elif entry.entity.deleted:
                deletes.append(guid)
                outcome[entry.skiptoken] = RawEntry.Outcome.DELETED
            else:
                upserts.append(entry)
                outcome[entry.skiptoken] = RawEntry.Outcome.STORED
        touched = [entry.guid for entry in upserts] + deletes
        if touched:
            Link.objects.filter(source_guid__in=touched).delete()
        if deletes:
            _delete_files(model, deletes)
            model.objects.filter(guid__in=deletes).delete()
        if upserts:
            model.objects.bulk_create(
                [_instance(spec, entry, now) for entry in upserts], batch_size=500,
                update_conflicts=True, unique_fields=["guid"], update_fields=spec.update_columns)
            Link.objects.bulk_create([
                Link(source_category=category, source_guid=entry.guid, relation=relation, target_guid=target,
                     position=position)
                for entry in upserts for relation, position, target in spec.links(entry.entity)
            ], batch_size=1000)
            if model is Document:
                _drop_outdated_files([entry.guid for entry in upserts])
        RawEntry.objects.bulk_create([_raw(category, entry, outcome.get(entry.skiptoken, RawEntry.Outcome.IGNORED),
                                           now) for entry in entries], batch_size=500, ignore_conflicts=True)
        cursor.skiptoken = entries[-1].skiptoken
        cursor.pages_applied += 1
        cursor.entries_applied += len(entries)
        cursor.last_advanced_at = cursor.last_success_at = now
        cursor.failures_in_a_row = 0
        cursor.save(update_fields=["skiptoken", "pages_applied", "entries_applied", "last_advanced_at",
                                   "last_success_at", "failures_in_a_row"])
        stored = [str(entry.guid) for entry in upserts]
        deleted = [str(guid) for guid in deletes]
        transaction.on_commit(partial(_announce, category, stored, deleted))
    ignored = sum(1 for value in outcome.values() if value == RawEntry.Outcome.IGNORED) + len(entries) - len(winners)
    return _Applied(skiptoken=entries[-1].skiptoken, entries=len(entries), stored=stored, deleted=deleted,
                    ignored=ignored)


def _instance(spec, entry: FeedEntry, now: datetime.datetime):
    values = spec.columns(entry.entity)
    if spec.model is Document:
        values["enclosure_url"] = entry.enclosure_url
    data = entry.entity.as_data()
    if entry.enclosure_url:
        data["enclosure"] = entry.enclosure_url
    return spec.model(guid=entry.guid, skiptoken=entry.skiptoken, bijgewerkt=entry.entity.bijgewerkt,
                      feed_updated=entry.updated, data=data, synced_at=now, is_demo=False, **values)


def _raw(category: str, entry: FeedEntry, outcome: str, now: datetime.datetime) -> RawEntry:
    return RawEntry(category=category, skiptoken=entry.skiptoken, guid=entry.guid, deleted=entry.entity.deleted,
                    bijgewerkt=entry.entity.bijgewerkt, feed_updated=entry.updated,
                    enclosure_url=entry.enclosure_url, xml=entry.xml, outcome=outcome, received_at=now)


def _announce(category: str, stored: list[str], deleted: list[str]) -> None:
    for receiver, response in entities_applied.send_robust(sender=SPECS[category].model, category=category,
                                                           guids=stored, deleted=deleted):
        if isinstance(response, Exception):
            logger.error("parliament: a receiver of entities_applied failed (%s): %r", receiver, response,
                         exc_info=(type(response), response, response.__traceback__))


def _delete_files(model, guids: list) -> None:
    if model is not Document:
        return
    names = list(Document.objects.filter(guid__in=guids).exclude(file="").values_list("file", flat=True))
    if names:
        transaction.on_commit(partial(_remove_stored_files, names))


def _drop_outdated_files(guids: list) -> None:
    """A document whose entry changed its size no longer matches the file fetched before: drop the file."""
    rows = list(Document.objects.filter(guid__in=guids).exclude(file="").values_list("guid", "file",
                                                                                     "content_length"))
    stale = [(guid, name) for guid, name, length in rows if length is None or _stored_size(name) != length]
    if stale:
        Document.objects.filter(guid__in=[guid for guid, _name in stale]).update(file="", file_fetched_at=None)
        transaction.on_commit(partial(_remove_stored_files, [name for _guid, name in stale]))


def _stored_size(name: str) -> int | None:
    try:
        return default_storage.size(name)
    except OSError:
        return None


def _remove_stored_files(names: list[str]) -> None:
    for name in names:
        try:
            default_storage.delete(name)
        except OSError:
            logger.warning("parliament: could not delete the stored file %s", name)


# --- files on request --------------------------------------------------------------------------

class DocumentFileRefused(Refused):
    default_code = "document_file_refused"


def document_file_fetch(document: Document) -> Document:
    """Fetch and store a document's file (its enclosure), once: the body must be exactly
    ``contentLength`` bytes (and at most ``STEDENNET_TK_MAX_FILE_BYTES``), of the content type
    the entry declares, one of ``FILE_TYPES``, and look like that type. ``DocumentFileRefused``
    (code ``no_enclosure``, ``not_allowed_origin``, ``type_not_allowed``, ``too_large``,
    ``size_mismatch``, ``type_mismatch``, ``content_mismatch`` or ``fetch_failed``) otherwise."""
    if document.file and document.content_length is not None and _stored_size(document.file.name) == \
            document.content_length:
        return document
    url = document.enclosure_url
    if not url:
        raise DocumentFileRefused(_("This document has no file."), "no_enclosure")
    if not client.same_origin(url, conf.feed_url()):
        raise DocumentFileRefused(_("The document's file is not on the feed's server."), "not_allowed_origin")
    declared = (document.content_type or "").split(";")[0].strip().lower()
    extension = FILE_TYPES.get(declared)
    if extension is None:
        raise DocumentFileRefused(_("Files of type %(type)s are not fetched.") % {"type": declared or "?"},
                                  "type_not_allowed")
    length = document.content_length
    limit = conf.max_file_bytes()
    if length is None or length <= 0:
        raise DocumentFileRefused(_("The document's size is not known."), "size_mismatch")
    if length > limit:
        raise DocumentFileRefused(_("The document's file is larger than %(limit)s MB.")
                                  % {"limit": limit // (1024 * 1024)}, "too_large")
    try:
        received_type, body, size = client.download(url, limit=length)
    except client.FetchProblem as problem:
        if problem.kind == FailureKind.TOO_LARGE:
            raise DocumentFileRefused(_("The file is larger than the %(size)s bytes the feed declares.")
                                      % {"size": length}, "size_mismatch") from None
        raise DocumentFileRefused(_("The file could not be fetched: %(reason)s") % {"reason": problem.message},
                                  "fetch_failed") from None
    with body:
        if size != length:
            raise DocumentFileRefused(_("The file has %(got)s bytes, the feed declares %(size)s.")
                                      % {"got": size, "size": length}, "size_mismatch")
        if received_type.lower() != declared:
            raise DocumentFileRefused(_("The server sent %(got)s, the feed declares %(type)s.")
                                      % {"got": received_type, "type": declared}, "type_mismatch")
        if not _looks_like(body, extension):
            raise DocumentFileRefused(_("The file's content is not %(type)s.") % {"type": extension.upper()},
                                      "content_mismatch")
        body.seek(0)
        old = document.file.name if document.file else ""
        name = default_storage.save(f"parliament/documents/{document.guid}.{extension}", File(body))
    Document.objects.filter(pk=document.pk).update(file=name, file_fetched_at=timezone.now())
    if old and old != name:
        _remove_stored_files([old])
    document.refresh_from_db(fields=["file", "file_fetched_at"])
    return document


def _looks_like(body, extension: str) -> bool:
    """A first look at the bytes: a PDF starts with ``%PDF-``, the office formats are zip files,
    text has no NUL byte."""
    body.seek(0)
    head = body.read(8)
    body.seek(0)
    if extension == "pdf":
        return head.startswith(b"%PDF-")
    if extension in ("docx", "xlsx", "pptx", "odt", "ods", "odp"):
        return head.startswith(b"PK\x03\x04")
    while chunk := body.read(client.CHUNK):
        if b"\x00" in chunk:
            return False
    return True


# --- background runs ---------------------------------------------------------------------------

def _schedule(lock: bool = False) -> SyncSchedule:
    schedules = SyncSchedule.objects.select_for_update() if lock else SyncSchedule.objects
    schedule = schedules.order_by("pk").first()
    return schedule or SyncSchedule.objects.create()


def _enqueue(run_after: datetime.datetime | None = None, **kwargs) -> bool:
    from stedennet.parliament.tasks import parliament_sync_task

    task = parliament_sync_task
    try:
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return False
            task = task.using(run_after=run_after)
        task.enqueue(**kwargs)
    except Exception:
        logger.exception("parliament: could not enqueue a sync")
        return False
    return True


def sync_request(*, user=None, categories: list[str] | None = None) -> SyncSchedule:
    """"Sync now": a background sync of every category (or these) after the commit; recorded
    in the schedule and the audit log."""
    with transaction.atomic():
        schedule = _schedule(lock=True)
        schedule.requested_at = timezone.now()
        schedule.save(update_fields=["requested_at"])
        log(instance=schedule, action=SYNC_REQUESTED, user=user)
        transaction.on_commit(partial(_enqueue, categories=categories or None))
    return schedule


def sync_schedule_start() -> uuid.UUID:
    """Start (or restart) the periodic sync: a new chain of background tasks, the first one now;
    the tasks of an older chain end without a successor."""
    with transaction.atomic():
        schedule = _schedule(lock=True)
        schedule.chain = uuid.uuid4()
        schedule.next_run_at = timezone.now()
        schedule.save(update_fields=["chain", "next_run_at"])
        transaction.on_commit(partial(_enqueue, chain=str(schedule.chain)))
    return schedule.chain


def sync_schedule_next(chain: str, *, more: bool) -> datetime.datetime | None:
    """After a periodic run: enqueue the next one of ``chain`` (soon if the run stopped before
    the end of the feed, else after the interval), if that chain is still the live one and the
    task backend can defer; the time of the next run, or None."""
    with transaction.atomic():
        schedule = _schedule(lock=True)
        if schedule.chain is None or str(schedule.chain) != str(chain):
            return None
        run_after = timezone.now() + (datetime.timedelta(seconds=CATCH_UP_DELAY) if more else conf.sync_interval())
        if not _enqueue(run_after=run_after, chain=str(chain)):
            return None
        schedule.next_run_at = run_after
        schedule.save(update_fields=["next_run_at"])
    return run_after

