"""The UBL e-invoice, checked with the official artefacts (UBL 2.1 XSD, SI-UBL 2.0, EN 16931, Peppol BIS 3.0)."""

import datetime
from decimal import Decimal

import pytest
from lxml import etree

from stedennet.contributions.selectors import money
from stedennet.invoices import validation
from stedennet.invoices.models import BillingProfile, BuyerDetails, Invoice, InvoiceKind, InvoiceLine
from stedennet.invoices.services import buyer_snapshot, seller_snapshot
from stedennet.invoices.ubl import invoice_ubl
from stedennet.invoices.validation import artefacts_available, ubl_validate, ubl_validate_all
from stedennet.registry.models import Municipality

needs_artefacts = pytest.mark.skipif(
    not artefacts_available(),
    reason=f"UBL validation artefacts not found in {validation.ARTEFACTS} (set STEDENNET_UBL_ARTEFACTS)",
)
PROFILES = ["nlcius", "peppol"]
NS = {
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
}
AMOUNT = Decimal("9698.12")


def seller(network, profile: str, **fields) -> dict:
    values = {
        "legal_name": "Vereniging G40 Stedennetwerk", "street": "Voorbeeldstraat 1", "postal_code": "1000 AA",
        "city": "Amsterdam", "kvk": "99999999", "oin": "99999999000003620000", "iban": "NL91ABNA0417164300",
        "email": "facturen@example.nl", "ubl_profile": profile, "identifiers_are_demo": True, **fields,
    }
    return seller_snapshot(BillingProfile(network=network, **values))


def buyer(municipality, **fields) -> dict:
    values = {
        "oin": "00000001234567890000", "street": "Laan Nieuwer-Amstel 1", "postal_code": "1182 JR",
        "buyer_reference": "GM0362 contributie 2022", "identifiers_are_demo": True, **fields,
    }
    return buyer_snapshot(municipality, BuyerDetails(municipality=municipality, **values))


def contribution_line(amount: Decimal = AMOUNT, description: str = "Contributie G40 2022") -> InvoiceLine:
    return InvoiceLine(
        position=1, description=description,
        explanation="92.363 inwoners op 01-01-2022 (eigen telling gemeente) × €0.2100 per inwoner × 6/12 maanden",
        inhabitants=92363, population_source="municipal", population_date=datetime.date(2022, 1, 1),
        rate=Decimal("0.2100"), months=6, amount=amount,
    )


def make_invoice(network, municipality, lines, *, seller_data, buyer_data, kind=InvoiceKind.INVOICE,
                 credited=None, number="2022-0001", vat_treatment="outside_scope", vat_rate=Decimal("0.00")):
    """An unsaved invoice as ``services._build`` makes it."""
    net = sum((line.amount for line in lines), Decimal("0.00"))
    vat = money(net * vat_rate / 100)
    issue_date = datetime.date(2022, 7, 1) if credited is None else datetime.date(2022, 9, 1)
    return Invoice(
        network=network, year=2022, sequence=int(number[-4:]), number=number, kind=kind, municipality=municipality,
        credited_invoice=credited, issue_date=issue_date, due_date=issue_date + datetime.timedelta(days=30),
        period_start=datetime.date(2022, 1, 1), period_end=datetime.date(2022, 12, 31),
        description=lines[0].description, seller=seller_data, buyer=buyer_data, net_amount=net,
        vat_treatment=vat_treatment, vat_rate=vat_rate, vat_amount=vat, total_amount=net + vat,
        is_demo=True, demo_reasons=["de contributieregel voor 2022 is een aanname (demodata)"],
    )


@pytest.fixture
def amstelveen(g40):
    return Municipality.objects.get(cbs_code="GM0362")


def amstelveen_invoice(g40, amstelveen, profile, **options):
    seller_fields = options.pop("seller_fields", {})
    buyer_fields = options.pop("buyer_fields", {})
    return make_invoice(
        g40, amstelveen, [contribution_line()], seller_data=seller(g40, profile, **seller_fields),
        buyer_data=buyer(amstelveen, **buyer_fields), **options,
    )


