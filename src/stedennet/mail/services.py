"""The outbox: every mail is stored first and delivered after the commit, in the background.

Flow: code anywhere sends through Django's mail API → ``backends.OutboxBackend`` →
``mail_store`` writes the message's exact bytes (attachments and headers included) and its
envelope as an ``OutgoingMail`` in the caller's transaction (a rolled-back action leaves no mail)
→ after the commit the task ``tasks.mail_deliver_task`` runs ``mail_deliver``: the mail is
claimed (so two workers never send it twice), handed to the real backend
``settings.STEDENNET_MAIL_DELIVERY_BACKEND`` (SMTP) and then marked sent, or failed with the
reason and a next attempt after a back-off (``constants.retry_delay``), which is enqueued as a
deferred task; after ``constants.MAX_ATTEMPTS`` it is given up, still kept and shown.
``mail_enqueue_due`` (``stedennet mail-retry``) hands whatever is due to the worker again, also
mails a stopped worker left behind, and ``mail_retry_due`` (``--here``) delivers them in the
calling process; ``mail_retry_now`` is the bureau's "retry now".

Public: ``mail_store``, ``mail_deliver``, ``mail_enqueue_due``, ``mail_retry_due``, ``mail_retry_now``,
``mail_transition`` (the only place a status changes), ``StoredMessage``, ``MailRefused``.
"""

import email
import email.policy
import logging
import re
import smtplib
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.mail.constants import CLAIM, LOG_RETRIED, MAX_ATTEMPTS, PENDING, TRANSITIONS, MailStatus, retry_delay
from stedennet.mail.models import DeliveryAttempt, OutgoingMail
from stedennet.web.refusals import Refused

__all__ = [
    "MailRefused",
    "RawMessage",
    "StoredMessage",
    "describe_error",
    "in_flight",
    "mail_deliver",
    "mail_enqueue_due",
    "mail_retry_due",
    "mail_retry_now",
    "mail_store",
    "mail_transition",
]

logger = logging.getLogger(__name__)

OUTBOX_BACKEND = "stedennet.mail.backends.OutboxBackend"
ERROR_LENGTH = 2000
# Headers that Django builds from the message's own fields; the rest are "extra headers".
_STRUCTURAL = {"content-type", "mime-version", "content-transfer-encoding", "subject", "from", "to", "cc",
               "reply-to", "bcc"}


class MailRefused(Refused):
    """A change to a mail that its status does not allow; ``code`` says which."""


# --- storing ---------------------------------------------------------------------------------

def mail_store(message) -> OutgoingMail:
    """Store one ``EmailMessage`` in the outbox (in the caller's transaction) and deliver it after
    the commit. The stored bytes are the message as it will go over the wire, Message-ID and Date
    included, so a retry sends exactly the same mail."""
    raw = message.message().as_bytes()
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    now = timezone.now()
    with transaction.atomic():  # a savepoint: a failed write leaves the caller's transaction usable
        mail = OutgoingMail.objects.create(
            from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
            recipients=list(message.recipients()),
            to=", ".join(message.to),
            subject=str(message.subject or ""),
            message_id=str(parsed.get("Message-ID", ""))[:998],
            message=raw,
            next_attempt_at=now,
        )
        transaction.on_commit(partial(_enqueue_delivery, mail.pk))
    return mail


def _enqueue_delivery(pk: int, run_after=None) -> None:
    from stedennet.mail.tasks import mail_deliver_task

    try:
        task = mail_deliver_task
        if run_after is not None:
            if not task.get_backend().supports_defer:
                return  # this task backend cannot wait: `stedennet mail-retry` sends it when due
            task = task.using(run_after=run_after)
        task.enqueue(pk)
    except Exception:  # the mail is stored and stays due: `stedennet mail-retry` delivers it
        logger.exception("could not enqueue the delivery of mail %s; it stays in the outbox", pk)


# --- the one status change ---------------------------------------------------------------------

