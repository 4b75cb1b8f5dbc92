"""Reading the outbox: what failed, how many per status, one mail's parts for the back office.

Public: ``failed_mails()``, ``mail_counts()``, ``outbox()``, ``mail_content(mail)``; mass mailings:
``mailing_progress(mailing)``, ``mailings_with_progress()`` with ``mailing_progress_of(mailing)``,
``mailing_recipients(mailing)``, ``mailings_for(source)``."""

import email
import email.policy
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Q, QuerySet

from stedennet.mail.constants import RECIPIENT_DELIVERED, MailingStatus, MailStatus, RecipientStatus
from stedennet.mail.models import Mailing, MailingRecipient, OutgoingMail

LIST_FIELDS = ("pk", "created_at", "status", "to", "subject", "attempts", "last_error", "next_attempt_at",
               "sent_at")


def outbox() -> QuerySet[OutgoingMail]:
    """Every mail, newest first, without the message bytes (listings)."""
    return OutgoingMail.objects.only(*LIST_FIELDS).order_by("-created_at", "-pk")


def failed_mails() -> QuerySet[OutgoingMail]:
    """Mails that failed at least once and are not sent (still retrying, given up, or queued again
    by hand), newest first; ``last_error`` says why."""
    return outbox().exclude(status=MailStatus.SENT).exclude(last_error="")


def mail_counts() -> dict[str, int]:
    """The number of mails per status (every status present, 0 included), in one query."""
    counts = {status: 0 for status in MailStatus.values}
    for row in OutgoingMail.objects.order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


@dataclass
class Attachment:
    filename: str
    content_type: str
    size: int


@dataclass
class MailContent:
    headers: list[tuple[str, str]]
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)


SHOWN_HEADERS = ("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID", "List-Unsubscribe",
                 "Auto-Submitted")


def mail_content(mail: OutgoingMail) -> MailContent:
    """The stored message as a reader sees it: main headers, text part, HTML part, attachments."""
    parsed = email.message_from_bytes(bytes(mail.message), policy=email.policy.default)
    content = MailContent(headers=[(name, str(parsed[name])) for name in SHOWN_HEADERS if parsed[name] is not None])
    text = parsed.get_body(preferencelist=("plain",))
    html = parsed.get_body(preferencelist=("html",))
    if text is not None:
        content.text = text.get_content()
    if html is not None:
        content.html = html.get_content()
    for part in parsed.iter_attachments():
        payload = part.get_payload(decode=True) or b""
        content.attachments.append(Attachment(filename=part.get_filename() or "", size=len(payload),
                                              content_type=part.get_content_type()))
    return content


# --- mass mailings --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MailingProgress:
    """Where a mailing is. ``sent + bounced + failed + to_go == total``: ``sent`` counts recipients
    handed over to the SMTP server (a few may still await its answer), ``failed`` those given up,
    ``to_go`` those not yet sent, of whom ``retrying`` wait for a retry after a failure. ``done``:
    nothing left to go. ``first_sent_at``: when the first message went out."""

    total: int
    sent: int
    failed: int
    bounced: int
    to_go: int
    done: bool
    started_at: object = None
    finished_at: object = None
    first_sent_at: object = None
    retrying: int = 0
    status: str = MailingStatus.READY

    @property
    def percent(self) -> int:
        """How far along, 0 to 100 (whole percents, 100 only when done)."""
        if not self.total or self.done:
            return 100
        return min(99, (self.total - self.to_go) * 100 // self.total)


def _progress_counts(prefix: str = "") -> dict:
    def count(*statuses):
        return Count(f"{prefix}pk", filter=Q(**{f"{prefix}status__in": statuses}))

    return {
        "total": Count(f"{prefix}pk"),
        "sent_count": count(*RECIPIENT_DELIVERED),
        "bounced_count": count(RecipientStatus.BOUNCED),
        "failed_count": count(RecipientStatus.GIVEN_UP),
        "retrying": count(RecipientStatus.FAILED),
        "pending": count(RecipientStatus.PENDING),
        "first_sent_at": Min(f"{prefix}sent_at"),
    }


def _progress(mailing: Mailing, row: dict) -> MailingProgress:
    to_go = row["pending"] + row["retrying"]
    return MailingProgress(
        total=row["total"], sent=row["sent_count"], failed=row["failed_count"], bounced=row["bounced_count"],
        to_go=to_go, done=to_go == 0, started_at=mailing.started_at, finished_at=mailing.finished_at,
        first_sent_at=row["first_sent_at"], retrying=row["retrying"], status=mailing.status)


def mailing_progress(mailing: Mailing) -> MailingProgress:
    """The progress of one mailing, in one aggregate query (the mailing's own fields are read
    from the instance given: pass a fresh one for a live status)."""
    row = MailingRecipient.objects.filter(mailing_id=mailing.pk).aggregate(**_progress_counts())
    return _progress(mailing, row)


def mailings_with_progress() -> QuerySet[Mailing]:
    """Every mailing, newest first, each with its counts annotated in the same query (listings):
    ``mailing_progress_of(mailing)`` reads them."""
    return Mailing.objects.annotate(**_progress_counts("recipients__")).order_by("-created_at", "-pk")


def mailing_progress_of(mailing: Mailing) -> MailingProgress:
    """The progress of a mailing from ``mailings_with_progress()`` (no query)."""
    return _progress(mailing, {key: getattr(mailing, key) for key in _progress_counts()})


def mailing_recipients(mailing: Mailing, *, status: str | None = None) -> QuerySet[MailingRecipient]:
    """A mailing's recipients in the order they are sent, optionally only those with ``status``."""
    recipients = MailingRecipient.objects.filter(mailing_id=mailing.pk).order_by("pk")
    return recipients.filter(status=status) if status else recipients


def mailings_for(source) -> QuerySet[Mailing]:
    """The mailings made for ``source`` (the ``source`` given to ``mailing_create``), newest first."""
    return Mailing.objects.filter(source_type=ContentType.objects.get_for_model(source),
                                  source_id=str(source.pk)).order_by("-created_at", "-pk")
