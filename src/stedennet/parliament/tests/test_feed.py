"""Reading feed pages: the documented shapes in every namespace spelling, times in the Kamer's
zones, tombstones, the Kamer's error document, and pages that are refused (not XML, a DTD, an
entity bomb, an entry without GUID or cursor)."""

import datetime
import uuid

import pytest

from stedennet.parliament.feed import ErrorBody, MalformedPage, parse_datetime, parse_page, skiptoken_of
from stedennet.parliament.tests.tkfeed import ERROR_DOCUMENT, Entry, G, entity, feed, scenario

UTC = datetime.UTC


def one(category: str, content: str, **kwargs):
    return parse_page(feed([Entry(category, kwargs.pop("guid", G["motie"]), 7, content, **kwargs)],
                           category=category), category).entries[0]


def test_a_zaak_in_the_default_namespace_with_tk_attributes():
    item = one("Zaak", entity("zaak", G["motie"], f'<nummer>2025Z1</nummer><soort>Motie</soort>'
                                                   f'<kamerstukdossier ref="{G["dossier"]}"/>'))
    assert item.guid == uuid.UUID(G["motie"]) and item.skiptoken == 7
    assert item.entity.element == "zaak" and not item.entity.deleted
    assert item.entity.elements == {"nummer": "2025Z1", "soort": "Motie"}
    assert item.entity.refs == {"kamerstukdossier": [G["dossier"]]}
    # bijgewerkt is Amsterdam local time (CET in December): 13:18:36 is 12:18:36 UTC.
    assert item.entity.bijgewerkt.astimezone(UTC) == datetime.datetime(2025, 12, 17, 12, 18, 36, tzinfo=UTC)
    # <updated> is UTC, with seven decimals.
    assert item.updated == datetime.datetime(2025, 12, 17, 12, 18, 37, 123456, tzinfo=UTC)
    assert "<title" in item.xml and G["motie"] in item.xml


def test_summer_time_and_explicit_offsets():
    assert parse_datetime("2025-07-01T12:00:00").astimezone(UTC).hour == 10  # CEST
    assert parse_datetime("2025-03-04T10:11:12+0100").astimezone(UTC).hour == 9
    assert parse_datetime("2025-03-04T10:11:12Z").astimezone(UTC).hour == 10
    assert parse_datetime("not a date") is None and parse_datetime("") is None


def test_a_toezegging_with_ns1_prefixes_and_offsets():
    toezegging = next(e for e in scenario() if e.category == "Toezegging")
    item = one("Toezegging", toezegging.content, guid=toezegging.guid)
    assert item.entity.element == "toezegging"
    assert item.entity.text("status") == "Openstaand" and item.entity.text("naam") == "K. Bakker"
    assert item.entity.bijgewerkt.astimezone(UTC) == datetime.datetime(2025, 3, 4, 9, 11, 12, tzinfo=UTC)
    assert item.entity.refs["activiteit"] == [G["activiteit"]]
    assert item.entity.refs["toegezegdAan/fractie"] == [G["pvds"]]


def test_an_entity_without_namespace():
    item = one("Kamerstukdossier", entity("kamerstukdossier", G["dossier"], "<nummer>36600</nummer>", prefix=None),
               guid=G["dossier"])
    assert item.entity.text("nummer") == "36600" and item.entity.bijgewerkt is not None


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "1"])
def test_a_tombstone_with_attributes_only(value):
    item = one("Zaak", entity("zaak", G["motie"], verwijderd=value))
    assert item.entity.deleted and item.entity.elements == {} and item.entity.refs == {}


def test_nil_and_repeated_elements():
    item = one("Zaak", entity("zaak", G["motie"], '<titel xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/'
                                                   'XMLSchema-instance"/><alias>a</alias><alias>b</alias>'
                                                   f'<activiteit ref="{G["activiteit"]}"/>'
                                                   f'<activiteit ref="{G["agendapunt"]}"/>'))
    assert item.entity.elements == {"titel": None, "alias": ["a", "b"]}
    assert item.entity.refs == {"activiteit": [G["activiteit"], G["agendapunt"]]}


def test_the_document_attributes_and_its_enclosure():
    document = next(e for e in scenario() if e.category == "Document")
    item = parse_page(feed([document], category="Document", base="http://127.0.0.1:1"), "Document").entries[0]
    assert item.entity.attributes["contentType"] == "application/pdf"
    assert item.enclosure_url == f"http://127.0.0.1:1/files/{G['document']}.pdf"


def test_an_empty_page_is_the_end():
    assert parse_page(feed([]), "Zaak").entries == []


def test_the_kamers_error_document():
    with pytest.raises(ErrorBody, match="An error has occurred"):
        parse_page(ERROR_DOCUMENT, "Zaak")


def test_skiptokens_from_next_links():
    assert skiptoken_of("https://x/Feed?category=Zaak&skiptoken=12345") == 12345
    assert skiptoken_of("https://x/Feed?skiptoken=9&category=Zaak") == 9
    assert skiptoken_of("https://x/Feed?category=Zaak") is None
    assert skiptoken_of("https://x/Feed?skiptoken=abc") is None


BAD_PAGES = {
    "not XML": b"<feed><entry>",
    "empty": b"",
    "not a feed": b"<html><body>Maintenance</body></html>",
    "a DTD (external entity)": (b'<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                                b'<feed xmlns="http://www.w3.org/2005/Atom"><title>&x;</title></feed>'),
    "an entity bomb": (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">'
                       b']><feed xmlns="http://www.w3.org/2005/Atom">&lol2;</feed>'),
}


@pytest.mark.parametrize("name", BAD_PAGES)
def test_pages_that_are_refused(name):
    with pytest.raises(MalformedPage):
        parse_page(BAD_PAGES[name], "Zaak")


def _replace(page: bytes, old: str, new: str) -> bytes:
    assert old.encode() in page
    return page.replace(old.encode(), new.encode())


def test_entries_that_make_the_page_malformed():
    good = feed([Entry("Zaak", G["motie"], 7, entity("zaak", G["motie"]))])
    parse_page(good, "Zaak")
    with pytest.raises(MalformedPage, match="title is not a GUID"):
        parse_page(_replace(good, f'<title type="text">{G["motie"]}', '<title type="text">nonsense'), "Zaak")
    with pytest.raises(MalformedPage, match="skiptoken"):
        parse_page(_replace(good, "skiptoken=7", "page=7"), "Zaak")
    with pytest.raises(MalformedPage, match="expected <document>, got <zaak>"):
        parse_page(good, "Document")
    with pytest.raises(MalformedPage, match="no entity"):
        parse_page(_replace(good, entity("zaak", G["motie"]), ""), "Zaak")
    with pytest.raises(MalformedPage, match="id is"):
        parse_page(_replace(good, f'id="{G["motie"]}"', f'id="{G["brief"]}"'), "Zaak")
    twice = feed([Entry("Zaak", G["motie"], 7, entity("zaak", G["motie"])),
                  Entry("Zaak", G["brief"], 7, entity("zaak", G["brief"]))])
    with pytest.raises(MalformedPage, match="do not increase"):
        parse_page(twice, "Zaak")


def test_every_scenario_entry_parses():
    by_category = {}
    for item in scenario():
        by_category.setdefault(item.category, []).append(item)
    for category, items in by_category.items():
        assert len(parse_page(feed(items, category=category), category).entries) == len(items)
