"""Mass mailings (``stedennet.mail.bulk``): made with their recipients checked, sent in the
background over one SMTP connection to a real SMTP server (aiosmtpd), exactly once per recipient;
4xx answers retried with back-off, 5xx recorded as bounces and announced; one run at a time."""

import asyncio
import datetime
import email
import email.policy
import io
import json
import socket
import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from stedennet.mail import bulk_compose
from stedennet.mail.bulk import (
    BulkRecipient,
    MailingRefused,
    mailing_create,
    mailing_send,
    mailing_start,
    mailings_resume,
)
from stedennet.mail.bulk_smtp import dot_stuffed
from stedennet.mail.constants import MAILING_MAX_ATTEMPTS, MailingStatus, RecipientStatus, retry_delay
from stedennet.mail.models import Mailing, MailingRecipient
from stedennet.mail.selectors import mailing_progress, mailing_progress_of, mailings_for, mailings_with_progress
from stedennet.mail.signals import mailing_finished, recipient_bounced

TEXT = ("Beste lezer,\n\nDe ledenbrief — één keer.\n.Deze regel begint met een punt\n..en deze met twee\n\n"
        "%%UNSUBSCRIBE%%\n")
HTML = "<p>De <strong>ledenbrief</strong> — één keer.</p>\n<p>%%UNSUBSCRIBE%%</p>\n"
UNSUBSCRIBE_TEXT = "Afmelden: %%URL%%"
UNSUBSCRIBE_HTML = '<a href="%%URL%%">Afmelden</a>'
URL = "https://stedennet.example/ledenbrief/afmelden/abc/?a=1&b=2"


def committed():
    """The block's transaction commits (as a request does): the after-commit hooks run."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpRecorder:
    """A real SMTP server (aiosmtpd) on a free loopback port that records every message it
    accepted (``messages``: parsed; ``rcpts``: the envelope recipient of each). ``answers`` maps an
    address to a list of answers to give, one per attempt, at RCPT (``"rcpt:451 ..."``) or at the
    end of DATA (``"data:554 ..."``); ``hang_up_after_data`` drops the connection instead of
    answering the end of DATA (once per address listed); ``close_every`` answers 421 to every
    n-th MAIL FROM; ``delay`` sleeps per message before answering; ``on_data(n)`` /
    ``on_rcpt(n, address)`` are called with the count so far."""

    def __init__(self, *, delay: float = 0.0, parse: bool = True) -> None:
        self.delay, self.parse = delay, parse
        self.messages: list = []
        self.rcpts: list[str] = []
        self.answers: dict[str, list[str]] = {}
        self.hang_up_after_data: set[str] = set()
        self.close_every = 0
        self.mails = 0
        self.rcpt_count = 0
        self.connections = 0
        self.on_data = None
        self.on_rcpt = None
        self.lock = threading.Lock()
        self.port = free_port()

    def _answer(self, address: str, phase: str) -> str | None:
        queue = self.answers.get(address.lower())
        if queue and queue[0].startswith(phase + ":"):
            return queue.pop(0).split(":", 1)[1]
        return None

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.mails += 1
        if self.close_every and self.mails % self.close_every == 0:
            return "421 too many messages on one connection"
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.rcpt_count += 1
        if self.on_rcpt:
            self.on_rcpt(self.rcpt_count, address)
        answer = self._answer(address, "rcpt")
        if answer:
            return answer
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        address = envelope.rcpt_tos[0]
        answer = self._answer(address, "data")
        if answer:
            return answer
        with self.lock:
            self.rcpts.append(address.lower())
            if self.parse:
                self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            count = len(self.rcpts)
        if self.on_data:
            self.on_data(count)
        if address.lower() in self.hang_up_after_data:
            self.hang_up_after_data.discard(address.lower())
            server.transport.close()
            return "250 never read"
        if self.delay:
            await asyncio.sleep(self.delay)
        return "250 Message accepted"

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def per_address(self) -> Counter:
        return Counter(self.rcpts)


@pytest.fixture
def smtp(settings):
    """The recorder, with the mail app's delivery backend pointed at it over SMTP."""
    server = SmtpRecorder().start()
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT = (
        "127.0.0.1", server.port, False, 5)
    try:
        yield server
    finally:
        server.stop()