def credit_note_of(invoice: Invoice) -> tuple[Invoice, list[InvoiceLine]]:
    lines = [contribution_line(-AMOUNT, f"Creditering van factuur {invoice.number}: verkeerde peildatum")]
    note = make_invoice(
        invoice.network, invoice.municipality, lines, seller_data=invoice.seller, buyer_data=invoice.buyer,
        kind=InvoiceKind.CREDIT_NOTE, credited=invoice, number="2022-0002", vat_treatment=invoice.vat_treatment,
        vat_rate=invoice.vat_rate,
    )
    return note, lines


def rules(problems) -> set[str]:
    return {problem.rule for problem in problems}


def test_contribution_amount_is_rounded_half_up_once():
    assert money(Decimal(92363) * Decimal("0.21") * 6 / 12) == AMOUNT  # 9698.115


@needs_artefacts
@pytest.mark.parametrize("profile", PROFILES)
def test_invoice_passes_every_rule(g40, amstelveen, profile):
    invoice = amstelveen_invoice(g40, amstelveen, profile)
    xml = invoice_ubl(invoice, [contribution_line()])

    errors, warnings = ubl_validate_all(xml, profile)

    assert errors == []
    assert warnings == []
    root = etree.fromstring(xml.encode())
    assert etree.QName(root).localname == "Invoice"
    assert root.findtext("cbc:InvoiceTypeCode", namespaces=NS) == "380"
    assert root.findtext("cbc:Note", namespaces=NS).startswith("DEMO: ")


@needs_artefacts
@pytest.mark.parametrize("profile", PROFILES)
def test_credit_note_passes_every_rule_with_positive_amounts(g40, amstelveen, profile):
    invoice = amstelveen_invoice(g40, amstelveen, profile)
    credit_note, lines = credit_note_of(invoice)
    xml = invoice_ubl(credit_note, lines)

    assert ubl_validate_all(xml, profile) == ([], [])
    root = etree.fromstring(xml.encode())
    assert etree.QName(root).localname == "CreditNote"
    assert root.findtext("cbc:CreditNoteTypeCode", namespaces=NS) == "381"
    assert root.findtext("cac:BillingReference/cac:InvoiceDocumentReference/cbc:ID", namespaces=NS) == "2022-0001"
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "9698.12"
    assert root.findtext("cac:CreditNoteLine/cbc:CreditedQuantity", namespaces=NS) == "1"
    assert root.findtext("cac:CreditNoteLine/cac:Price/cbc:PriceAmount", namespaces=NS) == "9698.12"
    assert "-" not in "".join(root.xpath("//*[@currencyID]/text()"))


@needs_artefacts
@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize(("treatment", "rate", "vat"), [("standard", "21.00", "2036.61"), ("exempt", "0.00", "0.00")])
def test_vat_charged_or_exempt_with_seller_vat_number_passes(g40, amstelveen, profile, treatment, rate, vat):
    invoice = amstelveen_invoice(g40, amstelveen, profile, vat_treatment=treatment, vat_rate=Decimal(rate),
                                 seller_fields={"vat_number": "NL000099998B57"})
    xml = invoice_ubl(invoice, [contribution_line()])

    assert ubl_validate(xml, profile) == []
    root = etree.fromstring(xml.encode())
    assert root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS) == vat
    assert root.findtext("cac:TaxTotal/cac:TaxSubtotal/cac:TaxCategory/cbc:Percent", namespaces=NS) == rate
    party = "cac:AccountingSupplierParty/cac:Party/cac:PartyTaxScheme/cbc:CompanyID"
    assert root.findtext(party, namespaces=NS) == "NL000099998B57"


@pytest.mark.parametrize("treatment", ["standard", "exempt"])
def test_vat_without_seller_vat_number_is_refused(g40, amstelveen, treatment):
    invoice = amstelveen_invoice(g40, amstelveen, "nlcius", vat_treatment=treatment, vat_rate=Decimal("21.00"))

    with pytest.raises(ValueError, match="VAT number"):
        invoice_ubl(invoice, [contribution_line()])


