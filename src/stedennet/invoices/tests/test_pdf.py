"""The invoice, credit note and reminder letter PDFs show what an accounts-payable clerk of a
municipality looks for, in Dutch, and a demo document says so on every page.

No PDF text extractor (pypdf, pdftotext) is installed, so the text is read from WeasyPrint's
own layout of the same document the PDF is written from: what is drawn on each page,
margin boxes (demo banner, footer) included.
"""

import datetime
import re
import shutil
import subprocess
import zlib
from decimal import Decimal

import pytest
from weasyprint import HTML
from weasyprint.formatting_structure import boxes
from weasyprint.urls import FatalURLFetchingError

from stedennet.invoices.models import (
    BillingProfile,
    BuyerDetails,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    Reminder,
    ReminderChannel,
    VatTreatment,
)
from stedennet.invoices.pdf import (
    _LocalOnlyFetcher,
    invoice_document,
    invoice_pdf,
    money_nl,
    percent_nl,
    rate_nl,
    reminder_letter_document,
    reminder_letter_pdf,
)
from stedennet.invoices.services import buyer_snapshot, seller_snapshot
from stedennet.registry.models import Municipality

DEMO_REASONS = [
    "de contributieregel voor 2022 is een aanname (demogegevens), geen besluit van het netwerk",
    "het KvK-nummer/OIN, de IBAN en het adres van het netwerk zijn plaatshouders (demogegevens)",
]
EXPLANATION = ("92.363 inwoners op 01-01-2022 (CBS, definitief) × € 0,21 per inwoner × 6/12 maanden "
               "(lid vanaf 01-07-2022)")


# --- helpers -----------------------------------------------------------------------------------

def page_texts(document) -> list[str]:
    """The text drawn on each page, line by line, whitespace collapsed."""
    texts = []
    for page in document.pages:
        lines = []
        for box in page._page_box.descendants():
            if isinstance(box, boxes.LineBox):
                lines.append("".join(b.text for b in box.descendants() if isinstance(b, boxes.TextBox)))
        texts.append(re.sub(r"\s+", " ", " ".join(lines)).strip())
    return texts


def pdf_objects(data: bytes) -> list[bytes]:
    """The PDF's uncompressed objects and object streams (WeasyPrint compresses them)."""
    chunks = [data]
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.DOTALL):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            continue
    return chunks


def assert_valid_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")


def qpdf_check(data: bytes, tmp_path) -> None:
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.skip("qpdf is not installed: the PDF structure was not validated by a PDF validator")
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    result = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def seller(*, vat_treatment=VatTreatment.OUTSIDE_SCOPE, demo=False, **overrides) -> dict:
    profile = BillingProfile(
        legal_name="Stedennetwerk G40", street="Voorbeeldstraat 1", postal_code="1234 AB", city="Voorbeeldstad",
        kvk="99999999", oin="00000001234567890000", iban="NL91ABNA0417164300", bic="ABNANL2A",
        email="facturen@example.org", phone="030 123 45 67", vat_treatment=vat_treatment,
        identifiers_are_demo=demo, **overrides,
    )
    return seller_snapshot(profile)


def buyer(municipality: Municipality) -> dict:
    details = BuyerDetails(
        municipality=municipality, oin="00000001002564440000", street="Postbus 4", postal_code="1180 BA",
        city="Amstelveen", email="crediteuren@amstelveen.example", buyer_reference="PO-2022-4711",
    )
    return buyer_snapshot(municipality, details)