def recipients(count: int, *, subscribers=(), prefix="griffie") -> list[BulkRecipient]:
    return [BulkRecipient(address=f"{prefix}{n}@gemeente{n}.example", name=f"Griffie Één {n}", key=f"address:{n}",
                          unsubscribe_url=f"{URL}{n}" if n in subscribers else "")
            for n in range(count)]


def make(people=None, **kwargs) -> Mailing:
    fields = {"subject": "Ledenbrief Lbr. 26/001 — één", "text": TEXT, "html": HTML,
              "from_email": "Netwerkbureau G40 <bureau@g40.example>", "list_id": "ledenbrief.g40.example",
              "unsubscribe_text": UNSUBSCRIBE_TEXT, "unsubscribe_html": UNSUBSCRIBE_HTML}
    fields.update(kwargs)
    return mailing_create(recipients=people if people is not None else recipients(3, subscribers={1}), **fields)


def statuses(mailing) -> Counter:
    return Counter(MailingRecipient.objects.filter(mailing=mailing).values_list("status", flat=True))


# --- making a mailing --------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_mailing_without_recipients_is_refused():
    with pytest.raises(MailingRefused) as refused:
        make(people=[])
    assert refused.value.code == "no_recipients"
    assert not Mailing.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["niet-een-adres", "griffie@", "@almere.nl", "a b@almere.nl", ""])
def test_an_address_that_is_not_an_address_is_refused_and_named(address):
    with pytest.raises(MailingRefused) as refused:
        make(people=[*recipients(2), BulkRecipient(address=address)])
    assert refused.value.code == "invalid_address"
    assert refused.value.params == {"address": address.strip()}
    assert not Mailing.objects.exists() and not MailingRecipient.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("fields", "code"), [
    ({"subject": " \n "}, "no_subject"),
    ({"text": "", "html": ""}, "no_text"),
    ({"from_email": "bureau"}, "invalid_from"),
    ({"reply_to": "nee"}, "invalid_reply_to"),
    ({"list_id": "lijst <één>"}, "invalid_list_id"),
])
def test_other_refusals_by_code(fields, code):
    with pytest.raises(MailingRefused) as refused:
        make(**fields)
    assert refused.value.code == code


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "mailto:afmelden@g40.example",
                                 "https://x.example/" + "a" * 1000])
def test_an_unsubscribe_link_that_is_no_web_address_is_refused(url):
    with pytest.raises(MailingRefused) as refused:
        make(people=[BulkRecipient(address="a@b.example", unsubscribe_url=url)])
    assert refused.value.code == "invalid_unsubscribe_url"


@pytest.mark.django_db
def test_the_same_address_twice_is_kept_once_and_the_mailing_is_ready():
    people = [*recipients(2), BulkRecipient(address="GRIFFIE0@gemeente0.example", key="subscriber:9")]
    mailing = make(people=people, subject="Ledenbrief\r\nBcc: iedereen@example.org")
    assert mailing.status == MailingStatus.READY and mailing.started_at is None
    assert mailing.subject == "Ledenbrief Bcc: iedereen@example.org"  # one line: no header injection
    assert list(mailing.recipients.values_list("address", "key")) == [
        ("griffie0@gemeente0.example", "address:0"), ("griffie1@gemeente1.example", "address:1")]
    progress = mailing_progress(mailing)
    assert (progress.total, progress.sent, progress.to_go, progress.done) == (2, 0, 2, False)
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_the_source_is_kept_as_a_generic_relation(django_user_model):
    user = django_user_model.objects.create(username="bureau")
    mailing = make(source=user, user=user)
    assert Mailing.objects.get(pk=mailing.pk).source == user
    assert list(mailings_for(user)) == [mailing]
    assert list(mailings_for(django_user_model.objects.create(username="ander"))) == []


