"""Issuing a year's invoices from the back office (preview, then the same service as the command),
sending them by mail with the PDF and UBL attached, and the actions an invoice's page offers."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from stedennet.accounts.constants import Role
from stedennet.invoices.models import BuyerDetails, Invoice, InvoiceMailing, Payment
from stedennet.invoices.services import credit_note_issue, invoices_issue, invoices_send, payment_record

d = datetime.date.fromisoformat
INVOICES = "/admin/snippets/invoices/invoice/"
ISSUE_2024 = "/admin/invoices/year/2024/issue/"


@pytest.fixture
def bureau_user(make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def bureau(back_office_login, client, bureau_user):
    back_office_login(client, bureau_user)
    return client


def action_names(html: str) -> set[str]:
    return set(re.findall(r'data-action="(pay|credit|send|remind)"', html))


class TestIssueFromTheBackOffice:
    def test_the_overview_links_to_the_preview(self, g40_billing, bureau):
        html = bureau.get("/admin/contributions/overview/?year=2024").content.decode()
        assert f'href="{ISSUE_2024}"' in html

    def test_the_preview_lists_what_will_be_issued_and_writes_nothing(self, g40_billing, bureau):
        response = bureau.get(ISSUE_2024, {"issue_date": "2024-02-01"})
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="issue-planned" data-count="41"' in html
        assert 'data-testid="issue-confirm"' in html
        plan = response.context["plan"]
        from stedennet.contributions.selectors import assess

        assert plan.total == assess(network=g40_billing, year=2024).total
        amstelveen = next(p for p in plan.to_issue if p.municipality.cbs_code == "GM0362")
        assert amstelveen.amount == Decimal("19952.94")
        assert not Invoice.objects.exists()

    def test_the_preview_shows_every_refusal_with_its_reason_and_offers_no_issue(self, g40_billing, bureau):
        BuyerDetails.objects.filter(municipality__cbs_code="GM0362").update(oin="", kvk="")
        BuyerDetails.objects.filter(municipality__cbs_code="GM0193").update(street="")
        html = bureau.get(ISSUE_2024).content.decode()
        assert re.search(r'data-code="buyer_without_identifier" data-cbs-code="GM0362"', html)
        assert re.search(r'data-code="buyer_without_address" data-cbs-code="GM0193"', html)
        assert 'data-testid="issue-confirm"' not in html
        # Posting anyway issues nothing and shows the reasons.
        expected = bureau.get(ISSUE_2024).context["expected"]
        response = bureau.post(ISSUE_2024, {"issue_date": "2024-02-01", "expected": expected})
        assert response.status_code == 200 and not Invoice.objects.exists()
        assert {r.code for r in response.context["refusals"]} == {"buyer_without_identifier", "buyer_without_address"}

    def test_confirming_issues_through_the_service_and_leaves_the_same_trail_as_the_command(
            self, g40_billing, bureau, bureau_user):
        from wagtail.models import ModelLogEntry

        expected = bureau.get(ISSUE_2024, {"issue_date": "2024-02-01"}).context["expected"]
        response = bureau.post(ISSUE_2024, {"issue_date": "2024-02-01", "expected": expected})
        assert response.status_code == 302 and response["Location"] == "/admin/contributions/overview/?year=2024"
        assert Invoice.objects.filter(year=2024).count() == 41
        assert list(Invoice.objects.filter(year=2024).order_by("sequence").values_list("number", flat=True)) == [
            f"2024-{n:04d}" for n in range(1, 42)]
        back_office = ModelLogEntry.objects.filter(action="stedennet.invoice_issued")
        assert back_office.count() == 41 and set(back_office.values_list("user_id", flat=True)) == {bureau_user.pk}

        call_command("invoices", "issue", "2022", "--date", "2022-12-01", stdout=io.StringIO())
        command = ModelLogEntry.objects.filter(action="stedennet.invoice_issued", user__isnull=True)
        assert command.count() == 41
        assert set(command.first().data) == set(back_office.first().data) == {"number", "year", "total", "period"}
        # The overview now shows the invoices; a second preview has nothing left to issue.
        html = bureau.get(ISSUE_2024).content.decode()
        assert 'data-testid="issue-planned" data-count="0"' in html and 'data-code="already_invoiced"' in html

    def test_a_preview_that_is_out_of_date_issues_nothing(self, g40_billing, bureau):
        response = bureau.post(ISSUE_2024, {"issue_date": "2024-02-01", "expected": "40:1.00"})
        assert response.status_code == 200 and not Invoice.objects.exists()

    def test_others_are_refused(self, g40_billing, client, make_user):
        client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
        assert client.get(ISSUE_2024).status_code in (302, 403)
        assert client.post(ISSUE_2024, {"issue_date": "2024-02-01"}).status_code in (302, 403)
        assert not Invoice.objects.exists()


@pytest.fixture
def issued(g40_billing) -> Invoice:
    invoices_issue(network=g40_billing, year=2022, issue_date=d("2022-12-01"))
    return Invoice.objects.get(year=2022, municipality__cbs_code="GM0362")


class TestActionsFollowTheStatus:
    def test_an_open_invoice_offers_payment_credit_and_mail(self, issued, bureau):
        assert action_names(bureau.get(f"{INVOICES}inspect/{issued.pk}/").content.decode()) == {
            "pay", "credit", "send"}

    def test_a_paid_invoice_offers_no_payment(self, issued, bureau):
        payment_record(invoice=issued, date=d("2022-12-10"), amount=issued.total_amount)
        assert action_names(bureau.get(f"{INVOICES}inspect/{issued.pk}/").content.decode()) == {"credit", "send"}
        response = bureau.get(f"/admin/invoices/{issued.number}/payment/")
        assert response.status_code == 302 and response["Location"] == f"{INVOICES}inspect/{issued.pk}/"
        bureau.post(f"/admin/invoices/{issued.number}/payment/", {"date": "2022-12-11", "amount": "5.00"})
        assert Payment.objects.count() == 1

    def test_a_credited_invoice_and_its_credit_note_offer_neither_payment_nor_credit(self, issued, bureau):
        note = credit_note_issue(invoice=issued, reason="fout")
        assert action_names(bureau.get(f"{INVOICES}inspect/{issued.pk}/").content.decode()) == {"send"}
        assert action_names(bureau.get(f"{INVOICES}inspect/{note.pk}/").content.decode()) == {"send"}
        assert bureau.get(f"/admin/invoices/{note.number}/payment/").status_code == 302
        bureau.post(f"/admin/invoices/{note.number}/payment/", {"date": "2022-12-11", "amount": "5.00"})
        assert not Payment.objects.exists()

    def test_the_payment_form_names_the_field_that_is_wrong(self, issued, bureau):
        url = f"/admin/invoices/{issued.number}/payment/"
        tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
        response = bureau.post(url, {"date": tomorrow, "amount": "10.00"})
        assert response.context["form"].errors["date"][0] and response.context["form"].has_error("date", "future_date")
        for amount in ["12.345", "NaN", "Infinity"]:
            response = bureau.post(url, {"date": "2022-12-10", "amount": amount})
            assert "amount" in response.context["form"].errors, amount
        assert not Payment.objects.exists()

    def test_an_overpayment_through_the_form_shows_as_overpaid(self, issued, bureau):
        bureau.post(f"/admin/invoices/{issued.number}/payment/", {"date": "2022-12-10", "amount": "9700.00"})
        html = bureau.get(f"{INVOICES}inspect/{issued.pk}/").content.decode()
        assert 'data-status="overpaid"' in html
        assert re.search(r'data-testid="overpaid">€ 1,88<', html)
        assert re.search(r'data-testid="outstanding">€ 0,00<', html)


class TestSendByMail:
    def test_sending_records_it_and_mails_the_pdf_and_the_ubl_after_the_commit(
            self, issued, bureau, bureau_user, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=True):
            response = bureau.post(f"/admin/invoices/{issued.number}/send/")
        assert response.status_code == 302
        mailing = InvoiceMailing.objects.get(invoice=issued)
        assert (mailing.sent_to, mailing.sent_by) == ("crediteuren.amstelveen@example.org", bureau_user)
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["crediteuren.amstelveen@example.org"] and issued.number in message.subject
        attachments = {name: (content, kind) for name, content, kind in message.attachments}
        assert attachments[f"{issued.number}.pdf"][0][:5] == b"%PDF-"
        assert attachments[f"{issued.number}.xml"][0] == issued.ubl_xml.encode("utf-8")
        html = bureau.get(f"{INVOICES}inspect/{issued.pk}/").content.decode()
        assert "crediteuren.amstelveen@example.org" in html.split('data-testid="sent"')[1][:400]

    def test_no_mail_leaves_before_the_commit(self, issued, django_capture_on_commit_callbacks):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            invoices_send(invoices=[issued])
        assert mail.outbox == [] and len(callbacks) == 1 and InvoiceMailing.objects.count() == 1

    def test_a_year_is_sent_once_and_an_invoice_without_address_is_named(
            self, issued, bureau, django_capture_on_commit_callbacks):
        BuyerDetails.objects.filter(municipality__cbs_code="GM0193").update(email="")
        zwolle = Invoice.objects.get(year=2022, municipality__cbs_code="GM0193")
        zwolle_buyer = {**zwolle.buyer, "email": ""}
        Invoice.objects.filter(pk=zwolle.pk).update(buyer=zwolle_buyer)
        page = bureau.get("/admin/invoices/year/2022/send/").content.decode()
        assert zwolle.number in page
        with django_capture_on_commit_callbacks(execute=True):
            bureau.post("/admin/invoices/year/2022/send/")
        assert InvoiceMailing.objects.count() == 40 and len(mail.outbox) == 40
        assert not InvoiceMailing.objects.filter(invoice=zwolle).exists()
        sent, refused = invoices_send(invoices=Invoice.objects.filter(year=2022))
        assert sent == [] and {r.code for r in refused} == {"already_sent", "no_email"}

    def test_sending_is_logged(self, issued, bureau_user):
        from wagtail.models import ModelLogEntry

        invoices_send(invoices=[issued], user=bureau_user)
        entry = ModelLogEntry.objects.get(action="stedennet.invoice_sent")
        assert (entry.object_id, entry.user_id, entry.data["to"]) == (
            str(issued.pk), bureau_user.pk, "crediteuren.amstelveen@example.org")
