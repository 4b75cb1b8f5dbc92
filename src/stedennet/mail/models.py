"""The outbox: every mail the platform sends, as the exact bytes that go over the wire, and every
attempt to deliver it. Rows are written by ``services`` only and never edited in the back office."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stedennet.mail.constants import MailStatus


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
