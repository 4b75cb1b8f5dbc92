"""The sync's status in the back office: only the bureau opens it; it shows each category's
cursor, item count, last success and last error, warns when no category advanced for a day, and
"sync now" (POST with CSRF) enqueues a background sync. Its query count does not grow with the data."""

import datetime
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from stedennet.accounts.constants import Role
from stedennet.parliament.demo import load_demo_parliament
from stedennet.parliament.models import FeedCursor, FeedFailure, SyncSchedule
from stedennet.parliament.services import parliament_sync
from stedennet.parliament.tests.tkfeed import Answer, scenario
from stedennet.web.access import ACCESS_ATTRIBUTE

pytestmark = pytest.mark.django_db
STATUS = "/admin/parliament/sync/"
NOW = "/admin/parliament/sync/now/"


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    return client


def test_the_url_names_and_the_declared_access():
    assert reverse("parliament_sync_status") == STATUS and reverse("parliament_sync_now") == NOW
    from django.urls import resolve

    for url in (STATUS, NOW):
        assert getattr(resolve(url).func, ACCESS_ATTRIBUTE, None) == f"roles:{Role.BUREAU}", url


def test_only_the_bureau_opens_the_status(back_office_login, client, make_user):
    for url in (STATUS, NOW):  # not signed in: to the back office's sign-in page
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"]
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))  # no back office at all
    assert "/inloggen/" in client.get(STATUS)["Location"]
    editor = make_user("redacteur")  # in the back office, but not the bureau
    group = Group.objects.create(name="Redactie")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    editor.groups.add(group)
    back_office_login(client, editor)
    assert client.get(STATUS).status_code == 403
    assert client.post(NOW).status_code == 403
    assert not SyncSchedule.objects.exists()
    assert "/admin/parliament/sync/" not in client.get("/admin/").content.decode()  # no menu item
    back_office_login(client, make_user("bureau", Role.BUREAU))
    assert client.get(STATUS).status_code == 200
    assert "/admin/parliament/sync/" in client.get("/admin/").content.decode()  # in the menu's data


def test_never_synced_is_stale(bureau):
    page = bureau.get(STATUS).content.decode()
    assert 'data-stale="true"' in page and 'data-never-synced="true"' in page
    assert page.count("data-category=") == 13


def test_cursor_counts_success_and_errors_per_category(bureau, feed_server):
    feed_server.publish(*scenario())
    feed_server.script("Fractie", None, *[Answer(status=503, body=b"")] * 3)
    parliament_sync(sleep=lambda seconds: None)
    page = bureau.get(STATUS).content.decode()
    assert 'data-stale="false"' in page and 'data-testid="stale-warning"' not in page
    zaak = re.search(r'<tr data-category="Zaak".*?</tr>', page, re.S).group(0)
    assert 'data-failing="false"' in zaak and ">1006<" in zaak
    assert '<td class="stedennet-num" data-testid="count">2</td>' in zaak
    fractie = re.search(r'<tr data-category="Fractie".*?</tr>', page, re.S).group(0)
    assert 'data-failing="true"' in fractie and "HTTP 503" in fractie
    assert 'data-testid="failures-in-a-row" data-count="1"' in fractie
    assert 'data-testid="failing-warning"' in page
    assert page.count("<tr>", page.index('data-testid="failures"')) == 4  # head + three attempts


def test_stale_when_no_category_advanced_for_a_day(bureau, settings):
    long_ago = timezone.now() - datetime.timedelta(hours=25)
    FeedCursor.objects.create(category="Zaak", skiptoken=5, last_advanced_at=long_ago, last_success_at=timezone.now())
    page = bureau.get(STATUS).content.decode()
    assert 'data-stale="true"' in page and 'data-never-synced="false" data-stale-hours="24"' in page
    FeedCursor.objects.create(category="Persoon", skiptoken=7,
                              last_advanced_at=timezone.now() - datetime.timedelta(hours=23))
    assert 'data-stale="false"' in bureau.get(STATUS).content.decode()
    settings.STEDENNET_TK_STALE_HOURS = 12
    assert 'data-stale-hours="12"' in bureau.get(STATUS).content.decode()


def test_sync_now_is_a_post_with_csrf_that_enqueues_a_sync(back_office_login, make_user, settings,
                                                           django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client = Client(enforce_csrf_checks=True)
    user = make_user("bureau", Role.BUREAU)
    back_office_login(client, user)
    assert client.get(NOW).status_code == 405
    assert client.post(NOW).status_code == 403  # no CSRF token
    page = client.get(STATUS).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NOW, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302 and response["Location"] == STATUS
    task = DBTaskResult.objects.get()
    assert task.task_path == "stedennet.parliament.tasks.parliament_sync_task" and task.status == "READY"
    assert SyncSchedule.objects.get().requested_at
    entry = ModelLogEntry.objects.get(action="parliament.sync_requested")
    assert entry.user_id == user.pk
    shown = client.get(STATUS)
    assert [message.level_tag for message in shown.context["messages"]] == ["success"]


def test_the_status_page_takes_the_same_queries_however_much_there_is(bureau, feed_server):
    bureau.get(STATUS)
    with CaptureQueriesContext(connection) as before:
        assert bureau.get(STATUS).status_code == 200
    load_demo_parliament()
    feed_server.publish(*scenario())
    feed_server.script("Fractie", None, *[Answer(status=503, body=b"")] * 3)
    parliament_sync(sleep=lambda seconds: None)
    FeedFailure.objects.bulk_create([FeedFailure(category="Zaak", kind="http", url="x", message=f"m{i}",
                                                 occurred_at=timezone.now()) for i in range(30)])
    with CaptureQueriesContext(connection) as after:
        response = bureau.get(STATUS)
    assert 'data-testid="demo-items"' in response.content.decode()
    assert len(after) == len(before), [q["sql"] for q in after.captured_queries]
