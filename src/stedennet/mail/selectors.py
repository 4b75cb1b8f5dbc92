"""Reading the outbox: what failed, how many per status, one mail's parts for the back office.

Public: ``failed_mails()``, ``mail_counts()``, ``outbox()``, ``mail_content(mail)``."""

import email
import email.policy
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet

from stedennet.mail.constants import MailStatus
from stedennet.mail.models import OutgoingMail

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