# --- the message -----------------------------------------------------------------------------------

def test_dot_stuffing_doubles_every_leading_dot_and_leaves_the_terminator_to_the_sender():
    assert dot_stuffed(b"a\r\n.b\r\n..c\r\n.\r\nd.\r\n") == b"a\r\n..b\r\n...c\r\n..\r\nd."


@pytest.mark.django_db
def test_the_parts_encoded_in_pieces_read_back_as_the_whole():
    text = "".join(f"regel {n} met één — {'x' * (n * 7 % 90)}{' ' if n % 3 else ''}\n" for n in range(60))
    text += "Afmelden? %%UNSUBSCRIBE%% dank.\n" + text
    mailing = make(text=text, html="<p>%%UNSUBSCRIBE%%</p>" + "<p>één</p>\n" * 30)
    composer = bulk_compose.MailingComposer(mailing)
    for url in ("", URL):
        raw = composer.message(7, "a@b.example", "Één", url)
        assert max(len(line) for line in raw.split(b"\r\n")) <= 78
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        snippet = f"Afmelden: {url}" if url else ""
        decoded = parsed.get_body(("plain",)).get_content().replace("\r\n", "\n")  # the wire's line ends
        assert decoded == text.replace("%%UNSUBSCRIBE%%", snippet)
        html = parsed.get_body(("html",)).get_content()
        assert ('<a href="https://stedennet.example/ledenbrief/afmelden/abc/?a=1&amp;b=2">' in html) == bool(url)


# --- sending ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_mailing_is_sent_exactly_once_with_the_right_headers_and_parts(smtp):
    mailing = make(people=[*recipients(3, subscribers={1}), BulkRecipient(address="Griffie2@gemeente2.example")],
                   reply_to="secretariaat@g40.example")
    with committed():
        started = mailing_start(mailing)
    assert started.status == MailingStatus.SENDING
    assert sorted(smtp.rcpts) == [f"griffie{n}@gemeente{n}.example" for n in range(3)]
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.FINISHED and mailing.finished_at and mailing.runs == 1
    assert mailing.lease_holder == "" and mailing.lease_until is None
    progress = mailing_progress(mailing)
    assert (progress.total, progress.sent, progress.failed, progress.bounced, progress.to_go) == (3, 3, 0, 0, 0)
    assert progress.done and progress.first_sent_at and progress.percent == 100

    by_address = dict(zip(smtp.rcpts, smtp.messages, strict=True))
    rows = {row.address: row for row in MailingRecipient.objects.filter(mailing=mailing)}
    for n in range(3):
        address = f"griffie{n}@gemeente{n}.example"
        message, row = by_address[address], rows[address]
        assert row.status == RecipientStatus.SENT and row.attempts == 1 and row.sent_at
        assert message["Message-ID"] == row.message_id and row.message_id.endswith("@g40.example>")
        assert message["To"].addresses[0].display_name == f"Griffie Één {n}"
        assert message["Subject"] == "Ledenbrief Lbr. 26/001 — één"
        assert message["From"].addresses[0].addr_spec == "bureau@g40.example"
        assert message["Reply-To"] == "secretariaat@g40.example"
        assert message["List-Id"] == "<ledenbrief.g40.example>"
        assert message["Date"] is not None and message["Precedence"] == "bulk"
        assert "Auto-Submitted" not in message
        assert message.get_content_type() == "multipart/alternative"
        assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
        text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
        html = message.get_body(("html",)).get_content().replace("\r\n", "\n")
        assert "\n.Deze regel begint met een punt\n..en deze met twee\n" in text  # dot-stuffed on the wire
        assert "één keer" in text and "<strong>ledenbrief</strong>" in html
        assert "%%" not in text and "%%" not in html
        if n == 1:  # the subscriber
            assert message["List-Unsubscribe"] == f"<{URL}1>"
            assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
            assert f"Afmelden: {URL}1" in text
            assert '<a href="https://stedennet.example/ledenbrief/afmelden/abc/?a=1&amp;b=21">Afmelden</a>' in html
        else:
            assert "List-Unsubscribe" not in message and "List-Unsubscribe-Post" not in message
            assert "Afmelden" not in text and "Afmelden" not in html


