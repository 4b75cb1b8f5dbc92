"""The public lobby pages: /lobby/ (the dossiers a viewer may see, by pillar, with status and the
latest ask), a dossier's page (ask and versions, owners, key messages, actions, interventions with
addressee, signatories, documents and outcome, motions with their vote per party, commitments
with the overdue flag, the timeline and its filter), an intervention's documents, the Atom feed
of public letters; 404 for a dossier the viewer may not see, for everyone; demo badges; a fixed
number of queries."""

import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stedennet.advocacy.constants import Addressee, InterventionKind, Outcome
from stedennet.advocacy.models import Dossier, InterventionDocument
from stedennet.advocacy.services import intervention_outcome_set, intervention_record
from stedennet.advocacy.tests.test_selectors import _grow, body, d, lobby, people
from stedennet.advocacy.views import body_page_dossiers
from stedennet.governance.access import ANONYMOUS, viewer_for

ATOM = "{http://www.w3.org/2005/Atom}"


def html(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def by_testid(tree, testid):
    return tree.xpath(f'.//*[@data-testid="{testid}"]')


def text(element) -> str:
    return " ".join(element.text_content().split())


@pytest.fixture
def world(g40_bodies, make_user):
    return lobby(g40_bodies), people(make_user)


def signed_in(client, users, role):
    if users[role] is not None:
        client.force_login(users[role])
    return client


def test_the_addresses():
    assert reverse("advocacy:dossier_list") == "/lobby/"
    assert reverse("advocacy:dossier", kwargs={"slug": "armoede"}) == "/lobby/armoede/"
    assert reverse("advocacy:letters_feed") == "/lobby/brieven.atom"


# --- /lobby/ ------------------------------------------------------------------------------------

def test_the_list_for_visitors_by_pillar_with_status_and_latest_ask(world, client):
    tree = html(client.get("/lobby/"))
    pillars = by_testid(tree, "pillar")
    assert [p.get("data-slug") for p in pillars] == ["sociale-pijler"]
    dossiers = by_testid(tree, "dossier")
    assert [x.get("data-slug") for x in dossiers] == ["armoede"]
    assert dossiers[0].xpath(".//a/@href") == ["/lobby/armoede/"]
    assert dossiers[0].get("data-status") == "open"
    assert "Structureel 500 miljoen" in text(by_testid(dossiers[0], "latest-ask")[0])
    assert "Ledendossier" not in text(tree) and "Groepsdossier" not in text(tree)
    nav = tree.xpath('//nav[@id="site-nav"]//a[@href="/lobby/"]')
    assert len(nav) == 1 and nav[0].get("aria-current") == "page"
    assert tree.xpath('//link[@rel="alternate"][@type="application/atom+xml"]/@href') == [
        "/lobby/feed.atom", "/lobby/brieven.atom"]


@pytest.mark.parametrize(("role", "slugs"), [
    ("member", ["armoede", "jeugdzorg"]), ("partner", ["armoede"]),
    ("wonen", ["armoede", "jeugdzorg", "woningbouw"]), ("bureau", ["armoede", "jeugdzorg", "woningbouw"]),
])
def test_the_list_for_signed_in_viewers(world, client, role, slugs):
    _lobby, users = world
    tree = html(signed_in(client, users, role).get("/lobby/"))
    assert [x.get("data-slug") for x in by_testid(tree, "dossier")] == slugs
    if "woningbouw" in slugs:
        group = next(x for x in by_testid(tree, "dossier") if x.get("data-slug") == "woningbouw")
        assert group.get("data-status") == "partly_achieved" and by_testid(group, "visibility")


def test_the_list_when_there_is_nothing(g40_bodies, client):
    tree = html(client.get("/lobby/"))
    assert by_testid(tree, "no-dossiers")


# --- who may open a dossier ----------------------------------------------------------------------

OPENS = {  # role → status for armoede (public), jeugdzorg (members), woningbouw (group Wonen)
    "anonymous": (200, 404, 404),
    "partner": (200, 404, 404),
    "member": (200, 200, 404),
    "insider": (200, 200, 404),
    "wonen": (200, 200, 200),
    "bureau": (200, 200, 200),
}


@pytest.mark.parametrize("role", OPENS)
def test_a_dossier_the_viewer_may_not_see_is_not_found(world, client, role):
    _lobby, users = world
    signed_in(client, users, role)
    statuses = tuple(client.get(f"/lobby/{slug}/").status_code for slug in ("armoede", "jeugdzorg", "woningbouw"))
    assert statuses == OPENS[role]
    hidden = client.get("/lobby/woningbouw/")
    missing = client.get("/lobby/bestaat-niet/")
    assert missing.status_code == 404
    if hidden.status_code == 404:  # the same answer as for one that does not exist: nothing leaks
        assert b"woningbouw" not in hidden.content.lower().replace(b"/lobby/woningbouw/", b"")
        assert b"Groepsdossier" not in hidden.content


def test_the_pages_are_read_only(world, client):
    assert client.post("/lobby/").status_code == 405
    assert client.post("/lobby/armoede/").status_code == 405


# --- the dossier's page --------------------------------------------------------------------------

def test_the_dossier_for_a_visitor(world, client):
    lobby_, _users = world
    tree = html(client.get("/lobby/armoede/"))
    assert text(by_testid(tree, "dossier-title")[0]) == "Armoede en schulden"
    facts = by_testid(tree, "dossier-facts")[0]
    assert by_testid(facts, "status")[0].get("data-status") == "open"
    assert "Themagroep Armoede en schulden" in text(by_testid(tree, "owners")[0])

    current = by_testid(tree, "current-ask")[0]
    assert current.get("data-version") == "2"
    assert "1 juni 2025" in text(current) or "1 June 2025" in text(current)
    assert "Structureel 500 miljoen" in text(current)
    assert text(by_testid(current, "ask-body")[0]) == body("sociale-pijler-bo").name
    assert text(by_testid(current, "ask-decision")[0]).endswith("2025-06-01/1")
    earlier = by_testid(tree, "earlier-asks")[0]
    assert earlier.tag == "details" and earlier.xpath("./summary")
    assert [x.get("data-version") for x in by_testid(earlier, "earlier-ask")] == ["1"]

    assert next(text(m) for m in by_testid(tree, "key-message")).startswith("Bestaanszekerheid voor iedereen")
    assert "Geheime kernboodschap" not in text(tree)
    assert next(text(a) for a in by_testid(tree, "action")).startswith("Lobbydag armoede")
    assert "Interne lobbyverkenning" not in text(tree)

    interventions = by_testid(tree, "intervention")
    assert [i.get("data-pk") for i in interventions] == [str(lobby_.meeting.pk), str(lobby_.letter.pk)]
    letter = interventions[1]
    assert letter.get("id") == f"stap-{lobby_.letter.pk}" and letter.get("data-outcome") == "granted"
    assert "vaste commissie voor Sociale Zaken en Werkgelegenheid" in text(by_testid(letter, "addressee")[0])
    assert text(by_testid(letter, "signatories")[0]) == "Wethouder Alkmaar, Wethouder Zwolle"
    documents = by_testid(letter, "document")
    assert [text(x) for x in documents] == ["Brief openbaar"]
    outcome = by_testid(letter, "outcome")[0]
    assert "De Kamer nam de motie aan." in text(outcome)
    evidence = by_testid(outcome, "evidence")[0]
    assert evidence.xpath(".//a/@href") == ["https://example.org/motie", f"#item-{lobby_.motion.pk}"]
    assert "Vertrouwelijke notitie" not in text(tree)

    motions = by_testid(tree, "motion")
    assert [m.get("data-item") for m in motions] == [str(lobby_.motion.pk), str(lobby_.rejected.pk)]
    first = motions[0]
    assert [text(s) for s in by_testid(first, "submitter")] == ["Anna de Vries (PvdS)", "Bram Jansen (LMP)"]
    assert text(by_testid(first, "appraisal")[0]) == "Oordeel Kamer"
    assert text(by_testid(first, "decision")[0]).startswith("Aangenomen")
    table = by_testid(first, "votes")[0]
    assert table.xpath("./caption") and table.xpath("./thead//th[@scope='col']")
    votes = [(v.get("data-party"), v.get("data-vote"), v.get("data-seats")) for v in by_testid(table, "vote")]
    assert votes == [("PvdS", "voor", "40"), ("LMP", "voor", "35"), ("CSA", "tegen", "30"), ("GV", "voor", "25"),
                     ("PvhP", "niet deelgenomen", "20")]
    assert all(row.xpath("./th[@scope='row']") for row in by_testid(table, "vote"))
    assert text(by_testid(motions[1], "decision")[0]).startswith("Verworpen")

    commitments = by_testid(tree, "commitment")
    assert [(c.get("data-item"), c.get("data-overdue")) for c in commitments] == [
        (str(lobby_.overdue.pk), "true"), (str(lobby_.open_commitment.pk), "false")]
    assert by_testid(commitments[0], "overdue") and not by_testid(commitments[1], "overdue")
    assert "Minister Bakker" in text(commitments[0])
    assert by_testid(tree, "overdue-count")

    timeline = by_testid(tree, "timeline")[0]
    entries = by_testid(timeline, "timeline-entry")
    dates = [entry.get("data-date") for entry in entries]
    assert dates == sorted(dates) and len(entries) == 11
    assert {entry.get("id") for entry in entries} >= {f"item-{lobby_.motion.pk}", f"item-{lobby_.debate.pk}"}
    assert not by_testid(by_testid(tree, "dossier-title")[0], "demo-badge")
    assert not any(by_testid(x, "demo-badge") for x in interventions + motions)
    assert len(tree.xpath("//*[@id]/@id")) == len(set(tree.xpath("//*[@id]/@id")))  # ids are unique


def test_the_timeline_filter_works_without_javascript(world, client):
    tree = html(client.get("/lobby/armoede/?soort=motion&soort=outcome&soort=nonsense"))
    form = by_testid(tree, "timeline-filter")[0]
    assert form.get("method") == "get" and form.get("action") == "/lobby/armoede/#tijdlijn"
    assert sorted(form.xpath(".//input[@name='soort'][@checked]/@value")) == ["motion", "outcome"]
    assert form.xpath(".//fieldset/legend")
    for box in form.xpath(".//input[@name='soort']"):
        assert form.xpath(f".//label[@for='{box.get('id')}']")
    kinds = [entry.get("data-kind") for entry in by_testid(tree, "timeline-entry")]
    assert kinds == ["motion", "motion", "outcome"]
    assert by_testid(tree, "timeline-all")
    assert len(by_testid(tree, "motion")) == 2 and len(by_testid(tree, "commitment")) == 2  # not filtered
    empty = html(client.get("/lobby/armoede/?soort=other"))
    assert by_testid(empty, "timeline-empty") and not by_testid(empty, "timeline-entry")


def test_a_member_sees_every_intervention_and_the_members_documents(world, client):
    lobby_, users = world
    tree = html(signed_in(client, users, "member").get("/lobby/armoede/"))
    interventions = by_testid(tree, "intervention")
    assert str(lobby_.secret_letter.pk) in [i.get("data-pk") for i in interventions]
    secret = next(i for i in interventions if i.get("data-pk") == str(lobby_.secret_letter.pk))
    assert secret.get("data-public") == "false" and by_testid(secret, "not-public")
    letter = next(i for i in interventions if i.get("data-pk") == str(lobby_.letter.pk))
    assert [text(x) for x in by_testid(letter, "document")] == ["Brief openbaar", "Bijlage leden"]
    assert "Geheime kernboodschap" in text(tree) and "Interne lobbyverkenning" in text(tree)
    insider = html(signed_in(client, users, "insider").get("/lobby/armoede/"))
    letter = next(i for i in by_testid(insider, "intervention") if i.get("data-pk") == str(lobby_.letter.pk))
    assert [text(x) for x in by_testid(letter, "document")] == ["Brief openbaar", "Bijlage leden",
                                                                "Bijlage themagroep"]


@pytest.mark.parametrize(("role", "allowed"), [
    ("anonymous", {"Brief openbaar"}), ("partner", {"Brief openbaar"}),
    ("member", {"Brief openbaar", "Bijlage leden"}),
    ("insider", {"Brief openbaar", "Bijlage leden", "Bijlage themagroep"}),
    ("bureau", {"Brief openbaar", "Bijlage leden", "Bijlage themagroep"}),
])
def test_the_documents_are_served_by_their_visibility(world, client, role, allowed):
    lobby_, users = world
    signed_in(client, users, role)
    for document in InterventionDocument.objects.filter(intervention=lobby_.letter):
        response = client.get(reverse("advocacy:document", kwargs={"slug": "armoede", "pk": document.pk}))
        assert response.status_code == (200 if document.title in allowed else 404), document.title
        if response.status_code == 200:
            assert response["Content-Disposition"].startswith("attachment")
            assert response["Cache-Control"] == "private, no-store"
            assert response.content.startswith(b"%PDF")
    other = InterventionDocument.objects.filter(intervention=lobby_.letter).first()
    assert client.get(reverse("advocacy:document", kwargs={"slug": "jeugdzorg", "pk": other.pk})).status_code == 404


def test_the_evidence_document_of_an_outcome(world, client):
    from stedennet.advocacy.tests.test_selectors import wagtail_document

    lobby_, users = world
    proof = wagtail_document("Bewijs")
    intervention_outcome_set(intervention=lobby_.secret_letter, outcome=Outcome.PARTLY, day=d("2025-04-01"),
                             evidence_document=proof)
    url = reverse("advocacy:evidence", kwargs={"slug": "armoede", "pk": lobby_.secret_letter.pk})
    assert client.get(url).status_code == 404  # the intervention is not public
    signed_in(client, users, "member")
    assert client.get(url).status_code == 200
    tree = html(client.get("/lobby/armoede/"))
    assert url in tree.xpath("//*[@data-testid='evidence']//a/@href")
    no_proof = reverse("advocacy:evidence", kwargs={"slug": "armoede", "pk": lobby_.meeting.pk})
    assert client.get(no_proof).status_code == 404


def test_demo_data_is_flagged(world, client):
    lobby_, _users = world
    Dossier.objects.filter(pk=lobby_.public.pk).update(is_demo=True)
    lobby_.letter.is_demo = True
    lobby_.letter.save(update_fields=["is_demo"])
    tree = html(client.get("/lobby/"))
    assert by_testid(by_testid(tree, "dossier")[0], "demo-badge")
    tree = html(client.get("/lobby/armoede/"))
    assert by_testid(by_testid(tree, "dossier-title")[0], "demo-badge")
    letter = next(i for i in by_testid(tree, "intervention") if i.get("data-pk") == str(lobby_.letter.pk))
    assert by_testid(letter, "demo-badge")


def test_the_page_takes_the_same_queries_whatever_the_data(world, client, django_assert_max_num_queries):
    lobby_, users = world
    signed_in(client, users, "insider")
    client.get("/lobby/armoede/")  # warm caches (content types, site)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/lobby/armoede/").status_code == 200
        return len(queries)

    before = count()
    _grow(lobby_.public, 5, 1)
    with django_assert_max_num_queries(before):
        client.get("/lobby/armoede/")
    with CaptureQueriesContext(connection) as listed:
        client.get("/lobby/")
    for number in range(3):
        Dossier.objects.create(network=lobby_.public.network, pillar=body("sociale-pijler"), title=f"Extra {number}",
                               slug=f"extra-{number}", opened_on=d("2025-01-01"))
    with django_assert_max_num_queries(len(listed)):
        client.get("/lobby/")


# --- the Atom feed ----------------------------------------------------------------------------------

def test_the_atom_feed_of_public_letters(world, client):
    lobby_, _users = world
    later = intervention_record(dossier=lobby_.public, kind=InterventionKind.LETTER, title="Tweede brief",
                                date=d("2025-07-01"), addressee=Addressee.MINISTER, addressee_name="Minister van SZW",
                                summary="Zie <b>bijlage</b> & meer")
    response = client.get("/lobby/brieven.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Tweede brief", "Brief aan de commissie SZW"]
    first, second = entries
    assert first.find(f"{ATOM}link").get("href").endswith(f"/lobby/armoede/#stap-{later.pk}")
    assert first.find(f"{ATOM}id").text.startswith("http")
    assert "<p>Zie &lt;b&gt;bijlage&lt;/b&gt; &amp; meer</p>" in first.find(f"{ATOM}summary").text  # escaped HTML
    summary = second.find(f"{ATOM}summary").text
    assert "vaste commissie voor Sociale Zaken en Werkgelegenheid" in summary
    assert "De Kamer nam de motie aan." in summary and "2025-05-20" in summary
    assert summary.startswith("<p>") and second.find(f"{ATOM}summary").get("type") == "html"
    assert first.find(f"{ATOM}updated").text.startswith("2025-07-01")
    assert second.find(f"{ATOM}updated").text.startswith("2025-05-20")
    body_text = response.content.decode()
    for hidden in ("Vertrouwelijke notitie", "Gesprek met de minister", "Brief over jeugdzorg"):
        assert hidden not in body_text


def test_the_feed_without_letters(g40_bodies, client):
    feed = ET.fromstring(client.get("/lobby/brieven.atom").content)  # noqa: S314 - our own response
    assert feed.findall(f"{ATOM}entry") == []


# --- on a body's page ------------------------------------------------------------------------------

def test_the_dossiers_section_of_a_theme_group(world, rf):
    _lobby, users = world
    request = rf.get("/organen/themagroep-armoede-en-schulden/")
    request.user = users["member"]
    html_text = body_page_dossiers(request, body("themagroep-armoede-en-schulden"), viewer_for(users["member"]))
    section = lxml.html.fromstring(html_text)
    assert [x.get("data-slug") for x in section.xpath('//*[@data-testid="dossier"]')] == ["armoede", "jeugdzorg"]
    assert body_page_dossiers(request, body("themagroep-jeugd"), ANONYMOUS) == ""
