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
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stedennet.contributions.services import Assessment, AssessmentError, AssessmentLine, assess, money
from stedennet.invoices.constants import (
    LOG_CREDITED,
    LOG_ISSUED,
    LOG_PAYMENT,
    LOG_REMINDED,
    LOG_SENT,
    REFUSAL_CODE,
    Action,
    allowed,
)
from stedennet.invoices.models import (
    BillingProfile,
    BuyerDetails,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceMailing,
    InvoiceSequence,
    Payment,
    Reminder,
    ReminderChannel,
    VatTreatment,
)
from stedennet.invoices.selectors import invoice_balance, invoice_balance_of, invoices_with_status
from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality, Network
from stedennet.web.formats import date_nl, iban_nl, money_nl, number_nl, rate_nl

__all__ = [
    "IssuePlan",
    "IssueRefused",
    "IssueReport",
    "PaymentRefused",
    "PlannedInvoice",
    "Refusal",
    "buyer_snapshot",
    "credit_note_issue",
    "invoice_status",
    "invoices_export_csv",
    "invoices_issue",
    "invoices_issue_preview",
    "invoices_send",
    "payment_record",
    "reminders_send",
    "seller_snapshot",
]

SOURCE_LABELS = {
    PopulationSource.CBS_FINAL: "CBS, definitief",
    PopulationSource.CBS_PROVISIONAL: "CBS, voorlopig",
    PopulationSource.MUNICIPAL: "eigen telling gemeente",
}


@dataclass(frozen=True)
class Refusal:
    """One reason why something was refused: a stable ``code`` for programs and tests, the
    message for people, and the member it concerns (if any)."""

    code: str
    message: str
    cbs_code: str = ""

    def __str__(self) -> str:
        return self.message


class IssueRefused(Exception):
    """Nothing was issued; ``refusals`` says why, member by member (``problems``: the messages)."""

    def __init__(self, problems: list):
        self.refusals = [p if isinstance(p, Refusal) else Refusal("refused", str(p)) for p in problems]
        self.problems = [refusal.message for refusal in self.refusals]
        super().__init__("\n".join(self.problems))

    @property
    def codes(self) -> list[str]:
        return [refusal.code for refusal in self.refusals]


class PaymentRefused(ValueError):
    """A payment that is not recorded: ``code`` says why, ``field`` which input is wrong."""

    def __init__(self, code: str, message: str, field: str | None = None):
        self.code, self.message, self.field = code, message, field
        super().__init__(message)

    def __str__(self) -> str:
        return self.message


@dataclass
class IssueReport:
    issued: list[Invoice] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


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
    """What ``invoices_issue`` would do now: the invoices it would issue, the members it skips
    (``already_invoiced`` or ``zero_amount``) and the refusals that stop the whole run."""

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


def _buyer_problems(municipality: Municipality, details: BuyerDetails | None) -> list[Refusal]:
    name = f"{municipality.display_name} ({municipality.cbs_code})"
    if details is None or not (details.oin or details.kvk):
        return [Refusal("buyer_without_identifier", _(
            "%(name)s: no OIN or KvK number recorded; an e-invoice needs one (SI-UBL rule BR-NL-10). "
            "Fill it in under Invoices › Buyer details.") % {"name": name}, municipality.cbs_code)]
    if not (details.street and details.postal_code):
        return [Refusal("buyer_without_address", _(
            "%(name)s: no invoice address (street and postal code) recorded.") % {"name": name},
            municipality.cbs_code)]
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


def _build(*, network, profile, municipality, details, year, sequence, issue_date, lines_in, kind, period,
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
        period_start=period[0], period_end=period[1],
        description=lines_in[0]["description"], seller=seller_snapshot(profile),
        buyer=buyer_snapshot(municipality, details), net_amount=net, vat_treatment=profile.vat_treatment,
        vat_rate=vat_rate, vat_amount=vat, total_amount=net + vat,
        is_demo=bool(demo_reasons), demo_reasons=list(demo_reasons),
    )
    lines = [InvoiceLine(position=i, **line) for i, line in enumerate(lines_in, start=1)]
    try:
        invoice.ubl_xml = invoice_ubl(invoice, lines)
    except ValueError as error:
        raise IssueRefused([Refusal("ubl_not_built", f"{municipality.display_name} ({municipality.cbs_code}): {error}",
                                    municipality.cbs_code)]) from None
    if artefacts_available():
        # The official SI-UBL / EN 16931 / Peppol rules: a non-compliant e-invoice is never stored.
        problems = ubl_validate(invoice.ubl_xml, profile.ubl_profile)
        if problems:
            raise IssueRefused([Refusal("ubl_invalid", f"{label} {municipality.display_name}: [{p.rule}] {p.message}",
                                        municipality.cbs_code) for p in problems])
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