@pytest.mark.django_db
def test_pressing_start_twice_sends_once(smtp):
    finished = []

    def receiver(sender, mailing, **kwargs):
        finished.append((mailing.pk, mailing.status))

    mailing = make()
    mailing_finished.connect(receiver)
    try:
        with committed():
            mailing_start(mailing)
    finally:
        mailing_finished.disconnect(receiver)
    assert finished == [(mailing.pk, MailingStatus.FINISHED)]
    with committed():
        again = mailing_start(mailing)
    assert again.status == MailingStatus.FINISHED
    assert sorted(smtp.per_address().values()) == [1, 1, 1]
    assert Mailing.objects.get(pk=mailing.pk).runs == 1
    assert mailing_send(mailing.pk) == {"outcome": "not_sending"}  # a stray task afterwards sends nothing
    assert len(smtp.rcpts) == 3


@pytest.mark.django_db
def test_a_mailing_that_is_not_started_is_not_sent(smtp):
    mailing = make()
    assert mailing_send(mailing.pk) == {"outcome": "not_sending"}
    assert smtp.rcpts == [] and statuses(mailing) == {RecipientStatus.PENDING: 3}


@pytest.mark.django_db
def test_a_4xx_answer_is_retried_after_the_back_off_and_then_sent(smtp):
    smtp.answers = {"griffie0@gemeente0.example": ["rcpt:451 4.7.1 greylisted, try again later"],
                    "griffie2@gemeente2.example": ["data:452 4.3.1 insufficient storage"]}
    mailing = make()
    before = timezone.now()
    with committed():
        mailing_start(mailing)
    assert smtp.rcpts == ["griffie1@gemeente1.example"]
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENDING and mailing.lease_holder == ""
    failed = {row.address: row for row in MailingRecipient.objects.filter(mailing=mailing, status="failed")}
    assert set(failed) == {"griffie0@gemeente0.example", "griffie2@gemeente2.example"}
    for row in failed.values():
        assert row.attempts == 1 and row.sent_at is None
        assert before + retry_delay(1) <= row.next_attempt_at <= timezone.now() + retry_delay(1)
    assert "451" in failed["griffie0@gemeente0.example"].last_error
    assert "452" in failed["griffie2@gemeente2.example"].last_error
    progress = mailing_progress(mailing)
    assert (progress.sent, progress.to_go, progress.retrying, progress.done) == (1, 2, 2, False)

    assert mailing_send(mailing.pk)["outcome"] == "waiting"  # not due yet: nothing sent
    assert len(smtp.rcpts) == 1
    MailingRecipient.objects.filter(mailing=mailing).update(next_attempt_at=timezone.now())  # the back-off is over
    with committed():
        assert mailing_send(mailing.pk)["outcome"] == "finished"
    assert sorted(smtp.per_address().values()) == [1, 1, 1]
    assert statuses(mailing) == {RecipientStatus.SENT: 3}
    assert set(MailingRecipient.objects.filter(mailing=mailing).values_list("attempts", flat=True)) == {1, 2}
    assert mailing_progress(Mailing.objects.get(pk=mailing.pk)).done


