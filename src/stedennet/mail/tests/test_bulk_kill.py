"""A worker killed with SIGKILL in the middle of a mass mailing, and started again, sends the rest
and no one twice: every recipient receives exactly one message.

A real SMTP server (aiosmtpd, in this process, 3 ms per message) receives a mailing of 1,200
recipients sent by real background workers (``stedennet db_worker`` in processes of their own)
against a database file of the suite's engine (PostgreSQL: the suite's test database; SQLite: a
copy of it in a file), with a lease of 2 seconds. Each worker process starts with
``stedennet mailings resume`` (which hands the mailing to the worker once its lease is free) and
runs ``db_worker``; the processes are forked from one that loaded Django once, so starting one
takes milliseconds instead of seconds.

- The first worker is killed when the server receives the 300th ``RCPT TO``: before that
  recipient was handed over (the server discards the unfinished message).
- The second, started once the first one's lease has run out, is killed when the server has
  received the 700th message whole, before it answered: after that recipient was committed as
  handed over and its final dot sent.
- The third finishes the mailing.

At each kill the database counts as sent exactly what the server received; at the end every
recipient is sent once, with the Message-ID the database recorded.
"""

import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

import stedennet
from stedennet.mail.bulk import BulkRecipient, mailing_create, mailing_transition
from stedennet.mail.constants import MailingStatus
from stedennet.mail.tests.test_bulk import SmtpRecorder

SRC = Path(stedennet.__file__).resolve().parent.parent
COUNT = 1200
FIRST_KILL_AT_RCPT = 300
SECOND_KILL_AT_MESSAGE = 700
LEASE = 2.0
# Loads Django once; forks a worker process per line read (its pid printed): each runs
# `stedennet mailings resume` and then `stedennet db_worker`, its output in $WORKER_LOG.
FORK_SERVER = r"""
import os, signal, sys
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.db import connections
settings.STEDENNET_MAILING_LEASE_SECONDS = float(os.environ["MAILING_LEASE"])
connections.close_all()
signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # the kernel reaps the workers
print("ready", flush=True)
for _line in sys.stdin:
    log = open(os.environ["WORKER_LOG"], "ab")
    pid = os.fork()
    if pid == 0:
        os.dup2(log.fileno(), 1)
        os.dup2(log.fileno(), 2)
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        try:
            call_command("mailings", "resume")
            call_command("db_worker", "--no-startup-delay", "--interval", "0.05")
        finally:
            os._exit(0)
    log.close()
    print(pid, flush=True)
"""
MESSAGE_ID = re.compile(rb"^Message-ID: (<[^>]+>)", re.MULTILINE)