def make_invoice(network, municipality, *, number="2022-0001", year=2022, sequence=1, net=Decimal("9698.12"),
                 months=6, kind=InvoiceKind.INVOICE, credited=None, demo_reasons=(), lines=1,
                 vat_treatment=VatTreatment.OUTSIDE_SCOPE, vat_rate=Decimal("0.00"), vat=Decimal("0.00"),
                 **seller_overrides) -> Invoice:
    issue = datetime.date(year, 11, 29)
    invoice = Invoice.objects.create(
        network=network, year=year, sequence=sequence, number=number, kind=kind, municipality=municipality,
        credited_invoice=credited, issue_date=issue, due_date=issue + datetime.timedelta(days=30),
        period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
        description=f"Contributie G40 {year}",
        seller=seller(vat_treatment=vat_treatment, demo=bool(demo_reasons), **seller_overrides),
        buyer=buyer(municipality), net_amount=net, vat_treatment=vat_treatment, vat_rate=vat_rate,
        vat_amount=vat, total_amount=net + vat, is_demo=bool(demo_reasons), demo_reasons=list(demo_reasons),
        ubl_xml="<x/>",
    )
    sign = -1 if kind == InvoiceKind.CREDIT_NOTE else 1
    InvoiceLine.objects.bulk_create([
        InvoiceLine(
            invoice=invoice, position=position,
            description=(f"Creditering van factuur {credited.number}: lidmaatschap per 1-7 i.p.v. 1-1"
                         if credited else f"Contributie G40 {year}"),
            explanation=EXPLANATION if months == 6 else EXPLANATION.replace(" × 6/12 maanden (lid vanaf 01-07-2022)",
                                                                             ""),
            inhabitants=92363, population_source="cbs_final", population_date=datetime.date(year, 1, 1),
            rate=Decimal("0.2100"), months=months, amount=sign * abs(net) if position == 1 else Decimal("0.00"),
        )
        for position in range(1, lines + 1)
    ])
    return invoice


def make_reminder(invoice, *, level=2, outstanding=Decimal("4698.12")) -> Reminder:
    return Reminder.objects.create(invoice=invoice, date=datetime.date(2023, 2, 1), level=level,
                                   channel=ReminderChannel.LETTER, sent_to="Postbus 4", outstanding=outstanding)


@pytest.fixture
def amstelveen(g40) -> Municipality:
    return Municipality.objects.get(cbs_code="GM0362")


# --- Dutch formatting --------------------------------------------------------------------------

def test_money_is_formatted_the_dutch_way():
    assert money_nl(Decimal("19396.23")) == "€ 19.396,23"
    assert money_nl(Decimal("9698.115")) == "€ 9.698,12"
    assert money_nl(Decimal("1234567.5")) == "€ 1.234.567,50"
    assert money_nl(Decimal("0")) == "€ 0,00"
    assert money_nl(Decimal("-9698.12")) == "€ -9.698,12"
    assert rate_nl(Decimal("0.2100")) == "€ 0,21"
    assert rate_nl(Decimal("0.2125")) == "€ 0,2125"
    assert percent_nl(Decimal("21.00")) == "21%"
    assert percent_nl(Decimal("5.50")) == "5,5%"
    with pytest.raises(TypeError):
        money_nl(19396.23)


# --- invoice -----------------------------------------------------------------------------------

def test_invoice_shows_what_the_clerk_needs(g40, amstelveen):
    invoice = make_invoice(g40, amstelveen)

    data = invoice_pdf(invoice)
    assert_valid_pdf(data)
    [text] = page_texts(invoice_document(invoice))

    assert "Factuur" in text and "Creditnota" not in text
    assert "Factuurnummer 2022-0001" in text
    assert "Factuurdatum 29-11-2022" in text
    assert "Vervaldatum 29-12-2022" in text
    assert "Periode 01-01-2022 t/m 31-12-2022" in text
    # seller
    assert "Stedennetwerk G40" in text
    assert "Voorbeeldstraat 1" in text and "1234 AB Voorbeeldstad" in text
    assert "KvK-nummer 99999999" in text
    assert "OIN 00000001234567890000" in text
    assert "IBAN NL91 ABNA 0417 1643 00" in text
    assert "BIC ABNANL2A" in text
    assert "Btw-nummer" not in text  # the network has none
    # buyer
    assert "Gemeente Amstelveen" in text
    assert "t.a.v. crediteurenadministratie" in text
    assert "Postbus 4" in text and "1180 BA Amstelveen" in text
    assert "Uw OIN 00000001002564440000" in text
    assert "Uw kenmerk PO-2022-4711" in text
    # line, totals, VAT treatment
    assert "Contributie G40 2022" in text
    assert "92.363 inwoners" in text
    assert EXPLANATION in text
    assert "Totaal excl. btw € 9.698,12" in text
    assert "Btw: niet van toepassing (buiten de reikwijdte) € 0,00" in text
    assert "Btw niet van toepassing: contributie van leden, buiten de reikwijdte van de btw." in text
    assert "Totaal te betalen € 9.698,12" in text
    assert ("Gelieve het bedrag van € 9.698,12 uiterlijk op 29-12-2022 over te maken op NL91 ABNA 0417 1643 00 "
            "(BIC ABNANL2A) t.n.v. Stedennetwerk G40 onder vermelding van factuurnummer 2022-0001.") in text
    assert "Pagina 1 van 1" in text
    # not a demo
    assert "DEMO" not in text and "demo" not in text.lower()


