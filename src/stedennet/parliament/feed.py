"""Reading a SyncFeed page: an Atom feed whose entries each carry one entity of the Tweede Kamer.

The shapes (from the Kamer's documentation and schemas, ``tkData-v1-0``)::

    <feed xmlns="http://www.w3.org/2005/Atom">
      <entry>
        <title>GUID</title>
        <updated>2025-12-17T12:18:37Z</updated>                       (UTC)
        <link rel="next" href="…/Feed?category=Zaak&amp;skiptoken=N"/>  (this entry's cursor)
        <link rel="enclosure" href="…/Document/GUID/resource"/>         (documents: the file)
        <content type="application/xml">
          <zaak xmlns="http://www.tweedekamer.nl/xsd/tkData/v1-0" xmlns:tk="…same…"
                id="GUID" tk:bijgewerkt="2025-12-17T13:18:36" tk:verwijderd="false">
            <nummer>2025Z12345</nummer> …
            <kamerstukdossier ref="GUID"/>                              (a reference)
          </zaak>
        </content>
      </entry>
    </feed>

- Names are compared by their *local* name: the entity and its fields may be in the Kamer's
  namespace as default namespace, with a prefix (``tk:``, ``ns1:`` as Toezegging has it) or in
  none; the Atom elements in the Atom namespace or none.
- ``bijgewerkt`` is Europe/Amsterdam local time without offset; some categories add one
  (``+0100``); ``<updated>`` is UTC. All come back as aware datetimes.
- A deleted entity (``verwijderd="true"``, also ``"True"``) may carry only its attributes.
- ``<Error><Message>…</Message></Error>`` instead of a feed: the Kamer's server failed (retry).
- The XML is parsed safely: no DTD, no entity expansion, no network (lxml with
  ``resolve_entities=False``, ``no_network=True``); a page with a DOCTYPE is refused.

Structure is strict (an entry without a GUID, a cursor or an entity makes the page malformed, so
that nothing of it is applied); values are lenient (an unknown value list entry, an odd number or
date is kept as text in the entity's ``data``; its typed column stays empty).
"""

import datetime
import itertools
import re
import uuid
import zoneinfo
from dataclasses import dataclass, field

from lxml import etree

from stedennet.parliament.constants import FailureKind, entity_element

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
TRUE_VALUES = frozenset({"true", "1"})


class PageProblem(Exception):
    """The page cannot be applied; ``kind`` says whether trying again may help."""

    kind = FailureKind.MALFORMED

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class MalformedPage(PageProblem):
    kind = FailureKind.MALFORMED


class ErrorBody(PageProblem):
    """The feed answered ``<Error><Message>…</Message></Error>``."""

    kind = FailureKind.ERROR_BODY


@dataclass(frozen=True)
class ParsedEntity:
    element: str
    guid: uuid.UUID
    deleted: bool
    bijgewerkt: datetime.datetime | None
    attributes: dict[str, str]
    elements: dict[str, object]  # local name → text, None (nil or empty), or a list of those
    refs: dict[str, list[str]]  # local name (nested: "toegezegdAan/persoon") → GUIDs as written

    def text(self, name: str) -> str | None:
        value = self.elements.get(name)
        if isinstance(value, list):
            value = value[0] if value else None
        return value  # type: ignore[return-value]

    def as_data(self) -> dict:
        return {"attributes": self.attributes, "elements": self.elements, "refs": self.refs}


@dataclass(frozen=True)
class FeedEntry:
    guid: uuid.UUID
    skiptoken: int
    updated: datetime.datetime | None
    enclosure_url: str
    xml: str
    entity: ParsedEntity


@dataclass(frozen=True)
class FeedPage:
    entries: list[FeedEntry] = field(default_factory=list)

    @property
    def last_skiptoken(self) -> int | None:
        return self.entries[-1].skiptoken if self.entries else None


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True)


def local(tag) -> str:
    """The local name of an element or attribute name (``{ns}name``, ``name``)."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _children(element, name: str | None = None):
    """The child elements (by local name): comments and processing instructions are removed by
    the parser, entity references cannot occur (no DTD)."""
    for child in element.iterchildren(etree.Element):
        if name is None or child.tag.rpartition("}")[2] == name:
            yield child


def _first(element, name: str):
    return next(_children(element, name), None)


def parse_xml(body: bytes):
    """The root element of ``body``, parsed safely; ``MalformedPage`` if it is not well-formed or has a DTD."""
    if not body or not body.strip():
        raise MalformedPage("empty body")
    try:
        root = etree.fromstring(body, _parser())
    except etree.XMLSyntaxError as error:
        raise MalformedPage(f"not well-formed XML: {error}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise MalformedPage("a DOCTYPE is not allowed in a feed page")
    return root


def parse_page(body: bytes, category: str) -> FeedPage:
    """Every entry of one page of ``category``, in feed order; raises ``ErrorBody`` for the
    Kamer's error document and ``MalformedPage`` for anything else that is not a valid page."""
    root = parse_xml(body)
    name = local(root.tag)
    if name == "Error":
        message = _first(root, "Message")
        text = " ".join((message.text if message is not None and message.text else "").split())
        raise ErrorBody(text or "the feed answered with an error document")
    if name != "feed":
        raise MalformedPage(f"expected an Atom <feed>, got <{name}>")
    entries = []
    for position, node in enumerate(_children(root, "entry"), start=1):
        try:
            entries.append(parse_entry(node, category))
        except MalformedPage as problem:
            raise MalformedPage(f"entry {position}: {problem.message}") from None
    for before, after in itertools.pairwise(entries):
        if after.skiptoken <= before.skiptoken:
            raise MalformedPage(f"skiptokens do not increase: {before.skiptoken} then {after.skiptoken}")
    return FeedPage(entries)


