"""Issuing invoices from an assessment, credit notes, payments and reminders.

Numbers are gapless and unique per network and year: an issue run locks the year's
``InvoiceSequence`` row for its whole transaction, so a second run waits, then sees what the
first issued and skips those members. Everything a run issues commits together or not at all.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stedennet.contributions.services import Assessment, AssessmentError, AssessmentLine, assess, money
from stedennet.invoices.formats import date_nl, iban_nl, money_nl, number_nl, rate_nl
from stedennet.invoices.models import (
    BillingProfile,
    BuyerDetails,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceSequence,
    Payment,
    Reminder,
    ReminderChannel,
    VatTreatment,
)
from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality, Network

SOURCE_LABELS = {
    PopulationSource.CBS_FINAL: "CBS, definitief",
    PopulationSource.CBS_PROVISIONAL: "CBS, voorlopig",
    PopulationSource.MUNICIPAL: "eigen telling gemeente",
}


class IssueRefused(Exception):
    """Nothing was issued; ``problems`` says why, member by member."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class IssueReport:
    issued: list[Invoice] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def seller_snapshot(profile: BillingProfile) -> dict:
    return {
        "legal_name": profile.legal_name, "street": profile.street, "postal_code": profile.postal_code,
        "city": profile.city, "country_code": profile.country_code, "kvk": profile.kvk, "oin": profile.oin,
        "vat_number": profile.vat_number, "iban": profile.iban, "bic": profile.bic, "email": profile.email,
        "phone": profile.phone, "vat_exemption_reason": profile.vat_exemption_reason,
        "ubl_profile": profile.ubl_profile, "identifiers_are_demo": profile.identifiers_are_demo,
    }


def buyer_snapshot(municipality: Municipality, details: BuyerDetails) -> dict:
    return {
        "name": details.legal_name or f"Gemeente {municipality.display_name}",
        "cbs_code": municipality.cbs_code, "oin": details.oin, "kvk": details.kvk,
        "vat_number": details.vat_number, "street": details.street, "postal_code": details.postal_code,
        "city": details.city or municipality.display_name, "country_code": "NL", "email": details.email,
        "buyer_reference": details.buyer_reference or f"{municipality.cbs_code} contributie",
        "identifiers_are_demo": details.identifiers_are_demo,
    }


def _buyer_problems(municipality: Municipality, details: BuyerDetails | None) -> list[str]:
    name = f"{municipality.display_name} ({municipality.cbs_code})"
    if details is None or not (details.oin or details.kvk):
        return [_("%(name)s: no OIN or KvK number recorded; an e-invoice needs one (SI-UBL rule BR-NL-10). "
                  "Fill it in under Invoices › Buyer details.") % {"name": name}]
    if not (details.street and details.postal_code):
        return [_("%(name)s: no invoice address (street and postal code) recorded.") % {"name": name}]
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


def _next_number(sequence: InvoiceSequence) -> tuple[int, str]:
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number, f"{sequence.year}-{sequence.last_number:04d}"


def _lock_sequence(network: Network, year: int) -> InvoiceSequence:
    InvoiceSequence.objects.get_or_create(network=network, year=year)
    return InvoiceSequence.objects.select_for_update().get(network=network, year=year)


def _totals(net: Decimal, profile: BillingProfile) -> tuple[Decimal, Decimal]:
    rate = profile.vat_rate if profile.vat_treatment == VatTreatment.STANDARD else Decimal("0.00")
    vat = money(net * rate / 100)
    return rate, vat


def _build(*, network, profile, municipality, details, year, sequence, issue_date, lines_in, kind,
           credited=None, demo_reasons=()) -> Invoice:
    from stedennet.invoices.ubl import invoice_ubl
    from stedennet.invoices.validation import artefacts_available, ubl_validate

    number, label = _next_number(sequence)
    net = sum((line["amount"] for line in lines_in), Decimal("0.00"))
    vat_rate, vat = _totals(net, profile)
    invoice = Invoice(
        network=network, year=year, sequence=number, number=label, kind=kind, municipality=municipality,
        credited_invoice=credited, issue_date=issue_date,
        due_date=issue_date + datetime.timedelta(days=profile.payment_term_days),
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
        description=lines_in[0]["description"], seller=seller_snapshot(profile),
        buyer=buyer_snapshot(municipality, details), net_amount=net, vat_treatment=profile.vat_treatment,
        vat_rate=vat_rate, vat_amount=vat, total_amount=net + vat,
        is_demo=bool(demo_reasons), demo_reasons=list(demo_reasons),
    )
    lines = [InvoiceLine(position=i, **line) for i, line in enumerate(lines_in, start=1)]
    try:
        invoice.ubl_xml = invoice_ubl(invoice, lines)
    except ValueError as error:
        raise IssueRefused([f"{municipality.display_name} ({municipality.cbs_code}): {error}"]) from None
    if artefacts_available():
        # The official SI-UBL / EN 16931 / Peppol rules: a non-compliant e-invoice is never stored.
        problems = ubl_validate(invoice.ubl_xml, profile.ubl_profile)
        if problems:
            raise IssueRefused([f"{label} {municipality.display_name}: [{p.rule}] {p.message}" for p in problems])
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    return invoice


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


