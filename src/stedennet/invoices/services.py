"""Issuing invoices from an assessment, credit notes, payments and reminders.

Numbers are gapless and unique per network and year: an issue run locks the year's
``InvoiceSequence`` row for its whole transaction, so a second run waits, then sees what the
first issued and skips those members. Everything a run issues commits together or not at all.

Every change is in the audit trail (Wagtail's log: an invoice issued, credited, sent, a payment
recorded, a reminder sent), from the command line and the back office alike; mails and the PDFs
they carry are made after the commit. What an invoice's status allows is ``constants.ALLOWED``,
refused here by one check (``_refuse_action``). Reads (the preview of a run, the export,
balances) are in ``selectors``.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.contributions.selectors import money
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
from stedennet.invoices.selectors import (
    Balance,
    Refusal,
    invoice_balance_of,
    invoiced_members,
    invoices_issue_preview,
    invoices_with_status,
)
from stedennet.registry.models import Municipality, Network
from stedennet.web.formats import date_nl, iban_nl, money_nl
from stedennet.web.refusals import Refused

__all__ = [
    "IssueRefused",
    "IssueReport",
    "PaymentRefused",
    "buyer_snapshot",
    "credit_note_issue",
    "invoices_issue",
    "invoices_send",
    "payment_record",
    "reminders_send",
    "seller_snapshot",
]


class IssueRefused(Refused):
    """Nothing was issued; ``refusals`` says why, member by member (``problems``: the messages,
    ``codes``: their codes). ``IssueRefused([Refusal(...), ...])`` for several reasons,
    ``IssueRefused(message, code)`` for one."""

    def __init__(self, message, code: str | None = None, params=None, *, field: str | None = None,
                 cbs_code: str = ""):
        if isinstance(message, list | tuple):
            message = [m if isinstance(m, Refused) else Refusal(str(m), self.default_code) for m in message]
        super().__init__(message, code, params, field=field)
        self.cbs_code = cbs_code

    @property
    def refusals(self) -> list[Refused]:
        return list(self.error_list)

    @property
    def problems(self) -> list[str]:
        return list(self.messages)

    def __str__(self) -> str:
        return "\n".join(self.problems)


class PaymentRefused(Refused, ValueError):
    """A payment that is not recorded: ``code`` says why, ``field`` which input is wrong."""


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
        raise IssueRefused([Refusal(f"{municipality.display_name} ({municipality.cbs_code}): {error}",
                                    "ubl_not_built", cbs_code=municipality.cbs_code)]) from None
    if artefacts_available():
        # The official SI-UBL / EN 16931 / Peppol rules: a non-compliant e-invoice is never stored.
        problems = ubl_validate(invoice.ubl_xml, profile.ubl_profile)
        if problems:
            raise IssueRefused([Refusal(f"{label} {municipality.display_name}: [{p.rule}] {p.message}",
                                        "ubl_invalid", cbs_code=municipality.cbs_code) for p in problems])
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    return invoice


def invoices_issue(*, network: Network, year: int, issue_date: datetime.date | None = None, user=None) -> IssueReport:
    """Issue one invoice per assessed member that has none for ``year`` yet. All or nothing.
    The texts frozen into the invoices are Dutch, whatever language the caller uses. Every
    invoice issued is logged (Wagtail's log: who, when, which run), from the command line and
    from the back office alike."""
    with translation.override("nl"):
        return _invoices_issue(network=network, year=year, issue_date=issue_date, user=user)


def _invoices_issue(*, network: Network, year: int, issue_date: datetime.date | None, user) -> IssueReport:
    plan = invoices_issue_preview(network=network, year=year, issue_date=issue_date)
    if plan.refusals:
        raise IssueRefused(plan.refusals)
    report = IssueReport()
    with transaction.atomic():
        sequence = _lock_sequence(network, year)
        already = invoiced_members(network=network, year=year)  # again, under the lock: a racing run may have issued
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
    log(instance=instance, action=action, user=user, data=data)


def _refusal_message(action: str, code: str) -> str:
    if action == Action.PAY:
        messages = {
            "credit_note": _("%(number)s is a credit note; a payment is recorded on an invoice."),
            "invoice_credited": _("Invoice %(number)s has been credited; it is not to be paid."),
            "already_paid": _("Invoice %(number)s has been paid in full already."),
        }
        return messages.get(code, _("Invoice %(number)s cannot be paid."))
    if action == Action.CREDIT:
        messages = {
            "credit_note": _("Only an invoice can be credited, not %(number)s."),
            "invoice_credited": _("Invoice %(number)s has already been credited."),
        }
        return messages.get(code, _("Invoice %(number)s cannot be credited."))
    return _("This cannot be done to invoice %(number)s in its present status.")


def _refuse_action(invoice: Invoice, balance: Balance, action: str, refused: type[Refused]) -> None:
    """The one check of ``constants.ALLOWED``: ``action`` on ``invoice`` in the status of
    ``balance``, else ``refused`` with the status's code (``constants.REFUSAL_CODE``)."""
    if allowed(balance.status, action):
        return
    code = REFUSAL_CODE.get(balance.status, "not_allowed")
    raise refused(_refusal_message(action, code) % {"number": invoice.number}, code)


def credit_note_issue(*, invoice: Invoice, reason: str, issue_date: datetime.date | None = None,
                      user=None) -> Invoice:
    """Cancel an issued invoice in full with a credit note referring to it (texts in Dutch)."""
    with translation.override("nl"):
        return _credit_note_issue(invoice=invoice, reason=reason, issue_date=issue_date, user=user)


def _credit_note_issue(*, invoice: Invoice, reason: str, issue_date: datetime.date | None, user) -> Invoice:
    _refuse_action(invoice, invoice_balance_of(invoice), Action.CREDIT, IssueRefused)
    if not reason.strip():
        raise IssueRefused(_("A credit note needs a reason."), "reason_missing", field="reason")
    with transaction.atomic():
        sequence = _lock_sequence(invoice.network, invoice.year)
        # Again under the lock: a credit note issued meanwhile has credited the invoice.
        _refuse_action(invoice, invoice_balance_of(invoice), Action.CREDIT, IssueRefused)
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
        raise PaymentRefused(_("The amount must be a number of euros, e.g. 1234.56."), "not_a_number",
                             field="amount")
    if not amount.is_finite():
        raise PaymentRefused(_("The amount must be a finite number of euros, not %(amount)s.") % {"amount": amount},
                             "not_finite", field="amount")
    if amount != amount.quantize(CENT):
        raise PaymentRefused(_("The amount %(amount)s has more than two decimals; give whole cents.")
                             % {"amount": amount}, "too_many_decimals", field="amount")
    if amount <= 0:
        raise PaymentRefused(_("A payment amount must be positive."), "not_positive", field="amount")
    if amount > LARGEST_AMOUNT:
        raise PaymentRefused(_("The amount %(amount)s is larger than any invoice.") % {"amount": amount},
                             "too_large", field="amount")
    return amount.quantize(CENT)


def payment_record(*, invoice: Invoice, date: datetime.date, amount: Decimal, reference: str = "",
                   user=None) -> Payment:
    """Record money received on ``invoice``. Refused (``PaymentRefused`` with a ``code``): an amount
    that is not a finite number of whole cents above zero, a date in the future, a payment on a
    credit note, on a credited invoice or on an invoice already paid in full. A payment beyond
    what is outstanding is recorded and the invoice shows as overpaid, with the excess."""
    amount = _payment_amount(amount)
    if not isinstance(date, datetime.date):
        raise PaymentRefused(_("A payment needs the date it was received."), "date_missing", field="date")
    today = timezone.localdate()
    if date > today:
        raise PaymentRefused(_("The payment date %(date)s is in the future; give the date the money was received.")
                             % {"date": date_nl(date)}, "future_date", field="date")
    with transaction.atomic():
        # One payment at a time per invoice: the status is judged on what was recorded before.
        Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
        _refuse_action(invoice, invoice_balance_of(invoice, day=today), Action.PAY, PaymentRefused)
        payment = Payment(invoice=invoice, date=date, amount=amount, reference=reference)
        payment.full_clean()
        payment.save()
        after = invoice_balance_of(invoice, day=today)
        _log(invoice, LOG_PAYMENT, user, {"number": invoice.number, "amount": str(amount), "date": date.isoformat(),
                                          "status": after.status, "overpaid": str(after.overpaid)})
    return payment


def reminders_send(*, network: Network, day: datetime.date | None = None, min_days_between: int = 14,
                   user=None) -> list[Reminder]:
    """For every overdue invoice: a reminder by mail (with the letter as PDF attached) and a
    letter for the post, at most once per ``min_days_between`` days. The reminders are recorded
    (and logged) in one transaction; the letters are rendered and the mails sent after it commits."""
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
                _log(invoice, LOG_REMINDED, user, {"number": invoice.number, "level": level,
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
                refused.append(Refusal(_("%(number)s: no e-mail address for invoices was recorded for %(name)s.")
                                       % {"number": invoice.number, "name": invoice.buyer.get("name", "")},
                                       "no_email", cbs_code=invoice.buyer.get("cbs_code", "")))
                continue
            if invoice.pk in already and not resend:
                refused.append(Refusal(_("%(number)s was sent before.") % {"number": invoice.number},
                                       "already_sent", cbs_code=invoice.buyer.get("cbs_code", "")))
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