@pytest.mark.django_db
def test_a_recipient_that_keeps_failing_is_given_up(smtp):
    smtp.answers = {"griffie0@gemeente0.example": ["rcpt:450 mailbox busy"] * MAILING_MAX_ATTEMPTS}
    mailing = make(people=recipients(1))
    with committed():
        mailing_start(mailing)
    for _attempt in range(MAILING_MAX_ATTEMPTS - 1):
        MailingRecipient.objects.filter(mailing=mailing).update(next_attempt_at=timezone.now())
        mailing_send(mailing.pk)
    row = MailingRecipient.objects.get(mailing=mailing)
    assert (row.status, row.attempts, row.next_attempt_at) == (RecipientStatus.GIVEN_UP, MAILING_MAX_ATTEMPTS, None)
    progress = mailing_progress(Mailing.objects.get(pk=mailing.pk))
    assert (progress.failed, progress.to_go, progress.done, progress.status) == (1, 0, True, MailingStatus.FINISHED)
    assert smtp.rcpts == []


@pytest.mark.django_db
def test_a_5xx_answer_is_a_bounce_recorded_and_announced_after_the_commit(smtp):
    smtp.answers = {"griffie0@gemeente0.example": ["rcpt:550 5.1.1 no such user"],
                    "griffie2@gemeente2.example": ["data:554 5.7.1 message refused"]}
    heard = []

    def receiver(sender, mailing, recipient, **kwargs):
        heard.append((sender, mailing.pk, recipient.key, recipient.address, recipient.error))

    def broken_receiver(**kwargs):
        raise RuntimeError("a receiver that fails does not stop the run")

    recipient_bounced.connect(receiver)
    recipient_bounced.connect(broken_receiver)
    try:
        mailing = make()
        with committed():
            mailing_start(mailing)
    finally:
        recipient_bounced.disconnect(receiver)
        recipient_bounced.disconnect(broken_receiver)
    assert smtp.rcpts == ["griffie1@gemeente1.example"]
    assert sorted(heard) == sorted([
        (Mailing, mailing.pk, "address:0", "griffie0@gemeente0.example", "RCPT TO: 550 5.1.1 no such user"),
        (Mailing, mailing.pk, "address:2", "griffie2@gemeente2.example", "end of DATA: 554 5.7.1 message refused"),
    ])
    assert statuses(mailing) == {RecipientStatus.BOUNCED: 2, RecipientStatus.SENT: 1}
    progress = mailing_progress(Mailing.objects.get(pk=mailing.pk))
    assert (progress.sent, progress.bounced, progress.to_go, progress.done) == (1, 2, 0, True)
    assert MailingRecipient.objects.get(key="address:2").sent_at is None


@pytest.mark.django_db
def test_a_connection_the_server_closes_is_opened_again_without_sending_twice(smtp):
    smtp.close_every = 3  # 421 to every third MAIL FROM
    mailing = make(people=recipients(10))
    with committed():
        mailing_start(mailing)
    assert sorted(smtp.per_address().values()) == [1] * 10
    assert statuses(mailing) == {RecipientStatus.SENT: 10}
    assert smtp.connections >= 4


@pytest.mark.django_db
def test_a_connection_lost_after_the_hand_over_counts_as_sent_and_is_not_sent_again(smtp):
    smtp.hang_up_after_data = {"griffie1@gemeente1.example"}
    mailing = make()
    with committed():
        mailing_start(mailing)
    assert sorted(smtp.per_address().values()) == [1, 1, 1]
    row = MailingRecipient.objects.get(mailing=mailing, address="griffie1@gemeente1.example")
    assert row.status == RecipientStatus.SENT and "handed over" in row.last_error
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.FINISHED


@pytest.mark.django_db
def test_a_recipient_found_handed_over_counts_as_sent_and_is_never_sent_again(smtp):
    other = make(people=recipients(3, prefix="raad"))
    Mailing.objects.filter(pk=other.pk).update(status=MailingStatus.SENDING, started_at=timezone.now())
    killed = MailingRecipient.objects.filter(mailing=other).order_by("pk").first()
    MailingRecipient.objects.filter(pk=killed.pk).update(status=RecipientStatus.HANDED_OVER, sent_at=timezone.now(),
                                                         attempts=1)
    assert mailing_progress(other).sent == 1  # handed over counts as sent at once
    result = mailing_send(other.pk)
    assert result["outcome"] == "finished" and result["handed_over_found"] == 1 and result["sent"] == 2
    assert killed.address not in smtp.rcpts
    assert statuses(other) == {RecipientStatus.SENT: 3}


