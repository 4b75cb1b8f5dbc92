"""Mass mailings: one message to many recipients, sent in the background, exactly once each.

``mailing_create`` stores the message and its recipients (checked; each address once) as a
``Mailing`` that is ready; ``mailing_start`` makes it sending and enqueues the task
``tasks.mailing_send_task``, which runs ``mailing_send``: one *run* that sends to every recipient
due over one SMTP connection (``bulk_smtp``), building each message from what the mailing built
once (``bulk_compose``).

**Exactly once.** Per recipient the run sends ``MAIL FROM``, ``RCPT TO``, ``DATA`` and the whole
dot-stuffed message, but not yet the final ``CRLF . CRLF``. Then it commits the recipient as
*handed over* in a short transaction of its own, and only then sends the final dot and reads the
answer: 250 → sent; 4xx (or the sender refused) → failed, retried after a back-off
(``constants.retry_delay``: 1, 2, 4 … minutes), given up after ``MAILING_MAX_ATTEMPTS``; 5xx → a
hard bounce, recorded with the server's answer and announced by the signal
``signals.recipient_bounced`` after the commit (``signals.mailing_finished`` when a run
finished the mailing). Why the commit comes before the dot: an SMTP
server takes responsibility for a message only when it has received the final dot (RFC 5321
§4.1.1.4, §6.1); a connection that ends before it ends with the message thrown away. So:

- a run killed (kill -9, a crash, the machine gone) *before* its commit leaves the recipient
  pending or failed in the database, and the server has at most an unfinished message that it
  discards: the next run sends it, once;
- a run killed *after* its commit leaves the recipient handed over: the next run finds it so and
  counts it as sent, never sending it again. The server has the whole message (the dot was sent)
  or, in the only window that remains, the run died between its commit and writing the final
  five bytes to the socket: then the message is lost, not sent twice. This design chooses "at
  most once" in that window of microseconds; "exactly once" everywhere else. The same holds for
  a connection that breaks after the dot before the answer: the recipient counts as sent, with
  the note in ``last_error``.

Committing after the answer instead would send a second message whenever a run died between the
server's 250 and the commit, and that window is as long as the server takes to answer.

The hand-over is one UPDATE by primary key in autocommit (its own transaction; the run is a
task, outside any transaction), written once per run as SQL: compiling it through the ORM for
every message would cost more than the statement. What a run learns after the hand-over (250)
is written in batches: "handed over" counts as sent already.

**One run at a time.** A run takes a lease on the mailing with one atomic
``UPDATE … WHERE status = 'sending' AND (lease_until IS NULL OR lease_until < now)`` (on
PostgreSQL the row lock makes the second of two concurrent claims see the first's lease and
update nothing; on SQLite writes are serialised) and renews it every third of the lease
(``settings.STEDENNET_MAILING_LEASE_SECONDS``, 30 by default), checked before every recipient
and again right before every hand-over, so a hand-over is only ever committed under a lease
that is still valid. A run that finds the lease held by a live run exits at once; one that
loses its lease stops (closing its connection: the unfinished message is discarded). After a
crash the lease runs out and the next run takes over: the one ``mailing_watch`` (a deferred
task every minute while the mailing is sending) enqueues once a worker runs again, or the one
``stedennet mailings resume`` (``mailings_resume``) enqueues. Even two runs
at once could not send a recipient twice: the hand-over is a conditional UPDATE from pending or
failed, which only one of them wins.

A run ends when nothing is due: the mailing is finished when nothing is left to go; with failed
recipients waiting for their back-off it releases its lease and enqueues itself for the first of
them (when the task backend can defer; otherwise ``stedennet mailings resume``, run periodically,
does). A run that cannot connect records why on the mailing and tries again after a back-off.

Public: ``BulkRecipient``, ``MailingRefused``, ``mailing_create``, ``mailing_start``,
``mailing_send``, ``mailing_watch``, ``mailings_resume``, ``mailing_transition``, ``lease_seconds``.
"""

import datetime
import logging
import os
import secrets
import socket
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.db.models import Count, Exists, F, Min, OuterRef, Q
from django.utils import timezone
from django.utils.encoding import iri_to_uri
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.mail import bulk_smtp
from stedennet.mail.bulk_compose import MailingComposer
from stedennet.mail.constants import (
    LOG_MAILING_CREATED,
    LOG_MAILING_STARTED,
    MAILING_LEASE_SECONDS,
    MAILING_MAX_ATTEMPTS,
    MAILING_TRANSITIONS,
    RECIPIENT_TO_GO,
    MailingStatus,
    RecipientStatus,
    recipient_from,
    retry_delay,
)
from stedennet.mail.models import Mailing, MailingRecipient
from stedennet.mail.signals import mailing_finished, recipient_bounced
from stedennet.web.refusals import Refused

