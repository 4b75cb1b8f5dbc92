"""The background sync: "sync now" and the periodic chain of tasks (each run bounded, the next
enqueued at its end, soon while the feed has more, else after the interval; one live chain)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from stedennet.parliament.models import FeedCursor, SyncSchedule, Zaak
from stedennet.parliament.services import sync_request, sync_schedule_start
from stedennet.parliament.tasks import parliament_sync_task
from stedennet.parliament.tests.tkfeed import scenario

pytestmark = pytest.mark.django_db
TASK = "stedennet.parliament.tasks.parliament_sync_task"


@pytest.fixture
def db_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects


def test_the_periodic_chain(db_tasks, feed_server, settings, django_capture_on_commit_callbacks):
    feed_server.publish(*scenario())
    settings.STEDENNET_TK_PAGES_PER_TASK = 1
    with django_capture_on_commit_callbacks(execute=True):
        out = io.StringIO()
        call_command("parliament", "schedule", stdout=out)
    chain = str(SyncSchedule.objects.get().chain)
    assert chain in out.getvalue()
    first = db_tasks.get()
    assert first.task_path == TASK and first.args_kwargs["kwargs"] == {"chain": chain}

    # A run takes one page per category; Zaak has two: the next run follows within seconds.
    result = parliament_sync_task.call(chain=chain)
    assert not result["at_end"] and FeedCursor.objects.get(category="Zaak").skiptoken == 1003
    soon = db_tasks.exclude(pk=first.pk).get()
    assert soon.args_kwargs["kwargs"] == {"chain": chain}
    assert soon.run_after - timezone.now() < datetime.timedelta(seconds=10)
    # Once a run reaches the end of every category: the next run after the interval.
    assert not parliament_sync_task.call(chain=chain)["at_end"]  # Zaak's second page
    assert parliament_sync_task.call(chain=chain)["at_end"]
    later = db_tasks.order_by("-enqueued_at").first()
    assert later.run_after - timezone.now() > datetime.timedelta(minutes=14)
    assert SyncSchedule.objects.get().next_run_at == later.run_after

    # A new chain: a task of the old one ends without a successor.
    with django_capture_on_commit_callbacks(execute=True):
        new_chain = sync_schedule_start()
    count = db_tasks.count()
    parliament_sync_task.call(chain=chain)
    assert db_tasks.count() == count
    parliament_sync_task.call(chain=str(new_chain))
    assert db_tasks.count() == count + 1


def test_without_deferring_the_schedule_is_refused_and_sync_now_runs_at_once(feed_server,
                                                                              django_capture_on_commit_callbacks):
    feed_server.publish(*scenario())
    with pytest.raises(CommandError, match="cannot defer"):
        call_command("parliament", "schedule")
    with django_capture_on_commit_callbacks(execute=True):
        sync_request()  # the immediate backend of the tests runs it right after the commit
    assert Zaak.objects.count() == 2
    assert parliament_sync_task.call(chain="not-the-live-one")["ok"]  # no chain, nothing enqueued


def test_load_demo_command():
    out = io.StringIO()
    call_command("parliament", "load-demo", stdout=out)
    assert "All flagged as demo data" in out.getvalue() and Zaak.objects.filter(is_demo=True).count() == 3
