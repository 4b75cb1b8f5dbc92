"""What the outbox holds on a person (see ``accounts.privacy``): the mails sent to them (exact
bytes: their name and address are in the headers) and their place in mass mailings.

On erasure a mail to them alone is deleted with its delivery attempts; a mail to them and others
loses their address from the envelope and from its bytes. A recipient of a mass mailing that has
not been handed over yet is removed; one that has keeps its status without address or name."""

import re

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import ERASE, holding_register, records
from stedennet.mail.constants import RecipientStatus
from stedennet.mail.models import DeliveryAttempt, MailingRecipient, OutgoingMail

REDACTED = "erased@invalid"


def _mails(subject):
    if not subject.emails:
        return []
    condition = Q(pk__in=[])
    for email in subject.emails:
        condition |= Q(recipients__icontains=email) | Q(to__icontains=email)
    ours = subject.emails_casefolded
    return [mail for mail in OutgoingMail.objects.filter(condition).order_by("created_at")
            if any(str(address).casefold() in ours for address in mail.recipients)
            or any(email in mail.to.casefold() for email in ours)]


def _export_mails(subject):
    return records(_mails(subject), ["created_at", "status", "to", "subject", "sent_at"])


def _redact(text: str, subject) -> str:
    for value in [*subject.emails, subject.name]:
        if value and len(value) >= 3:
            text = re.sub(re.escape(value), REDACTED if "@" in value else "", text, flags=re.IGNORECASE)
    return text


def _redact_bytes(raw: bytes, subject) -> bytes:
    for value in [*subject.emails, subject.name]:
        if value and len(value) >= 3:
            raw = re.sub(re.escape(value.encode()), (REDACTED if "@" in value else "").encode(), raw,
                         flags=re.IGNORECASE)
    return raw


def _erase_mails(subject, by) -> int:
    ours = subject.emails_casefolded
    changed = 0
    for mail in _mails(subject):
        others = [address for address in mail.recipients if str(address).casefold() not in ours]
        if not others:
            DeliveryAttempt.objects.filter(mail=mail).delete()
            mail.delete()
        else:
            mail.recipients = others
            mail.to = _redact(mail.to, subject)
            mail.message = _redact_bytes(bytes(mail.message), subject)
            mail.save(update_fields=["recipients", "to", "message"])
            DeliveryAttempt.objects.filter(mail=mail).update(error="")
        changed += 1
    return changed


def _recipients(subject):
    if not subject.emails:
        return MailingRecipient.objects.none()
    condition = Q(pk__in=[])
    for email in subject.emails:
        condition |= Q(address__iexact=email)
    return MailingRecipient.objects.filter(condition).select_related("mailing")


def _erase_recipients(subject, by) -> int:
    waiting = [RecipientStatus.PENDING, RecipientStatus.FAILED]
    removed = _recipients(subject).filter(status__in=waiting).delete()[0]
    redacted = 0
    for recipient in _recipients(subject):
        MailingRecipient.objects.filter(pk=recipient.pk).update(
            address=f"erased-{recipient.pk}@invalid", name="", unsubscribe_url="", key="", last_error="")
        redacted += 1
    return removed + redacted


holding_register(
    OutgoingMail, basis=ERASE, export=_export_mails, erase=_erase_mails,
    what=_("Mails sent to you: when, the subject, whether they were delivered."))
holding_register(
    DeliveryAttempt, basis=ERASE,
    what=_("Attempts to deliver a mail to you (they go with the mail, or lose their error text)."))
holding_register(
    MailingRecipient, basis=ERASE,
    export=lambda subject: records(_recipients(subject), ["mailing__subject", "address", "name", "status",
                                                          "sent_at"]),
    erase=_erase_recipients,
    what=_("Mass mailings (such as the member letter) sent to you: the address, name and status."))