def invoices_issue_preview(*, network: Network, year: int, issue_date: datetime.date | None = None) -> IssuePlan:
    """What an issue run for ``year`` would do now, without writing anything (the back office's
    preview). The texts are Dutch, as they will be frozen into the invoices."""
    with translation.override("nl"):
        return _plan(network=network, year=year, issue_date=issue_date)


def _already_invoiced(network: Network, year: int) -> set[int]:
    """Members with an invoice for ``year`` that stands: a fully credited invoice does not count,
    so a new run issues a fresh invoice (with the next number) for that member."""
    return set(
        Invoice.objects.filter(network=network, year=year, kind=InvoiceKind.INVOICE)
        .exclude(credit_notes__isnull=False).values_list("municipality_id", flat=True)
    )


def _plan(*, network: Network, year: int, issue_date: datetime.date | None) -> IssuePlan:
    plan = IssuePlan(network=network, year=year, issue_date=issue_date or timezone.localdate())
    profile = BillingProfile.objects.filter(network=network).first()
    plan.profile = profile
    if profile is None or not (profile.kvk or profile.oin):
        plan.refusals.append(Refusal("seller_without_identifier", _(
            "The network has no billing profile with a KvK number or OIN (SI-UBL rule BR-NL-1).")))
    elif profile.vat_treatment in (VatTreatment.STANDARD, VatTreatment.EXEMPT) and not profile.vat_number:
        plan.refusals.append(Refusal("seller_without_vat_number", _(
            "The network's VAT treatment needs its VAT number on every invoice; none is recorded.")))
    try:
        assessment = assess(network=network, year=year)
    except AssessmentError as error:
        plan.refusals += [Refusal("assessment", problem) for problem in error.problems]
        return plan
    plan.details = {d.municipality_id: d for d in BuyerDetails.objects.filter(
        municipality__in=[line.municipality for line in assessment.lines])}
    already = _already_invoiced(network, year)
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


def invoices_issue(*, network: Network, year: int, issue_date: datetime.date | None = None, user=None) -> IssueReport:
    """Issue one invoice per assessed member that has none for ``year`` yet. All or nothing.
    The texts frozen into the invoices are Dutch, whatever language the caller uses. Every
    invoice issued is logged (Wagtail's log: who, when, which run), from the command line and
    from the back office alike."""
    with translation.override("nl"):
        return _invoices_issue(network=network, year=year, issue_date=issue_date, user=user)


def _invoices_issue(*, network: Network, year: int, issue_date: datetime.date | None, user) -> IssueReport:
    plan = _plan(network=network, year=year, issue_date=issue_date)
    if plan.refusals:
        raise IssueRefused(plan.refusals)
    report = IssueReport()
    with transaction.atomic():
        sequence = _lock_sequence(network, year)
        already = _already_invoiced(network, year)  # again, under the lock: a racing run may have issued
        for municipality, _reason in plan.skipped:
            report.skipped.append(municipality.display_name)
        for planned in plan.to_issue:
            line = planned.line
            if line.municipality.pk in already:
                report.skipped.append(line.municipality.display_name)
                continue
            invoice = _build(
                network=network, profile=plan.profile, municipality=line.municipality,
                details=plan.details[line.municipality.pk], year=year, sequence=sequence,
                issue_date=plan.issue_date, kind=InvoiceKind.INVOICE, demo_reasons=planned.demo_reasons,
                period=(line.billed_from or datetime.date(year, 1, 1), line.billed_to or datetime.date(year, 12, 31)),
                lines_in=[{
                    "description": planned.description, "explanation": planned.explanation,
                    "inhabitants": line.population, "population_source": line.population_source,
                    "population_date": line.population_date, "rate": line.rate, "months": line.months,
                    "amount": line.amount,
                }],
            )
            _log(invoice, LOG_ISSUED, user, {"number": invoice.number, "year": year,
                                              "total": str(invoice.total_amount),
                                              "period": [invoice.period_start.isoformat(),
                                                         invoice.period_end.isoformat()]})
            report.issued.append(invoice)
    return report


