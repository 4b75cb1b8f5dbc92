"""How fast does a member letter go out? A script that prints figures, not a test.

It makes a mass mailing (``stedennet.mail.bulk``) of a member letter of about 9 KB (text and
HTML, the unsubscribe link in it) to N recipients (by default 20,000; every third one a
subscriber with a one-click unsubscribe link of their own), all INVENTED addresses on
``.example`` domains, and sends it to a local SMTP server (aiosmtpd in a process of its own, on
127.0.0.1, that counts each message and throws it away). In the same run it measures:

- **plain smtplib**: the same N messages (built beforehand, not timed) sent with
  ``smtplib.SMTP.sendmail`` over one connection: what the SMTP exchange alone costs, the floor;
- **our sender**: ``mailing_start`` and a background worker (``db_worker --batch``, in this
  process, polling at once) that runs ``mailing_send``: per recipient the message built, the
  recipient committed as handed over before the final dot, the answer recorded. It prints the
  messages per second, the time from ``mailing_start`` (the bureau's "send") to the first
  message the server received, and how long making the mailing (``mailing_create``: checking and
  storing the recipients) took.

Beside each rate it prints the CPU time this process spent per message: on a busy machine the
rates vary from run to run, the CPU time much less.

    .venv/bin/python bench/letter_send.py                      # 20,000 recipients
    .venv/bin/python bench/letter_send.py --recipients 2000    # a quick check

By default it runs on a throw-away SQLite file in a temporary directory. With ``DATABASE_URL``
naming a PostgreSQL server (``postgres://postgres@127.0.0.1:5432/anything``) it creates a
throw-away database ``stedennet_bench_letters`` on that server instead, and drops it at the end;
the database named in the URL is never touched. Only 127.0.0.1 (and the server in
``DATABASE_URL``) is ever contacted.
"""

import argparse
import multiprocessing
import os
import platform
import secrets
import shutil
import smtplib
import socket
import sys
import tempfile
import time
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR / "src"))
from scratch import admin_execute, postgres_server  # noqa: E402 (bench/ is the script's folder)

DB_NAME = "stedennet_bench_letters"
BENCH_NOTE = "BENCHMARK DATA, invented"

PARAGRAPH = ("De G40 volgt het wetsvoorstel over de uitvoering van de Jeugdwet op de voet. In het bestuurlijk "
             "overleg van 12 maart is gesproken over de financiële gevolgen voor gemeenten — en over één "
             "gezamenlijke inbreng richting het ministerie.")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--recipients", type=int, default=20_000, help="recipients (default 20000)")
    parser.add_argument("--profile", action="store_true", help="profile our sender (cProfile, top 25 by own time)")
    return parser.parse_args()


# --- the SMTP server, in a process of its own ----------------------------------------------------

def _serve(port: int, count, first_at, ready) -> None:
    import asyncio

    from aiosmtpd.controller import Controller

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
                if first_at.value == 0.0:
                    first_at.value = time.time()
            return "250 OK, discarded"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    try:
        asyncio.run(asyncio.sleep(10**6))
    finally:
        controller.stop()


class SinkServer:
    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        context = multiprocessing.get_context("spawn")
        self.count = context.Value("q", 0)
        self.first_at = context.Value("d", 0.0)
        ready = context.Event()
        self.process = context.Process(target=_serve, args=(self.port, self.count, self.first_at, ready), daemon=True)
        self.process.start()
        if not ready.wait(60):
            raise RuntimeError("the SMTP server did not start")

    def reset(self) -> None:
        with self.count.get_lock():
            self.count.value = 0
            self.first_at.value = 0.0

    def stop(self) -> None:
        self.process.terminate()
        self.process.join(10)


# --- the letter --------------------------------------------------------------------------------------

def letter() -> dict:
    text = "Beste lezer,\n\n" + "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(1, 15))
    text += "\n\nMet vriendelijke groet,\nhet netwerkbureau van de G40\n\n.%%UNSUBSCRIBE%%\n"
    html = ("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Ledenbrief</title></head>"
            "<body style=\"font-family: sans-serif\"><h1>Ledenbrief Lbr. 26/001</h1>"
            + "".join(f"<h2>Onderwerp {n}</h2><p>{PARAGRAPH}</p>" for n in range(1, 15))
            + "<p>Met vriendelijke groet,<br>het netwerkbureau van de G40</p><p>%%UNSUBSCRIBE%%</p></body></html>")
    return {"subject": "Ledenbrief Lbr. 26/001 — benchmark", "text": text, "html": html,
            "from_email": "Netwerkbureau G40 <bureau@g40.example>", "list_id": "ledenbrief.g40.example",
            "unsubscribe_text": "Afmelden: %%URL%%", "unsubscribe_html": '<a href="%%URL%%">Afmelden</a>'}


def recipients(count: int):
    from stedennet.mail.bulk import BulkRecipient

    return [BulkRecipient(address=f"griffie{n}@gemeente{n % 342}.example", name=f"Griffie gemeente {n % 342}",
                          key=f"bench:{n}",
                          unsubscribe_url=f"https://g40.example/ledenbrief/afmelden/{secrets.token_urlsafe(16)}/"
                          if n % 3 == 0 else "")
            for n in range(count)]


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>9,.0f} messages/s ({count:,} in {seconds:6.2f} s)"


