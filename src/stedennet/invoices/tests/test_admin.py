"""Invoices in the back office: read-only listings, the PDF and UBL downloads, a payment and a
credit note through their forms; billing details with their demo flag."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from lxml import etree

from stedennet.accounts.constants import Role
from stedennet.invoices.models import BuyerDetails, Invoice, InvoiceKind, Payment
from stedennet.invoices.selectors import invoices_with_status
from stedennet.invoices.services import invoices_issue
from stedennet.invoices.tests.factories import PaymentFactory

d = datetime.date.fromisoformat
INVOICES = "/admin/snippets/invoices/invoice/"


@pytest.fixture
def bureau(back_office_login, client, make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    return client


@pytest.fixture
def issued(g40_billing) -> Invoice:
    """The 2022 invoices issued; Amstelveen's (6 months) returned."""
    invoices_issue(network=g40_billing, year=2022, issue_date=d("2022-12-01"))
    return Invoice.objects.get(year=2022, municipality__cbs_code="GM0362")


def status_of(invoice: Invoice, day: datetime.date) -> str:
    rows = invoices_with_status(network=invoice.network, year=invoice.year, day=day)
    return next(row["status"] for row in rows if row["invoice"].pk == invoice.pk)


def test_the_bureau_opens_every_invoices_listing(issued, bureau):
    payment_url = "/admin/snippets/invoices/payment/"
    for url in [INVOICES, f"{INVOICES}?year=2022&kind=invoice&is_demo=true", f"{INVOICES}?q=Amstelveen",
                payment_url, "/admin/snippets/invoices/reminder/", "/admin/snippets/invoices/buyerdetails/",
                "/admin/snippets/invoices/buyerdetails/?identifiers_are_demo=true&q=amstel",
                "/admin/snippets/invoices/billingprofile/", f"{INVOICES}inspect/{issued.pk}/"]:
        assert bureau.get(url).status_code == 200, url
    listing = bureau.get(f"{INVOICES}?q=Amstelveen").content.decode()
    assert issued.number in listing and "9.698,12" in listing
    assert f"{INVOICES}inspect/{issued.pk}/" in listing and f"{INVOICES}edit/" not in listing


def test_buyer_details_show_the_demo_flag_and_are_found_by_municipality(g40_billing, bureau):
    html = bureau.get("/admin/snippets/invoices/buyerdetails/", {"q": "Amstelveen"}).content.decode()
    assert "Amstelveen" in html and "Zwolle" not in html
    assert "99990000" in html  # the placeholder OIN, shown as what it is
    assert html.count("w-status--primary") >= 1
    details = BuyerDetails.objects.get(municipality__cbs_code="GM0362")
    response = bureau.get(f"/admin/snippets/invoices/buyerdetails/edit/{details.pk}/")
    assert response.status_code == 200 and 'name="identifiers_are_demo"' in response.content.decode()


def test_the_pdf_and_the_ubl_e_invoice_download(issued, bureau):
    response = bureau.get(f"/admin/invoices/{issued.number}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="{issued.number}.pdf"' in response["Content-Disposition"]

    response = bureau.get(f"/admin/invoices/{issued.number}/ubl/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert response["Content-Disposition"].startswith("attachment;")
    root = etree.fromstring(response.content)
    assert root.tag == "{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice"
    assert root.findtext("{urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2}ID") == issued.number
    assert response.content == issued.ubl_xml.encode("utf-8")
    assert bureau.get("/admin/invoices/2022-9999/pdf/").status_code == 404


def test_an_invoice_cannot_be_edited_added_or_deleted_in_the_admin(issued, bureau):
    before = Invoice.objects.values().get(pk=issued.pk)
    for url in (f"{INVOICES}edit/{issued.pk}/", f"{INVOICES}add/", f"{INVOICES}delete/{issued.pk}/"):
        assert bureau.get(url).status_code == 404, url
    response = bureau.post(f"{INVOICES}edit/{issued.pk}/", {"description": "changed", "total_amount": "1.00"})
    assert response.status_code == 404
    bureau.post(f"{INVOICES}delete/{issued.pk}/")
    assert Invoice.objects.values().get(pk=issued.pk) == before
    inspect = bureau.get(f"{INVOICES}inspect/{issued.pk}/").content.decode()
    assert f"{INVOICES}edit/" not in inspect and f"{INVOICES}delete/" not in inspect


def test_recording_a_payment_through_the_form_makes_the_invoice_paid(issued, bureau):
    assert status_of(issued, d("2022-12-15")) == "open"
    page = bureau.get(f"/admin/invoices/{issued.number}/payment/").content.decode()
    assert "€ 9.698,12" in page

    response = bureau.post(f"/admin/invoices/{issued.number}/payment/", {"date": "2022-12-10", "amount": "0"})
    assert response.status_code == 200 and "amount" in response.context["form"].errors
    assert not Payment.objects.exists()

    response = bureau.post(f"/admin/invoices/{issued.number}/payment/",
                           {"date": "2022-12-10", "amount": "9698.12", "reference": "NL12 bank 0001"})
    assert response.status_code == 302 and response["Location"] == f"{INVOICES}inspect/{issued.pk}/"
    payment = Payment.objects.get(invoice=issued)
    assert (payment.amount, payment.date, payment.reference) == (Decimal("9698.12"), d("2022-12-10"), "NL12 bank 0001")
    assert status_of(issued, d("2022-12-15")) == "paid"
    html = bureau.get(f"{INVOICES}inspect/{issued.pk}/").content.decode()
    assert 'data-status="paid"' in html


def test_crediting_through_the_form_needs_a_reason_and_issues_a_credit_note(issued, bureau):
    url = f"/admin/invoices/{issued.number}/credit/"
    response = bureau.post(url, {"reason": "", "issue_date": "2023-01-10"})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = bureau.post(url, {"reason": "Verkeerd inwoneraantal", "issue_date": "2023-01-10"})
    note = Invoice.objects.get(kind=InvoiceKind.CREDIT_NOTE, credited_invoice=issued)
    assert response.status_code == 302 and response["Location"] == f"{INVOICES}inspect/{note.pk}/"
    assert note.total_amount == -issued.total_amount
    response = bureau.post(url, {"reason": "Nog eens", "issue_date": "2023-01-11"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Invoice.objects.filter(kind=InvoiceKind.CREDIT_NOTE).count() == 1


def test_payments_and_reminders_are_read_only(issued, bureau):
    PaymentFactory(invoice=issued, date=d("2022-12-10"), amount=Decimal("1.00"))
    payment = Payment.objects.get()
    assert bureau.get(f"/admin/snippets/invoices/payment/edit/{payment.pk}/").status_code == 404
    assert bureau.get("/admin/snippets/invoices/payment/add/").status_code == 404
    assert bureau.get("/admin/snippets/invoices/reminder/add/").status_code == 404
    assert bureau.get(f"/admin/snippets/invoices/payment/inspect/{payment.pk}/").status_code == 200


def test_others_are_refused(back_office_login, issued, client, make_user):
    urls = [f"/admin/invoices/{issued.number}/pdf/", f"/admin/invoices/{issued.number}/ubl/",
            f"/admin/invoices/{issued.number}/payment/", f"{INVOICES}inspect/{issued.pk}/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/inloggen/"), url
    editor = make_user("editor")
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    back_office_login(client, editor)
    for url in urls[:3]:
        assert client.get(url).status_code == 403, url
    assert client.get(urls[3]).status_code != 200
    response = client.post(f"/admin/invoices/{issued.number}/payment/", {"date": "2022-12-10", "amount": "5"})
    assert response.status_code == 403 and not Payment.objects.exists()
