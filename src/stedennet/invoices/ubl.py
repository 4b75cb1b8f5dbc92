"""The UBL 2.1 e-invoice of a contribution invoice or credit note (EN 16931, as SI-UBL 2.0 or
Peppol BIS Billing 3.0).

A line is one contribution: quantity 1 ("C62", one unit) at a price equal to the line amount.
The amount is inhabitants × rate × months / 12, possibly capped by a minimum or maximum, and
rounded once to cents; any quantity × price split would either carry a rounded price or be
wrong when a minimum or maximum applies. How the amount was computed is stated in words (line
note, item description) and as item properties (inhabitants, reference date, source, rate,
months). The text of the document is Dutch: it is a Dutch invoice to Dutch municipalities.
"""

from decimal import Decimal

from lxml import etree

from stedennet.invoices.constants import SOURCE_LABELS
from stedennet.invoices.models import UblProfile, VatTreatment

NS_INVOICE = "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
NS_CREDIT_NOTE = "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
CAC = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
CBC = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2"

CUSTOMIZATION = {
    UblProfile.NLCIUS: "urn:cen.eu:en16931:2017#compliant#urn:fdc:nen.nl:nlcius:v1.0",
    UblProfile.PEPPOL: "urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0",
}
PROFILE_ID = "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"
CURRENCY = "EUR"
SCHEME_OIN = "0190"
SCHEME_KVK = "0106"
PAYMENT_SEPA_CREDIT_TRANSFER = "58"
UNIT_ONE = "C62"
VAT_CATEGORY = {VatTreatment.OUTSIDE_SCOPE: "O", VatTreatment.EXEMPT: "E", VatTreatment.STANDARD: "S"}
CENT = Decimal("0.01")


def _amount(value: Decimal) -> str:
    """A money amount as exactly two decimals; refuses floats and amounts that are not whole cents."""
    if not isinstance(value, Decimal):
        raise TypeError(f"Amounts must be Decimal, not {type(value).__name__}: {value!r}")
    if value != value.quantize(CENT):
        raise ValueError(f"Amount {value} is not in whole cents")
    return str(value.quantize(CENT) + 0)  # + 0 turns -0.00 into 0.00


