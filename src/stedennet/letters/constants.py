"""The life of a member letter and of a subscription: statuses and the only transition tables.

A letter::

    draft ──▶ sending ──▶ sent
      │
      ▼
    withdrawn

Its number ("Lbr. 26/001": two-digit year, three-digit sequence) is fixed when the draft is
created, so the bureau composes the letter under the number it will be sent with. Numbers are
gapless per year and never reused: a draft that is withdrawn keeps its number and shows as
withdrawn in the back office (the public archive shows sent letters only). A letter moves to
*sending* when the bureau presses send (``services.letter_send``: the mass mailing is made and
started in the same transaction) and to *sent* once the mailing has nothing left to go
(``services.letter_finish``). ``TRANSITIONS`` is the one table; ``services`` is the only place
a status changes.

A subscription (double opt-in)::

    pending ──▶ confirmed ──▶ unsubscribed
      │                          │
      └──────▶ unsubscribed ◀────┘      unsubscribed ──▶ pending (subscribing again)
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class LetterStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("letter", "Draft")
    SENDING = "sending", pgettext_lazy("letter", "Sending")
    SENT = "sent", pgettext_lazy("letter", "Sent")
    WITHDRAWN = "withdrawn", pgettext_lazy("letter", "Withdrawn")


TRANSITIONS: dict[str, frozenset[str]] = {
    LetterStatus.DRAFT: frozenset({LetterStatus.SENDING, LetterStatus.WITHDRAWN}),
    LetterStatus.SENDING: frozenset({LetterStatus.SENT}),
    LetterStatus.SENT: frozenset(),
    LetterStatus.WITHDRAWN: frozenset(),
}

# Letters that went out (or are going out): the public archive, the feed, "since the previous letter".
PUBLISHED = frozenset({LetterStatus.SENDING, LetterStatus.SENT})


class AddressRole(models.TextChoices):
    COLLEGE = "college", _("College of mayor and aldermen")
    GRIFFIE = "griffie", _("Council (through the griffie)")
    OTHER = "other", _("Other")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


SUBSCRIBER_TRANSITIONS: dict[str, frozenset[str]] = {
    SubscriberStatus.PENDING: frozenset({SubscriberStatus.CONFIRMED, SubscriberStatus.UNSUBSCRIBED}),
    SubscriberStatus.CONFIRMED: frozenset({SubscriberStatus.UNSUBSCRIBED}),
    SubscriberStatus.UNSUBSCRIBED: frozenset({SubscriberStatus.PENDING}),
}

# The keys a recipient of a letter's mailing carries, given back in ``mail.signals.recipient_bounced``.
ADDRESS_KEY = "address"
SUBSCRIBER_KEY = "subscriber"

# Without a previous letter, the first draft looks back this many days.
FIRST_LETTER_DAYS = 92
# A new confirmation mail to the same pending subscriber at most this often (minutes).
CONFIRMATION_INTERVAL_MINUTES = 10

# Audit trail (Wagtail's log), written by the services; registered in ``wagtail_hooks``.
LOG_CREATED = "letters.created"
LOG_EDITED = "letters.edited"
LOG_TEST_SENT = "letters.test_sent"
LOG_SENT = "letters.sent"
LOG_FINISHED = "letters.finished"
LOG_WITHDRAWN = "letters.withdrawn"
LOG_BOUNCED = "letters.bounced"
