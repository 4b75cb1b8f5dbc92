"""The kinds and statuses of advocacy, and the transitions between statuses.

A dossier's status::

    open ──▶ partly achieved ──▶ achieved
     │  ╲          │     ╲           │
     │   ╲─────────┼──────▶ closed ◀─┘
     ▼             ▼         │
    achieved     open ◀──────┘ (reopened)

``DOSSIER_TRANSITIONS`` is the one table; ``services.dossier_status_set`` is the only place a
dossier's status changes. A suggested parliamentary item is confirmed or dismissed once
(``ITEM_TRANSITIONS``): a dismissed match stays dismissed whatever later syncs bring.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DossierStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("dossier", "Open")
    PARTLY_ACHIEVED = "partly_achieved", _("Partly achieved")
    ACHIEVED = "achieved", _("Achieved")
    CLOSED = "closed", pgettext_lazy("dossier", "Closed")


DOSSIER_TRANSITIONS: dict[str, frozenset[str]] = {
    DossierStatus.OPEN: frozenset({DossierStatus.PARTLY_ACHIEVED, DossierStatus.ACHIEVED, DossierStatus.CLOSED}),
    DossierStatus.PARTLY_ACHIEVED: frozenset({DossierStatus.OPEN, DossierStatus.ACHIEVED, DossierStatus.CLOSED}),
    DossierStatus.ACHIEVED: frozenset({DossierStatus.OPEN, DossierStatus.CLOSED}),
    DossierStatus.CLOSED: frozenset({DossierStatus.OPEN}),
}


class InterventionKind(models.TextChoices):
    LETTER = "letter", _("Letter")
    POSITION_PAPER = "position_paper", _("Position paper")
    CONSULTATION = "consultation", _("Consultation response")
    ROUND_TABLE = "round_table", _("Round-table contribution")
    MEETING_MINISTER = "meeting_minister", _("Meeting with a minister")
    MEETING_OFFICIALS = "meeting_officials", _("Meeting with officials")
    MEETING_MPS = "meeting_mps", _("Meeting with MPs")


class Addressee(models.TextChoices):
    CABINET = "cabinet", _("Cabinet")
    MINISTER = "minister", _("A minister or ministry")
    COMMITTEE = "committee", _("A Tweede Kamer committee")
    TWEEDE_KAMER = "tweede_kamer", _("The Tweede Kamer")
    EERSTE_KAMER = "eerste_kamer", _("The Eerste Kamer")
    MPS = "mps", _("Named MPs")


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    GRANTED = "granted", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REJECTED = "rejected", _("Rejected")


class ItemKind(models.TextChoices):
    """What a parliamentary item is, for the timeline and its filter."""

    MOTION = "motion", _("Motion")
    AMENDMENT = "amendment", _("Amendment")
    COMMITMENT = "commitment", _("Commitment")
    GOVERNMENT_LETTER = "government_letter", _("Government letter")
    DEBATE = "debate", _("Debate or committee meeting")
    BILL = "bill", _("Bill")
    QUESTIONS = "questions", _("Parliamentary questions")
    OTHER = "other", _("Other parliamentary item")


class ItemStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested")
    CONFIRMED = "confirmed", _("Confirmed")
    DISMISSED = "dismissed", _("Dismissed")


ITEM_TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.SUGGESTED: frozenset({ItemStatus.CONFIRMED, ItemStatus.DISMISSED}),
    ItemStatus.CONFIRMED: frozenset({ItemStatus.DISMISSED}),
    ItemStatus.DISMISSED: frozenset(),
}


class AlertOn(models.TextChoices):
    """When a theme group that owns a dossier hears of a parliamentary item."""

    CONFIRMED = "confirmed", _("When the bureau confirms it")
    SUGGESTED = "suggested", _("As soon as it is suggested")


class AlertMode(models.TextChoices):
    """A person's choice for alerts: at once, or in their digest (daily or weekly, as chosen there)."""

    IMMEDIATE = "immediate", _("At once, one mail per item")
    DIGEST = "digest", _("In my digest")
    NONE = "none", _("No alerts")


class TimelineKind(models.TextChoices):
    """The filter of a dossier's timeline."""

    ASK = "ask", _("Our ask")
    INTERVENTION = "intervention", _("Our interventions")
    OUTCOME = "outcome", _("Outcomes")
    DEBATE = "debate", _("Debates and committee meetings")
    MOTION = "motion", _("Motions and votes")
    GOVERNMENT_LETTER = "government_letter", _("Government letters")
    COMMITMENT = "commitment", _("Commitments")
    OTHER = "other", _("Other parliamentary items")