class _Builder:
    def __init__(self, invoice, lines):
        self.invoice = invoice
        self.lines = sorted(lines, key=lambda line: line.position)
        self.credit = invoice.is_credit_note
        self.seller = invoice.seller
        self.buyer = invoice.buyer
        self.profile = self.seller.get("ubl_profile") or UblProfile.NLCIUS
        if self.profile not in CUSTOMIZATION:
            raise ValueError(f"Unknown e-invoice profile {self.profile!r}")
        for line in self.lines:
            _amount(line.amount)
        self.category = VAT_CATEGORY[invoice.vat_treatment]
        if self.category in ("S", "E") and not self.seller.get("vat_number"):
            raise ValueError(
                f"Invoice {invoice.number}: VAT treatment {invoice.vat_treatment!r} needs the seller's VAT number "
                "(EN 16931 rules BR-S-02 and BR-E-02); fill it in on the billing profile."
            )

    # Document amounts are positive on a credit note: the stored amounts are negative there.
    def money(self, value: Decimal) -> str:
        return _amount(-value if self.credit else value)

    def el(self, parent, tag: str, text, **attrs):
        """A basic component; none when ``text`` is empty (Peppol forbids empty elements, PEPPOL-EN16931-R008)."""
        if text is None or text == "":
            return None
        element = etree.SubElement(parent, f"{{{CBC}}}{tag}", attrs)
        element.text = str(text)
        return element

    def agg(self, parent, tag: str):
        return etree.SubElement(parent, f"{{{CAC}}}{tag}")

    def cash(self, parent, tag: str, value: Decimal):
        return self.el(parent, tag, self.money(value), currencyID=CURRENCY)

    def build(self) -> str:
        invoice = self.invoice
        ns = NS_CREDIT_NOTE if self.credit else NS_INVOICE
        root = etree.Element(f"{{{ns}}}{'CreditNote' if self.credit else 'Invoice'}",
                             nsmap={None: ns, "cac": CAC, "cbc": CBC})
        self.el(root, "CustomizationID", CUSTOMIZATION[self.profile])
        self.el(root, "ProfileID", PROFILE_ID)
        self.el(root, "ID", invoice.number)
        self.el(root, "IssueDate", invoice.issue_date.isoformat())
        if self.credit:
            self.el(root, "CreditNoteTypeCode", "381")
        else:
            self.el(root, "DueDate", invoice.due_date.isoformat())
            self.el(root, "InvoiceTypeCode", "380")
        if invoice.is_demo:  # Peppol allows one document note (PEPPOL-EN16931-R002)
            self.el(root, "Note", "DEMO: " + "; ".join(invoice.demo_reasons or ["demonstratiegegevens"]))
        self.el(root, "DocumentCurrencyCode", CURRENCY)
        self.el(root, "BuyerReference", self.buyer.get("buyer_reference") or None)
        period = self.agg(root, "InvoicePeriod")
        self.el(period, "StartDate", invoice.period_start.isoformat())
        self.el(period, "EndDate", invoice.period_end.isoformat())
        if self.credit:
            credited = invoice.credited_invoice
            if credited is None:
                raise ValueError(f"Credit note {invoice.number} does not refer to an invoice")
            reference = self.agg(self.agg(root, "BillingReference"), "InvoiceDocumentReference")
            self.el(reference, "ID", credited.number)
            if self.profile == UblProfile.PEPPOL:  # SI-UBL advises against it (BR-NL-24)
                self.el(reference, "IssueDate", credited.issue_date.isoformat())
        self.party(self.agg(root, "AccountingSupplierParty"), self.seller, self.seller["legal_name"], seller=True)
        self.party(self.agg(root, "AccountingCustomerParty"), self.buyer, self.buyer["name"], seller=False)
        self.payment(root)
        self.tax_total(root)
        self.totals(root)
        for line in self.lines:
            self.line(root, line)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode("utf-8")

    def party(self, parent, data: dict, name: str, *, seller: bool):
        party = self.agg(parent, "Party")
        oin, kvk = data.get("oin"), data.get("kvk")
        if oin or kvk:
            self.el(party, "EndpointID", oin or kvk, schemeID=SCHEME_OIN if oin else SCHEME_KVK)
        address = self.agg(party, "PostalAddress")
        self.el(address, "StreetName", data.get("street") or None)
        self.el(address, "CityName", data.get("city") or None)
        self.el(address, "PostalZone", data.get("postal_code") or None)
        self.el(self.agg(address, "Country"), "IdentificationCode", data.get("country_code") or "NL")
        # Category O forbids VAT identifiers of seller and buyer (BR-O-02).
        if data.get("vat_number") and self.category != "O":
            scheme = self.agg(party, "PartyTaxScheme")
            self.el(scheme, "CompanyID", data["vat_number"])
            self.el(self.agg(scheme, "TaxScheme"), "ID", "VAT")
        legal = self.agg(party, "PartyLegalEntity")
        self.el(legal, "RegistrationName", name)
        if oin or kvk:  # BR-NL-1 (seller), BR-NL-10 (buyer)
            self.el(legal, "CompanyID", oin or kvk, schemeID=SCHEME_OIN if oin else SCHEME_KVK)
        if data.get("email") or (seller and data.get("phone")):
            contact = self.agg(party, "Contact")
            if seller:
                self.el(contact, "Telephone", data.get("phone") or None)
            self.el(contact, "ElectronicMail", data.get("email") or None)

    def payment(self, root):
        invoice = self.invoice
        means = self.agg(root, "PaymentMeans")
        self.el(means, "PaymentMeansCode", PAYMENT_SEPA_CREDIT_TRANSFER)
        self.el(means, "PaymentID", invoice.number)
        self.el(self.agg(means, "PayeeFinancialAccount"), "ID", self.seller["iban"])
        if self.credit:
            note = (f"Creditnota op factuur {invoice.credited_invoice.number}; het bedrag wordt verrekend "
                    "of terugbetaald.")
        else:
            days = (invoice.due_date - invoice.issue_date).days
            note = (f"Betaling binnen {days} dagen, uiterlijk {invoice.due_date:%d-%m-%Y}, op "
                    f"{self.seller['iban']} onder vermelding van {invoice.number}.")
        self.el(self.agg(root, "PaymentTerms"), "Note", note)

    def tax_category(self, parent, tag: str, *, with_reason: bool):
        category = self.agg(parent, tag)
        self.el(category, "ID", self.category)
        if self.category != "O":  # category O carries no rate (BR-O-05, BR-O-14)
            rate = self.invoice.vat_rate if self.category == "S" else Decimal("0")
            self.el(category, "Percent", _amount(Decimal(rate)))
        if with_reason and self.category != "S":  # BR-O-10, BR-E-10
            reason = self.seller.get("vat_exemption_reason") or (
                "Buiten de reikwijdte van de btw" if self.category == "O" else "Vrijgesteld van btw")
            self.el(category, "TaxExemptionReason", reason)
        self.el(self.agg(category, "TaxScheme"), "ID", "VAT")

    def tax_total(self, root):
        total = self.agg(root, "TaxTotal")
        self.cash(total, "TaxAmount", self.invoice.vat_amount)
        subtotal = self.agg(total, "TaxSubtotal")
        self.cash(subtotal, "TaxableAmount", self.invoice.net_amount)
        self.cash(subtotal, "TaxAmount", self.invoice.vat_amount)
        self.tax_category(subtotal, "TaxCategory", with_reason=True)

    def totals(self, root):
        invoice = self.invoice
        totals = self.agg(root, "LegalMonetaryTotal")
        self.cash(totals, "LineExtensionAmount", sum((line.amount for line in self.lines), Decimal("0.00")))
        self.cash(totals, "TaxExclusiveAmount", invoice.net_amount)
        self.cash(totals, "TaxInclusiveAmount", invoice.total_amount)
        self.cash(totals, "PayableAmount", invoice.total_amount)

    def line(self, root, line):
        element = self.agg(root, "CreditNoteLine" if self.credit else "InvoiceLine")
        self.el(element, "ID", line.position)
        self.el(element, "Note", line.explanation or None)
        self.el(element, "CreditedQuantity" if self.credit else "InvoicedQuantity", "1", unitCode=UNIT_ONE)
        self.cash(element, "LineExtensionAmount", line.amount)
        item = self.agg(element, "Item")
        self.el(item, "Description", line.explanation or None)
        self.el(item, "Name", line.description)
        self.tax_category(item, "ClassifiedTaxCategory", with_reason=False)
        properties = [
            ("Inwoners", line.inhabitants),
            ("Peildatum inwonertal", line.population_date.isoformat()),
            ("Bron inwonertal", SOURCE_LABELS.get(line.population_source, line.population_source)),
            ("Tarief per inwoner per jaar (EUR)", line.rate),
            ("Maanden", f"{line.months}/12"),
        ]
        for name, value in properties:
            prop = self.agg(item, "AdditionalItemProperty")
            self.el(prop, "Name", name)
            self.el(prop, "Value", value)
        self.cash(self.agg(element, "Price"), "PriceAmount", line.amount)


def invoice_ubl(invoice, lines) -> str:
    """The UBL 2.1 XML of ``invoice`` (an Invoice or a CreditNote document) with its ``lines``."""
    return _Builder(invoice, lines).build()
