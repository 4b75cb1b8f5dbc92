"""The public archive: /ledenbrieven/ (sent letters by year), a letter's web page, the Atom
feed; for anyone (anonymous, members, the bureau); drafts and withdrawn letters are not found;
a fixed number of queries however many letters there are."""

import datetime
import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role
from stedennet.letters import services
from stedennet.letters.tests.factories import sent_letter

ATOM = "{http://www.w3.org/2005/Atom}"


def at(year, month=3, day=1):
    return timezone.make_aware(datetime.datetime(year, month, day, 10))


@pytest.fixture
def archive(g40):
    letters = {
        "old": sent_letter("Voorjaar", sent_at=at(2025, 4)),
        "new": sent_letter("Najaar", sent_at=at(2025, 10)),
        "this": sent_letter("Nieuwjaar", sent_at=at(2026, 1, 20), is_demo=True),
    }
    letters["draft"] = services.letter_create(title="Nog een concept", body="<p>Geheim concept</p>", now=at(2026, 2))
    letters["withdrawn"] = services.letter_withdraw(services.letter_create(title="Ingetrokken", now=at(2026, 2)))
    return letters


@pytest.fixture
def users(make_user):
    return {"anonymous": None, "member": make_user("ambtenaar", Role.CIVIL_SERVANT),
            "partner": make_user("partner", Role.PARTNER), "bureau": make_user("bureau", Role.BUREAU)}


def tree(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def test_the_addresses():
    assert reverse("letters:archive") == "/ledenbrieven/"
    assert reverse("letters:feed") == "/ledenbrieven/feed.atom"
    assert reverse("letters:letter", kwargs={"year": "2026", "number": "012"}) == "/ledenbrieven/2026/012/"


@pytest.mark.parametrize("role", ["anonymous", "member", "partner", "bureau"])
def test_everyone_sees_the_sent_letters_by_year_and_no_draft(archive, users, client, role):
    if users[role]:
        client.force_login(users[role])
    page = tree(client.get("/ledenbrieven/"))
    years = page.xpath('//*[@data-testid="year"]')
    assert [y.get("data-year") for y in years] == ["2026", "2025"]
    assert [li.get("data-reference") for li in page.xpath('//*[@data-testid="letter"]')] == [
        "Lbr. 26/001", "Lbr. 25/002", "Lbr. 25/001"]
    assert page.xpath('//*[@data-reference="Lbr. 26/001"]//*[@data-testid="demo-badge"]')
    assert page.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href') == ["/ledenbrieven/feed.atom"]
    for letter in (archive["old"], archive["this"]):
        assert client.get(letter.get_absolute_url()).status_code == 200
    for letter in (archive["draft"], archive["withdrawn"]):
        assert client.get(letter.get_absolute_url()).status_code == 404
    assert client.get("/ledenbrieven/2026/999/").status_code == 404
    assert b"Geheim concept" not in client.get("/ledenbrieven/").content


def test_a_letters_page(archive, client):
    letter = archive["new"]
    page = tree(client.get(letter.get_absolute_url()))
    article = page.xpath('//article[@data-testid="letter"]')[0]
    assert article.get("data-reference") == "Lbr. 25/002"
    assert page.xpath('//*[@data-testid="letter-title"]')[0].text_content() == "Najaar"
    assert page.xpath('//*[@data-testid="letter-body"]/p')[0].text_content() == "Tekst"
    assert page.xpath('//*[@data-testid="letter-meta"]//time/@datetime') == ["2025-10-01"]


def test_the_pages_are_read_only(archive, client):
    assert client.post("/ledenbrieven/").status_code == 405
    assert client.post(archive["old"].get_absolute_url()).status_code == 405
    assert client.post("/ledenbrieven/feed.atom").status_code == 405


def test_the_atom_feed_parses_and_holds_the_sent_letters(archive, client):
    response = client.get("/ledenbrieven/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text.split(":")[0] for e in entries] == ["Lbr. 26/001", "Lbr. 25/002",
                                                                           "Lbr. 25/001"]
    assert entries[0].find(f"{ATOM}link").get("href").endswith("/ledenbrieven/2026/001/")
    assert "Tekst" in entries[1].find(f"{ATOM}summary").text
    assert entries[0].find(f"{ATOM}updated").text.startswith("2026-01-20")


def test_the_archive_and_feed_cost_the_same_whatever_the_number_of_letters(g40, client,
                                                                       django_assert_max_num_queries):
    for month in range(1, 4):
        sent_letter(f"Brief {month}", sent_at=at(2025, month))
    client.get("/ledenbrieven/")
    with django_assert_max_num_queries(6) as few:
        client.get("/ledenbrieven/")
        client.get("/ledenbrieven/feed.atom")
    for month in range(4, 12):
        sent_letter(f"Brief {month}", sent_at=at(2025, month))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/ledenbrieven/")
        client.get("/ledenbrieven/feed.atom")