@pytest.mark.django_db
def test_a_run_that_finds_the_lease_held_sends_nothing_and_takes_over_once_it_ran_out(smtp):
    mailing = make()
    now = timezone.now()
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=now,
                                                 lease_holder="elsewhere:1:x", lease_until=now + datetime.timedelta(60))
    assert mailing_send(mailing.pk) == {"outcome": "busy"}
    assert smtp.rcpts == [] and statuses(mailing) == {RecipientStatus.PENDING: 3}
    assert mailings_resume() == {"enqueued": [], "held": [mailing.pk]}
    Mailing.objects.filter(pk=mailing.pk).update(lease_until=now - datetime.timedelta(seconds=1))  # it died
    with committed():
        assert mailings_resume() == {"enqueued": [mailing.pk], "held": []}  # the worker (here: at once) sends it
    assert sorted(smtp.per_address().values()) == [1, 1, 1]
    assert Mailing.objects.get(pk=mailing.pk).status == MailingStatus.FINISHED
    assert mailings_resume() == {"enqueued": [], "held": []}


@pytest.mark.django_db
def test_without_a_server_nothing_is_charged_and_the_reason_is_kept(settings):
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", free_port(), 2
    mailing = make()
    with committed():
        mailing_start(mailing)
    mailing.refresh_from_db()
    assert mailing.status == MailingStatus.SENDING and mailing.connect_failures == 1
    assert "Connection refused" in mailing.last_error or "Errno" in mailing.last_error
    assert mailing.lease_holder == ""
    assert statuses(mailing) == {RecipientStatus.PENDING: 3}
    assert set(MailingRecipient.objects.values_list("attempts", flat=True)) == {0}


@pytest.mark.django_db
def test_without_an_smtp_backend_the_messages_go_to_the_delivery_backend():
    """The test settings deliver to Django's locmem outbox: what other apps' tests read."""
    mailing = make()
    with committed():
        mailing_start(mailing)
    assert sorted(message.to[0] for message in mail.outbox) == [
        f"Griffie Één {n} <griffie{n}@gemeente{n}.example>" for n in range(3)]
    assert {message.subject for message in mail.outbox} == {"Ledenbrief Lbr. 26/001 — één"}
    subscriber = next(message for message in mail.outbox if "griffie1@" in message.to[0])
    assert subscriber.extra_headers["List-Unsubscribe"] == f"<{URL}1>"
    assert "Afmelden" in subscriber.alternatives[0][0]
    assert mailing_progress(Mailing.objects.get(pk=mailing.pk)).done


@pytest.mark.django_db
def test_the_progress_is_one_query_and_the_listing_one_query_for_any_number(django_assert_num_queries):
    first = make(people=recipients(5))
    make(people=recipients(40, prefix="raad"))
    with django_assert_num_queries(1):
        progress = mailing_progress(first)
    assert (progress.total, progress.to_go, progress.percent) == (5, 5, 0)
    with django_assert_num_queries(1):
        listed = [(mailing.pk, mailing_progress_of(mailing).total) for mailing in mailings_with_progress()]
    assert sorted(total for _pk, total in listed) == [5, 40]


