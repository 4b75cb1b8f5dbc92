"""Signals of the mail app, for higher apps to hook in without this app knowing them."""

from django.dispatch import Signal

# Sent by ``bulk`` after the commit that recorded a hard bounce: the SMTP server answered 5xx for
# a recipient of a mass mailing (to its RCPT TO, its DATA, or the end of its message).
# Arguments: ``mailing`` (``models.Mailing``) and ``recipient`` (``models.MailingRecipient``: its
# ``key`` is the caller's reference, ``address``, ``last_error`` the server's answer; ``error`` the
# same answer). Sent with ``send_robust``: a receiver that raises is logged and does not stop the run.
recipient_bounced = Signal()

# Sent by ``bulk`` when a run has finished a mass mailing (nothing left to go: every recipient
# sent, bounced or given up), after that was committed. Argument: ``mailing``. Sent with
# ``send_robust``.
mailing_finished = Signal()