@needs_artefacts
def test_buyer_without_oin_or_kvk_fails_validation(g40, amstelveen):
    nlcius = amstelveen_invoice(g40, amstelveen, "nlcius", buyer_fields={"oin": "", "kvk": ""})
    peppol = amstelveen_invoice(g40, amstelveen, "peppol", buyer_fields={"oin": "", "kvk": ""})

    assert "BR-NL-10" in rules(ubl_validate(invoice_ubl(nlcius, [contribution_line()]), "nlcius"))
    assert "PEPPOL-EN16931-R010" in rules(ubl_validate(invoice_ubl(peppol, [contribution_line()]), "peppol"))


@needs_artefacts
@pytest.mark.parametrize("profile", PROFILES)
def test_tampered_payable_amount_fails_validation(g40, amstelveen, profile):
    root = etree.fromstring(invoice_ubl(amstelveen_invoice(g40, amstelveen, profile), [contribution_line()]).encode())
    root.find("cac:LegalMonetaryTotal/cbc:PayableAmount", NS).text = "9698.13"

    problems = ubl_validate(etree.tostring(root, xml_declaration=True, encoding="UTF-8"), profile)

    assert "BR-CO-16" in rules(problems)
    assert all(problem.flag in ("fatal", "error") for problem in problems)


@needs_artefacts
def test_schema_violation_is_reported(g40, amstelveen):
    root = etree.fromstring(invoice_ubl(amstelveen_invoice(g40, amstelveen, "nlcius"), [contribution_line()]).encode())
    root.find("cbc:IssueDate", NS).addnext(etree.Element(f"{{{NS['cbc']}}}Bogus"))

    problems = ubl_validate(etree.tostring(root), "nlcius")

    assert rules(problems) == {"XSD"}
    assert "Bogus" in problems[0].message


def test_amounts_are_the_decimal_strings(g40, amstelveen):
    root = etree.fromstring(invoice_ubl(amstelveen_invoice(g40, amstelveen, "nlcius"), [contribution_line()]).encode())

    assert root.findtext("cac:InvoiceLine/cbc:LineExtensionAmount", namespaces=NS) == "9698.12"
    assert root.findtext("cac:InvoiceLine/cac:Price/cbc:PriceAmount", namespaces=NS) == "9698.12"
    assert root.findtext("cac:LegalMonetaryTotal/cbc:PayableAmount", namespaces=NS) == "9698.12"
    assert root.findtext("cac:TaxTotal/cbc:TaxAmount", namespaces=NS) == "0.00"
    properties = {p.findtext("cbc:Name", namespaces=NS): p.findtext("cbc:Value", namespaces=NS)
                  for p in root.iterfind("cac:InvoiceLine/cac:Item/cac:AdditionalItemProperty", NS)}
    assert properties["Inwoners"] == "92363"
    assert properties["Tarief per inwoner per jaar (EUR)"] == "0.2100"
    assert properties["Peildatum inwonertal"] == "2022-01-01"


def test_float_amounts_are_refused(g40, amstelveen):
    invoice = amstelveen_invoice(g40, amstelveen, "nlcius")

    with pytest.raises(TypeError, match="must be Decimal"):
        invoice_ubl(invoice, [contribution_line(amount=9698.12)])


def test_missing_artefacts_raise_naming_the_path(tmp_path, monkeypatch):
    monkeypatch.setattr(validation, "ARTEFACTS", tmp_path)
    monkeypatch.setattr(validation, "_saxon", {})
    validation._schema.cache_clear()

    assert not artefacts_available()
    with pytest.raises(RuntimeError, match=str(tmp_path)):
        ubl_validate(b"<Invoice xmlns='urn:oasis:names:specification:ubl:schema:xsd:Invoice-2'/>", "nlcius")
    validation._schema.cache_clear()
