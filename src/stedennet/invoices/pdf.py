"""PDFs of invoices, credit notes and payment reminder letters, rendered with WeasyPrint.

These are legal documents in Dutch whatever language the user has chosen: the templates hold
the Dutch text directly, and every amount and date is formatted here, the Dutch way
(``€ 19.396,23``, ``29-12-2022``), not by Django's localisation. Amounts are Decimal only.

Nothing is fetched over the network: the stylesheet is inlined, the documents use the fonts
installed on the server, and the URL fetcher refuses anything but files next to the templates.
"""

import datetime
import math
from decimal import Decimal
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML, Document
from weasyprint.urls import URLFetcher, path2url

from stedennet.invoices.models import Invoice, Reminder, VatTreatment
from stedennet.web.formats import date_nl, iban_nl, money_nl, number_nl, percent_nl, rate_nl

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "invoices" / "pdf"
REMINDER_PAYMENT_DAYS = 14
REMINDER_ORDINALS = {1: "eerste", 2: "tweede", 3: "derde", 4: "vierde", 5: "vijfde"}
DEMO_BANNER_TITLE = "DEMO — geen echte factuur"


# --- Dutch formatting ------------------------------------------------------------------------

def reminder_ordinal(level: int) -> str:
    return REMINDER_ORDINALS.get(level, f"{level}e")


# --- rendering -------------------------------------------------------------------------------

class _LocalOnlyFetcher(URLFetcher):
    """Fetches only files below the PDF template folder; every other URL is refused and stops
    the rendering, so a template can never make the server fetch something from the network."""

    allowed_prefix = path2url(str(TEMPLATE_DIR)).rstrip("/") + "/"

    def __init__(self):
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, fail_on_errors=True)

    def fetch(self, url, headers=None):
        if not url.startswith(self.allowed_prefix):
            raise ValueError(f"The invoice PDF may not fetch {url!r}")
        return super().fetch(url, headers)


def _document(template: str, context: dict) -> Document:
    with translation.override("nl"):
        html = render_to_string(template, context)
    return HTML(string=html, base_url=str(TEMPLATE_DIR) + "/", url_fetcher=_LocalOnlyFetcher()).render()


def _party(snapshot: dict) -> dict:
    """A frozen seller or buyer with its printed forms added."""
    party = dict(snapshot)
    if party.get("iban"):
        party["iban_display"] = iban_nl(party["iban"])
    return party


def _vat(invoice: Invoice) -> dict:
    """The VAT row of the totals and, unless VAT is charged, the statement why not."""
    reason = (invoice.seller.get("vat_exemption_reason") or "").strip().rstrip(".")
    if reason[:2].istitle():  # "Contributie van leden" → "contributie van leden"; "BTW-..." stays
        reason = reason[0].lower() + reason[1:]
    if invoice.vat_treatment == VatTreatment.STANDARD:
        return {"label": f"Btw {percent_nl(invoice.vat_rate)} over {money_nl(invoice.net_amount)}", "note": ""}
    if invoice.vat_treatment == VatTreatment.EXEMPT:
        return {"label": "Btw: vrijgesteld", "note": f"Vrijgesteld van btw: {reason or 'vrijgestelde prestatie'}."}
    return {
        "label": "Btw: niet van toepassing (buiten de reikwijdte)",
        "note": f"Btw niet van toepassing: {reason or 'buiten de reikwijdte van de btw'}.",
    }


def _demo(invoice: Invoice) -> dict | None:
    if not invoice.is_demo:
        return None
    reasons = [str(reason) for reason in invoice.demo_reasons or []]
    # The banner lives in the top page margin of every page: make the margin tall enough for
    # its reasons (about 95 characters fit on a line of the banner).
    lines = sum(max(1, math.ceil(len(reason) / 95)) for reason in reasons)
    return {"title": DEMO_BANNER_TITLE, "reasons": reasons, "margin_top_mm": 30 + 4 * lines}


def _invoice_context(invoice: Invoice) -> dict:
    lines = [{
        "position": line.position,
        "description": line.description,
        "explanation": line.explanation,
        "inhabitants": number_nl(line.inhabitants),
        "rate": rate_nl(line.rate),
        "months": line.months,
        "amount": money_nl(line.amount),
    } for line in invoice.lines.order_by("position")]
    credited = invoice.credited_invoice if invoice.is_credit_note else None
    title = "Creditnota" if invoice.is_credit_note else "Factuur"
    return {
        "invoice": invoice,
        "title": title,
        "document_title": f"{title} {invoice.number} — {invoice.buyer.get('name', '')}",
        "seller": _party(invoice.seller),
        "buyer": _party(invoice.buyer),
        "number": invoice.number,
        "issue_date": date_nl(invoice.issue_date),
        "issue_date_iso": invoice.issue_date.isoformat(),
        "due_date": date_nl(invoice.due_date),
        "period_start": date_nl(invoice.period_start),
        "period_end": date_nl(invoice.period_end),
        "is_credit_note": invoice.is_credit_note,
        "credited": {"number": credited.number, "issue_date": date_nl(credited.issue_date)} if credited else None,
        "lines": lines,
        "net_amount": money_nl(invoice.net_amount),
        "vat_amount": money_nl(invoice.vat_amount),
        "total_amount": money_nl(invoice.total_amount),
        "credit_amount": money_nl(abs(invoice.total_amount)),
        "vat": _vat(invoice),
        "demo": _demo(invoice),
    }


def invoice_document(invoice: Invoice) -> Document:
    """The laid-out pages of an invoice or credit note (the tests read their text)."""
    return _document("invoices/pdf/invoice.html", _invoice_context(invoice))


def invoice_pdf(invoice: Invoice) -> bytes:
    """The PDF of an invoice or credit note, from its frozen seller, buyer and lines."""
    return invoice_document(invoice).write_pdf(pdf_tags=True)


def _reminder_context(reminder: Reminder) -> dict:
    invoice = reminder.invoice
    paid = max(invoice.total_amount - reminder.outstanding, Decimal("0.00"))
    ordinal = reminder_ordinal(reminder.level)
    pay_before = reminder.date + datetime.timedelta(days=REMINDER_PAYMENT_DAYS)
    return {
        "invoice": invoice,
        "reminder": reminder,
        "ordinal": ordinal,
        "document_title": f"Betalingsherinnering factuur {invoice.number} — {invoice.buyer.get('name', '')}",
        "seller": _party(invoice.seller),
        "buyer": _party(invoice.buyer),
        "number": invoice.number,
        "date": date_nl(reminder.date),
        "date_iso": reminder.date.isoformat(),
        "issue_date": date_nl(invoice.issue_date),
        "due_date": date_nl(invoice.due_date),
        "period_start": date_nl(invoice.period_start),
        "period_end": date_nl(invoice.period_end),
        "pay_before": date_nl(pay_before),
        "payment_days": REMINDER_PAYMENT_DAYS,
        "total_amount": money_nl(invoice.total_amount),
        "paid": money_nl(paid),
        "outstanding": money_nl(reminder.outstanding),
        "demo": _demo(invoice),
    }


def reminder_letter_document(reminder: Reminder) -> Document:
    """The laid-out pages of a payment reminder letter (the tests read their text)."""
    return _document("invoices/pdf/reminder.html", _reminder_context(reminder))


def reminder_letter_pdf(reminder: Reminder) -> bytes:
    """The PDF of a payment reminder letter ("betalingsherinnering") for an overdue invoice."""
    return reminder_letter_document(reminder).write_pdf(pdf_tags=True)