def _log(instance, action: str, user, data: dict) -> None:
    from wagtail.log_actions import log

    log(instance=instance, action=action, user=user, data=data)


def credit_note_issue(*, invoice: Invoice, reason: str, issue_date: datetime.date | None = None,
                      user=None) -> Invoice:
    """Cancel an issued invoice in full with a credit note referring to it (texts in Dutch)."""
    with translation.override("nl"):
        return _credit_note_issue(invoice=invoice, reason=reason, issue_date=issue_date, user=user)


def _credit_note_issue(*, invoice: Invoice, reason: str, issue_date: datetime.date | None, user) -> Invoice:
    if invoice.kind != InvoiceKind.INVOICE:
        raise IssueRefused([Refusal("credit_note", _("Only an invoice can be credited, not %(number)s.")
                                    % {"number": invoice.number})])
    if not reason.strip():
        raise IssueRefused([Refusal("reason_missing", _("A credit note needs a reason."))])
    with transaction.atomic():
        sequence = _lock_sequence(invoice.network, invoice.year)
        if invoice.credit_notes.exists():
            raise IssueRefused([Refusal("invoice_credited", _("Invoice %(number)s has already been credited.")
                                        % {"number": invoice.number})])
        profile = invoice.network.billing_profile
        details = invoice.municipality.buyer_details
        lines = [{
            "description": _("Credit of invoice %(number)s: %(reason)s") % {"number": invoice.number, "reason": reason},
            "explanation": line.explanation, "inhabitants": line.inhabitants,
            "population_source": line.population_source, "population_date": line.population_date,
            "rate": line.rate, "months": line.months, "amount": -line.amount,
        } for line in invoice.lines.all()]
        note = _build(
            network=invoice.network, profile=profile, municipality=invoice.municipality, details=details,
            year=invoice.year, sequence=sequence, issue_date=issue_date or timezone.localdate(),
            kind=InvoiceKind.CREDIT_NOTE, credited=invoice, lines_in=lines, demo_reasons=invoice.demo_reasons,
            period=(invoice.period_start, invoice.period_end),
        )
        _log(invoice, LOG_CREDITED, user, {"number": invoice.number, "credit_note": note.number, "reason": reason})
        _log(note, LOG_ISSUED, user, {"number": note.number, "year": note.year, "total": str(note.total_amount),
                                      "credits": invoice.number})
        return note


# --- payments, status, reminders -----------------------------------------------------------

CENT = Decimal("0.01")
LARGEST_AMOUNT = Decimal("999999999999.99")  # the column's 14 digits, 2 after the point


def _payment_amount(amount) -> Decimal:
    if not isinstance(amount, Decimal):
        raise PaymentRefused("not_a_number", _("The amount must be a number of euros, e.g. 1234.56."), "amount")
    if not amount.is_finite():
        raise PaymentRefused("not_finite", _("The amount must be a finite number of euros, not %(amount)s.")
                             % {"amount": amount}, "amount")
    if amount != amount.quantize(CENT):
        raise PaymentRefused("too_many_decimals", _("The amount %(amount)s has more than two decimals; "
                                                    "give whole cents.") % {"amount": amount}, "amount")
    if amount <= 0:
        raise PaymentRefused("not_positive", _("A payment amount must be positive."), "amount")
    if amount > LARGEST_AMOUNT:
        raise PaymentRefused("too_large", _("The amount %(amount)s is larger than any invoice.")
                             % {"amount": amount}, "amount")
    return amount.quantize(CENT)


