"""Validation of a UBL e-invoice with the official artefacts: the OASIS UBL 2.1 XSD, then the
compiled Schematron rules (SI-UBL 2.0 for NLCIUS; EN 16931 and Peppol BIS 3.0 for Peppol).

The artefacts live outside the repository (``STEDENNET_UBL_ARTEFACTS``, by default
``../shared/validators/ubl`` next to it). Schemas and stylesheets are compiled once per process;
neither SaxonC nor an lxml schema (it keeps its error log) is safe to share between threads,
so every use of them holds one lock.
"""

import os
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lxml import etree

REPOSITORY = Path(__file__).resolve().parents[3]
ARTEFACTS = Path(os.environ.get("STEDENNET_UBL_ARTEFACTS") or REPOSITORY.parent / "shared" / "validators" / "ubl")

XSLTS = {
    "nlcius": ["si-ubl/si-ubl-2.0.xsl"],
    "peppol": ["en16931/EN16931-UBL-validation.xslt", "peppol/PEPPOL-EN16931-UBL.xslt"],
}
XSDS = {"Invoice": "xsd/maindoc/UBL-Invoice-2.1.xsd", "CreditNote": "xsd/maindoc/UBL-CreditNote-2.1.xsd"}
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
BLOCKING = ("fatal", "error")

_lock = threading.Lock()
_saxon = {}  # the one PySaxonProcessor and the compiled stylesheets, by relative path


@dataclass(frozen=True)
class Problem:
    rule: str  # the rule id (BR-CO-16, BR-NL-10, …) or "XSD"
    flag: str  # fatal, error, warning or information; XSD problems are fatal
    message: str
    location: str  # an XPath for Schematron problems, "line N" for XSD problems

    def __str__(self) -> str:
        return f"[{self.flag}] {self.rule} {self.message} ({self.location})"


def _artefact(relative: str) -> Path:
    path = ARTEFACTS / relative
    if not path.is_file():
        raise RuntimeError(
            f"UBL validation artefact missing: {path}. Set STEDENNET_UBL_ARTEFACTS to the folder holding "
            "xsd/, si-ubl/, en16931/ and peppol/ (see ../shared/validators/ubl/README.md)."
        )
    return path


def artefacts_available() -> bool:
    relatives = [*XSDS.values(), *(x for xslts in XSLTS.values() for x in xslts)]
    return all((ARTEFACTS / relative).is_file() for relative in relatives)


@cache
def _schema(root: str) -> etree.XMLSchema:
    """The compiled schema; call with ``_lock`` held (a schema keeps its last error log)."""
    return etree.XMLSchema(etree.parse(str(_artefact(XSDS[root]))))


def _stylesheet(relative: str):
    """The compiled stylesheet; call with ``_lock`` held."""
    if relative not in _saxon:
        from saxonche import PySaxonProcessor

        path = _artefact(relative)
        processor = _saxon.setdefault("", PySaxonProcessor(license=False))
        _saxon[relative] = processor.new_xslt30_processor().compile_stylesheet(stylesheet_file=str(path))
    return _saxon[relative]


def _svrl_problems(svrl: str) -> list[Problem]:
    report = etree.fromstring(svrl.encode("utf-8"))
    return [
        Problem(
            rule=found.get("id", ""),
            flag=found.get("flag") or "fatal",
            message=" ".join(found.findtext(f"{SVRL}text", "").split()),
            location=found.get("location", ""),
        )
        for found in report.iter(f"{SVRL}failed-assert", f"{SVRL}successful-report")
    ]


def ubl_validate_all(xml: str | bytes, profile: str) -> tuple[list[Problem], list[Problem]]:
    """(errors, warnings) of ``xml`` under ``profile`` ("nlcius" or "peppol"). Schematron runs
    only on a document that is valid against the XSD, since its rules assume the structure."""
    if profile not in XSLTS:
        raise ValueError(f"Unknown e-invoice profile {profile!r}; expected one of {', '.join(XSLTS)}")
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        document = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        return [Problem("XML", "fatal", str(error), f"line {error.lineno}")], []
    root = etree.QName(document).localname
    if root not in XSDS:
        return [Problem("XSD", "fatal", f"Root element {root} is neither Invoice nor CreditNote", "/")], []
    problems = []
    text = data.decode("utf-8")
    with _lock:
        schema = _schema(root)
        if not schema.validate(document):
            return [Problem("XSD", "fatal", e.message, f"line {e.line}") for e in schema.error_log], []
        for relative in XSLTS[profile]:
            stylesheet = _stylesheet(relative)
            node = _saxon[""].parse_xml(xml_text=text, encoding="UTF-8")
            problems += _svrl_problems(stylesheet.transform_to_string(xdm_node=node))
    errors = [p for p in problems if p.flag in BLOCKING]
    return errors, [p for p in problems if p.flag not in BLOCKING]


def ubl_validate(xml: str | bytes, profile: str) -> list[Problem]:
    """The fatal and error problems of ``xml`` under ``profile``; empty means valid."""
    return ubl_validate_all(xml, profile)[0]
