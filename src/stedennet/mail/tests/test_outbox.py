"""The outbox: every mail is stored in the sender's transaction and delivered after the commit; a
mail the SMTP server does not take is recorded with the reason and retried until it is delivered,
exactly once; attachments and headers go out as they were made."""

import ast
import datetime
import email
import email.policy
import io
import socket
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from stedennet.mail.constants import MAX_ATTEMPTS, TRANSITIONS, MailStatus, retry_delay
from stedennet.mail.models import DeliveryAttempt, OutgoingMail
from stedennet.mail.selectors import failed_mails, mail_content, mail_counts
from stedennet.mail.services import MailRefused, mail_deliver, mail_retry_due, mail_retry_now, mail_transition

PDF = b"%PDF-1.7\n\x00\xff\xfe binary \r\n not text \x80\x81 %%EOF"
MAIL_DIR = Path(__file__).resolve().parent.parent


def committed():
    """The block's transaction commits (as a request or a command does): the after-commit hooks run."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def closed_port() -> int:
    with socket.socket() as probe:  # bound and closed again: nobody listens there
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dead_smtp(db, settings):
    """The outbox delivers over SMTP to a port where nothing listens."""
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    settings.EMAIL_USE_TLS = False
    return settings


def rich_message(**kwargs) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject="Factuur 2024-0001 — één bijlage", body="Geachte heer, mevrouw,\n\nBijgaand de factuur.\n",
        from_email="Netwerkbureau <bureau@stedennet.invalid>", to=["Crediteuren Almere <crediteuren@almere.example>"],
        cc=["kopie@almere.example"], bcc=["archief@stedennet.invalid"],
        headers={"List-Unsubscribe": "<https://stedennet.example/afmelden/abc/>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}, **kwargs)
    message.attach_alternative("<p>Bijgaand de <strong>factuur</strong>.</p><script>alert(1)</script>", "text/html")
    message.attach("2024-0001.pdf", PDF, "application/pdf")
    return message


# --- stored in the transaction, delivered after the commit ---------------------------------------


def test_a_rolled_back_action_leaves_no_mail_and_sends_nothing(db):
    with committed(), pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Niet verzonden", "tekst", None, ["a@example.org"])
        assert OutgoingMail.objects.count() == 1  # stored inside the action's transaction
        raise RuntimeError("the action fails after the mail was made")
    assert OutgoingMail.objects.count() == 0 and mail.outbox == []


def test_a_mail_is_delivered_only_after_the_commit(db):
    with committed() as callbacks:
        with transaction.atomic():
            assert send_mail("Welkom", "tekst", None, ["a@example.org"]) == 1
            stored = OutgoingMail.objects.get()
            assert stored.status == MailStatus.QUEUED
        assert mail.outbox == []  # nothing is sent before the commit
    assert len(callbacks) == 1
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT and stored.sent_at is not None and stored.attempts == 1
    [delivered] = mail.outbox
    assert delivered.subject == "Welkom" and delivered.to == ["a@example.org"] and delivered.body == "tekst"


# --- an SMTP server that is down ------------------------------------------------------------------


def test_an_unreachable_server_is_recorded_and_the_retry_delivers_exactly_once(dead_smtp, request):
    with committed():
        assert send_mail("Uitnodiging", "Uw link", None, ["anna@example.org"]) == 1  # the action succeeds
    stored = OutgoingMail.objects.get()
    assert stored.status == MailStatus.FAILED and stored.attempts == 1
    assert stored.last_error.startswith("ConnectionRefusedError") and "refused" in stored.last_error.lower()
    failed_at = stored.delivery_attempts.get().attempted_at
    assert stored.next_attempt_at == failed_at + retry_delay(1)
    assert list(failed_mails()) == [stored]
    assert mail_counts() == {"queued": 0, "sent": 0, "failed": 1, "given_up": 0}

    # Before the back-off has passed nothing is tried.
    assert mail_retry_due(now=failed_at + datetime.timedelta(seconds=30)) == {}

    received = request.getfixturevalue("smtp_server")  # the mail server comes up
    later = (failed_at + datetime.timedelta(minutes=2)).isoformat()
    call_command("mail_retry", "--now", later, stdout=io.StringIO())
    call_command("mail_retry", "--now", later, stdout=io.StringIO())  # a second run sends nothing
    assert [m["X-Envelope-To"] for m in received] == ["anna@example.org"]
    assert received[0]["Subject"] == "Uitnodiging" and received[0].get_content().strip() == "Uw link"
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT and stored.attempts == 2
    assert list(stored.delivery_attempts.values_list("succeeded", flat=True)) == [False, True]
    assert list(failed_mails()) == []


def test_the_command_reports_a_mail_that_failed_again(dead_smtp):
    with committed():
        send_mail("Herinnering", "tekst", None, ["a@example.org"])
    later = (timezone.now() + datetime.timedelta(minutes=5)).isoformat()
    out, err = io.StringIO(), io.StringIO()
    call_command("mail_retry", "--now", later, stdout=out, stderr=err)
    assert "0 sent, 1 failed again" in out.getvalue() and "outbox: 0 queued, 0 sent, 1 failed" in out.getvalue()
    assert "not sent: a@example.org: Herinnering: ConnectionRefusedError" in err.getvalue()
    assert OutgoingMail.objects.get().attempts == 2
    with pytest.raises(CommandError):
        call_command("mail_retry", "--now", "gisteren", stdout=io.StringIO())


def test_after_the_last_attempt_the_mail_is_given_up_kept_and_can_be_retried_by_hand(dead_smtp):
    with committed():
        send_mail("Samenvatting", "tekst", None, ["a@example.org"])
    stored = OutgoingMail.objects.get()
    while stored.status == MailStatus.FAILED:
        mail_deliver(stored.pk, now=stored.next_attempt_at)
        stored.refresh_from_db()
    assert stored.status == MailStatus.GIVEN_UP and stored.attempts == MAX_ATTEMPTS
    assert stored.next_attempt_at is None and "ConnectionRefusedError" in stored.last_error
    assert DeliveryAttempt.objects.filter(mail=stored, succeeded=False).count() == MAX_ATTEMPTS
    assert list(failed_mails()) == [stored]  # still shown to the bureau
    assert mail_retry_due(now=timezone.now() + datetime.timedelta(days=30)) == {}  # no longer automatic

    dead_smtp.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with committed():
        mail_retry_now(mail=stored)
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT and len(mail.outbox) == 1


def test_a_sent_mail_is_not_retried_and_statuses_move_only_as_the_table_says(db):
    with committed():
        send_mail("Klaar", "tekst", None, ["a@example.org"])
    stored = OutgoingMail.objects.get()
    with pytest.raises(MailRefused) as refused:
        mail_retry_now(mail=stored)
    assert refused.value.code == "sent"
    with pytest.raises(MailRefused) as refused:
        mail_transition(stored, MailStatus.FAILED, error="x")
    assert refused.value.code == "transition"
    assert TRANSITIONS[MailStatus.SENT] == frozenset()
    assert mail_deliver(stored.pk) == "skipped" and len(mail.outbox) == 1


def test_a_mail_being_sent_is_not_sent_a_second_time(db):
    from stedennet.mail.services import _claim

    with transaction.atomic():  # stored, but its after-commit delivery has not run
        send_mail("Eén keer", "tekst", None, ["a@example.org"])
    stored = OutgoingMail.objects.get()
    now = timezone.now()
    assert _claim(stored.pk, now) is not None  # a worker is sending it
    assert mail_deliver(stored.pk, now=now) == "skipped"  # a second worker leaves it alone
    assert mail_retry_due(now=now) == {}
    with pytest.raises(MailRefused) as refused:
        mail_retry_now(mail=stored, now=now)
    assert refused.value.code == "sending"
    assert mail.outbox == []


def test_the_retry_is_enqueued_for_the_database_worker(transactional_db, dead_smtp):
    """With `make run`'s task backend the failed mail is handed to db_worker for later; the worker
    delivers it once it is due. (Real commits: the worker manages its own connection.)"""
    from django_tasks_db.models import DBTaskResult

    dead_smtp.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail("Later", "tekst", None, ["a@example.org"])
    assert OutgoingMail.objects.get().status == MailStatus.QUEUED  # waiting for the worker
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    stored = OutgoingMail.objects.get()
    assert stored.status == MailStatus.FAILED and stored.attempts == 1
    retry = DBTaskResult.objects.filter(task_path="stedennet.mail.tasks.mail_deliver_task", status="READY").get()
    assert retry.run_after == stored.next_attempt_at and retry.args_kwargs["args"] == [stored.pk]

    dead_smtp.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    past = timezone.now() - datetime.timedelta(seconds=1)  # the back-off has passed
    OutgoingMail.objects.filter(pk=stored.pk).update(next_attempt_at=past)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=past)
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT and len(mail.outbox) == 1


def test_mail_retry_hands_what_a_stopped_worker_left_to_the_worker(transactional_db, settings):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_mail("Achtergebleven", "tekst", None, ["a@example.org"])
    DBTaskResult.objects.all().delete()  # its delivery task is lost (the task table was emptied)
    stored = OutgoingMail.objects.get()
    out = io.StringIO()
    call_command("mail_retry", stdout=out)
    assert "1 mail(s) due, handed to the background worker" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path="stedennet.mail.tasks.mail_deliver_task").count() == 1
    assert mail.outbox == []  # this process sent nothing: the worker does, with its own settings
    call_command("db_worker", "--batch", "--no-startup-delay", stdout=io.StringIO())
    stored.refresh_from_db()
    assert stored.status == MailStatus.SENT and len(mail.outbox) == 1


# --- what goes over the wire ------------------------------------------------------------------------


def test_attachments_headers_and_the_envelope_survive(db, smtp_server):
    with committed():
        rich_message().send()
    stored = OutgoingMail.objects.get()
    assert stored.recipients == ["Crediteuren Almere <crediteuren@almere.example>", "kopie@almere.example",
                                 "archief@stedennet.invalid"]
    [received] = smtp_server
    assert received["X-Envelope-To"] == "crediteuren@almere.example, kopie@almere.example, archief@stedennet.invalid"
    assert received["Bcc"] is None  # the blind copy is in the envelope only
    assert received["Message-ID"] == stored.message_id and received["Subject"] == stored.subject
    assert received["List-Unsubscribe"] == "<https://stedennet.example/afmelden/abc/>"
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [attachment] = received.iter_attachments()
    assert attachment.get_filename() == "2024-0001.pdf" and attachment.get_content() == PDF
    assert "<strong>factuur</strong>" in received.get_body(preferencelist=("html",)).get_content()
    # The stored bytes are what was sent: parsed, they are the same message.
    stored_message = email.message_from_bytes(bytes(stored.message), policy=email.policy.default)
    assert next(stored_message.iter_attachments()).get_content() == PDF
    assert stored_message["Date"] == received["Date"]


def test_a_retry_sends_the_very_same_message(dead_smtp, request):
    with committed():
        rich_message().send()
    stored = OutgoingMail.objects.get()
    received = request.getfixturevalue("smtp_server")
    mail_retry_due(now=stored.next_attempt_at)
    [message] = received
    assert message["Message-ID"] == stored.message_id  # not a new mail: the same one, once


def test_the_test_outbox_sees_the_message_as_it_was_made(db):
    with committed():
        rich_message(reply_to=["antwoord@stedennet.invalid"]).send()
    [delivered] = mail.outbox
    assert delivered.subject == "Factuur 2024-0001 — één bijlage"
    assert delivered.body.startswith("Geachte heer, mevrouw,")
    assert delivered.bcc == ["archief@stedennet.invalid"] and delivered.reply_to == ["antwoord@stedennet.invalid"]
    assert delivered.extra_headers["List-Unsubscribe"] == "<https://stedennet.example/afmelden/abc/>"
    assert [(a[0], a[1], a[2]) for a in delivered.attachments] == [("2024-0001.pdf", PDF, "application/pdf")]
    assert delivered.alternatives[0][1] == "text/html"


def test_mail_content_gives_the_parts(db):
    with transaction.atomic():
        rich_message().send()
    content = mail_content(OutgoingMail.objects.get())
    assert content.text.startswith("Geachte heer")
    assert "<strong>factuur</strong>" in content.html
    assert [(a.filename, a.content_type, a.size) for a in content.attachments] == [
        ("2024-0001.pdf", "application/pdf", len(PDF))]
    assert ("List-Unsubscribe", "<https://stedennet.example/afmelden/abc/>") in content.headers


def test_nothing_in_the_code_sends_around_the_outbox():
    """Every mail takes the outbox: no code of ours names a mail backend or SMTP itself."""
    package = MAIL_DIR.parent
    offenders = []
    for path in package.rglob("*.py"):
        if "tests" in path.parts or path.parent == package / "conf" or path.is_relative_to(MAIL_DIR):
            continue
        text = path.read_text(encoding="utf-8")
        if "smtplib" in text or "get_connection(backend" in text or "mail.backends." in text:
            offenders.append(str(path.relative_to(package)))
    assert offenders == []


def test_the_mail_app_stands_on_its_own():
    """``stedennet.mail`` stands on the ground floor only (``stedennet.web``: the one refusal base);
    only its back-office glue uses another app of ours (the shared bureau policy)."""
    imported = set()
    for path in MAIL_DIR.rglob("*.py"):
        if "tests" in path.parts or path.name == "wagtail_hooks.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    ours = {name for name in imported if name.startswith("stedennet.") and not name.startswith("stedennet.mail")}
    # The privacy registry (accounts.privacy, the ground of every app) is where it declares what it holds.
    assert ours == {"stedennet.web.refusals", "stedennet.accounts.privacy"}