def wait_for_count(server: SinkServer, count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while server.count.value < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"the server received {server.count.value} of {count} messages")
        time.sleep(0.005)


def measure(args: argparse.Namespace, server: SinkServer) -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from stedennet.mail.bulk import mailing_create, mailing_start
    from stedennet.mail.bulk_compose import MailingComposer
    from stedennet.mail.models import Mailing
    from stedennet.mail.selectors import mailing_progress

    count = args.recipients
    print(f"# {count:,} recipients ({BENCH_NOTE}), every third a subscriber with an unsubscribe link; "
          f"SMTP server: aiosmtpd (discarding) in another process on 127.0.0.1:{server.port}")
    print(f"# database: {connection.vendor} ({connection.settings_dict['NAME']}); Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs")

    # 0. Making the mailing: the recipients checked and stored.
    people = recipients(count)
    started = time.perf_counter()
    mailing = mailing_create(recipients=people, **letter())
    create_seconds = time.perf_counter() - started

    # 1. Plain smtplib over one connection, the same messages built beforehand (not timed).
    composer = MailingComposer(mailing)
    rows = list(mailing.recipients.order_by("pk").values_list("pk", "address", "name", "unsubscribe_url"))
    messages = [(composer.envelope_to(address), composer.message(pk, address, name, url))
                for pk, address, name, url in rows]
    size = sum(len(message) for _to, message in messages) / len(messages)
    server.reset()
    started, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", server.port) as smtp:
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for envelope_to, message in messages:
            smtp.sendmail(composer.envelope_from, [envelope_to], message)
    plain_seconds, plain_cpu = time.perf_counter() - started, time.process_time() - cpu
    wait_for_count(server, count)
    del messages

    # 2. Our sender: "send" (mailing_start: the task enqueued after the commit), then a worker.
    server.reset()
    profile = None
    if args.profile:
        import cProfile

        profile = cProfile.Profile()
    started, started_wall, cpu = time.perf_counter(), time.time(), time.process_time()
    mailing_start(mailing)
    if profile:
        profile.enable()
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", verbosity=0)
    if profile:
        profile.disable()
    ours_seconds, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
    wait_for_count(server, count)
    first_after = server.first_at.value - started_wall
    progress = mailing_progress(Mailing.objects.get(pk=mailing.pk))
    assert progress.done and progress.sent == count, progress

    print(f"# the letter: {size / 1024:.1f} KB per message on average (multipart text + HTML, quoted-printable)")
    print(f"{'plain smtplib, one connection':<36}{rate(count, plain_seconds)}  "
          f"CPU {plain_cpu / count * 1e6:,.0f} µs/message")
    print(f"{'our sender (mailing_send)':<36}{rate(count, ours_seconds)}  CPU {ours_cpu / count * 1e6:,.0f} "
          f"µs/message; {ours_seconds / plain_seconds:.1f}x the time of plain smtplib, "
          f"{(ours_seconds - plain_seconds) / count * 1e6:,.0f} µs more per message")
    print(f"{'send → first message received':<36}{first_after * 1000:>9,.1f} ms  (mailing_start to the server's first "
          f"message; a worker polling every {1:.0f} s adds up to that)")
    print(f"{'making the mailing (mailing_create)':<36}{count / create_seconds:>9,.0f} recipients/s "
          f"({create_seconds:.2f} s)")
    print(f"# lease {getattr(settings, 'STEDENNET_MAILING_LEASE_SECONDS', 30)} s; every message committed as handed "
          f"over before its final dot, one transaction per message")
    if profile:
        import pstats

        pstats.Stats(profile).sort_stats("tottime").print_stats(25)


def main() -> None:
    args = parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="stedennet-bench-letters-"))
    url = os.environ.get("DATABASE_URL", "")
    server_urls = postgres_server(url, DB_NAME) if url else None
    if server_urls:
        admin_url, database_url = server_urls
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        admin_execute(admin_url, f'CREATE DATABASE "{DB_NAME}"')
    else:
        database_url = f"sqlite:///{work_dir / 'bench.sqlite3'}"
    smtp = SinkServer()
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings",
        "DATABASE_URL": database_url,
        "STEDENNET_DATA_DIR": str(work_dir),
        "STEDENNET_SECRET_KEY": os.environ.get("STEDENNET_SECRET_KEY") or secrets.token_urlsafe(32),
        "STEDENNET_ALLOWED_HOSTS": "localhost",
        "STEDENNET_LOG_LEVEL": "WARNING",
        "STEDENNET_TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "STEDENNET_MAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "STEDENNET_EMAIL_HOST": "127.0.0.1",
        "STEDENNET_EMAIL_PORT": str(smtp.port),
        "STEDENNET_EMAIL_TLS": "false",
    })
    try:
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"# migrated a fresh database in {time.perf_counter() - started:.1f} s")
        measure(args, smtp)
    finally:
        from django.db import connections

        connections.close_all()
        smtp.stop()
        if server_urls:
            admin_execute(server_urls[0], f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
