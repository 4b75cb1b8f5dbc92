"""Reading invoices: what was paid, what is outstanding or overpaid, the status (computed from
the invoice, its payments and credit notes and the day; never stored), an invoice's history, the
bureau's figures, the export for the accounting system, and what an issue run would do now
(``invoices_issue_preview``; the run itself is ``services.invoices_issue``). Nothing here writes.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stedennet.contributions.selectors import Assessment, AssessmentError, AssessmentLine, assess
from stedennet.invoices.constants import SOURCE_LABELS, UNPAID, PaymentStatus
from stedennet.invoices.models import (
    BillingProfile,
    BuyerDetails,
    Invoice,
    InvoiceKind,
    InvoiceMailing,
    Payment,
    VatTreatment,
)
from stedennet.registry.models import Municipality, Network
from stedennet.web.formats import date_nl, number_nl, rate_nl
from stedennet.web.refusals import Refused

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


def invoice_status(*, invoice: Invoice, paid: Decimal, credited: bool, day: datetime.date) -> str:
    return invoice_balance(invoice=invoice, paid=paid, credited=credited, day=day).status


@dataclass(frozen=True)
class InvoiceHistory:
    """Everything that happened to one invoice, for its page: its balance today, lines, payments,
    reminders, mailings and credit notes (five queries)."""

    balance: Balance
    lines: list
    payments: list[Payment]
    reminders: list
    mailings: list[InvoiceMailing]
    credit_notes: list[Invoice]


def invoice_history(invoice: Invoice, *, day: datetime.date | None = None) -> InvoiceHistory:
    payments = list(invoice.payments.order_by("date", "pk"))
    credit_notes = list(invoice.credit_notes.order_by("sequence"))
    balance = invoice_balance(invoice=invoice, paid=sum((payment.amount for payment in payments), ZERO),
                              credited=bool(credit_notes), day=day or timezone.localdate())
    return InvoiceHistory(
        balance=balance, lines=list(invoice.lines.order_by("position")), payments=payments,
        reminders=list(invoice.reminders.order_by("date", "level")),
        mailings=list(invoice.mailings.select_related("sent_by").order_by("sent_at")), credit_notes=credit_notes)


def invoice_mailings(invoice: Invoice) -> list[InvoiceMailing]:
    """When and to whom an invoice was sent, oldest first."""
    return list(invoice.mailings.order_by("sent_at"))


def invoices_unsent(*, network: Network, year: int) -> list[Invoice]:
    """The year's invoices and credit notes that were never sent, in number order."""
    return list(Invoice.objects.filter(network=network, year=year, mailings__isnull=True)
                .select_related("municipality").order_by("sequence"))


def invoiced_members(*, network: Network, year: int) -> set[int]:
    """Members with an invoice for ``year`` that stands: a fully credited invoice does not count,
    so a new run issues a fresh invoice (with the next number) for that member."""
    return set(
        Invoice.objects.filter(network=network, year=year, kind=InvoiceKind.INVOICE)
        .exclude(credit_notes__isnull=False).values_list("municipality_id", flat=True)
    )


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


# --- the export for the accounting system -----------------------------------------------------

EXPORT_COLUMNS = [
    "number", "kind", "credits", "issue_date", "due_date", "cbs_code", "debtor", "oin", "kvk", "description",
    "net_amount", "vat_rate", "vat_amount", "total_amount", "paid", "outstanding", "overpaid", "status", "demo",
]