@pytest.mark.django_db
def test_the_mailings_command_shows_the_status_and_resumes(smtp):
    mailing = make()
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=timezone.now())
    out = io.StringIO()
    call_command("mailings", "status", "--json", stdout=out)
    [row] = json.loads(out.getvalue())
    assert (row["id"], row["status"], row["total"], row["to_go"], row["lease_until"]) == (mailing.pk, "sending", 3, 3,
                                                                                        None)
    out = io.StringIO()
    with committed():
        call_command("mailings", "resume", stdout=out)
    assert str(mailing.pk) in out.getvalue()
    assert sorted(smtp.per_address().values()) == [1, 1, 1]
    out = io.StringIO()
    call_command("mailings", "status", "--all", stdout=out)
    assert "[finished]" in out.getvalue()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="two runs at once in one process need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_second_run_while_the_first_sends_finds_the_lease_held_and_sends_nothing(smtp):
    smtp.delay = 0.02
    mailing = make(people=recipients(60))
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=timezone.now())
    results = {}

    def first():
        try:
            results["first"] = mailing_send(mailing.pk)
        finally:
            connection.close()

    thread = threading.Thread(target=first)
    thread.start()
    deadline = time.monotonic() + 20
    while len(smtp.rcpts) < 5:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert mailing_send(mailing.pk) == {"outcome": "busy"}
    thread.join(30)
    assert results["first"]["outcome"] == "finished" and results["first"]["sent"] == 60
    assert sorted(set(smtp.per_address().values())) == [1] and len(smtp.rcpts) == 60


@pytest.mark.django_db
def test_a_run_that_loses_its_lease_stops_before_the_next_hand_over(smtp, monkeypatch):
    from stedennet.mail import bulk

    renew = bulk._Run._renew
    calls = []

    def renew_and_be_overtaken(run):
        calls.append(1)
        if len(smtp.rcpts) == 2:  # another run took over (this one stalled past its lease)
            Mailing.objects.filter(pk=run.pk).update(lease_holder="elsewhere:2:y")
        renew(run)

    monkeypatch.setattr(bulk._Run, "_renew_if_due", renew_and_be_overtaken)
    mailing = make(people=recipients(5))
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=timezone.now())
    assert mailing_send(mailing.pk)["outcome"] == "lease_lost"
    assert len(smtp.rcpts) == 2
    assert statuses(mailing) == {RecipientStatus.SENT: 2, RecipientStatus.PENDING: 3}
    assert Mailing.objects.get(pk=mailing.pk).lease_holder == "elsewhere:2:y"  # left to the run that has it


@pytest.mark.django_db
def test_the_watch_starts_a_run_when_no_run_holds_the_lease(smtp):
    from stedennet.mail.bulk import mailing_watch

    mailing = make()
    now = timezone.now()
    Mailing.objects.filter(pk=mailing.pk).update(status=MailingStatus.SENDING, started_at=now,
                                                 lease_holder="killed:1:x", lease_until=now + datetime.timedelta(60))
    assert mailing_watch(mailing.pk) == "held"
    assert smtp.rcpts == []
    Mailing.objects.filter(pk=mailing.pk).update(lease_until=now - datetime.timedelta(seconds=1))
    with committed():
        assert mailing_watch(mailing.pk) == "resumed"
    assert sorted(smtp.per_address().values()) == [1, 1, 1]
    assert mailing_watch(mailing.pk) == "done"


@pytest.mark.django_db
def test_with_a_task_backend_that_can_wait_the_watch_and_the_retries_are_deferred(settings, smtp):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    smtp.answers = {"griffie0@gemeente0.example": ["rcpt:451 try later"]}
    mailing = make()
    before = timezone.now()
    with committed():
        mailing_start(mailing)
    queued = [(result.task.name, result.args, result.task.run_after) for result in default_task_backend.results]
    assert queued[0] == ("mailing_send_task", [mailing.pk], None)
    assert queued[1][:2] == ("mailing_watch_task", [mailing.pk])
    assert before + datetime.timedelta(seconds=59) < queued[1][2] < timezone.now() + datetime.timedelta(seconds=61)
    default_task_backend.clear()

    result = mailing_send(mailing.pk)  # what the worker runs
    assert result["outcome"] == "waiting" and result["sent"] == 2
    retry = MailingRecipient.objects.get(mailing=mailing, status=RecipientStatus.FAILED).next_attempt_at
    [deferred] = default_task_backend.results
    assert (deferred.task.name, deferred.args, deferred.task.run_after) == ("mailing_send_task", [mailing.pk], retry)
