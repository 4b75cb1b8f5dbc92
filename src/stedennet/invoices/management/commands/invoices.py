import datetime
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from stedennet.invoices.models import Invoice
from stedennet.invoices.selectors import invoice_balance_of, invoices_export_csv
from stedennet.invoices.services import (
    IssueRefused,
    credit_note_issue,
    invoices_issue,
    payment_record,
    reminders_send,
)
from stedennet.registry.selectors import network_current
from stedennet.web.formats import money_nl


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"not a date (YYYY-MM-DD): {value!r}") from None


class Command(BaseCommand):
    help = "Invoices: issue, ubl, pdf, export, pay, credit, remind."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="issue one invoice per member for a year from the assessment")
        issue.add_argument("year", type=int)
        issue.add_argument("--date", help="issue date (default today)")
        ubl = sub.add_parser("ubl", help="write an invoice's UBL 2.1 e-invoice to stdout")
        ubl.add_argument("number")
        pdf = sub.add_parser("pdf", help="write an invoice's PDF to a file")
        pdf.add_argument("number")
        pdf.add_argument("--output", "-o", required=True)
        export = sub.add_parser("export", help="export a year's invoices for the accounting system")
        export.add_argument("year", type=int)
        export.add_argument("--format", choices=["csv"], default="csv")
        pay = sub.add_parser("pay", help="record a payment")
        pay.add_argument("number")
        pay.add_argument("amount")
        pay.add_argument("--date", required=True)
        pay.add_argument("--reference", default="")
        credit = sub.add_parser("credit", help="cancel an invoice with a credit note")
        credit.add_argument("number")
        credit.add_argument("--reason", required=True)
        remind = sub.add_parser("remind", help="send reminders for overdue invoices (mail and letter)")
        remind.add_argument("--on", help="the day to judge overdue on (default today)")

    def handle(self, *args, action: str, **options) -> None:
        network = network_current()
        if network is None:
            raise CommandError("No network loaded; run `stedennet load-g40` first.")
        getattr(self, f"_{action}")(network, options)

    def _invoice(self, number: str) -> Invoice:
        try:
            return Invoice.objects.get(number=number)
        except Invoice.DoesNotExist:
            raise CommandError(f"no invoice numbered {number!r}") from None

    def _issue(self, network, options):
        issue_date = _date(options["date"]) if options.get("date") else None
        try:
            report = invoices_issue(network=network, year=options["year"], issue_date=issue_date)
        except IssueRefused as error:
            raise CommandError("nothing issued:\n  " + "\n  ".join(error.problems)) from None
        for invoice in report.issued:
            demo = "  DEMO" if invoice.is_demo else ""
            self.stdout.write(
                f"{invoice.number}  {invoice.municipality.display_name:<24} {money_nl(invoice.total_amount):>14}{demo}"
            )
        self.stdout.write(f"Issued {len(report.issued)} invoice(s); {len(report.skipped)} member(s) already invoiced.")

    def _ubl(self, network, options):
        sys.stdout.write(self._invoice(options["number"]).ubl_xml)

    def _pdf(self, network, options):
        from stedennet.invoices.pdf import invoice_pdf

        output = Path(options["output"])
        folder = output.parent
        if not folder.is_dir():
            raise CommandError(f"cannot write {output}: the folder {folder} does not exist")
        if output.is_dir():
            raise CommandError(f"cannot write {output}: it is a folder; give a file name, e.g. {output / 'x.pdf'}")
        invoice = self._invoice(options["number"])
        try:
            output.write_bytes(invoice_pdf(invoice))
        except OSError as error:
            raise CommandError(f"cannot write {output}: {error.strerror}") from None
        self.stdout.write(f"wrote {output}")

    def _export(self, network, options):
        sys.stdout.write(invoices_export_csv(network=network, year=options["year"]))

    def _pay(self, network, options):
        try:
            amount = Decimal(options["amount"])
        except InvalidOperation:
            raise CommandError(f"not an amount: {options['amount']!r}") from None
        try:
            payment_record(
                invoice=self._invoice(options["number"]),
                date=_date(options["date"]),
                amount=amount,
                reference=options["reference"],
            )
        except ValidationError as error:  # PaymentRefused, or the payment's own checks
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"payment of {money_nl(amount)} recorded on {options['number']}")
        balance = invoice_balance_of(Invoice.objects.get(number=options["number"]))
        extra = f", {money_nl(balance.overpaid)} overpaid" if balance.overpaid else (
            f", {money_nl(balance.outstanding)} outstanding" if balance.outstanding else "")
        self.stdout.write(f"status: {balance.status}{extra}")

    def _credit(self, network, options):
        try:
            note = credit_note_issue(invoice=self._invoice(options["number"]), reason=options["reason"])
        except IssueRefused as error:
            raise CommandError("\n".join(error.problems)) from None
        self.stdout.write(f"credit note {note.number} issued for {options['number']}")

    def _remind(self, network, options):
        day = _date(options["on"]) if options.get("on") else None
        sent = reminders_send(network=network, day=day)
        for reminder in sent:
            self.stdout.write(
                f"{reminder.invoice.number}: reminder {reminder.level} by {reminder.channel} "
                f"({reminder.sent_to or 'post'}), {money_nl(reminder.outstanding)} outstanding"
            )
        self.stdout.write(f"{len(sent)} reminder(s).")
