"""Background work for digests: send every digest that is due (``digests.digests_send``).

Scheduled from cron (``stedennet send-digests``) or enqueued: ``digests_send_task.enqueue()``;
``frequency`` is ``"daily"``, ``"weekly"`` or None for both, ``now`` an ISO 8601 time or None
for the moment the task runs. Arguments and result are plain JSON, as task backends store them.
"""

from django_tasks import task

from stedennet.knowledge.digests import digests_send
from stedennet.web.formats import parse_now


@task()
def digests_send_task(frequency: str | None = None, now: str | None = None) -> dict[str, list[str]]:
    return digests_send(frequency=frequency, now=parse_now(now)).as_dict()