def payment_record(*, invoice: Invoice, date: datetime.date, amount: Decimal, reference: str = "",
                   user=None) -> Payment:
    """Record money received on ``invoice``. Refused (``PaymentRefused`` with a ``code``): an amount
    that is not a finite number of whole cents above zero, a date in the future, a payment on a
    credit note, on a credited invoice or on an invoice already paid in full. A payment beyond
    what is outstanding is recorded and the invoice shows as overpaid, with the excess."""
    amount = _payment_amount(amount)
    if not isinstance(date, datetime.date):
        raise PaymentRefused("date_missing", _("A payment needs the date it was received."), "date")
    today = timezone.localdate()
    if date > today:
        raise PaymentRefused("future_date", _("The payment date %(date)s is in the future; give the date the "
                                              "money was received.") % {"date": date_nl(date)}, "date")
    with transaction.atomic():
        # One payment at a time per invoice: the status is judged on what was recorded before.
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        balance = invoice_balance_of(invoice, day=today)
        if not allowed(balance.status, Action.PAY):
            code = REFUSAL_CODE.get(balance.status, "not_payable")
            messages = {
                "credit_note": _("%(number)s is a credit note; a payment is recorded on an invoice."),
                "invoice_credited": _("Invoice %(number)s has been credited; it is not to be paid."),
                "already_paid": _("Invoice %(number)s has been paid in full already."),
            }
            raise PaymentRefused(code, messages.get(code, _("Invoice %(number)s cannot be paid."))
                                 % {"number": invoice.number})
        payment = Payment(invoice=invoice, date=date, amount=amount, reference=reference)
        payment.full_clean()
        payment.save()
        after = invoice_balance_of(invoice, day=today)
        _log(invoice, LOG_PAYMENT, user, {"number": invoice.number, "amount": str(amount), "date": date.isoformat(),
                                          "status": after.status, "overpaid": str(after.overpaid)})
    return payment


def invoice_status(*, invoice: Invoice, paid: Decimal, credited: bool, day: datetime.date) -> str:
    return invoice_balance(invoice=invoice, paid=paid, credited=credited, day=day).status


def reminders_send(*, network: Network, day: datetime.date | None = None, min_days_between: int = 14) -> list[Reminder]:
    """For every overdue invoice: a reminder by mail (with the letter as PDF attached) and a
    letter for the post, at most once per ``min_days_between`` days. The reminders are recorded
    in one transaction; the letters are rendered and the mails sent after it commits."""
    day = day or timezone.localdate()
    sent = []
    years = Invoice.objects.filter(network=network).values_list("year", flat=True).distinct()
    with transaction.atomic():
        for year in sorted(set(years)):
            for row in invoices_with_status(network=network, year=year, day=day):
                if not allowed(row["status"], Action.REMIND):
                    continue
                invoice = row["invoice"]
                last = invoice.reminders.order_by("-date").first()
                if last and (day - last.date).days < min_days_between:
                    continue
                level = (last.level + 1) if last else 1
                letter = Reminder.objects.create(invoice=invoice, date=day, level=level,
                                                 channel=ReminderChannel.LETTER, outstanding=row["outstanding"],
                                                 sent_to=invoice.buyer.get("street", ""))
                address = invoice.buyer.get("email")
                if address:
                    mail = Reminder.objects.create(invoice=invoice, date=day, level=level,
                                                   channel=ReminderChannel.MAIL, sent_to=address,
                                                   outstanding=row["outstanding"])
                    sent.append(mail)
                    transaction.on_commit(
                        lambda mail_pk=mail.pk, letter_pk=letter.pk: _reminder_mail_send(mail_pk, letter_pk),
                        robust=True)
                sent.append(letter)
                _log(invoice, LOG_REMINDED, None, {"number": invoice.number, "level": level,
                                                   "outstanding": str(row["outstanding"]), "mail": address or ""})
    return sent


def _reminder_mail_send(mail_pk: int, letter_pk: int) -> None:
    """After the commit: the reminder mail with its letter as PDF (texts in Dutch)."""
    from stedennet.invoices.pdf import reminder_letter_pdf

    with translation.override("nl"):
        reminder = Reminder.objects.select_related("invoice").get(pk=mail_pk)
        invoice = reminder.invoice
        pdf = reminder_letter_pdf(Reminder.objects.select_related("invoice").get(pk=letter_pk))
        mail = EmailMessage(
            subject=_("Reminder %(level)s: invoice %(number)s") % {"level": reminder.level, "number": invoice.number},
            body=_(
                "Dear Sir or Madam,\n\nOur records show that invoice %(number)s of %(date)s, "
                "%(amount)s, due on %(due)s, has not been paid in full. %(outstanding)s is "
                "outstanding. Please pay it within 14 days to %(iban)s, quoting %(number)s.\n\n"
                "The reminder letter is attached.\n\n%(seller)s"
            ) % {"number": invoice.number, "date": date_nl(invoice.issue_date),
                 "amount": money_nl(invoice.total_amount), "due": date_nl(invoice.due_date),
                 "outstanding": money_nl(reminder.outstanding), "iban": iban_nl(invoice.seller["iban"]),
                 "seller": invoice.seller["legal_name"]},
            from_email=settings.DEFAULT_FROM_EMAIL, to=[reminder.sent_to],
        )
        mail.attach(f"herinnering-{invoice.number}.pdf", pdf, "application/pdf")
        mail.send()


