"""Background work of the mirror (django-tasks). Arguments and result are plain JSON.

- ``parliament_sync_task()``: one bounded sync run ("sync now" enqueues it);
- ``parliament_sync_task(chain=…)``: a run of the periodic sync; at its end it enqueues the next
  run of its chain (``services.sync_schedule_next``): after ``STEDENNET_TK_SYNC_INTERVAL_MINUTES``,
  or within seconds while the feed has more pages than one run takes
  (``STEDENNET_TK_PAGES_PER_TASK`` per category). ``stedennet parliament schedule`` starts a chain.
  A backend that cannot defer (the immediate one) runs no chain: use cron with
  ``stedennet parliament sync`` there.
"""

from django_tasks import task

from stedennet.parliament import conf


@task()
def parliament_sync_task(categories: list[str] | None = None, chain: str | None = None) -> dict:
    from stedennet.parliament.services import parliament_sync, sync_schedule_next

    try:
        report = parliament_sync(categories, max_pages=conf.pages_per_task())
    except Exception:
        if chain:  # an unexpected failure does not end the periodic sync: try again after the interval
            sync_schedule_next(chain, more=False)
        raise
    if chain:
        sync_schedule_next(chain, more=not report.at_end)
    return report.as_dict()


@task()
def document_file_fetch_task(guid: str) -> dict:
    """Fetch a document's file (asked for by advocacy when a dossier takes the document in).
    A refusal (too large, wrong type, …) is the result, not an error: retrying would not help."""
    from stedennet.parliament.models import Document
    from stedennet.parliament.services import DocumentFileRefused, document_file_fetch

    document = Document.objects.filter(guid=guid).first()
    if document is None:
        return {"guid": guid, "fetched": False, "code": "unknown_document"}
    try:
        document = document_file_fetch(document)
    except DocumentFileRefused as refused:
        return {"guid": guid, "fetched": False, "code": refused.code}
    return {"guid": guid, "fetched": True, "file": document.file.name}
