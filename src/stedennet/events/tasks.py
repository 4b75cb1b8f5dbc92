"""Background work of events (django-tasks): ``events_remind_task()`` sends the reminders that
are due (``services.events_remind``); scheduled from cron (``stedennet events remind``) or
enqueued. ``now`` is an ISO 8601 time or None for the moment the task runs; the result is plain
JSON, as task backends store it."""

from django_tasks import task

from stedennet.web.formats import parse_now


@task()
def events_remind_task(now: str | None = None) -> dict:
    from stedennet.events.services import events_remind

    return events_remind(parse_now(now)).as_dict()