def mail_transition(mail: OutgoingMail, status: str, *, now=None, error: str = "") -> OutgoingMail:
    """Move ``mail`` to ``status`` as ``constants.TRANSITIONS`` allows, with what goes with it:
    sent → the time; failed → the reason and the next attempt; given up → the reason;
    queued again (by hand) → due now."""
    now = now or timezone.now()
    if status not in TRANSITIONS[mail.status]:
        raise MailRefused(_("A mail that is %(old)s cannot become %(new)s.") % {
            "old": MailStatus(mail.status).label, "new": MailStatus(status).label}, code="transition")
    mail.status = status
    if status == MailStatus.SENT:
        mail.sent_at, mail.next_attempt_at = now, None
    elif status == MailStatus.FAILED:
        mail.last_error, mail.next_attempt_at = error[:ERROR_LENGTH], now + retry_delay(mail.attempts)
    elif status == MailStatus.GIVEN_UP:
        mail.last_error, mail.next_attempt_at = error[:ERROR_LENGTH], None
    else:  # queued again
        mail.next_attempt_at = now
    mail.save(update_fields=["status", "sent_at", "next_attempt_at", "last_error"])
    return mail


# --- delivering --------------------------------------------------------------------------------

def _claim(pk: int, now) -> OutgoingMail | None:
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().filter(pk=pk).first()
        if mail is None or mail.status not in PENDING:
            return None
        if mail.next_attempt_at is not None and mail.next_attempt_at > now:
            return None  # not due yet, or another worker is sending it right now
        mail.attempts += 1
        mail.next_attempt_at = now + CLAIM
        mail.save(update_fields=["attempts", "next_attempt_at"])
        return mail


