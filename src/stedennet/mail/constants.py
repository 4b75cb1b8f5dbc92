"""The life of an outgoing mail: its statuses, the transitions between them and the retry timing.

    queued ──▶ sent
      │  ▲
      ▼  │ (the bureau retries a given-up mail by hand)
    failed ──▶ sent
      │ ▲ (every failed attempt: the reason recorded, the next attempt scheduled with back-off)
      ▼
    given up  (after MAX_ATTEMPTS; still shown, still retried by hand; never deleted)
"""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will be retried")
    GIVEN_UP = "given_up", _("given up")


# status → the statuses it may move to (the only table; ``services.mail_transition`` enforces it).
TRANSITIONS: dict[str, frozenset[str]] = {
    MailStatus.QUEUED: frozenset({MailStatus.SENT, MailStatus.FAILED, MailStatus.GIVEN_UP}),
    MailStatus.FAILED: frozenset({MailStatus.SENT, MailStatus.FAILED, MailStatus.GIVEN_UP}),
    MailStatus.GIVEN_UP: frozenset({MailStatus.QUEUED}),
    MailStatus.SENT: frozenset(),
}

# Statuses in which a mail still waits to be delivered.
PENDING = frozenset({MailStatus.QUEUED, MailStatus.FAILED})

# After this many failed attempts a mail is given up (about a day and a half of retrying).
MAX_ATTEMPTS = 12
FIRST_RETRY = datetime.timedelta(minutes=1)
LONGEST_RETRY = datetime.timedelta(hours=6)
# A delivery claims its mail for this long, so that two workers never send it twice; a worker
# that died while sending leaves the mail to be tried again once the claim has run out.
CLAIM = datetime.timedelta(minutes=10)


# Audit trail (Wagtail's log): the bureau's "retry now".
LOG_RETRIED = "mail.retry_now"


def retry_delay(attempts: int) -> datetime.timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes, at most 6 hours."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)


# --- Mass mailings (``bulk``) -----------------------------------------------------------------
#
# A mailing:  ready ──▶ sending ──▶ finished (nothing left to go: every recipient sent, bounced
#                                              or given up)
#
# A recipient:
#
#     pending ──▶ handed over ──▶ sent
#        │  ╲          │ ╲
#        │   ╲         │  ╲──▶ bounced (5xx: a hard bounce, the ``recipient_bounced`` signal)
#        │    ╲        ▼
#        │     ╲──▶ failed ──▶ handed over … (4xx or a lost connection: retried with back-off)
#        ▼             │
#     bounced          ▼
#                   given up (after MAILING_MAX_ATTEMPTS)
#
# "Handed over" is committed before the final "." of SMTP DATA is sent (see ``bulk``): a recipient
# found handed over by a later run counts as sent and is never sent again.

class MailingStatus(models.TextChoices):
    READY = "ready", _("ready to send")
    SENDING = "sending", _("sending")
    FINISHED = "finished", _("finished")


MAILING_TRANSITIONS: dict[str, frozenset[str]] = {
    MailingStatus.READY: frozenset({MailingStatus.SENDING}),
    MailingStatus.SENDING: frozenset({MailingStatus.FINISHED}),
    MailingStatus.FINISHED: frozenset(),
}


class RecipientStatus(models.TextChoices):
    PENDING = "pending", _("to go")
    HANDED_OVER = "handed_over", _("handed over")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed, will be retried")
    BOUNCED = "bounced", _("bounced")
    GIVEN_UP = "given_up", _("given up")


# status → the statuses a recipient may move to. ``bulk`` changes a recipient's status only by
# conditional UPDATEs built from this table (``recipient_from``), so a status is never overwritten
# by a run that lost the race for it.
RECIPIENT_TRANSITIONS: dict[str, frozenset[str]] = {
    RecipientStatus.PENDING: frozenset({RecipientStatus.HANDED_OVER, RecipientStatus.FAILED,
                                        RecipientStatus.BOUNCED, RecipientStatus.GIVEN_UP}),
    RecipientStatus.FAILED: frozenset({RecipientStatus.HANDED_OVER, RecipientStatus.FAILED,
                                       RecipientStatus.BOUNCED, RecipientStatus.GIVEN_UP}),
    RecipientStatus.HANDED_OVER: frozenset({RecipientStatus.SENT, RecipientStatus.FAILED, RecipientStatus.BOUNCED,
                                            RecipientStatus.GIVEN_UP}),
    RecipientStatus.SENT: frozenset(),
    RecipientStatus.BOUNCED: frozenset(),
    RecipientStatus.GIVEN_UP: frozenset(),
}

# Recipients still to be sent to (a failed one when its next attempt is due).
RECIPIENT_TO_GO = frozenset({RecipientStatus.PENDING, RecipientStatus.FAILED})
# Recipients that count as sent: a handed-over one was given to the SMTP server whole.
RECIPIENT_DELIVERED = frozenset({RecipientStatus.SENT, RecipientStatus.HANDED_OVER})


def recipient_from(status: str) -> frozenset[str]:
    """The statuses from which a recipient may move to ``status`` (``RECIPIENT_TRANSITIONS`` read backwards)."""
    return frozenset(source for source, targets in RECIPIENT_TRANSITIONS.items() if status in targets)


# The marker in a mailing's text and HTML that becomes each recipient's unsubscribe text (with
# URL_MARKER in it replaced by the recipient's unsubscribe URL), or nothing.
UNSUBSCRIBE_MARKER = "%%UNSUBSCRIBE%%"
URL_MARKER = "%%URL%%"

# A failed recipient is retried with ``retry_delay`` (1, 2, 4 … minutes) and given up after this
# many attempts, as the outbox does.
MAILING_MAX_ATTEMPTS = MAX_ATTEMPTS
# The lease of a run on its mailing (``settings.STEDENNET_MAILING_LEASE_SECONDS`` overrides it):
# a run renews it every third of it; after a crash the next run takes over once it has run out.
MAILING_LEASE_SECONDS = 30

# Audit trail: a mailing made and started (by whom).
LOG_MAILING_CREATED = "mail.mailing_created"
LOG_MAILING_STARTED = "mail.mailing_started"
