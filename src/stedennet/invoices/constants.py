"""The payment status of an invoice and what may be done to it in each status.

The status is computed from the invoice, its payments and credit notes and the day, never
stored (``selectors.invoice_balance``)::

    open ──(payment < total)──▶ partly paid ──(payments = total)──▶ paid
      │                             │                                  │
      │ (due date passes)           │ (due date passes)                │
      ▼                             ▼                                  │
    overdue ──(payments = total)──────────────────────────────────▶ paid
      │
      └──(payments > total, from any unpaid status)──▶ overpaid (the excess is shown)

    open, partly paid, overdue, paid, overpaid ──(credit note)──▶ credited
    a credit note itself has the status "credit note"

``ALLOWED`` is the one table of which action each status allows; the services refuse anything
else with a ``code`` and the back office offers only what the table allows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stedennet.registry.constants import PopulationSource


class PaymentStatus(models.TextChoices):
    OPEN = "open", _("open")
    PARTLY_PAID = "partly_paid", _("partly paid")
    OVERDUE = "overdue", _("overdue")
    PAID = "paid", _("paid")
    OVERPAID = "overpaid", _("overpaid")
    CREDITED = "credited", _("credited")
    CREDIT_NOTE = "credit_note", _("credit note")


class Action(models.TextChoices):
    PAY = "pay", _("Record a payment")
    CREDIT = "credit", _("Credit this invoice")
    REMIND = "remind", _("Send a reminder")
    SEND = "send", _("Send by e-mail")


UNPAID = frozenset({PaymentStatus.OPEN, PaymentStatus.PARTLY_PAID, PaymentStatus.OVERDUE})

# status → the actions it allows (the only table; services and the back office ask ``allowed``).
ALLOWED: dict[str, frozenset[str]] = {
    PaymentStatus.OPEN: frozenset({Action.PAY, Action.CREDIT, Action.SEND}),
    PaymentStatus.PARTLY_PAID: frozenset({Action.PAY, Action.CREDIT, Action.SEND}),
    PaymentStatus.OVERDUE: frozenset({Action.PAY, Action.CREDIT, Action.REMIND, Action.SEND}),
    PaymentStatus.PAID: frozenset({Action.CREDIT, Action.SEND}),
    PaymentStatus.OVERPAID: frozenset({Action.CREDIT, Action.SEND}),
    PaymentStatus.CREDITED: frozenset({Action.SEND}),
    PaymentStatus.CREDIT_NOTE: frozenset({Action.SEND}),
}

# Why an action is refused in a status: the refusal's ``code``.
REFUSAL_CODE: dict[str, str] = {
    PaymentStatus.PAID: "already_paid",
    PaymentStatus.OVERPAID: "already_paid",
    PaymentStatus.CREDITED: "invoice_credited",
    PaymentStatus.CREDIT_NOTE: "credit_note",
}


def allowed(status: str, action: str) -> bool:
    return action in ALLOWED.get(status, frozenset())


# Audit trail (Wagtail's log, shown in each invoice's history and the site history).
LOG_ISSUED = "stedennet.invoice_issued"
LOG_CREDITED = "stedennet.invoice_credited"
LOG_PAYMENT = "stedennet.payment_recorded"
LOG_SENT = "stedennet.invoice_sent"
LOG_REMINDED = "stedennet.reminder_sent"

# Where a population figure comes from, as a Dutch invoice and its e-invoice say it.
SOURCE_LABELS = {
    PopulationSource.CBS_FINAL: "CBS, definitief",
    PopulationSource.CBS_PROVISIONAL: "CBS, voorlopig",
    PopulationSource.MUNICIPAL: "eigen telling gemeente",
}
