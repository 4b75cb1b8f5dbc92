"""Background work for digests: send every digest that is due (``digests.digests_send``).

Scheduled from cron (``stedennet send-digests``) or enqueued: ``digests_send_task.enqueue()``;
``frequency`` is ``"daily"``, ``"weekly"`` or None for both, ``now`` an ISO 8601 time or None
for the moment the task runs. Arguments and result are plain JSON, as task backends store them.
"""

import datetime

from django.utils import timezone
from django_tasks import task

from stedennet.knowledge.digests import digests_send


def parse_now(value: str | None) -> datetime.datetime | None:
    """An ISO 8601 time; without a zone it is taken as local time (Europe/Amsterdam)."""
    if not value:
        return None
    moment = datetime.datetime.fromisoformat(value)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


@task()
def digests_send_task(frequency: str | None = None, now: str | None = None) -> dict[str, list[str]]:
    return digests_send(frequency=frequency, now=parse_now(now)).as_dict()