__all__ = [
    "BulkRecipient",
    "MailingRefused",
    "lease_seconds",
    "mailing_create",
    "mailing_send",
    "mailing_start",
    "mailing_transition",
    "mailing_watch",
    "mailings_resume",
]

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000
BATCH = 500  # recipients read per query
FLIP_BATCH = 200  # answered recipients turned from handed over to sent in one UPDATE
CREATE_BATCH = 1000
URL_LENGTH = 900  # List-Unsubscribe must fit in a header line (998)
HANDED_OVER_NOTE = "handed over whole; the run ended before the server's answer, so it counts as sent"
MAILING_WATCH = datetime.timedelta(minutes=1)

_validate_email = EmailValidator()


@dataclass(frozen=True)
class BulkRecipient:
    """One recipient as the caller gives it: ``unsubscribe_url`` only for subscribers (it brings
    the List-Unsubscribe headers and the unsubscribe text); ``key`` is the caller's reference,
    given back with a bounce."""

    address: str
    name: str = ""
    unsubscribe_url: str = ""
    key: str = ""


class MailingRefused(Refused):
    """A mailing that cannot be made or started as asked; ``code`` says why."""


def lease_seconds() -> float:
    return float(getattr(settings, "STEDENNET_MAILING_LEASE_SECONDS", MAILING_LEASE_SECONDS))


# --- creating and starting -----------------------------------------------------------------------

def _one_line(value: str) -> str:
    return " ".join((value or "").split())


def _check_address(value: str, *, code: str, field: str | None = None) -> str:
    address = (value or "").strip()
    try:
        _validate_email(address)
    except ValidationError:
        raise MailingRefused(_("“%(address)s” is not an e-mail address.") % {"address": address}, code=code,
                             params={"address": address}, field=field) from None
    return address


def _check_header_address(value: str, *, code: str, field: str) -> str:
    """A From or Reply-To: an address, with or without a name ("Bureau <bureau@example.org>")."""
    value = _one_line(value)
    _check_address(parseaddr(value)[1] or value, code=code, field=field)
    return value


def _recipient_rows(recipients: Iterable[BulkRecipient]) -> list[MailingRecipient]:
    rows, seen = [], set()
    for recipient in recipients:
        address = _check_address(recipient.address, code="invalid_address", field="recipients")
        if address.lower() in seen:
            continue  # the same address twice is sent to once
        seen.add(address.lower())
        url = (recipient.unsubscribe_url or "").strip()
        if url:
            url = iri_to_uri(url)
            if (not url.startswith(("https://", "http://")) or len(url) > URL_LENGTH
                    or any(c.isspace() or c in "<>\"" for c in url)):
                raise MailingRefused(_("The unsubscribe link of %(address)s is not a web address.")
                                     % {"address": address}, code="invalid_unsubscribe_url",
                                     params={"address": address}, field="recipients")
        key = recipient.key or ""
        if len(key) > 200:
            raise MailingRefused(_("A recipient's key is longer than 200 characters."), code="invalid_key",
                                 field="recipients")
        rows.append(MailingRecipient(address=address, name=_one_line(recipient.name)[:200], unsubscribe_url=url,
                                     key=key))
    return rows


