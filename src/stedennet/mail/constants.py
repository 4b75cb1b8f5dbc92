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
