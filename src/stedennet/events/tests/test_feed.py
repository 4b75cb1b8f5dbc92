"""The Atom feed of public events (/evenementen/feed.atom): published and cancelled public events,
newest announcement first, with when and where; never drafts, never events for members, partners
or one body; linked from the events page."""

import datetime
import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.urls import reverse

from stedennet.events.constants import EventStatus
from stedennet.events.models import Event
from stedennet.events.tests.factories import body, event, soon
from stedennet.governance.models import Visibility

ATOM = "{http://www.w3.org/2005/Atom}"


def feed_of(response) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert feed.tag == f"{ATOM}feed"
    return feed


@pytest.fixture
def events(g40_bodies):
    start = soon(10, 13, 30)
    open_day = event("Open middag", starts_at=start, ends_at=start + datetime.timedelta(hours=3),
                     venue="Stadhuis Zwolle", address="Grote Kerkplein 15, Zwolle", summary="Iedereen <welkom> & meer")
    cancelled = event("Afgelaste kennisdag", days=12, status=EventStatus.CANCELLED)
    event("Concept", days=14, status=EventStatus.DRAFT)
    event("Ledendag", days=16, audience=Visibility.MEMBERS)
    event("Partnerdag", days=18, audience=Visibility.MEMBERS_AND_PARTNERS)
    event("Groepsbijeenkomst", days=20, audience=Visibility.BODY, body=body("themagroep-wonen"))
    # Announced in this order: the cancelled one changed last.
    Event.objects.filter(pk=open_day.pk).update(updated_at=open_day.updated_at - datetime.timedelta(days=1))
    return open_day, cancelled


def test_the_address():
    assert reverse("events:feed") == "/evenementen/feed.atom"


def entries_of(response) -> dict[str, ET.Element]:
    """The entries by the slug in their link."""
    return {entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[1]: entry
            for entry in feed_of(response).findall(f"{ATOM}entry")}


def categories(entry: ET.Element) -> list[str]:
    return [category.get("term") for category in entry.findall(f"{ATOM}category")]


def test_only_public_published_and_cancelled_events(client, events):
    open_day, cancelled = events
    response = client.get("/evenementen/feed.atom")
    assert list(entries_of(response)) == [cancelled.slug, open_day.slug]  # newest announcement first
    for hidden in ("Concept", "Ledendag", "Partnerdag", "Groepsbijeenkomst"):
        assert hidden.encode() not in response.content


def test_an_entry_says_when_and_where_and_whether_it_was_cancelled(client, events):
    open_day, cancelled = events
    entries = entries_of(client.get("/evenementen/feed.atom"))
    entry = entries[open_day.slug]
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver/evenementen/{open_day.slug}/"
    assert entry.find(f"{ATOM}title").text == "Open middag"
    assert categories(entry) == ["knowledge_day", "published"]
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    texts = [p.text_content() for p in lxml.html.fragments_fromstring(summary.text)]
    assert "13:30" in texts[0] and "16:30" in texts[0]
    assert "Stadhuis Zwolle, Grote Kerkplein 15, Zwolle" in texts[1]
    assert texts[-1] == "Iedereen <welkom> & meer"  # the summary as text, escaped in the HTML
    assert "&lt;welkom&gt;" in summary.text
    assert categories(entries[cancelled.slug]) == ["knowledge_day", "cancelled"]
    assert "Afgelaste kennisdag" in entries[cancelled.slug].find(f"{ATOM}title").text


def test_the_feed_is_the_same_for_members(client, events, make_user):
    from stedennet.accounts.constants import Role

    open_day, cancelled = events
    client.force_login(make_user("lid", Role.ADMINISTRATOR))
    assert list(entries_of(client.get("/evenementen/feed.atom"))) == [cancelled.slug, open_day.slug]


def test_the_events_page_links_the_feed(client, events):
    tree = lxml.html.fromstring(client.get("/evenementen/").content.decode())
    assert "/evenementen/feed.atom" in tree.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert tree.xpath('//a[@data-testid="atom-feed"]/@href') == ["/evenementen/feed.atom"]


def test_without_events_the_feed_is_empty(client, g40_bodies):
    assert feed_of(client.get("/evenementen/feed.atom")).findall(f"{ATOM}entry") == []