class Database:
    """What the worker processes use: PostgreSQL's test database itself, or the SQLite test
    database copied into a file. Read here with a connection of its own."""

    def __init__(self, workdir: Path) -> None:
        settings = connection.settings_dict
        self.vendor = connection.vendor
        if self.vendor == "postgresql":
            auth = settings["USER"] + (f":{settings['PASSWORD']}" if settings.get("PASSWORD") else "")
            host, port = settings.get("HOST") or "127.0.0.1", settings.get("PORT") or 5432
            self.url = f"postgres://{auth}@{host}:{port}/{settings['NAME']}"
        else:
            self.path = workdir / "mailing.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(self.path) as target:
                connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.path}"

    def query(self, sql: str, params=()) -> list:
        if self.vendor == "postgresql":
            import psycopg

            with psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True) as db:
                return db.execute(sql.replace("?", "%s"), params).fetchall()
        db = sqlite3.connect(self.path, timeout=10)
        try:
            return db.execute(sql, params).fetchall()
        finally:
            db.close()

    def statuses(self, mailing_pk: int) -> dict[str, int]:
        return dict(self.query("SELECT status, COUNT(*) FROM mail_mailingrecipient WHERE mailing_id = ? "
                               "GROUP BY status", (mailing_pk,)))

    def lease_free(self, mailing_pk: int) -> bool:
        [(until,)] = self.query("SELECT lease_until FROM mail_mailing WHERE id = ?", (mailing_pk,))
        if until is None:
            return True
        if isinstance(until, str):  # SQLite: UTC, ISO 8601
            import datetime

            until = datetime.datetime.fromisoformat(until).replace(tzinfo=datetime.UTC)
        return until < timezone.now()


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_mailing_and_restarted_sends_everyone_exactly_once(tmp_path):
    server = SmtpRecorder(delay=0.003, parse=False)
    raw_ids: dict[str, bytes] = {}
    kills = {"rcpt": None, "data": None}
    killed = {}

    def on_rcpt(count: int, address: str) -> None:
        if count == FIRST_KILL_AT_RCPT and kills["rcpt"]:
            os.kill(kills["rcpt"], signal.SIGKILL)  # the worker waits for this RCPT's answer
            killed["rcpt"] = address.lower()

    def on_data(count: int) -> None:
        if count == SECOND_KILL_AT_MESSAGE and kills["data"]:
            os.kill(kills["data"], signal.SIGKILL)  # the message is here whole; the worker waits for the answer
            killed["data"] = server.rcpts[-1]

    original = server.handle_DATA

    async def handle_DATA(srv, session, envelope):
        raw_ids[envelope.rcpt_tos[0].lower()] = MESSAGE_ID.search(envelope.content).group(1)
        return await original(srv, session, envelope)

    server.handle_DATA = handle_DATA
    server.on_rcpt, server.on_data = on_rcpt, on_data
    server.start()

    people = [BulkRecipient(address=f"lid{n}@gemeente{n % 40}.example", name=f"Lid {n}", key=f"lid:{n}",
                            unsubscribe_url=f"https://g40.example/afmelden/{n}/" if n % 3 == 0 else "")
              for n in range(COUNT)]
    mailing = mailing_create(subject="Ledenbrief Lbr. 26/001", text="Beste lezer,\n\n.Een punt.\n\n%%UNSUBSCRIBE%%\n",
                             html="<p>Beste lezer,</p><p>%%UNSUBSCRIBE%%</p>", recipients=people,
                             from_email="bureau@g40.example", unsubscribe_text="Afmelden: %%URL%%",
                             unsubscribe_html='<a href="%%URL%%">Afmelden</a>')
    mailing_transition(mailing, MailingStatus.SENDING)  # as mailing_start does; the workers' `resume` enqueues it
    database = Database(tmp_path)
    log = tmp_path / "workers.log"
    env = {**os.environ, "PYTHONPATH": str(SRC), "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings",
           "DATABASE_URL": database.url, "STEDENNET_SECRET_KEY": "kill-test", "STEDENNET_DATA_DIR": str(tmp_path),
           "STEDENNET_ALLOWED_HOSTS": "localhost", "STEDENNET_LOG_LEVEL": "WARNING",
           "STEDENNET_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
           "STEDENNET_MAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
           "STEDENNET_EMAIL_HOST": "127.0.0.1", "STEDENNET_EMAIL_PORT": str(server.port),
           "STEDENNET_EMAIL_TLS": "false", "STEDENNET_EMAIL_TIMEOUT": "10",
           "MAILING_LEASE": str(LEASE), "WORKER_LOG": str(log)}
    forks = subprocess.Popen([sys.executable, "-c", FORK_SERVER], env=env, cwd=tmp_path, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = []

    def start_worker() -> int:
        forks.stdin.write("run\n")
        forks.stdin.flush()
        pid = int(forks.stdout.readline())
        workers.append(pid)
        return pid

    def report() -> str:
        return f"workers' log:\n{log.read_text() if log.exists() else ''}"

    try:
        assert forks.stdout.readline().strip() == "ready", forks.stderr.read()

        # 1. Killed before the 300th recipient is handed over.
        kills["rcpt"] = first = start_worker()
        wait_for(lambda: not alive(first), "the first kill", timeout=60)
        assert len(server.rcpts) == FIRST_KILL_AT_RCPT - 1, report()
        statuses = database.statuses(mailing.pk)
        assert statuses.get("sent", 0) + statuses.get("handed_over", 0) == len(server.rcpts), statuses
        [(status,)] = database.query("SELECT status FROM mail_mailingrecipient WHERE address = ?", (killed["rcpt"],))
        assert status == "pending"

        # 2. Once the lease has run out: killed after the 700th message arrived whole, before its answer.
        wait_for(lambda: database.lease_free(mailing.pk), "the first lease to run out")
        kills["data"] = second = start_worker()
        wait_for(lambda: not alive(second), "the second kill", timeout=60)
        assert len(server.rcpts) == SECOND_KILL_AT_MESSAGE, report()
        statuses = database.statuses(mailing.pk)
        assert statuses.get("sent", 0) + statuses.get("handed_over", 0) == SECOND_KILL_AT_MESSAGE, statuses
        [(status,)] = database.query("SELECT status FROM mail_mailingrecipient WHERE address = ?", (killed["data"],))
        assert status == "handed_over"  # committed before the dot: it counts as sent

        # 3. The third worker finishes.
        wait_for(lambda: database.lease_free(mailing.pk), "the second lease to run out")
        third = start_worker()
        wait_for(lambda: database.query("SELECT status FROM mail_mailing WHERE id = ?", (mailing.pk,))[0][0]
                 == "finished", "the mailing to finish", timeout=60)
        os.kill(third, signal.SIGTERM)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        forks.stdin.close()
        forks.wait(timeout=30)
        server.stop()

    # Everyone exactly once, and the database says so.
    per_address = server.per_address()
    assert len(per_address) == COUNT and set(per_address.values()) == {1}, per_address.most_common(3)
    assert database.statuses(mailing.pk) == {"sent": COUNT}
    [(runs,)] = database.query("SELECT runs FROM mail_mailing WHERE id = ?", (mailing.pk,))
    assert runs == 3
    recorded = dict(database.query("SELECT address, message_id FROM mail_mailingrecipient WHERE mailing_id = ?",
                                   (mailing.pk,)))
    assert {address: message_id.encode() for address, message_id in recorded.items()} == raw_ids
    [(note,)] = database.query("SELECT last_error FROM mail_mailingrecipient WHERE address = ?", (killed["data"],))
    assert "handed over" in note