def mailing_create(*, subject: str, text: str, html: str, recipients: Iterable[BulkRecipient],
                   from_email: str | None = None, reply_to: str = "", list_id: str = "",
                   unsubscribe_text: str = "", unsubscribe_html: str = "", source=None, user=None) -> Mailing:
    """Store a mailing, ready to be started, with its recipients (each address once, the first
    spelling kept). Refuses (``MailingRefused``): ``no_recipients``, ``invalid_address`` (params:
    the address), ``invalid_unsubscribe_url``, ``invalid_key``, ``no_subject``, ``no_text``,
    ``invalid_from``, ``invalid_reply_to``, ``invalid_list_id``. Nothing is sent."""
    subject = _one_line(subject)
    if not subject:
        raise MailingRefused(_("A mailing needs a subject."), code="no_subject", field="subject")
    if not (text or "").strip() and not (html or "").strip():
        raise MailingRefused(_("A mailing needs a text."), code="no_text", field="text")
    from_email = _check_header_address(from_email or settings.DEFAULT_FROM_EMAIL, code="invalid_from",
                                       field="from_email")
    reply_to = _check_header_address(reply_to, code="invalid_reply_to", field="reply_to") if reply_to else ""
    list_id = _one_line(list_id)
    if list_id and (not list_id.isascii() or len(list_id) > 255):
        raise MailingRefused(_("A List-Id is plain ASCII, at most 255 characters."), code="invalid_list_id",
                             field="list_id")
    rows = _recipient_rows(recipients)
    if not rows:
        raise MailingRefused(_("A mailing needs at least one recipient."), code="no_recipients", field="recipients")
    with transaction.atomic():
        mailing = Mailing.objects.create(
            subject=subject, text=text or "", html=html or "", from_email=from_email, reply_to=reply_to,
            list_id=list_id, unsubscribe_text=unsubscribe_text or "", unsubscribe_html=unsubscribe_html or "",
            source_type=ContentType.objects.get_for_model(source) if source is not None else None,
            source_id=str(source.pk) if source is not None else "",
        )
        for row in rows:
            row.mailing = mailing
        MailingRecipient.objects.bulk_create(rows, batch_size=CREATE_BATCH)
        log(instance=mailing, action=LOG_MAILING_CREATED, user=user, data={"recipients": len(rows)})
    return mailing


def mailing_transition(mailing: Mailing, status: str, *, now=None) -> Mailing:
    """Move ``mailing`` to ``status`` as ``constants.MAILING_TRANSITIONS`` allows (sending: the
    start time; finished: the end time)."""
    now = now or timezone.now()
    if status not in MAILING_TRANSITIONS[mailing.status]:
        raise MailingRefused(_("A mailing that is %(old)s cannot become %(new)s.") % {
            "old": MailingStatus(mailing.status).label, "new": MailingStatus(status).label}, code="transition")
    mailing.status = status
    if status == MailingStatus.SENDING:
        mailing.started_at = now
    elif status == MailingStatus.FINISHED:
        mailing.finished_at = now
    mailing.save(update_fields=["status", "started_at", "finished_at"])
    return mailing


def _mailing_from(status: str) -> list[str]:
    return [source for source, targets in MAILING_TRANSITIONS.items() if status in targets]


def mailing_start(mailing: Mailing, *, user=None) -> Mailing:
    """Start sending ``mailing`` in the background (after the commit). Pressing twice is
    harmless: a mailing that is sending or finished is returned as it is."""
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
        if mailing.status != MailingStatus.READY:
            return mailing
        mailing_transition(mailing, MailingStatus.SENDING)
        log(instance=mailing, action=LOG_MAILING_STARTED, user=user)
        transaction.on_commit(partial(_enqueue_send, mailing.pk))
        transaction.on_commit(partial(_enqueue_watch, mailing.pk, timezone.now() + MAILING_WATCH))
    return mailing


def _enqueue_send(pk: int, run_after: datetime.datetime | None = None) -> bool:
    from stedennet.mail.tasks import mailing_send_task

    try:
        task = mailing_send_task
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return False  # this task backend cannot wait: `stedennet mailings resume` does it when due
            task = task.using(run_after=run_after)
        task.enqueue(pk)
    except Exception:  # the mailing stays sending: `stedennet mailings resume` hands it to the worker
        logger.exception("could not enqueue the sending of mailing %s", pk)
        return False
    return True


def _enqueue_watch(pk: int, run_after: datetime.datetime) -> None:
    from stedennet.mail.tasks import mailing_watch_task

    try:
        if mailing_watch_task.get_backend().supports_defer:
            mailing_watch_task.using(run_after=run_after).enqueue(pk)
    except Exception:
        logger.exception("could not enqueue the watch over mailing %s", pk)


def mailing_watch(mailing_pk: int) -> str:
    """The watch over a sending mailing (a deferred task every ``MAILING_WATCH``, from
    ``mailing_start`` until the mailing is finished): when no run holds its lease and something
    is to be done, a run is enqueued. So a worker killed mid-run is followed, once a worker runs
    again, by a run that goes on, without ``stedennet mailings resume``."""
    if not Mailing.objects.filter(pk=mailing_pk, status=MailingStatus.SENDING).exists():
        return "done"
    resumed = mailings_resume(pks=[mailing_pk])
    _enqueue_watch(mailing_pk, timezone.now() + MAILING_WATCH)
    return "resumed" if resumed["enqueued"] else "held" if resumed["held"] else "nothing due"


