"""A sync killed at any point and run again ends with the same database as an uninterrupted run.

A real ``stedennet parliament sync`` runs in a subprocess against a scratch database of the
suite's own engine (PostgreSQL on CI's PostgreSQL run, a SQLite file otherwise) and a local feed
of 2,100 generated entries (7 categories, pages of 100, later versions and tombstones mixed in).
It is killed with SIGKILL several times:

- **inside the transaction that applies a page** (PostgreSQL: the sync's session is seen in
  ``pg_stat_activity`` in a transaction writing the mirror's tables; SQLite: its write lock is
  seen held, as the project's SQLite transactions are IMMEDIATE), right after a page was served;
- **mid-download**: while the server has sent half of a page and stalls;
- at a moment chosen at random.

Each time the killed page left no trace (its cursor did not move) and the next run goes on from
the cursor. At the end, every table of the mirror (entities, links, raw entries, cursors) holds
exactly what an uninterrupted run of the same feed leaves, apart from the times of applying.
"""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

import stedennet
from stedennet.parliament.services import parliament_sync
from stedennet.parliament.tests.tkfeed import Answer, FeedServer, generated

SRC = Path(stedennet.__file__).resolve().parent.parent
COUNT = 2100
PAGE_SIZE = 100
VOLATILE = {"synced_at", "received_at", "last_attempt_at", "last_advanced_at", "last_success_at", "last_error_at", "id"}
DIGEST = """
import json, django
django.setup()
from stedennet.parliament.tests.test_resume import digest
print(json.dumps(digest()))
"""


def digest() -> dict:
    """Every row of the mirror's tables (the failure log and the schedule aside), without the
    moments of applying and the surrogate keys, in a stable order."""
    from stedennet.parliament.models import ENTITY_MODELS, FeedCursor, Link, RawEntry

    tables = {"cursor": FeedCursor.objects.order_by("category"), "link": Link.objects.order_by(
        "source_guid", "relation", "target_guid"), "raw": RawEntry.objects.order_by("category", "skiptoken")}
    tables.update({category: model.objects.order_by("guid") for category, model in ENTITY_MODELS.items()})
    return {name: [{key: str(value) for key, value in row.items() if key not in VOLATILE}
                   for row in rows.values()] for name, rows in tables.items()}


