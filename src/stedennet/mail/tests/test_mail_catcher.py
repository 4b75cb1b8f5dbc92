"""`stedennet mail-catcher`, the demo's SMTP sink that `make run` starts: it takes mail over real
SMTP and keeps each message as a file; the outbox delivers to it."""

import email
import email.policy
import io
import os
import select
import signal
import smtplib
import subprocess
import sys
import time
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.test import TestCase

from stedennet.mail.constants import MailStatus
from stedennet.mail.models import OutgoingMail
from stedennet.mail.tests.test_outbox import PDF, closed_port

STEDENNET = Path(sys.executable).parent / "stedennet"


@pytest.fixture
def catcher(tmp_path):
    if not STEDENNET.exists():
        pytest.skip(f"{STEDENNET} is not installed (run make install)")
    port = closed_port()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings", "STEDENNET_SECRET_KEY": "catcher-test",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([str(STEDENNET), "mail-catcher", "--port", str(port), "--dir", str(tmp_path / "mail")],
                               env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines = []

    def read_line(timeout=20.0) -> str:
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        assert ready, f"mail-catcher said nothing: {process.stderr.read() if process.poll() is not None else ''}"
        line = process.stdout.readline()
        lines.append(line)
        return line

    assert "listening on 127.0.0.1:" in read_line()
    try:
        yield port, tmp_path / "mail", read_line
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0  # stops cleanly on the signal make sends


def test_the_catcher_keeps_a_message_received_over_smtp(catcher):
    port, directory, read_line = catcher
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "bureau@stedennet.invalid", "anna@example.org", "Uitnodiging"
    message.set_content("Uw link: http://127.0.0.1:8000/uitnodiging/abc/")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        refused = smtp.send_message(message, to_addrs=["anna@example.org", "bcc@example.org"])
    assert refused == {}
    announced = read_line()
    assert "anna@example.org, bcc@example.org" in announced and "Uitnodiging" in announced
    [saved] = list(directory.glob("*.eml"))
    assert str(saved) in announced
    caught = email.message_from_bytes(saved.read_bytes(), policy=email.policy.default)
    assert caught["X-Envelope-To"] == "anna@example.org, bcc@example.org"
    assert caught["Subject"] == "Uitnodiging" and "/uitnodiging/abc/" in caught.get_content()
    out = io.StringIO()
    call_command("mail_catcher", "--list", "--dir", str(directory), stdout=out)
    assert f"{saved.name}" in out.getvalue() and "Uitnodiging" in out.getvalue()
    assert "1 mail(s) caught" in out.getvalue()


def test_the_outbox_delivers_to_the_catcher_as_make_run_sets_it_up(catcher, db, settings):
    port, directory, read_line = catcher
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", port, False
    message = EmailMultiAlternatives("Factuur 2024-0001", "Bijgaand de factuur.", to=["crediteuren@almere.example"])
    message.attach("2024-0001.pdf", PDF, "application/pdf")
    with TestCase.captureOnCommitCallbacks(execute=True):
        message.send()
    assert OutgoingMail.objects.get().status == MailStatus.SENT
    read_line()
    deadline = time.monotonic() + 10
    while not list(directory.glob("*.eml")) and time.monotonic() < deadline:
        time.sleep(0.05)
    [saved] = list(directory.glob("*.eml"))
    caught = email.message_from_bytes(saved.read_bytes(), policy=email.policy.default)
    assert caught["Message-ID"] == OutgoingMail.objects.get().message_id
    assert next(caught.iter_attachments()).get_content() == PDF