def mailings_resume(*, now=None, pks=None) -> dict[str, list[int]]:
    """Hand to the worker every mailing that is sending (of ``pks``, if given), whose lease is
    free (released, or run out after a crash) and that has something to do now: recipients due,
    recipients a killed run handed over, or nothing left but finishing.
    ``{"enqueued": [...], "held": [...]}`` (held: a run's lease has not run out)."""
    now = now or timezone.now()
    recipients = MailingRecipient.objects.filter(mailing=OuterRef("pk"))
    due = Exists(recipients.filter(status__in=RECIPIENT_TO_GO).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)))
    handed_over = Exists(recipients.filter(status=RecipientStatus.HANDED_OVER))
    to_go = Exists(recipients.filter(status__in=RECIPIENT_TO_GO))
    sending = Mailing.objects.filter(status=MailingStatus.SENDING)
    if pks is not None:
        sending = sending.filter(pk__in=pks)
    free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    todo = list(sending.filter(free).filter(due | handed_over | ~to_go).order_by("pk").values_list("pk", flat=True))
    held = list(sending.exclude(free).order_by("pk").values_list("pk", flat=True))
    return {"enqueued": [pk for pk in todo if _enqueue_send(pk)], "held": held}


# --- sending -------------------------------------------------------------------------------------

def _holder() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def mailing_send(mailing_pk: int) -> dict:
    """One run: claim the mailing's lease, send to every recipient due, then finish the mailing
    or schedule the next run. What it did, for the task's result: ``outcome`` (``finished``,
    ``waiting`` for retries, ``busy``: another run holds the lease, ``lease_lost``,
    ``no_connection``, ``not_sending``) and counts per recipient outcome."""
    holder, lease = _holder(), lease_seconds()
    now = timezone.now()
    claimed = (Mailing.objects.filter(pk=mailing_pk, status=MailingStatus.SENDING)
               .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
               .update(lease_holder=holder, lease_until=now + datetime.timedelta(seconds=lease), heartbeat_at=now,
                       runs=F("runs") + 1))
    if not claimed:
        status = Mailing.objects.filter(pk=mailing_pk).values_list("status", flat=True).first()
        return {"outcome": "busy" if status == MailingStatus.SENDING else "not_sending"}
    run = _Run(Mailing.objects.get(pk=mailing_pk), holder, lease)
    try:
        run.send_due()
    except BaseException:
        run.release()  # a fault of ours or of the database: no next run scheduled; `mailings resume` retries
        raise
    return run.end()


class _Stop(Exception):
    """The run stops: its lease is lost, or no connection can be had."""

    def __init__(self, outcome: str, error: str = "") -> None:
        super().__init__(outcome)
        self.outcome, self.error = outcome, error


