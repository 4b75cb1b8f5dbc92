"""Issuing contribution invoices: one per member, gapless numbers, never changed, credit notes,
payments, reminders by real SMTP, export for the accounting system."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from stedennet.invoices.models import BuyerDetails, Invoice, InvoiceSequence, Payment
from stedennet.invoices.selectors import invoices_export_csv, invoices_with_status
from stedennet.invoices.services import (
    IssueRefused,
    credit_note_issue,
    invoices_issue,
    payment_record,
)
from stedennet.invoices.validation import artefacts_available, ubl_validate

d = datetime.date.fromisoformat


def numbers(network, year):
    return list(
        Invoice.objects.filter(network=network, year=year).order_by("sequence").values_list("number", flat=True)
    )


class TestIssue:
    def test_a_2024_run_issues_41_invoices_with_gapless_numbers(self, g40_billing):
        report = invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01"))
        assert len(report.issued) == 41
        assert numbers(g40_billing, 2024) == [f"2024-{n:04d}" for n in range(1, 42)]
        amstelveen = Invoice.objects.get(year=2024, municipality__cbs_code="GM0362")
        assert amstelveen.is_demo and any("demo" in reason for reason in amstelveen.demo_reasons)
        assert amstelveen.due_date == d("2024-03-02")
        assert amstelveen.net_amount == amstelveen.lines.get().amount == amstelveen.total_amount

    @pytest.mark.skipif(not artefacts_available(), reason="../shared/validators/ubl is absent")
    def test_every_ubl_of_a_fresh_2024_run_passes_si_ubl_and_peppol(self, g40_billing):
        invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01"))
        for invoice in Invoice.objects.filter(year=2024):
            assert ubl_validate(invoice.ubl_xml, "nlcius") == [], invoice.number
        # Peppol mode: the same invoices issued under the Peppol profile pass EN 16931 and Peppol BIS 3.0.
        profile = g40_billing.billing_profile
        profile.ubl_profile = "peppol"
        profile.save()
        Invoice.objects.filter(year=2024).delete()
        InvoiceSequence.objects.filter(year=2024).update(last_number=0)
        invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01"))
        for invoice in Invoice.objects.filter(year=2024):
            assert ubl_validate(invoice.ubl_xml, "peppol") == [], invoice.number

    def test_a_second_run_issues_nothing_new(self, g40_billing):
        invoices_issue(network=g40_billing, year=2022)
        again = invoices_issue(network=g40_billing, year=2022)
        assert (len(again.issued), len(again.skipped)) == (0, 41)
        assert len(numbers(g40_billing, 2022)) == 41

    def test_amstelveen_2022_invoice_is_half_a_year(self, g40_billing):
        invoices_issue(network=g40_billing, year=2022)
        invoice = Invoice.objects.get(year=2022, municipality__cbs_code="GM0362")
        line = invoice.lines.get()
        assert (line.inhabitants, line.rate, line.months, line.amount) == (
            92363,
            Decimal("0.21"),
            6,
            Decimal("9698.12"),
        )
        assert "92.363 inhabitants" in line.explanation or "92.363 inwoners" in line.explanation
        assert '<cbc:PayableAmount currencyID="EUR">9698.12</cbc:PayableAmount>' in invoice.ubl_xml

    def test_a_member_without_oin_or_kvk_is_refused_by_name_and_nothing_is_issued(self, g40_billing):
        BuyerDetails.objects.filter(municipality__cbs_code="GM0362").update(oin="", kvk="")
        with pytest.raises(IssueRefused) as refused:
            invoices_issue(network=g40_billing, year=2024)
        assert any("Amstelveen (GM0362)" in p and "BR-NL-10" in p for p in refused.value.problems)
        assert not Invoice.objects.exists()

    def test_no_rule_no_invoices(self, g40_billing):
        with pytest.raises(IssueRefused, match="geen contributieregel voor 2030"):
            invoices_issue(network=g40_billing, year=2030)
        assert not Invoice.objects.exists()


class TestNeverChanged:
    def test_an_issued_invoice_cannot_be_saved_again(self, g40_billing):
        invoices_issue(network=g40_billing, year=2022)
        invoice = Invoice.objects.first()
        invoice.net_amount = Decimal("1.00")
        with pytest.raises(ValidationError, match="verandert nooit"):
            invoice.save()

    def test_a_credit_note_refers_to_the_invoice_and_takes_the_next_number(self, g40_billing):
        invoices_issue(network=g40_billing, year=2022)
        invoice = Invoice.objects.get(year=2022, municipality__cbs_code="GM0362")
        note = credit_note_issue(invoice=invoice, reason="verkeerde peildatum")
        assert note.number == "2022-0042" and note.credited_invoice == invoice
        assert note.total_amount == Decimal("-9698.12")
        assert "<CreditNote" in note.ubl_xml and invoice.number in note.ubl_xml
        with pytest.raises(IssueRefused, match="al gecrediteerd"):
            credit_note_issue(invoice=invoice, reason="nogmaals")
        # A new run issues a fresh invoice for the credited member only.
        report = invoices_issue(network=g40_billing, year=2022)
        assert [i.municipality.cbs_code for i in report.issued] == ["GM0362"]
        assert report.issued[0].number == "2022-0043"


class TestPayments:
    def test_status_follows_payments_and_the_due_date(self, g40_billing):
        invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01"))
        invoice = Invoice.objects.get(year=2024, municipality__cbs_code="GM0362")
        status = {r["invoice"].pk: r for r in invoices_with_status(network=g40_billing, year=2024, day=d("2024-02-10"))}
        assert status[invoice.pk]["status"] == "open"
        payment_record(invoice=invoice, date=d("2024-02-20"), amount=Decimal("100.00"))
        rows = {r["invoice"].pk: r for r in invoices_with_status(network=g40_billing, year=2024, day=d("2024-02-21"))}
        assert rows[invoice.pk]["status"] == "partly_paid"
        assert rows[invoice.pk]["outstanding"] == invoice.total_amount - Decimal("100.00")
        rows = {r["invoice"].pk: r for r in invoices_with_status(network=g40_billing, year=2024, day=d("2024-04-01"))}
        assert rows[invoice.pk]["status"] == "overdue"
        payment_record(invoice=invoice, date=d("2024-04-02"), amount=invoice.total_amount - Decimal("100.00"))
        rows = {r["invoice"].pk: r for r in invoices_with_status(network=g40_billing, year=2024, day=d("2024-04-03"))}
        assert rows[invoice.pk]["status"] == "paid"

    def test_a_non_positive_payment_is_refused(self, g40_billing):
        invoices_issue(network=g40_billing, year=2024)
        with pytest.raises(ValueError, match="positief"):
            payment_record(invoice=Invoice.objects.first(), date=d("2024-02-20"), amount=Decimal("0"))
        assert not Payment.objects.exists()


class TestExport:
    def test_csv_has_one_row_per_invoice_with_exact_amounts(self, g40_billing):
        invoices_issue(network=g40_billing, year=2022, issue_date=d("2022-08-01"))
        rows = list(
            csv.DictReader(io.StringIO(invoices_export_csv(network=g40_billing, year=2022, day=d("2022-08-02"))))
        )
        assert len(rows) == 41
        amstelveen = next(r for r in rows if r["cbs_code"] == "GM0362")
        assert amstelveen["total_amount"] == "9698.12" and amstelveen["status"] == "open"
        assert amstelveen["demo"] == "demo"  # placeholder identifiers

    def test_the_command_writes_the_csv_and_the_ubl(self, g40_billing, capsys):
        call_command("invoices", "issue", "2022", "--date", "2022-08-01", stdout=io.StringIO())
        call_command("invoices", "export", "2022", "--format", "csv")
        out = capsys.readouterr().out
        assert out.startswith("number,kind,credits,issue_date") and "2022-0041" in out
        call_command("invoices", "ubl", "2022-0001")
        assert capsys.readouterr().out.startswith("<?xml")

    def test_the_command_refuses_with_every_reason(self, g40_billing):
        BuyerDetails.objects.all().delete()
        with pytest.raises(CommandError) as error:
            call_command("invoices", "issue", "2024", stdout=io.StringIO())
        assert str(error.value).count("geen OIN of KvK-nummer") == 41


class TestAuditTrailFromTheCommandLine:
    """What the command line does is in the audit trail as what the back office does, without a user."""

    def test_issuing_through_the_command_writes_an_audit_entry_per_invoice(self, g40_billing):
        from wagtail.models import ModelLogEntry

        call_command("invoices", "issue", "2022", "--date", "2022-08-01", stdout=io.StringIO())
        entries = ModelLogEntry.objects.filter(action="stedennet.invoice_issued")
        invoices = dict(Invoice.objects.values_list("pk", "number"))
        assert len(invoices) == 41
        assert sorted(entries.values_list("object_id", flat=True)) == sorted(str(pk) for pk in invoices)
        assert set(entries.values_list("user_id", flat=True)) == {None}
        first = entries.get(object_id=str(Invoice.objects.get(number="2022-0001").pk))
        assert (first.data["number"], first.data["year"]) == ("2022-0001", 2022)

    def test_payments_credit_notes_and_reminders_through_the_command_are_in_the_trail(self, g40_billing):
        from wagtail.models import ModelLogEntry

        call_command("invoices", "issue", "2022", "--date", "2022-08-01", stdout=io.StringIO())
        call_command("invoices", "pay", "2022-0001", "10.00", "--date", "2022-08-10", stdout=io.StringIO())
        call_command("invoices", "credit", "2022-0002", "--reason", "verkeerde peildatum", stdout=io.StringIO())
        call_command("invoices", "remind", "--on", "2022-12-01", stdout=io.StringIO())

        def entries(action: str, number: str | None = None):
            found = ModelLogEntry.objects.filter(action=action, user__isnull=True)
            if number:
                found = found.filter(object_id=str(Invoice.objects.get(number=number).pk))
            return found

        [payment] = entries("stedennet.payment_recorded", "2022-0001")
        assert (payment.data["amount"], payment.data["status"]) == ("10.00", "overdue")  # judged today
        [credited] = entries("stedennet.invoice_credited", "2022-0002")
        assert credited.data["credit_note"] == "2022-0042"
        assert entries("stedennet.invoice_issued", "2022-0042").count() == 1
        # Every invoice still unpaid after its due date is reminded: all but the credited one.
        assert entries("stedennet.reminder_sent").count() == 40
        assert not entries("stedennet.reminder_sent", "2022-0002").exists()
