"""The fixture entities are what the Kamer publishes: each one of the scenario whose schema is in
``shared/validators/tweedekamer/xsd`` validates against the official ``tkData-v1-0`` schema.

Those schemas do not compile alone: ``tkData-v1-0-base.xsd`` (the shared types), ``-iso-8601`` and
``tkData-instantie-v1-0.xsd`` were not published with them. **They are stubbed here**, as
permissively as their use in the entity schemas allows: the simple types (``stringType``,
``tokenType``, ``intType``, …) as simple content over the XML Schema type of the same name,
``entiteitType`` with ``id`` and the Kamer-namespace attributes ``bijgewerkt`` and
``verwijderd``, ``downloadEntiteitType`` adding ``contentType`` and ``contentLength``,
references (``referentieLiteral`` and friends) as an element with a ``ref`` attribute. The
element names, their order, cardinalities and the value list of Toezegging's status are the
official ones. ``bijgewerkt`` and ``dateTimeType`` accept the ``+0100`` offsets that the feed
writes (which ``xs:dateTime`` would not).
"""

import shutil
from pathlib import Path

import pytest
from lxml import etree

from stedennet.parliament.tests.tkfeed import TK, entity, scenario

# ../shared beside the checkout (src/stedennet/parliament/tests/ is four levels down).
SCHEMAS = Path(__file__).resolve().parents[5] / "shared" / "validators" / "tweedekamer" / "xsd"

DATETIME = r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
SIMPLE = {"stringType": "xs:string", "tokenType": "xs:token", "intType": "xs:int", "booleanType": "xs:boolean",
          "unsignedIntType": "xs:unsignedInt", "vergaderjaarType": "xs:string"}

BASE_STUB = f"""<?xml version="1.0" encoding="utf-8"?>
<xs:schema targetNamespace="{TK}" xmlns="{TK}" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           elementFormDefault="qualified" attributeFormDefault="unqualified">
  <xs:simpleType name="tkDateTime">
    <xs:restriction base="xs:string"><xs:pattern value="{DATETIME}"/></xs:restriction>
  </xs:simpleType>
  {"".join(f'<xs:complexType name="{name}"><xs:simpleContent><xs:extension base="{base}"/></xs:simpleContent>'
           f'</xs:complexType>' for name, base in [*SIMPLE.items(), ("dateTimeType", "tkDateTime")])}
  <xs:attribute name="bijgewerkt" type="tkDateTime"/>
  <xs:attribute name="verwijderd" type="xs:string"/>
  <xs:attribute name="contentType" type="xs:string"/>
  <xs:attribute name="contentLength" type="xs:unsignedLong"/>
  <xs:complexType name="entiteitType">
    <xs:attribute name="id" type="xs:string" use="required"/>
    <xs:attribute ref="bijgewerkt"/>
    <xs:attribute ref="verwijderd"/>
  </xs:complexType>
  <xs:complexType name="downloadEntiteitType">
    <xs:complexContent><xs:extension base="entiteitType">
      <xs:attribute ref="contentType"/><xs:attribute ref="contentLength"/>
    </xs:extension></xs:complexContent>
  </xs:complexType>
  <xs:complexType name="referentieLiteral"><xs:attribute name="ref" type="xs:string" use="required"/></xs:complexType>
  <xs:complexType name="referentieType"><xs:attribute name="ref" type="xs:string" use="required"/></xs:complexType>
  <xs:complexType name="referentieBijgewerktLiteral">
    <xs:attribute name="ref" type="xs:string" use="required"/><xs:anyAttribute processContents="lax"/>
  </xs:complexType>
</xs:schema>
"""
EMPTY_STUB = """<?xml version="1.0" encoding="utf-8"?>
<xs:schema targetNamespace="{namespace}" xmlns:xs="http://www.w3.org/2001/XMLSchema"/>
"""
OFFICIAL = {"Zaak": "zaak", "ZaakActor": "zaakactor", "Document": "document", "DocumentActor": "documentactor",
            "Activiteit": "activiteit", "Besluit": "besluit", "Stemming": "stemming", "Toezegging": "toezegging"}


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    if not SCHEMAS.exists():
        pytest.skip(f"the official schemas are not at {SCHEMAS}")
    folder = tmp_path_factory.mktemp("xsd")
    for name in OFFICIAL.values():
        shutil.copy(SCHEMAS / f"tkData-v1-0-{name}.xsd", folder)
    (folder / "tkData-v1-0-base.xsd").write_text(BASE_STUB, encoding="utf-8")
    (folder / "tkData-v1-0-iso-8601.xsd").write_text(EMPTY_STUB.format(namespace=TK), encoding="utf-8")
    (folder / "tkData-instantie-v1-0.xsd").write_text(
        EMPTY_STUB.format(namespace="http://www.tweedekamer.nl/xsd/tkData-instantie/v1-0"), encoding="utf-8")
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return {category: etree.XMLSchema(etree.parse(str(folder / f"tkData-v1-0-{name}.xsd"), parser))
            for category, name in OFFICIAL.items()}


ENTRIES = [item for item in scenario() if item.category in OFFICIAL]


@pytest.mark.parametrize("item", ENTRIES, ids=lambda item: f"{item.category}-{item.skiptoken}")
def test_the_fixture_entity_is_valid(schemas, item):
    schema = schemas[item.category]
    document = etree.fromstring(item.content.encode())
    assert schema.validate(document), [f"line {e.line}: {e.message}" for e in schema.error_log]


def test_the_stubbed_schemas_still_catch_mistakes(schemas):
    """Elements out of the official order, unknown ones and a status outside the list are rejected."""
    wrong_order = entity("zaak", "x", "<soort>Motie</soort><nummer>2025Z1</nummer>")
    unknown = entity("stemming", "x", "<stem>Voor</stem>")
    status = entity("toezegging", "x", "<status>Ontijdig</status>")
    assert not schemas["Zaak"].validate(etree.fromstring(wrong_order.encode()))
    assert not schemas["Stemming"].validate(etree.fromstring(unknown.encode()))
    assert not schemas["Toezegging"].validate(etree.fromstring(status.encode()))
