"""The Atom feed of public dossiers (/lobby/feed.atom): the dossiers an anonymous visitor sees,
the latest change first, each with its pillar, status and current ask; never a dossier for
members, members and partners, or one group; linked from /lobby/."""

import datetime
import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stedennet.advocacy.services import ask_adopt, dossier_create, dossier_status_set
from stedennet.advocacy.tests.test_selectors import body
from stedennet.governance.models import Visibility

ATOM = "{http://www.w3.org/2005/Atom}"
FEED = "/lobby/feed.atom"


def d(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def entries_of(response) -> dict[str, ET.Element]:
    """The entries by the dossier slug in their link, in the feed's order."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert feed.tag == f"{ATOM}feed"
    return {entry.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[1]: entry
            for entry in feed.findall(f"{ATOM}entry")}


@pytest.fixture
def dossiers(g40_bodies):
    social, economy = body("sociale-pijler"), body("pijler-economie-en-werk")
    armoede, wonen = body("themagroep-armoede-en-schulden"), body("themagroep-wonen")
    poverty = dossier_create(network=g40_bodies, pillar=social, title="Armoede en schulden", slug="armoede",
                             opened_on=d("2025-01-01"), owners=[armoede], summary="Voor <iedereen> & meer.")
    ask_adopt(dossier=poverty, text="Eerste vraag.", adopted_on=d("2025-01-10"), body=armoede)
    ask_adopt(dossier=poverty, text="Structureel 500 miljoen.", adopted_on=d("2025-06-01"), body=armoede)
    work = dossier_create(network=g40_bodies, pillar=economy, title="Werk en inkomen", slug="werk",
                          opened_on=d("2025-03-01"))
    closed = dossier_create(network=g40_bodies, pillar=social, title="Afgesloten dossier", slug="afgesloten",
                            opened_on=d("2024-01-01"))
    dossier_status_set(dossier=closed, status="closed", day=d("2025-09-01"))
    for slug, visibility, group in (("leden", Visibility.MEMBERS, None),
                                    ("partners", Visibility.MEMBERS_AND_PARTNERS, None),
                                    ("groep", Visibility.BODY, wonen)):
        dossier_create(network=g40_bodies, pillar=social, title=f"Verborgen {slug}", slug=slug,
                       opened_on=d("2025-12-01"), visibility=visibility, group=group)
    return poverty, work, closed


def test_the_address():
    assert reverse("advocacy:dossiers_feed") == FEED


def test_only_public_dossiers_latest_change_first(client, dossiers):
    response = client.get(FEED)
    # Closed on 1 September, a new ask on 1 June, opened on 1 March.
    assert list(entries_of(response)) == ["afgesloten", "armoede", "werk"]
    assert b"Verborgen" not in response.content


def test_the_feed_is_the_same_for_a_member(client, dossiers, make_user):
    from stedennet.accounts.constants import Role

    client.force_login(make_user("lid", Role.ADMINISTRATOR))
    assert list(entries_of(client.get(FEED))) == ["afgesloten", "armoede", "werk"]


def test_an_entry_has_the_pillar_status_and_current_ask(client, dossiers):
    entries = entries_of(client.get(FEED))
    entry = entries["armoede"]
    assert entry.find(f"{ATOM}title").text == "Armoede en schulden"
    assert entry.find(f"{ATOM}link").get("href") == "http://testserver/lobby/armoede/"
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["sociale-pijler", "open"]
    assert entry.find(f"{ATOM}updated").text.startswith("2025-06-01")
    assert entry.find(f"{ATOM}published").text.startswith("2025-01-01")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    texts = [p.text_content() for p in lxml.html.fragments_fromstring(summary.text)]
    assert any("Structureel 500 miljoen." in text for text in texts)
    assert not any("Eerste vraag." in text for text in texts)  # only the current version
    assert texts[-1] == "Voor <iedereen> & meer."  # escaped in the HTML
    assert [c.get("term") for c in entries["afgesloten"].findall(f"{ATOM}category")] == ["sociale-pijler", "closed"]


def test_the_feed_takes_a_fixed_number_of_queries(client, dossiers):
    client.get(FEED)  # warm: the network and the site
    with CaptureQueriesContext(connection) as few:
        client.get(FEED)
    from stedennet.advocacy.services import dossier_create as create

    for n in range(4):
        create(network=dossiers[0].network, pillar=body("sociale-pijler"), title=f"Extra {n}", slug=f"extra-{n}",
               opened_on=d("2025-02-01"))
    with CaptureQueriesContext(connection) as more:
        assert len(entries_of(client.get(FEED))) == 7
    assert len(more) == len(few)


def test_the_lobby_page_links_the_feed(client, dossiers):
    tree = lxml.html.fromstring(client.get("/lobby/").content.decode())
    assert FEED in tree.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href')
    assert tree.xpath('//a[@data-testid="dossiers-feed"]/@href') == [FEED]