def invoices_export_csv(*, network: Network, year: int, day: datetime.date | None = None) -> str:
    """The year's invoices for the accounting system: one row per invoice or credit note,
    amounts with a decimal point and two decimals."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    for row in invoices_with_status(network=network, year=year, day=day):
        invoice = row["invoice"]
        writer.writerow([
            invoice.number, invoice.kind, invoice.credited_invoice.number if invoice.credited_invoice_id else "",
            invoice.issue_date.isoformat(), invoice.due_date.isoformat(), invoice.buyer["cbs_code"],
            invoice.buyer["name"], invoice.buyer["oin"], invoice.buyer["kvk"], invoice.description,
            f"{invoice.net_amount:.2f}", f"{invoice.vat_rate:.2f}", f"{invoice.vat_amount:.2f}",
            f"{invoice.total_amount:.2f}", f"{row['paid']:.2f}", f"{row['outstanding']:.2f}",
            f"{row['overpaid']:.2f}", row["status"],
            "demo" if invoice.is_demo else "",
        ])
    return out.getvalue()


# --- what an issue run would do now -------------------------------------------------------------

class Refusal(Refused):
    """One reason why an invoice is not issued or sent: a stable ``code`` for programs and tests,
    the message for people, and the member it concerns (``cbs_code``, if any)."""

    def __init__(self, message, code: str | None = None, params=None, *, field: str | None = None,
                 cbs_code: str = ""):
        super().__init__(message, code, params, field=field)
        self.cbs_code = cbs_code


@dataclass
class PlannedInvoice:
    line: AssessmentLine
    description: str
    explanation: str
    demo_reasons: list[str]

    @property
    def municipality(self) -> Municipality:
        return self.line.municipality

    @property
    def amount(self) -> Decimal:
        return self.line.amount


@dataclass
class IssuePlan:
    """What ``services.invoices_issue`` would do now: the invoices it would issue, the members it
    skips (``already_invoiced`` or ``zero_amount``) and the refusals that stop the whole run."""

    network: Network
    year: int
    issue_date: datetime.date
    to_issue: list[PlannedInvoice] = field(default_factory=list)
    skipped: list[tuple[Municipality, str]] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    profile: BillingProfile | None = None
    details: dict = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((planned.amount for planned in self.to_issue), Decimal("0.00"))

    @property
    def can_issue(self) -> bool:
        return not self.refusals and bool(self.to_issue)


def _buyer_problems(municipality: Municipality, details: BuyerDetails | None) -> list[Refusal]:
    name = f"{municipality.display_name} ({municipality.cbs_code})"
    if details is None or not (details.oin or details.kvk):
        return [Refusal(_(
            "%(name)s: no OIN or KvK number recorded; an e-invoice needs one (SI-UBL rule BR-NL-10). "
            "Fill it in under Invoices › Buyer details.") % {"name": name}, "buyer_without_identifier",
            cbs_code=municipality.cbs_code)]
    if not (details.street and details.postal_code):
        return [Refusal(_("%(name)s: no invoice address (street and postal code) recorded.") % {"name": name},
                        "buyer_without_address", cbs_code=municipality.cbs_code)]
    return []


def _line_description(line: AssessmentLine, year: int, network: Network) -> tuple[str, str]:
    description = _("Contribution %(network)s %(year)s") % {"network": network.short_name, "year": year}
    explanation = _("%(population)s inhabitants on %(date)s (%(source)s) × %(rate)s per inhabitant") % {
        "population": number_nl(line.population), "date": date_nl(line.population_date),
        "source": SOURCE_LABELS.get(line.population_source, line.population_source), "rate": rate_nl(line.rate),
    }
    if line.months != 12:
        explanation += _(" × %(months)s/12 months (member from %(start)s)") % {
            "months": line.months, "start": date_nl(line.period_start)}
    if line.notes:
        explanation += f" ({', '.join(line.notes)})"
    return description, explanation


def _demo_reasons(assessment: Assessment, profile: BillingProfile, details: BuyerDetails) -> list[str]:
    reasons = []
    if assessment.rule.is_demo:
        reasons.append(_("the contribution rule for %(year)s is an assumption (demo data), not a decision of "
                         "the network") % {"year": assessment.year})
    if profile.identifiers_are_demo:
        reasons.append(_("the network's KvK/OIN, IBAN and address are placeholders (demo data)"))
    if details.identifiers_are_demo:
        reasons.append(_("the municipality's OIN/KvK and address are placeholders (demo data)"))
    return reasons


def invoices_issue_preview(*, network: Network, year: int, issue_date: datetime.date | None = None) -> IssuePlan:
    """What an issue run for ``year`` would do now, without writing anything (the back office's
    preview, and the plan the run itself follows). The texts are Dutch, as they will be frozen
    into the invoices."""
    with translation.override("nl"):
        return _plan(network=network, year=year, issue_date=issue_date)


def _plan(*, network: Network, year: int, issue_date: datetime.date | None) -> IssuePlan:
    plan = IssuePlan(network=network, year=year, issue_date=issue_date or timezone.localdate())
    profile = BillingProfile.objects.filter(network=network).first()
    plan.profile = profile
    if profile is None or not (profile.kvk or profile.oin):
        plan.refusals.append(Refusal(_(
            "The network has no billing profile with a KvK number or OIN (SI-UBL rule BR-NL-1)."),
            "seller_without_identifier"))
    elif profile.vat_treatment in (VatTreatment.STANDARD, VatTreatment.EXEMPT) and not profile.vat_number:
        plan.refusals.append(Refusal(_(
            "The network's VAT treatment needs its VAT number on every invoice; none is recorded."),
            "seller_without_vat_number"))
    try:
        assessment = assess(network=network, year=year)
    except AssessmentError as error:
        plan.refusals += [Refusal(problem, "assessment") for problem in error.problems]
        return plan
    plan.details = {d.municipality_id: d for d in BuyerDetails.objects.filter(
        municipality__in=[line.municipality for line in assessment.lines])}
    already = invoiced_members(network=network, year=year)
    for line in assessment.lines:
        if line.municipality.pk in already:
            plan.skipped.append((line.municipality, "already_invoiced"))
            continue
        if line.amount == 0:
            plan.skipped.append((line.municipality, "zero_amount"))
            continue
        buyer = plan.details.get(line.municipality.pk)
        problems = _buyer_problems(line.municipality, buyer)
        if problems:
            plan.refusals += problems
            continue
        description, explanation = _line_description(line, year, network)
        plan.to_issue.append(PlannedInvoice(
            line=line, description=description, explanation=explanation,
            demo_reasons=_demo_reasons(assessment, profile, buyer) if profile else []))
    return plan
