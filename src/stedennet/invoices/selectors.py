"""Reading invoices: what was paid, what is outstanding or overpaid, the status (computed from
the invoice, its payments and credit notes and the day; never stored), the bureau's figures."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from stedennet.invoices.constants import UNPAID, PaymentStatus
from stedennet.invoices.models import Invoice, InvoiceKind, InvoiceMailing, Payment
from stedennet.registry.models import Network

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Balance:
    status: str
    paid: Decimal
    outstanding: Decimal
    overpaid: Decimal

    @property
    def label(self) -> str:
        return str(PaymentStatus(self.status).label)


def invoice_balance(*, invoice: Invoice, paid: Decimal, credited: bool, day: datetime.date) -> Balance:
    """The status of ``invoice`` with ``paid`` received: credited and credit notes owe nothing; a
    payment beyond the total is an overpayment, shown as such (not "paid, 0.00 outstanding")."""
    paid = paid or ZERO
    if invoice.kind == InvoiceKind.CREDIT_NOTE:
        return Balance(PaymentStatus.CREDIT_NOTE, paid, ZERO, ZERO)
    if credited:
        return Balance(PaymentStatus.CREDITED, paid, ZERO, ZERO)
    if paid > invoice.total_amount:
        return Balance(PaymentStatus.OVERPAID, paid, ZERO, paid - invoice.total_amount)
    if paid == invoice.total_amount:
        return Balance(PaymentStatus.PAID, paid, ZERO, ZERO)
    outstanding = invoice.total_amount - paid
    if day > invoice.due_date:
        return Balance(PaymentStatus.OVERDUE, paid, outstanding, ZERO)
    return Balance(PaymentStatus.PARTLY_PAID if paid > 0 else PaymentStatus.OPEN, paid, outstanding, ZERO)


def invoice_balance_of(invoice: Invoice, *, day: datetime.date | None = None) -> Balance:
    """The balance of one invoice, read now (two queries)."""
    paid = Payment.objects.filter(invoice=invoice).aggregate(total=Sum("amount"))["total"] or ZERO
    credited = Invoice.objects.filter(credited_invoice=invoice).exists()
    return invoice_balance(invoice=invoice, paid=paid, credited=credited, day=day or timezone.localdate())


def _with_paid(queryset):
    return queryset.annotate(
        paid=Sum("payments__amount"),
        is_credited=Exists(Invoice.objects.filter(credited_invoice=OuterRef("pk"))),
        last_sent_at=InvoiceMailing.objects.filter(invoice=OuterRef("pk")).order_by("-sent_at").values("sent_at")[:1],
    )


def invoices_with_status(*, network: Network, year: int, day: datetime.date | None = None) -> list[dict]:
    """Every invoice and credit note of a year with what was paid and its status (one query)."""
    day = day or timezone.localdate()
    invoices = _with_paid(
        Invoice.objects.filter(network=network, year=year).select_related("municipality", "credited_invoice")
    ).order_by("sequence")
    rows = []
    for invoice in invoices:
        balance = invoice_balance(invoice=invoice, paid=invoice.paid, credited=invoice.is_credited, day=day)
        rows.append({"invoice": invoice, "paid": balance.paid, "outstanding": balance.outstanding,
                     "overpaid": balance.overpaid, "status": balance.status, "balance": balance,
                     "sent_at": invoice.last_sent_at})
    return rows


@dataclass(frozen=True)
class InvoiceFigures:
    """The bureau's figures: unpaid invoices (open, partly paid or overdue) and overdue ones."""

    open_count: int
    open_amount: Decimal
    overdue_count: int
    overdue_amount: Decimal
    overpaid_count: int
    unsent_count: int


def invoice_figures(*, network: Network, day: datetime.date | None = None) -> InvoiceFigures:
    """Counts and outstanding amounts over every year, in one query whatever the number of invoices."""
    day = day or timezone.localdate()
    invoices = _with_paid(Invoice.objects.filter(network=network, kind=InvoiceKind.INVOICE)).values(
        "kind", "total_amount", "due_date", "paid", "is_credited", "last_sent_at")
    figures = {"open_count": 0, "open_amount": ZERO, "overdue_count": 0, "overdue_amount": ZERO,
               "overpaid_count": 0, "unsent_count": 0}
    for values in invoices:
        balance = invoice_balance(invoice=SimpleNamespace(**values), paid=values["paid"],
                                  credited=values["is_credited"], day=day)
        if values["last_sent_at"] is None:
            figures["unsent_count"] += 1
        if balance.status in UNPAID:
            figures["open_count"] += 1
            figures["open_amount"] += balance.outstanding
        if balance.status == PaymentStatus.OVERDUE:
            figures["overdue_count"] += 1
            figures["overdue_amount"] += balance.outstanding
        if balance.status == PaymentStatus.OVERPAID:
            figures["overpaid_count"] += 1
    return InvoiceFigures(**figures)
