"""The life of an event and of a registration: statuses and the only transition tables.

Event:          draft ──▶ published ──▶ cancelled
                  ▲           │
                  └───────────┘ (back to draft while nobody has registered)

Registration:   waitlisted ──▶ confirmed ──▶ cancelled
                     │                           ▲
                     └───────────────────────────┘
(a waitlisted registration moves up by itself when a place comes free: ``services``)
The same table holds for a registration's place in one session (``SessionRegistration``).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    KNOWLEDGE_DAY = "knowledge_day", _("Knowledge day")
    NETWORK_DAY = "network_day", _("Network day")
    CONFERENCE = "conference", _("Conference")
    OTHER = "other", _("Other event")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CANCELLED = "cancelled", _("Cancelled")


EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.DRAFT: frozenset({EventStatus.PUBLISHED}),
    EventStatus.PUBLISHED: frozenset({EventStatus.DRAFT, EventStatus.CANCELLED}),
    EventStatus.CANCELLED: frozenset(),
}


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Registered")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


REGISTRATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RegistrationStatus.WAITLISTED: frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.CANCELLED}),
    RegistrationStatus.CONFIRMED: frozenset({RegistrationStatus.CANCELLED}),
    RegistrationStatus.CANCELLED: frozenset(),
}

# Registrations that hold (or wait for) a place.
ACTIVE = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED})

# The check-in code: letters and digits that cannot be mistaken for each other when typed.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8

# Audit trail (Wagtail's log), written by the services.
LOG_REGISTERED = "events.registered"
LOG_CANCELLED = "events.registration_cancelled"
LOG_PROMOTED = "events.promoted"
LOG_CHECKED_IN = "events.checked_in"
LOG_STATUS = "events.status"