class _Run:
    def __init__(self, mailing: Mailing, holder: str, lease: float) -> None:
        self.mailing, self.pk, self.holder = mailing, mailing.pk, holder
        self.lease = datetime.timedelta(seconds=lease)
        self.renew_every = max(lease / 3, 0.1)
        self.renew_at = time.monotonic() + self.renew_every
        self.recipients = MailingRecipient.objects.filter(mailing_id=mailing.pk)
        self.composer = None
        self.sender = None
        self.flips: list[int] = []  # answered 250, still "handed over" in the database (counts as sent)
        self.hand_over_from = sorted(recipient_from(RecipientStatus.HANDED_OVER))
        self.sent_at = MailingRecipient._meta.get_field("sent_at")
        self.counts: Counter[str] = Counter()
        self.stop: _Stop | None = None

    # the lease
    def _renew(self) -> None:
        now = timezone.now()
        if not Mailing.objects.filter(pk=self.pk, lease_holder=self.holder).update(
                lease_until=now + self.lease, heartbeat_at=now):
            raise _Stop("lease_lost")
        self.renew_at = time.monotonic() + self.renew_every

    def _renew_if_due(self) -> None:
        if time.monotonic() >= self.renew_at:
            self._renew()

    def _flush(self) -> None:
        if self.flips:
            self.recipients.filter(pk__in=self.flips, status__in=recipient_from(RecipientStatus.SENT)).update(
                status=RecipientStatus.SENT)
            self.flips = []

    # the run
    def send_due(self) -> None:
        try:
            found = self.recipients.filter(status=RecipientStatus.HANDED_OVER).update(
                status=RecipientStatus.SENT, last_error=HANDED_OVER_NOTE)
            self.counts["handed_over_found"] = found
            if found:
                logger.warning("mailing %s: %s recipient(s) handed over by a run that ended before the answer: "
                               "counted as sent", self.pk, found)
            self.composer = MailingComposer(self.mailing)
            self.sender = bulk_smtp.sender_for_settings()
            self._connect()
            while self._pass():  # again from the start: back-offs may have run out during a long pass
                pass
        except _Stop as stop:
            self.stop = stop

    def _connect(self) -> None:
        try:
            self.sender.open()
        except bulk_smtp.ConnectFailed as error:
            raise _Stop("no_connection", str(error)) from None
        if self.mailing.connect_failures or self.mailing.last_error:
            Mailing.objects.filter(pk=self.pk).update(connect_failures=0, last_error="")
            self.mailing.connect_failures, self.mailing.last_error = 0, ""

    def _pass(self) -> int:
        """Send to every recipient due, in order; how many were tried."""
        last, tried = 0, 0
        while True:
            now = timezone.now()
            rows = list(self.recipients.filter(status__in=RECIPIENT_TO_GO, pk__gt=last)
                        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
                        .order_by("pk").values_list("pk", "address", "name", "unsubscribe_url", "attempts")[:BATCH])
            if not rows:
                return tried
            for row in rows:
                self._renew_if_due()
                self._send_one(*row)
                tried += 1
            last = rows[-1][0]

    def _send_one(self, pk: int, address: str, name: str, url: str, attempts: int) -> None:
        composer = self.composer
        message = composer.message(pk, address, name, url)
        message_id = composer.message_id(pk)
        envelope_to = composer.envelope_to(address)
        for try_ in (1, 2):  # a broken connection: once more on a new one (nothing was handed over)
            if not self.sender.connected:
                self._connect()
            try:
                attempt = self.sender.send(composer.envelope_from, envelope_to, message,
                                           partial(self._hand_over, pk, message_id))
                break
            except bulk_smtp.ConnectionLost as lost:
                if try_ == 2:
                    self._failed(pk, attempts + 1, str(lost), handed_over=False)
                    return
        if attempt.outcome == bulk_smtp.NOT_HANDED_OVER:
            if self.stop is not None:
                raise self.stop  # this run lost its lease
            return  # another run took this recipient first
        tries = attempts + 1  # the hand-over counted the attempt
        if attempt.outcome == bulk_smtp.SENT:
            self.counts["sent"] += 1
            self.flips.append(pk)
            if len(self.flips) >= FLIP_BATCH:
                self._flush()
        elif attempt.outcome == bulk_smtp.UNANSWERED:
            self.counts["sent"] += 1
            self.recipients.filter(pk=pk, status=RecipientStatus.HANDED_OVER).update(
                status=RecipientStatus.SENT, last_error=attempt.error[:ERROR_LENGTH])
        elif attempt.outcome == bulk_smtp.BOUNCED:
            self._bounced(pk, tries, attempt.error, handed_over=attempt.handed_over)
        else:
            self._failed(pk, tries, attempt.error, handed_over=attempt.handed_over)

    def _hand_over(self, pk: int, message_id: str) -> bool:
        """Commit the recipient as handed over (the attempt counted, the time of sending) before
        the final dot: one UPDATE by primary key, from pending or failed only, which is its own
        transaction (the run works in autocommit). False: another run took it first, or this
        run's lease is lost (``self.stop``)."""
        try:
            self._renew_if_due()  # so the lease is valid at the hand-over
        except _Stop:
            self.stop = _Stop("lease_lost")
            return False
        with connection.cursor() as cursor:
            cursor.execute(self.hand_over_sql, [RecipientStatus.HANDED_OVER.value, self.sent_at.get_db_prep_value(
                timezone.now(), connection), message_id, pk, *self.hand_over_from])
            return cursor.rowcount == 1

    @cached_property
    def hand_over_sql(self) -> str:
        """The hand-over's UPDATE, written once per run: the ORM's compiling would cost more than
        the statement itself, once per message."""
        meta, quote = MailingRecipient._meta, connection.ops.quote_name

        def column(name: str) -> str:
            return quote(meta.get_field(name).column)

        # Only the model's own table and column names go into the text; every value is a parameter.
        return (f"UPDATE {quote(meta.db_table)} SET {column('status')} = %s, "  # noqa: S608
                f"{column('attempts')} = {column('attempts')} + 1, {column('sent_at')} = %s, "
                f"{column('message_id')} = %s, {column('next_attempt_at')} = NULL "
                f"WHERE {column('id')} = %s AND {column('status')} IN ({', '.join(['%s'] * len(self.hand_over_from))})")

    def _failed(self, pk: int, tries: int, error: str, *, handed_over: bool) -> None:
        status = RecipientStatus.GIVEN_UP if tries >= MAILING_MAX_ATTEMPTS else RecipientStatus.FAILED
        self.counts[status] += 1
        now = timezone.now()
        rows = self.recipients.filter(pk=pk, status__in=self._sources(status, handed_over))
        rows.update(status=status, attempts=tries, last_error=error[:ERROR_LENGTH], sent_at=None,
                    next_attempt_at=now + retry_delay(tries) if status == RecipientStatus.FAILED else None)
        logger.warning("mailing %s: not sent to recipient %s (attempt %s): %s", self.pk, pk, tries, error)

    def _bounced(self, pk: int, tries: int, error: str, *, handed_over: bool) -> None:
        self.counts[RecipientStatus.BOUNCED] += 1
        rows = self.recipients.filter(pk=pk, status__in=self._sources(RecipientStatus.BOUNCED, handed_over))
        with transaction.atomic():
            if rows.update(status=RecipientStatus.BOUNCED, attempts=tries, last_error=error[:ERROR_LENGTH],
                           sent_at=None, next_attempt_at=None):
                transaction.on_commit(partial(self._announce_bounce, pk))

    @staticmethod
    def _sources(status: str, handed_over: bool) -> set[str]:
        """Where a recipient may come from to ``status``: from "handed over" after this run's hand-over,
        from the others before it."""
        sources = recipient_from(status)
        return sources & {RecipientStatus.HANDED_OVER} if handed_over else sources - {RecipientStatus.HANDED_OVER}

    def _announce_finished(self) -> None:
        mailing = Mailing.objects.get(pk=self.pk)
        for receiver, answer in mailing_finished.send_robust(sender=Mailing, mailing=mailing):
            if isinstance(answer, Exception):
                logger.error("mailing %s: the finish receiver %r failed: %r", self.pk, receiver, answer)

    def _announce_bounce(self, pk: int) -> None:
        recipient = MailingRecipient.objects.get(pk=pk)
        for receiver, answer in recipient_bounced.send_robust(sender=Mailing, mailing=self.mailing,
                                                              recipient=recipient):
            if isinstance(answer, Exception):
                logger.error("mailing %s: the bounce receiver %r failed: %r", self.pk, receiver, answer)

    def release(self) -> None:
        try:
            self._flush()
        finally:
            if self.sender is not None:
                self.sender.close()
            Mailing.objects.filter(pk=self.pk, lease_holder=self.holder).update(lease_holder="", lease_until=None)

    def end(self) -> dict:
        """Record what is left, release the lease, finish the mailing or schedule the next run."""
        self._flush()
        if self.sender is not None:
            self.sender.close()
        stop = self.stop
        outcome = stop.outcome if stop else ""
        result = {"outcome": outcome, **{str(key): count for key, count in self.counts.items()}}
        if outcome == "lease_lost":  # another run has the mailing now; it decides what follows
            logger.warning("mailing %s: the run lost its lease and stopped", self.pk)
            return result
        now = timezone.now()
        left = self.recipients.filter(status__in=RECIPIENT_TO_GO).aggregate(
            n=Count("pk"), pending=Count("pk", filter=Q(next_attempt_at__isnull=True)), next=Min("next_attempt_at"))
        mine = Mailing.objects.filter(pk=self.pk, lease_holder=self.holder)
        run_after = None
        if outcome == "no_connection":
            failures = self.mailing.connect_failures + 1
            run_after = now + retry_delay(failures)
            mine.update(connect_failures=failures, last_error=stop.error[:ERROR_LENGTH], lease_holder="",
                        lease_until=None)
            logger.error("mailing %s: no connection to the SMTP server (%s in a row), next run at %s: %s",
                         self.pk, failures, run_after, stop.error)
        elif left["n"] == 0:
            if mine.filter(status__in=_mailing_from(MailingStatus.FINISHED)).update(
                    status=MailingStatus.FINISHED, finished_at=now, lease_holder="", lease_until=None):
                transaction.on_commit(self._announce_finished)
            result["outcome"] = "finished"
        else:
            run_after = now if left["pending"] else left["next"]
            mine.update(lease_holder="", lease_until=None)
            result["outcome"] = "waiting"
        if run_after is not None:
            _enqueue_send(self.pk, max(run_after, now + datetime.timedelta(seconds=1)))
            result["next_run_at"] = run_after.isoformat()
        return result