def invoices_issue(*, network: Network, year: int, issue_date: datetime.date | None = None) -> IssueReport:
    """Issue one invoice per assessed member that has none for ``year`` yet. All or nothing.
    The texts frozen into the invoices are Dutch, whatever language the caller uses."""
    with translation.override("nl"):
        return _invoices_issue(network=network, year=year, issue_date=issue_date)


def _invoices_issue(*, network: Network, year: int, issue_date: datetime.date | None) -> IssueReport:
    issue_date = issue_date or timezone.localdate()
    profile = BillingProfile.objects.filter(network=network).first()
    problems = []
    if profile is None or not (profile.kvk or profile.oin):
        problems.append(_("The network has no billing profile with a KvK number or OIN (SI-UBL rule BR-NL-1)."))
    elif profile.vat_treatment in (VatTreatment.STANDARD, VatTreatment.EXEMPT) and not profile.vat_number:
        problems.append(_("The network's VAT treatment needs its VAT number on every invoice; none is recorded."))
    try:
        assessment = assess(network=network, year=year)
    except AssessmentError as error:
        raise IssueRefused(problems + error.problems) from None
    details = {d.municipality_id: d for d in BuyerDetails.objects.filter(
        municipality__in=[line.municipality for line in assessment.lines])}
    for line in assessment.lines:
        problems += _buyer_problems(line.municipality, details.get(line.municipality.pk))
    if problems:
        raise IssueRefused(problems)

    report = IssueReport()
    with transaction.atomic():
        sequence = _lock_sequence(network, year)
        already = set(
            Invoice.objects.filter(network=network, year=year, kind=InvoiceKind.INVOICE)
            .exclude(credit_notes__isnull=False).values_list("municipality_id", flat=True)
        )
        for line in assessment.lines:
            if line.municipality.pk in already:
                report.skipped.append(line.municipality.display_name)
                continue
            if line.amount == 0:
                report.skipped.append(line.municipality.display_name)
                continue
            description, explanation = _line_description(line, year, network)
            buyer = details[line.municipality.pk]
            report.issued.append(_build(
                network=network, profile=profile, municipality=line.municipality, details=buyer, year=year,
                sequence=sequence, issue_date=issue_date, kind=InvoiceKind.INVOICE,
                demo_reasons=_demo_reasons(assessment, profile, buyer),
                lines_in=[{
                    "description": description, "explanation": explanation, "inhabitants": line.population,
                    "population_source": line.population_source, "population_date": line.population_date,
                    "rate": line.rate, "months": line.months, "amount": line.amount,
                }],
            ))
    return report


def credit_note_issue(*, invoice: Invoice, reason: str, issue_date: datetime.date | None = None) -> Invoice:
    """Cancel an issued invoice in full with a credit note referring to it (texts in Dutch)."""
    with translation.override("nl"):
        return _credit_note_issue(invoice=invoice, reason=reason, issue_date=issue_date)


def _credit_note_issue(*, invoice: Invoice, reason: str, issue_date: datetime.date | None) -> Invoice:
    if invoice.kind != InvoiceKind.INVOICE:
        raise IssueRefused([_("Only an invoice can be credited, not %(number)s.") % {"number": invoice.number}])
    if not reason.strip():
        raise IssueRefused([_("A credit note needs a reason.")])
    with transaction.atomic():
        sequence = _lock_sequence(invoice.network, invoice.year)
        if invoice.credit_notes.exists():
            raise IssueRefused([_("Invoice %(number)s has already been credited.") % {"number": invoice.number}])
        profile = invoice.network.billing_profile
        details = invoice.municipality.buyer_details
        lines = [{
            "description": _("Credit of invoice %(number)s: %(reason)s") % {"number": invoice.number, "reason": reason},
            "explanation": line.explanation, "inhabitants": line.inhabitants,
            "population_source": line.population_source, "population_date": line.population_date,
            "rate": line.rate, "months": line.months, "amount": -line.amount,
        } for line in invoice.lines.all()]
        return _build(
            network=invoice.network, profile=profile, municipality=invoice.municipality, details=details,
            year=invoice.year, sequence=sequence, issue_date=issue_date or timezone.localdate(),
            kind=InvoiceKind.CREDIT_NOTE, credited=invoice, lines_in=lines, demo_reasons=invoice.demo_reasons,
        )


# --- payments, status, reminders -----------------------------------------------------------

class PaymentStatus:
    OPEN = "open"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CREDITED = "credited"


STATUS_LABELS = {
    PaymentStatus.OPEN: "open", PaymentStatus.PARTLY_PAID: "deels betaald", PaymentStatus.PAID: "betaald",
    PaymentStatus.OVERDUE: "te laat", PaymentStatus.CREDITED: "gecrediteerd",
}