# --- sending invoices by mail ------------------------------------------------------------------

def invoices_send(*, invoices, user=None, resend: bool = False) -> tuple[list[InvoiceMailing], list[Refusal]]:
    """Send each invoice (or credit note) to the e-mail address it was issued to, with its PDF and
    UBL e-invoice attached. Recorded on the invoice (``InvoiceMailing``: to whom, when, by whom) and
    in the log in one transaction; the PDFs are rendered and the mails handed to Django's mail
    API after it commits. Already sent invoices are skipped unless ``resend``; an invoice without
    an address is refused with ``no_email``."""
    sent, refused = [], []
    with transaction.atomic():
        invoices = list(invoices)
        already = set(InvoiceMailing.objects.filter(invoice__in=invoices).values_list("invoice_id", flat=True))
        for invoice in invoices:
            address = (invoice.buyer or {}).get("email", "")
            if not address:
                refused.append(Refusal("no_email", _("%(number)s: no e-mail address for invoices was recorded for "
                                                     "%(name)s.") % {"number": invoice.number,
                                                                      "name": invoice.buyer.get("name", "")},
                                       invoice.buyer.get("cbs_code", "")))
                continue
            if invoice.pk in already and not resend:
                refused.append(Refusal("already_sent", _("%(number)s was sent before.") % {"number": invoice.number},
                                       invoice.buyer.get("cbs_code", "")))
                continue
            mailing = InvoiceMailing.objects.create(invoice=invoice, sent_to=address, sent_by=user)
            _log(invoice, LOG_SENT, user, {"number": invoice.number, "to": address})
            transaction.on_commit(lambda pk=mailing.pk: _invoice_mail_send(pk), robust=True)
            sent.append(mailing)
    return sent, refused


def _invoice_mail_send(mailing_pk: int) -> None:
    from stedennet.invoices.pdf import invoice_pdf

    with translation.override("nl"):
        mailing = InvoiceMailing.objects.select_related("invoice", "invoice__credited_invoice").get(pk=mailing_pk)
        invoice = mailing.invoice
        kind = _("Credit note") if invoice.is_credit_note else _("Invoice")
        mail = EmailMessage(
            subject=_("%(kind)s %(number)s: %(description)s") % {
                "kind": kind, "number": invoice.number, "description": invoice.description},
            body=_(
                "Dear Sir or Madam,\n\nAttached is %(kind_lower)s %(number)s of %(date)s for %(period)s, "
                "%(amount)s, as a PDF and as an e-invoice (UBL).%(payment)s\n\n%(seller)s"
            ) % {
                "kind_lower": kind.lower(), "number": invoice.number, "date": date_nl(invoice.issue_date),
                "period": f"{date_nl(invoice.period_start)} – {date_nl(invoice.period_end)}",
                "amount": money_nl(invoice.total_amount), "seller": invoice.seller["legal_name"],
                "payment": "" if invoice.is_credit_note else " " + _(
                    "Please pay it by %(due)s to %(iban)s, quoting %(number)s.") % {
                    "due": date_nl(invoice.due_date), "iban": iban_nl(invoice.seller["iban"]),
                    "number": invoice.number},
            },
            from_email=settings.DEFAULT_FROM_EMAIL, to=[mailing.sent_to],
            reply_to=[invoice.seller["email"]] if invoice.seller.get("email") else None,
        )
        mail.attach(f"{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")
        mail.attach(f"{invoice.number}.xml", invoice.ubl_xml.encode("utf-8"), "application/xml")
        mail.send()


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
