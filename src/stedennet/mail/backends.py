"""``OutboxBackend``, the project's ``EMAIL_BACKEND``: nothing is sent from the request or the
command that makes a mail. Each message is stored in the outbox (``services.mail_store``) in the
caller's transaction and delivered after the commit by the background worker through
``settings.STEDENNET_MAIL_DELIVERY_BACKEND``; a failure is recorded and retried, never lost.

After ``send()``, ``message.outbox_mail`` is the stored ``OutgoingMail`` (for callers that show
the mail's state, such as an invitation)."""

from django.core.mail.backends.base import BaseEmailBackend


class OutboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        from stedennet.mail.services import mail_store

        stored = 0
        for message in email_messages or ():
            if not message.recipients():
                continue
            try:
                message.outbox_mail = mail_store(message)
            except Exception:
                if not self.fail_silently:
                    raise
                continue
            stored += 1
        return stored
