"""Reminders for overdue invoices (a letter and a mail through a real SMTP server) and issue
runs racing on PostgreSQL."""

import datetime
import threading

import pytest
from django.db import connection, connections

from stedennet.invoices.models import Invoice, Reminder
from stedennet.invoices.pdf import money_nl
from stedennet.invoices.services import invoices_issue, payment_record, reminders_send

d = datetime.date.fromisoformat


def test_overdue_invoices_get_a_letter_and_a_mail_through_smtp(g40_billing, smtp_server,
                                                                django_capture_on_commit_callbacks):
    invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01"))
    paid = Invoice.objects.exclude(municipality__cbs_code="GM0362")
    for invoice in paid:
        payment_record(invoice=invoice, date=d("2024-02-15"), amount=invoice.total_amount)
    amstelveen = Invoice.objects.get(municipality__cbs_code="GM0362")
    assert reminders_send(network=g40_billing, day=d("2024-03-01")) == []  # not yet due
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sent = reminders_send(network=g40_billing, day=d("2024-03-10"))
    assert {(r.invoice_id, r.channel, r.level) for r in sent} == {
        (amstelveen.pk, "mail", 1),
        (amstelveen.pk, "letter", 1),
    }
    assert smtp_server == [] and len(callbacks) == 1  # the mail (and its PDF) only after the commit
    with django_capture_on_commit_callbacks(execute=True):  # the outbox delivers after its own commit
        callbacks[0]()
    assert len(smtp_server) == 1
    mail = smtp_server[0]
    assert mail["To"] == "crediteuren.amstelveen@example.org"
    assert amstelveen.number in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert money_nl(amstelveen.total_amount) in body and "NL91 ABNA 0417 1643 00" in body
    assert "Geachte heer, mevrouw" in body and "binnen 14 dagen" in body
    attachment = next(mail.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    # Not again within 14 days; the second reminder after that.
    assert reminders_send(network=g40_billing, day=d("2024-03-15")) == []
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders_send(network=g40_billing, day=d("2024-03-25"))
    assert {r.level for r in second} == {2}
    assert Reminder.objects.filter(invoice=amstelveen).count() == 4
    assert len(smtp_server) == 2


def test_a_reminder_run_that_fails_sends_no_mail(g40_billing, smtp_server, monkeypatch):
    """The reminders are recorded in one transaction; no mail leaves for a run that rolled back."""
    from django.db import transaction

    from stedennet.invoices import services

    invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01"))
    real_log = services._log
    calls = []

    def failing_log(instance, action, user, data):
        calls.append(action)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real_log(instance, action, user, data)

    monkeypatch.setattr(services, "_log", failing_log)
    with pytest.raises(RuntimeError), transaction.atomic():
        reminders_send(network=g40_billing, day=d("2024-03-10"))
    assert not Reminder.objects.exists() and smtp_server == []


def test_a_paid_invoice_gets_no_reminder(g40_billing, smtp_server):
    invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01"))
    for invoice in Invoice.objects.all():
        payment_record(invoice=invoice, date=d("2024-02-15"), amount=invoice.total_amount)
    assert reminders_send(network=g40_billing, day=d("2024-06-01")) == []
    assert smtp_server == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="racing issue runs need PostgreSQL's row locks")
@pytest.mark.django_db(transaction=True)
def test_racing_issue_runs_leave_no_gap_and_no_duplicate(g40_billing):
    barrier = threading.Barrier(3)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait()
            outcomes.append(invoices_issue(network=g40_billing, year=2024, issue_date=d("2024-02-01")))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert errors == []
    assert sorted(len(o.issued) for o in outcomes) == [0, 0, 41]
    sequences = sorted(Invoice.objects.filter(year=2024).values_list("sequence", flat=True))
    assert sequences == list(range(1, 42))
    assert Invoice.objects.filter(year=2024).values("municipality").distinct().count() == 41
    issued = next(o for o in outcomes if o.issued).issued
    assert sorted(i.number for i in issued) == [f"2024-{n:04d}" for n in range(1, 42)]
