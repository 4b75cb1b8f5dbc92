"""Payments add up: refused where an invoice is not to be paid, overpayments shown as such,
no future dates, no amounts that are not whole cents; the invoice period is the months paid
for; re-issuing after a credit note; the audit trail."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from lxml import etree

from stedennet.invoices.models import Invoice, Payment
from stedennet.invoices.selectors import invoice_balance_of, invoices_export_csv, invoices_with_status
from stedennet.invoices.services import (
    PaymentRefused,
    credit_note_issue,
    invoices_issue,
    payment_record,
)
from stedennet.invoices.validation import artefacts_available, ubl_validate

d = datetime.date.fromisoformat
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"


@pytest.fixture
def issued_2022(g40_billing):
    invoices_issue(network=g40_billing, year=2022, issue_date=d("2022-12-01"))
    return Invoice.objects.select_related("municipality")


def amstelveen(year=2022) -> Invoice:
    return Invoice.objects.get(year=year, municipality__cbs_code="GM0362", kind="invoice", credit_notes__isnull=True)


def refused_code(**kwargs) -> str:
    with pytest.raises(PaymentRefused) as refused:
        payment_record(**kwargs)
    return refused.value.code


class TestRefusedPayments:
    def test_a_payment_on_a_credit_note_or_a_credited_invoice_is_refused(self, issued_2022):
        invoice = amstelveen()
        note = credit_note_issue(invoice=invoice, reason="verkeerde peildatum")
        assert refused_code(invoice=note, date=d("2022-12-10"), amount=Decimal("10.00")) == "credit_note"
        assert refused_code(invoice=invoice, date=d("2022-12-10"), amount=Decimal("10.00")) == "invoice_credited"
        assert not Payment.objects.exists()

    def test_a_second_payment_on_a_paid_invoice_is_refused(self, issued_2022):
        invoice = amstelveen()
        payment_record(invoice=invoice, date=d("2022-12-10"), amount=invoice.total_amount)
        assert refused_code(invoice=invoice, date=d("2022-12-11"), amount=Decimal("1.00")) == "already_paid"
        assert Payment.objects.count() == 1

    def test_a_payment_date_in_the_future_is_refused(self, issued_2022):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(PaymentRefused) as refused:
            payment_record(invoice=amstelveen(), date=tomorrow, amount=Decimal("10.00"))
        assert (refused.value.code, refused.value.field) == ("future_date", "date")
        payment_record(invoice=amstelveen(), date=timezone.localdate(), amount=Decimal("10.00"))  # today is fine

    @pytest.mark.parametrize(("amount", "code"), [
        (Decimal("10.001"), "too_many_decimals"),
        (Decimal("0.005"), "too_many_decimals"),
        (Decimal("NaN"), "not_finite"),
        (Decimal("sNaN"), "not_finite"),
        (Decimal("Infinity"), "not_finite"),
        (Decimal("-Infinity"), "not_finite"),
        (Decimal("0.00"), "not_positive"),
        (Decimal("-5.00"), "not_positive"),
        (Decimal("1E+15"), "too_large"),
        (10.5, "not_a_number"),
    ])
    def test_amounts_that_are_not_whole_cents_are_refused_with_a_code(self, issued_2022, amount, code):
        with pytest.raises(PaymentRefused) as refused:
            payment_record(invoice=amstelveen(), date=d("2022-12-10"), amount=amount)
        assert (refused.value.code, refused.value.field) == (code, "amount")
        assert not Payment.objects.exists()

    def test_trailing_zeros_are_whole_cents(self, issued_2022):
        payment = payment_record(invoice=amstelveen(), date=d("2022-12-10"), amount=Decimal("10.500"))
        assert payment.amount == Decimal("10.50")

    @pytest.mark.parametrize(("amount", "code"), [
        ("NaN", "not_finite"), ("Infinity", "not_finite"), ("12.345", "too_many_decimals"), ("-1", "not_positive"),
    ])
    def test_the_command_says_why(self, issued_2022, amount, code):
        with pytest.raises(PaymentRefused) as refused:
            payment_record(invoice=amstelveen(), date=d("2022-12-10"), amount=Decimal(amount))
        assert refused.value.code == code
        with pytest.raises(CommandError) as error:
            call_command("invoices", "pay", amstelveen().number, amount, "--date", "2022-12-10",
                         stdout=io.StringIO())
        assert str(refused.value) in str(error.value)
        assert not Payment.objects.exists()

    def test_the_command_refuses_a_future_date_and_a_credit_note(self, issued_2022):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        with pytest.raises(PaymentRefused) as refused:
            payment_record(invoice=amstelveen(), date=tomorrow, amount=Decimal("10"))
        with pytest.raises(CommandError) as error:
            call_command("invoices", "pay", amstelveen().number, "10", "--date", tomorrow.isoformat(),
                         stdout=io.StringIO())
        assert str(refused.value) in str(error.value)
        note = credit_note_issue(invoice=amstelveen(), reason="fout")
        with pytest.raises(PaymentRefused) as refused:
            payment_record(invoice=note, date=d("2022-12-10"), amount=Decimal("10"))
        with pytest.raises(CommandError) as error:
            call_command("invoices", "pay", note.number, "10", "--date", "2022-12-10", stdout=io.StringIO())
        assert refused.value.code == "credit_note" and str(refused.value) in str(error.value)
        assert not Payment.objects.exists()


class TestOverpayment:
    def test_an_overpayment_is_recorded_and_shown_everywhere(self, issued_2022, g40_billing):
        invoice = amstelveen()
        out = io.StringIO()
        call_command("invoices", "pay", invoice.number, str(invoice.total_amount + Decimal("100.00")),
                     "--date", "2022-12-10", stdout=out)
        assert "overpaid" in out.getvalue() and "100,00" in out.getvalue()
        balance = invoice_balance_of(invoice)
        assert (balance.status, balance.outstanding, balance.overpaid) == ("overpaid", Decimal("0.00"),
                                                                           Decimal("100.00"))
        row = next(r for r in invoices_with_status(network=g40_billing, year=2022) if r["invoice"].pk == invoice.pk)
        assert (row["status"], row["overpaid"]) == ("overpaid", Decimal("100.00"))
        exported = next(r for r in csv.DictReader(io.StringIO(invoices_export_csv(network=g40_billing, year=2022)))
                        if r["number"] == invoice.number)
        assert (exported["status"], exported["outstanding"], exported["overpaid"]) == ("overpaid", "0.00", "100.00")

    def test_an_exact_payment_is_paid_not_overpaid(self, issued_2022):
        invoice = amstelveen()
        payment_record(invoice=invoice, date=d("2022-12-10"), amount=invoice.total_amount)
        balance = invoice_balance_of(invoice)
        assert (balance.status, balance.overpaid) == ("paid", Decimal("0.00"))

    def test_partial_payments_that_together_exceed_the_total_are_overpaid(self, issued_2022):
        invoice = amstelveen()
        payment_record(invoice=invoice, date=d("2022-12-10"), amount=Decimal("9000.00"))
        payment_record(invoice=invoice, date=d("2022-12-11"), amount=Decimal("700.00"))
        balance = invoice_balance_of(invoice)
        assert (balance.status, balance.overpaid) == ("overpaid", Decimal("1.88"))  # 9700.00 - 9698.12

    def test_a_credit_note_has_its_own_status(self, issued_2022, g40_billing):
        note = credit_note_issue(invoice=amstelveen(), reason="fout")
        statuses = {r["invoice"].number: r["status"] for r in invoices_with_status(network=g40_billing, year=2022)}
        assert statuses[note.number] == "credit_note" and statuses[note.credited_invoice.number] == "credited"


class TestInvoicePeriod:
    def test_amstelveen_2022_pays_for_july_to_december(self, issued_2022):
        invoice = amstelveen()
        assert (invoice.period_start, invoice.period_end) == (d("2022-07-01"), d("2022-12-31"))
        period = etree.fromstring(invoice.ubl_xml.encode()).find(f"{{{CAC}}}InvoicePeriod")
        assert period.findtext(f"{{{CBC}}}StartDate") == "2022-07-01"
        assert period.findtext(f"{{{CBC}}}EndDate") == "2022-12-31"

    def test_a_full_year_member_pays_for_the_whole_year(self, issued_2022):
        zwolle = Invoice.objects.get(year=2022, municipality__cbs_code="GM0193")
        assert (zwolle.period_start, zwolle.period_end) == (d("2022-01-01"), d("2022-12-31"))

    def test_a_member_that_leaves_pays_to_the_end_of_its_last_month(self, g40_billing):
        from stedennet.membership.models import MembershipPeriod

        MembershipPeriod.objects.filter(municipality__cbs_code="GM0193").update(end_date=d("2024-04-15"))
        invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-05-01"))
        zwolle = Invoice.objects.get(year=2024, municipality__cbs_code="GM0193")
        line = zwolle.lines.get()
        rule_months = line.months
        assert zwolle.period_start == d("2024-01-01")
        assert zwolle.period_end == {3: d("2024-03-31"), 4: d("2024-04-30")}[rule_months]

    def test_the_pdf_shows_the_period(self, issued_2022):
        from stedennet.invoices.pdf import invoice_document
        from stedennet.invoices.tests.test_pdf import page_texts

        assert "01-07-2022 t/m 31-12-2022" in page_texts(invoice_document(amstelveen()))[0]

    def test_the_credit_note_carries_the_period_of_the_invoice(self, issued_2022):
        note = credit_note_issue(invoice=amstelveen(), reason="fout")
        assert (note.period_start, note.period_end) == (d("2022-07-01"), d("2022-12-31"))

    @pytest.mark.skipif(not artefacts_available(), reason="../shared/validators/ubl is absent")
    def test_the_part_year_ubl_still_validates(self, issued_2022):
        invoice = amstelveen()
        assert ubl_validate(invoice.ubl_xml, "nlcius") == []
        note = credit_note_issue(invoice=invoice, reason="fout")
        assert ubl_validate(note.ubl_xml, "nlcius") == []


class TestReissueAfterCredit:
    def test_a_fully_credited_member_gets_a_new_invoice_with_the_next_number(self, issued_2022, g40_billing):
        invoice = amstelveen()
        note = credit_note_issue(invoice=invoice, reason="verkeerde peildatum")
        out = io.StringIO()
        call_command("invoices", "issue", "2022", "--date", "2022-12-20", stdout=out)
        fresh = amstelveen()
        assert fresh.pk != invoice.pk and fresh.number == "2022-0043" and note.number == "2022-0042"
        assert fresh.issue_date == d("2022-12-20") and fresh.total_amount == invoice.total_amount
        assert "2022-0043" in out.getvalue()
        # The old invoice and its credit note stay; a second run issues nothing more.
        assert Invoice.objects.filter(year=2022, municipality__cbs_code="GM0362").count() == 3
        assert invoices_issue(network=g40_billing, year=2022).issued == []


class TestAuditTrail:
    def test_issuing_crediting_and_paying_leave_log_entries(self, issued_2022, make_user):
        from wagtail.models import ModelLogEntry

        invoice = amstelveen()
        entries = ModelLogEntry.objects.filter(content_type__model="invoice", object_id=str(invoice.pk))
        assert list(entries.values_list("action", "user_id")) == [("stedennet.invoice_issued", None)]
        bureau = make_user("bureau-x")
        payment_record(invoice=invoice, date=d("2022-12-10"), amount=Decimal("1.00"), user=bureau)
        credit_note_issue(invoice=invoice, reason="fout", user=bureau)
        assert set(entries.values_list("action", "user_id")) == {
            ("stedennet.invoice_issued", None), ("stedennet.payment_recorded", bureau.pk),
            ("stedennet.invoice_credited", bureau.pk)}
        assert entries.get(action="stedennet.invoice_issued").data["period"] == ["2022-07-01", "2022-12-31"]
