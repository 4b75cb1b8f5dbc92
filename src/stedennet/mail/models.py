"""The outbox: every mail the platform sends, as the exact bytes that go over the wire, and every
attempt to deliver it. Rows are written by ``services`` only and never edited in the back office.

Mass mailings (``Mailing``, ``MailingRecipient``): one message to many recipients, each sent
exactly once by ``bulk``; written by ``bulk`` only."""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from stedennet.mail.constants import MailingStatus, MailStatus, RecipientStatus


class OutgoingMail(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=MailStatus.choices, default=MailStatus.QUEUED)
    # The envelope: who the SMTP server is told the mail is from and for (Bcc included).
    from_email = models.CharField(_("envelope sender"), max_length=998)
    recipients = models.JSONField(_("envelope recipients"), default=list)
    # For people: the headers as the recipient sees them.
    to = models.TextField(_("to"), blank=True)
    subject = models.TextField(_("subject"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    message = models.BinaryField(_("message (raw, with attachments)"))
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="mail_pending_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=MailStatus.values), name="mail_status_known"),
            models.CheckConstraint(condition=~models.Q(status=MailStatus.SENT) | models.Q(sent_at__isnull=False),
                                   name="mail_sent_has_time"),
        ]

    def __str__(self) -> str:
        return self.subject or _("(no subject)")


class DeliveryAttempt(models.Model):
    """One try to hand a mail to the SMTP server; the history that ``last_error`` summarises."""

    mail = models.ForeignKey(OutgoingMail, on_delete=models.PROTECT, related_name="delivery_attempts")
    attempted_at = models.DateTimeField(_("attempted"))
    succeeded = models.BooleanField(_("succeeded"))
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("delivery attempt")
        verbose_name_plural = _("delivery attempts")
        ordering = ["attempted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.mail_id} @ {self.attempted_at:%Y-%m-%d %H:%M:%S}"


class Mailing(models.Model):
    """One mass mailing: the message (text, HTML, headers) and its sending run's lease.

    The lease (``lease_holder`` until ``lease_until``) is held by the one run sending it; a run
    renews it while it sends (``heartbeat_at``). ``runs`` counts the runs that took it."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=998)
    text = models.TextField(_("text"))
    html = models.TextField(_("HTML"), blank=True)
    from_email = models.CharField(_("from"), max_length=998)
    reply_to = models.CharField(_("reply to"), max_length=998, blank=True)
    list_id = models.CharField(_("List-Id"), max_length=255, blank=True)
    unsubscribe_text = models.TextField(_("unsubscribe text"), blank=True)
    unsubscribe_html = models.TextField(_("unsubscribe HTML"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=MailingStatus.choices, default=MailingStatus.READY)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    lease_holder = models.CharField(_("sent by run"), max_length=64, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    runs = models.PositiveIntegerField(_("runs"), default=0)
    # The SMTP connection's trouble (not a recipient's): runs in a row that could not connect, the reason.
    connect_failures = models.PositiveIntegerField(_("runs without a connection"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    source_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    source_id = models.CharField(max_length=64, blank=True)
    source = GenericForeignKey("source_type", "source_id")

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["source_type", "source_id"], name="mail_mailing_source_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=MailingStatus.values),
                                   name="mail_mailing_status_known"),
        ]

    def __str__(self) -> str:
        return self.subject


class MailingRecipient(models.Model):
    """One recipient of a mailing: at most one message each (unique per address, case-insensitive)."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    address = models.CharField(_("address"), max_length=254)
    name = models.CharField(_("name"), max_length=200, blank=True)
    unsubscribe_url = models.CharField(_("unsubscribe URL"), max_length=2000, blank=True)
    key = models.CharField(_("key"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=RecipientStatus.choices,
                              default=RecipientStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("mailing recipient")
        verbose_name_plural = _("mailing recipients")
        ordering = ["mailing", "pk"]
        indexes = [models.Index(fields=["mailing", "status", "next_attempt_at"], name="mail_recipient_due_idx")]
        constraints = [
            models.UniqueConstraint(Lower("address"), "mailing", name="mail_recipient_once_per_mailing"),
            models.CheckConstraint(condition=models.Q(status__in=RecipientStatus.values),
                                   name="mail_recipient_status_known"),
            models.CheckConstraint(condition=~models.Q(status__in=[RecipientStatus.SENT, RecipientStatus.HANDED_OVER])
                                   | models.Q(sent_at__isnull=False), name="mail_recipient_sent_has_time"),
        ]

    def __str__(self) -> str:
        return self.address

    @property
    def error(self) -> str:
        """The SMTP server's answer to the last attempt that failed (a bounce's reason)."""
        return self.last_error