def describe_error(error: BaseException) -> str:
    """The reason as an administrator reads it: the SMTP server's answer or the OS error."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{address}: {code} {_text(answer)}" for address, (code, answer)
                            in error.recipients.items())
        text = f"recipients refused: {refused}"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_text(error.smtp_error)}"
    else:
        text = str(error) or repr(error)
    return f"{type(error).__name__}: {text}"[:ERROR_LENGTH]


def _text(value) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _hand_over(mail: OutgoingMail) -> str:
    """Give the mail to the delivery backend; the reason it failed, or "" when it was accepted."""
    path = settings.STEDENNET_MAIL_DELIVERY_BACKEND
    if path == OUTBOX_BACKEND:
        return "ImproperlyConfigured: STEDENNET_MAIL_DELIVERY_BACKEND must not be the outbox itself"
    try:
        with get_connection(path, fail_silently=False) as connection:
            accepted = connection.send_messages([StoredMessage(mail)])
    except Exception as error:  # every failure is recorded; the mail waits for its next attempt
        return describe_error(error)
    return "" if accepted else "the delivery backend accepted no message"


def mail_deliver(pk: int, *, now=None) -> str:
    """One attempt to deliver mail ``pk`` if it is due; its status afterwards, or "skipped"."""
    now = now or timezone.now()
    if _claim(pk, now) is None:
        return "skipped"
    error = _hand_over(OutgoingMail.objects.get(pk=pk))
    with transaction.atomic():
        mail = OutgoingMail.objects.select_for_update().get(pk=pk)
        DeliveryAttempt.objects.create(mail=mail, attempted_at=now, succeeded=not error, error=error)
        if not error:
            mail_transition(mail, MailStatus.SENT, now=now)
        elif mail.attempts >= MAX_ATTEMPTS:
            mail_transition(mail, MailStatus.GIVEN_UP, now=now, error=error)
            logger.error("mail %s to %s given up after %s attempts: %s", pk, mail.to, mail.attempts, error)
        else:
            mail_transition(mail, MailStatus.FAILED, now=now, error=error)
            logger.warning("mail %s to %s not sent (attempt %s), retried at %s: %s", pk, mail.to,
                           mail.attempts, mail.next_attempt_at, error)
            transaction.on_commit(partial(_enqueue_delivery, pk, mail.next_attempt_at))
    return mail.status


def mail_retry_due(*, now=None) -> dict[str, int]:
    """Deliver every mail that is due at ``now``: failed ones whose back-off has passed and queued
    ones a stopped worker left behind. Counts per outcome."""
    now = now or timezone.now()
    due = (OutgoingMail.objects.filter(status__in=PENDING, next_attempt_at__lte=now)
           .order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    outcomes: dict[str, int] = {}
    for pk in list(due):
        outcome = mail_deliver(pk, now=now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes


def mail_enqueue_due(*, now=None) -> int:
    """Hand every mail that is due to the background worker (one delivery task each); how many.
    The worker sends with its own settings, so a command typed elsewhere never sends around it."""
    now = now or timezone.now()
    due = list(OutgoingMail.objects.filter(status__in=PENDING, next_attempt_at__lte=now)
               .order_by("next_attempt_at", "pk").values_list("pk", flat=True))
    for pk in due:
        _enqueue_delivery(pk)
    return len(due)


def in_flight(mail: OutgoingMail, now=None) -> bool:
    """A worker has claimed the mail and is sending it (its claim has not run out)."""
    now = now or timezone.now()
    finished = mail.delivery_attempts.count()
    return mail.attempts > finished and mail.next_attempt_at is not None and mail.next_attempt_at > now


@transaction.atomic
def mail_retry_now(*, mail: OutgoingMail, now=None, user=None) -> OutgoingMail:
    """The bureau's "retry now": a failed or given-up mail is delivered at once, in the background;
    in the audit trail, with who asked."""
    now = now or timezone.now()
    mail = OutgoingMail.objects.select_for_update().get(pk=mail.pk)
    if mail.status == MailStatus.SENT:
        raise MailRefused(_("This mail has been sent already."), code="sent")
    if in_flight(mail, now):
        raise MailRefused(_("This mail is being sent right now."), code="sending")
    if mail.status == MailStatus.GIVEN_UP:
        mail_transition(mail, MailStatus.QUEUED, now=now)
    else:
        mail.next_attempt_at = now
        mail.save(update_fields=["next_attempt_at"])
    log(instance=mail, action=LOG_RETRIED, user=user)
    transaction.on_commit(partial(_enqueue_delivery, mail.pk))
    return mail


# --- the stored message, as Django's backends expect it ---------------------------------------------

class RawMessage:
    """What ``EmailMessage.message()`` returns, for the stored bytes: backends call ``as_bytes``."""

    def __init__(self, raw: bytes) -> None:
        self.raw = raw

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return re.sub(rb"\r?\n", linesep.encode("ascii"), self.raw)

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode("ascii", "replace")

    def get_charset(self):
        return None

    def __getitem__(self, name: str):
        return email.message_from_bytes(self.raw, policy=email.policy.default)[name]


class StoredMessage(EmailMultiAlternatives):
    """An outgoing mail rebuilt from its stored bytes. Its ``message()`` is exactly those bytes and
    its recipients the stored envelope; subject, body, alternatives, attachments and extra headers
    are read back from the bytes for backends (and tests) that look at them."""

    def __init__(self, mail: OutgoingMail) -> None:
        raw = bytes(mail.message)
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        text = parsed.get_body(preferencelist=("plain",))
        html = parsed.get_body(preferencelist=("html",))
        attachments = [(part.get_filename(), part.get_content(), part.get_content_type())
                       for part in parsed.iter_attachments()]
        to, cc = _addresses(parsed, "To"), _addresses(parsed, "Cc")
        headers = {name: str(value) for name, value in parsed.items() if name.lower() not in _STRUCTURAL}
        super().__init__(
            subject=str(parsed.get("Subject", "")), body=text.get_content() if text is not None else "",
            from_email=mail.from_email, to=to, cc=cc,
            bcc=[address for address in mail.recipients if address not in to + cc],
            reply_to=_addresses(parsed, "Reply-To"), headers=headers, attachments=attachments,
            alternatives=[(html.get_content(), "text/html")] if html is not None and html is not text else None,
        )
        self.envelope_recipients = list(mail.recipients)
        self.raw = raw

    def recipients(self) -> list[str]:
        return list(self.envelope_recipients)

    def message(self, **kwargs):
        return RawMessage(self.raw)


def _addresses(parsed, header: str) -> list[str]:
    value = parsed.get(header)
    if value is None:
        return []
    return [str(address) for address in getattr(value, "addresses", ())] or [str(value)]