def test_invoice_pdf_carries_its_title_and_searchable_text(g40, amstelveen):
    invoice = make_invoice(g40, amstelveen)
    document = invoice_document(invoice)
    assert document.metadata.title == "Factuur 2022-0001 — Gemeente Amstelveen"
    assert document.metadata.authors == ["Stedennetwerk G40"]
    assert document.metadata.lang == "nl"
    objects = b"\n".join(pdf_objects(invoice_pdf(invoice)))
    info = re.search(rb"<</Producer [^\n]*?/Title <feff([0-9a-f]+)>", objects)
    assert info, "the PDF has no document information with a title"
    assert bytes.fromhex(info.group(1).decode()).decode("utf-16-be") == "Factuur 2022-0001 — Gemeente Amstelveen"
    # every font maps its glyphs back to text, so the clerk can search and copy the invoice number
    assert objects.count(b"/Subtype /Type0") == objects.count(b"/ToUnicode") > 0


def test_rendering_fetches_nothing_from_the_network():
    fetcher = _LocalOnlyFetcher()
    for url in ("https://example.org/logo.png", "http://fonts.example/font.woff2", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="may not fetch"):
            fetcher.fetch(url)
    with pytest.raises(FatalURLFetchingError):
        HTML(string='<img src="https://example.org/logo.png">', url_fetcher=_LocalOnlyFetcher()).render()


def test_pdfs_pass_a_pdf_validator(g40, amstelveen, tmp_path):
    invoice = make_invoice(g40, amstelveen, demo_reasons=DEMO_REASONS)
    credit = make_invoice(g40, amstelveen, number="2022-0002", sequence=2, net=Decimal("-9698.12"),
                          kind=InvoiceKind.CREDIT_NOTE, credited=invoice, demo_reasons=DEMO_REASONS)
    documents = [invoice_pdf(invoice), invoice_pdf(credit), reminder_letter_pdf(make_reminder(invoice))]
    for data in documents:
        assert_valid_pdf(data)
    for data in documents:
        qpdf_check(data, tmp_path)


def test_full_year_invoice_with_vat_at_the_standard_rate(g40, amstelveen):
    invoice = make_invoice(
        g40, amstelveen, number="2023-0001", year=2023, net=Decimal("19396.23"), months=12,
        vat_treatment=VatTreatment.STANDARD, vat_rate=Decimal("21.00"), vat=Decimal("4073.21"),
        vat_number="NL999999999B01",
    )
    [text] = page_texts(invoice_document(invoice))
    assert "Totaal excl. btw € 19.396,23" in text
    assert "Btw 21% over € 19.396,23 € 4.073,21" in text
    assert "Totaal te betalen € 23.469,44" in text
    assert "Btw-nummer NL999999999B01" in text
    assert "niet van toepassing" not in text


def test_exempt_invoice_states_the_exemption(g40, amstelveen):
    invoice = make_invoice(g40, amstelveen, vat_treatment=VatTreatment.EXEMPT,
                           vat_exemption_reason="art. 11 lid 1 onderdeel e Wet OB")
    [text] = page_texts(invoice_document(invoice))
    assert "Btw: vrijgesteld € 0,00" in text
    assert "Vrijgesteld van btw: art. 11 lid 1 onderdeel e Wet OB." in text