_SKIPTOKEN = re.compile(r"[?&;]skiptoken=([^&#]*)", re.IGNORECASE)


def skiptoken_of(href: str) -> int | None:
    """The ``skiptoken`` of a ``…/Feed?category=Zaak&skiptoken=N`` link (any order, any case of the name)."""
    found = _SKIPTOKEN.findall(href or "")
    if not found:
        return None
    try:
        return int(found[-1])
    except ValueError:
        return None


def parse_entry(node, category: str) -> FeedEntry:
    title = updated_node = content = None
    skiptoken, enclosure = None, ""
    for child in node.iterchildren(etree.Element):
        name = child.tag.rpartition("}")[2]
        if name == "link":
            rel = (child.get("rel") or "").strip().lower()
            if rel == "next":
                skiptoken = skiptoken_of(child.get("href") or "")
            elif rel == "enclosure":
                enclosure = (child.get("href") or "").strip()
        elif name == "title" and title is None:
            title = child
        elif name == "updated" and updated_node is None:
            updated_node = child
        elif name == "content" and content is None:
            content = child
    guid = _guid((title.text or "") if title is not None else "")
    if guid is None:
        raise MalformedPage("the title is not a GUID")
    if skiptoken is None:
        raise MalformedPage(f"{guid}: no rel=\"next\" link with a skiptoken")
    updated = parse_datetime(updated_node.text if updated_node is not None else None, naive_zone=datetime.UTC)
    entity_node = next(content.iterchildren(etree.Element), None) if content is not None else None
    if entity_node is None:
        raise MalformedPage(f"{guid}: no entity in <content>")
    expected = entity_element(category)
    if local(entity_node.tag).lower() != expected.lower():
        raise MalformedPage(f"{guid}: expected <{expected}>, got <{local(entity_node.tag)}>")
    entity = parse_entity(entity_node, guid)
    return FeedEntry(guid=guid, skiptoken=skiptoken, updated=updated, enclosure_url=enclosure,
                     xml=etree.tostring(node, encoding="unicode"), entity=entity)


def parse_entity(node, guid: uuid.UUID) -> ParsedEntity:
    attributes = {key.rpartition("}")[2]: value for key, value in node.attrib.items()}
    own_id = attributes.get("id")
    if own_id and _guid(own_id) != guid:
        raise MalformedPage(f"{guid}: the entity's id is {own_id}")
    elements: dict[str, object] = {}
    refs: dict[str, list[str]] = {}
    for child in node.iterchildren(etree.Element):
        _read_child(child, child.tag.rpartition("}")[2], elements, refs)
    return ParsedEntity(
        element=local(node.tag), guid=guid,
        deleted=(attributes.get("verwijderd") or "").strip().lower() in TRUE_VALUES,
        bijgewerkt=parse_datetime(attributes.get("bijgewerkt")),
        attributes=attributes, elements=elements, refs=refs,
    )


def _reference(element) -> str | None:
    attributes = element.attrib
    if not attributes:
        return None
    value = attributes.get("ref")
    if value is not None:
        return value.strip()
    for key, value in attributes.items():  # a namespaced ref ("tk:ref")
        if key.endswith("}ref"):
            return value.strip()
    return None


def _read_child(child, name: str, elements: dict, refs: dict) -> None:
    ref = _reference(child)
    if ref is not None:
        refs.setdefault(name, [])
        if ref not in refs[name]:
            refs[name].append(ref)
        return
    if len(child):
        for grandchild in child.iterchildren(etree.Element):
            _read_child(grandchild, f"{name}/{grandchild.tag.rpartition('}')[2]}", elements, refs)
        return
    nil = (child.get(XSI_NIL) or "").strip().lower() in TRUE_VALUES
    text = None if nil else (child.text or "").strip() or None
    if name in elements:
        previous = elements[name]
        elements[name] = [*previous, text] if isinstance(previous, list) else [previous, text]
    else:
        elements[name] = text


def _guid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text.strip())
    except (ValueError, AttributeError):
        return None


def guid_or_none(text: str | None) -> uuid.UUID | None:
    return _guid(text) if text else None


def parse_datetime(text: str | None, *, naive_zone: datetime.tzinfo = AMSTERDAM) -> datetime.datetime | None:
    """An aware datetime from ISO 8601 (``2025-12-17T13:18:36``, ``…+0100``, ``…Z``, seven decimals);
    without an offset it is in ``naive_zone`` (Europe/Amsterdam, or UTC for Atom's ``<updated>``)."""
    if not text or not text.strip():
        return None
    value = text.strip()
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=naive_zone)
    return moment


def parse_int(text: str | None) -> int | None:
    try:
        return int(text.strip()) if text else None
    except ValueError:
        return None


def parse_bool(text: str | None) -> bool | None:
    if not text:
        return None
    lowered = text.strip().lower()
    if lowered in TRUE_VALUES:
        return True
    if lowered in {"false", "0"}:
        return False
    return None