def payment_record(*, invoice: Invoice, date: datetime.date, amount: Decimal, reference: str = "") -> Payment:
    if amount <= 0:
        raise ValueError(_("A payment amount must be positive."))
    payment = Payment(invoice=invoice, date=date, amount=amount, reference=reference)
    payment.full_clean()
    payment.save()
    return payment


def invoice_status(*, invoice: Invoice, paid: Decimal, credited: bool, day: datetime.date) -> str:
    if invoice.kind == InvoiceKind.CREDIT_NOTE or credited:
        return PaymentStatus.CREDITED
    if paid >= invoice.total_amount:
        return PaymentStatus.PAID
    if day > invoice.due_date:
        return PaymentStatus.OVERDUE
    return PaymentStatus.PARTLY_PAID if paid > 0 else PaymentStatus.OPEN


def invoices_with_status(*, network: Network, year: int, day: datetime.date | None = None) -> list[dict]:
    """Every invoice and credit note of a year with what was paid and its status (two queries)."""
    day = day or timezone.localdate()
    invoices = list(
        Invoice.objects.filter(network=network, year=year).select_related("municipality", "credited_invoice")
        .annotate(paid=Sum("payments__amount")).order_by("sequence")
    )
    credited = set(Invoice.objects.filter(network=network, year=year, kind=InvoiceKind.CREDIT_NOTE)
                   .values_list("credited_invoice_id", flat=True))
    rows = []
    for invoice in invoices:
        paid = invoice.paid or Decimal("0.00")
        status = invoice_status(invoice=invoice, paid=paid, credited=invoice.pk in credited, day=day)
        rows.append({"invoice": invoice, "paid": paid, "outstanding": max(invoice.total_amount - paid, Decimal(0))
                     if status != PaymentStatus.CREDITED else Decimal("0.00"), "status": status})
    return rows


def reminders_send(*, network: Network, day: datetime.date | None = None, min_days_between: int = 14) -> list[Reminder]:
    """For every overdue invoice: a reminder by mail (with the letter as PDF attached) and a
    letter for the post, at most once per ``min_days_between`` days."""
    from stedennet.invoices.pdf import reminder_letter_pdf

    day = day or timezone.localdate()
    sent = []
    years = Invoice.objects.filter(network=network).values_list("year", flat=True).distinct()
    for year in sorted(set(years)):
        for row in invoices_with_status(network=network, year=year, day=day):
            if row["status"] != PaymentStatus.OVERDUE:
                continue
            invoice = row["invoice"]
            last = invoice.reminders.order_by("-date").first()
            if last and (day - last.date).days < min_days_between:
                continue
            level = (last.level + 1) if last else 1
            with transaction.atomic():
                letter = Reminder.objects.create(invoice=invoice, date=day, level=level,
                                                 channel=ReminderChannel.LETTER, outstanding=row["outstanding"],
                                                 sent_to=invoice.buyer.get("street", ""))
                pdf = reminder_letter_pdf(letter)
                address = invoice.buyer.get("email")
                if address:
                    mail = EmailMessage(
                        subject=_("Reminder %(level)s: invoice %(number)s")
                        % {"level": level, "number": invoice.number},
                        body=_(
                            "Dear Sir or Madam,\n\nOur records show that invoice %(number)s of %(date)s, "
                            "%(amount)s, due on %(due)s, has not been paid in full. %(outstanding)s is "
                            "outstanding. Please pay it within 14 days to %(iban)s, quoting %(number)s.\n\n"
                            "The reminder letter is attached.\n\n%(seller)s"
                        ) % {"number": invoice.number, "date": date_nl(invoice.issue_date),
                             "amount": money_nl(invoice.total_amount), "due": date_nl(invoice.due_date),
                             "outstanding": money_nl(row["outstanding"]), "iban": iban_nl(invoice.seller["iban"]),
                             "seller": invoice.seller["legal_name"]},
                        from_email=settings.DEFAULT_FROM_EMAIL, to=[address],
                    )
                    mail.attach(f"herinnering-{invoice.number}.pdf", pdf, "application/pdf")
                    mail.send()
                    sent.append(Reminder.objects.create(invoice=invoice, date=day, level=level,
                                                        channel=ReminderChannel.MAIL, sent_to=address,
                                                        outstanding=row["outstanding"]))
                sent.append(letter)
    return sent


EXPORT_COLUMNS = [
    "number", "kind", "credits", "issue_date", "due_date", "cbs_code", "debtor", "oin", "kvk", "description",
    "net_amount", "vat_rate", "vat_amount", "total_amount", "paid", "outstanding", "status", "demo",
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
            f"{invoice.total_amount:.2f}", f"{row['paid']:.2f}", f"{row['outstanding']:.2f}", row["status"],
            "demo" if invoice.is_demo else "",
        ])
    return out.getvalue()