def test_demo_invoice_shows_the_banner_with_its_reasons_on_every_page(g40, amstelveen):
    invoice = make_invoice(g40, amstelveen, demo_reasons=DEMO_REASONS, lines=40)

    data = invoice_pdf(invoice)
    assert_valid_pdf(data)
    pages = page_texts(invoice_document(invoice))

    assert len(pages) >= 2, "forty lines should not fit on one page"
    for number, text in enumerate(pages, start=1):
        assert "DEMO — geen echte factuur" in text, f"page {number} lacks the demo banner"
        for reason in DEMO_REASONS:
            assert reason in text, f"page {number} lacks the reason {reason!r}"
        assert f"Pagina {number} van {len(pages)}" in text
        assert "Nr. Omschrijving Inwoners" in text  # the table header repeats
    assert "Totaal te betalen € 9.698,12" in pages[-1]


def test_credit_note_refers_to_the_credited_invoice(g40, amstelveen):
    original = make_invoice(g40, amstelveen, net=Decimal("19396.23"), months=12)
    credit = make_invoice(
        g40, amstelveen, number="2022-0002", sequence=2, net=Decimal("-19396.23"), months=12,
        kind=InvoiceKind.CREDIT_NOTE, credited=original,
    )

    data = invoice_pdf(credit)
    assert_valid_pdf(data)
    [text] = page_texts(invoice_document(credit))

    assert "Creditnota" in text
    assert "Creditering van factuur 2022-0001 van 29-11-2022" in text
    assert "Creditnotanummer 2022-0002" in text
    assert "Totaal creditnota € -19.396,23" in text
    assert "storten wij € 19.396,23 terug" in text
    assert "Gelieve" not in text and "Vervaldatum" not in text
    assert invoice_document(credit).metadata.title == "Creditnota 2022-0002 — Gemeente Amstelveen"


# --- reminder letter ---------------------------------------------------------------------------

def test_reminder_letter_shows_the_outstanding_amount(g40, amstelveen):
    reminder = make_reminder(make_invoice(g40, amstelveen))

    data = reminder_letter_pdf(reminder)
    assert_valid_pdf(data)
    [text] = page_texts(reminder_letter_document(reminder))

    assert "Betalingsherinnering" in text
    assert "Tweede herinnering factuur 2022-0001" in text
    assert "Dit is onze tweede herinnering." in text
    assert "Gemeente Amstelveen" in text and "t.a.v. crediteurenadministratie" in text
    assert "Factuurdatum 29-11-2022" in text and "Vervaldatum 29-12-2022" in text
    assert "Factuurbedrag € 9.698,12" in text
    assert "Reeds betaald € 5.000,00" in text
    assert "Openstaand bedrag € 4.698,12" in text
    assert ("het openstaande bedrag van € 4.698,12 binnen 14 dagen, uiterlijk op 15-02-2023, over te maken op "
            "NL91 ABNA 0417 1643 00") in text
    assert "onder vermelding van factuurnummer 2022-0001" in text
    assert "DEMO" not in text
    assert reminder_letter_document(reminder).metadata.title == (
        "Betalingsherinnering factuur 2022-0001 — Gemeente Amstelveen")


def test_demo_reminder_letter_shows_the_banner(g40, amstelveen):
    reminder = make_reminder(make_invoice(g40, amstelveen, demo_reasons=DEMO_REASONS), level=1,
                             outstanding=Decimal("9698.12"))
    [text] = page_texts(reminder_letter_document(reminder))
    assert "DEMO — geen echte factuur" in text
    assert DEMO_REASONS[0] in text
    assert "Eerste herinnering factuur 2022-0001" in text
    assert "Reeds betaald € 0,00" in text


def test_documents_are_dutch_whatever_the_active_language(g40, amstelveen):
    from django.utils import translation

    invoice = make_invoice(g40, amstelveen)
    with translation.override("en"):
        [text] = page_texts(invoice_document(invoice))
        assert translation.get_language() == "en"
    assert "Factuurnummer 2022-0001" in text and "Gelieve het bedrag van € 9.698,12" in text