class ScratchDatabase:
    """The database the subprocess uses: on PostgreSQL the suite's own test database (this test
    commits: ``transactional_db``); on SQLite, whose test database lives in memory, a file that
    the subprocess migrates first."""

    def __init__(self, workdir: Path):
        self.workdir = workdir
        settings = connection.settings_dict
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            self.name = settings["NAME"]
            auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
            host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
            self.url = f"postgres://{auth}@{host}:{port}/{self.name}"
        else:
            self.path = workdir / "resume.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def connect(self):
        if self.vendor == "postgresql":
            import psycopg

            return psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True)
        return sqlite3.connect(self.path)

    def cursors(self) -> dict[str, int | None]:
        with self.connect() as db:
            return dict(db.execute("SELECT category, skiptoken FROM parliament_feedcursor").fetchall())

    def writing(self) -> bool:
        """The sync holds a transaction that writes the mirror's tables right now."""
        if self.vendor == "postgresql":
            with self.connect() as db:
                # A statement of a transaction block (older than the statement), or the block's first:
                # the page's cursor row locked FOR UPDATE. The cursor's own creation is not a page.
                rows = db.execute("SELECT query FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
                                  "AND backend_type = 'client backend' AND xact_start IS NOT NULL "
                                  "AND (xact_start < query_start OR query LIKE '%%FOR UPDATE%%')",
                                  [self.name]).fetchall()
            return any("parliament_" in query and not ("INSERT" in query and "parliament_feedcursor" in query)
                       for (query,) in rows)
        probe = sqlite3.connect(self.path, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError:  # "database is locked": the sync is inside its transaction
            return True
        finally:
            if probe.in_transaction:
                probe.execute("ROLLBACK")
            probe.close()
        return False


def _environment(database: ScratchDatabase) -> dict:
    return {**os.environ, "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings",
            "DATABASE_URL": database.url, "STEDENNET_SECRET_KEY": "resume-test",
            "STEDENNET_DATA_DIR": str(database.workdir), "STEDENNET_LOG_LEVEL": "ERROR", "STEDENNET_TK_TIMEOUT": "10",
            "STEDENNET_ALLOWED_HOSTS": "localhost"}


@pytest.fixture(scope="module")
def sqlite_file(tmp_path_factory):
    """A migrated SQLite file, made once for this module (only on SQLite)."""
    if connection.vendor == "postgresql":
        return None
    database = ScratchDatabase(tmp_path_factory.mktemp("resume"))
    migrated = subprocess.run([sys.executable, "-m", "stedennet", "migrate", "--no-input", "-v0"],
                              env=_environment(database), cwd=database.workdir, capture_output=True, text=True,
                              timeout=600)
    assert migrated.returncode == 0, migrated.stderr
    return database


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the suite runs on SQLite: its twin below runs")
@pytest.mark.django_db(transaction=True)
def test_a_sync_killed_anywhere_ends_as_an_uninterrupted_one_on_postgresql(settings, tmp_path):
    _killed_and_resumed(ScratchDatabase(tmp_path), settings)


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the suite runs on PostgreSQL: its twin above runs")
@pytest.mark.django_db
def test_a_sync_killed_anywhere_ends_as_an_uninterrupted_one_on_sqlite(settings, sqlite_file):
    _killed_and_resumed(sqlite_file, settings)


def _empty_the_mirror() -> None:
    from django.apps import apps

    for model in apps.get_app_config("parliament").get_models():
        model.objects.all().delete()


def _killed_and_resumed(scratch: ScratchDatabase, settings) -> None:
    server = FeedServer(page_size=PAGE_SIZE).start()
    try:
        entries = generated(COUNT)
        server.publish(*entries)
        env = {**_environment(scratch), "STEDENNET_TK_FEED_URL": server.url}
        command = [sys.executable, "-m", "stedennet", "parliament", "sync"]

        def start() -> subprocess.Popen:
            server.page_served.clear()
            return subprocess.Popen(command, env=env, cwd=scratch.workdir, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.PIPE)

        kills = []
        rng = random.Random(4)

        def kill(process: subprocess.Popen, how: str) -> None:
            served = list(server.served)
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=30)
            assert process.returncode == -signal.SIGKILL
            kills.append((how, served[-1] if served else None, scratch.cursors()))

        # 1. Three kills inside a page's transaction.
        for _round in range(3):
            process = start()
            assert server.page_served.wait(60), process.stderr.read()
            deadline = time.monotonic() + 30
            while not scratch.writing():
                assert time.monotonic() < deadline and process.poll() is None, "never caught inside a page"
            kill(process, "in transaction")
        # 2. A kill mid-download: the server has sent half a page and stalls.
        cursors = scratch.cursors()
        category = next(c for c in ("Stemming", "Toezegging", "Besluit") if cursors.get(c) is None
                        or cursors[c] < max(e.skiptoken for e in entries if e.category == c))
        body_from = cursors.get(category)
        page = server.page(category, body_from)
        from stedennet.parliament.tests.tkfeed import feed

        server.script(category, body_from, Answer(body=feed(page, category=category), stall=30))
        process = start()
        deadline = time.monotonic() + 120
        while not any(request.endswith(f"category={category}" + (f"&skiptoken={body_from}" if body_from else ""))
                      for request in server.requests[-3:]):
            assert time.monotonic() < deadline and process.poll() is None, "the stalled page was never asked for"
            time.sleep(0.01)
        time.sleep(0.2)
        kill(process, "mid-download")
        # 3. A kill at a random moment.
        process = start()
        assert server.page_served.wait(60)
        time.sleep(rng.uniform(0, 0.5))
        if process.poll() is None:
            kill(process, "random")

        # A kill inside a page left that page unapplied: the cursor is where the page was fetched
        # from. (SQLite's lock is also held for a moment by single statements between pages, and on a
        # loaded machine a PostgreSQL transaction seen open may commit before the signal lands: such a
        # kill finds the last page applied whole.) Never anything in between, and at least one kill
        # really landed inside a page.
        inside = 0
        for how, (category, fetched_from, last_served), cursors in kills:
            if how == "in transaction":
                assert cursors.get(category) in (fetched_from, last_served), (category, fetched_from, cursors)
                inside += cursors.get(category) == fetched_from
        assert inside >= 1, kills

        # Run to the end, then once more (nothing left to do).
        finished = subprocess.run(command, env=env, cwd=scratch.workdir, capture_output=True, text=True, timeout=600)
        assert finished.returncode == 0, finished.stderr
        again = subprocess.run(command, env=env, cwd=scratch.workdir, capture_output=True, text=True, timeout=600)
        assert again.returncode == 0 and " 0 entries" in again.stdout
        interrupted = subprocess.run([sys.executable, "-c", DIGEST], env=env, cwd=scratch.workdir,
                                     capture_output=True, text=True, timeout=600)
        assert interrupted.returncode == 0, interrupted.stderr
        result = json.loads(interrupted.stdout)

        # The same feed, applied here without interruption (on PostgreSQL: in the same database, emptied).
        _empty_the_mirror()
        settings.STEDENNET_TK_FEED_URL = server.url
        assert parliament_sync().ok
        expected = json.loads(json.dumps(digest()))
        assert len(result["raw"]) == COUNT == len(expected["raw"])
        for table in expected:
            assert result[table] == expected[table], table
    finally:
        server.stop()
