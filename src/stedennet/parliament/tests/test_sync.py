"""The sync against a local SyncFeed: every category applied page by page with its cursor; the
later version wins; tombstones delete the entity and its links (and keep an older version from
coming back); references to entities never delivered stay plain GUIDs; unknown values break
nothing; failures are retried with back-off and recorded, the cursor stays, the other categories
go on; a malformed page is kept as the category's error and nothing of it is applied."""

import datetime
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stedennet.parliament.constants import CATEGORIES, FailureKind
from stedennet.parliament.feed import FeedPage, parse_page
from stedennet.parliament.models import (
    Besluit,
    Document,
    FeedCursor,
    FeedFailure,
    Kamerstukdossier,
    Link,
    Persoon,
    RawEntry,
    Stemming,
    Toezegging,
    Zaak,
    ZaakActor,
)
from stedennet.parliament.selectors import commitments_overdue, motion_summary
from stedennet.parliament.services import page_apply, parliament_sync
from stedennet.parliament.signals import entities_applied
from stedennet.parliament.tests.tkfeed import ERROR_DOCUMENT, Answer, Entry, G, entity, feed, scenario, zaak_body

pytestmark = pytest.mark.django_db
UTC = datetime.UTC


def u(name: str) -> uuid.UUID:
    return uuid.UUID(G[name])


@pytest.fixture
def published(feed_server):
    feed_server.publish(*scenario())
    return feed_server


def cursor(category: str) -> FeedCursor:
    return FeedCursor.objects.get(category=category)


def test_a_full_sync_applies_every_category(published):
    report = parliament_sync()
    assert report.ok and report.at_end
    assert [result.category for result in report.results] == list(CATEGORIES)
    zaak = next(result for result in report.results if result.category == "Zaak")
    assert (zaak.pages, zaak.entries, zaak.deleted, zaak.ignored) == (2, 6, 1, 1)

    # The later version of the motion won; its value "Ontijdig" is on no list and is kept as it is.
    motie = Zaak.objects.get(guid=u("motie"))
    assert motie.onderwerp == "Motie van het lid De Vries over het gemeentefonds"
    assert motie.kabinetsappreciatie == "Ontijdig" and motie.soort == "Motie" and motie.volgnummer == 12
    assert motie.skiptoken == 1004 and motie.bijgewerkt == datetime.datetime(2025, 12, 17, 13, 0, tzinfo=UTC)
    assert motie.feed_updated == datetime.datetime(2025, 12, 17, 12, 18, 37, 123456, tzinfo=UTC)
    assert motie.citeertitel == "" and motie.data["elements"]["grootProject"] == "false"  # kept without a column
    assert motie.kamerstukdossier_id == u("dossier") and motie.kamerstukdossier.kamerstuk_key == "36600-VII"
    # Its links are those of the later version: the activity, and an agenda item never delivered.
    assert set(Link.objects.filter(source_guid=u("motie")).values_list("relation", "target_guid")) == {
        ("activiteit", u("activiteit")), ("agendapunt", u("never_delivered_agendapunt"))}
    # The tombstone (verwijderd="True", attributes only) deleted the case and its links.
    assert not Zaak.objects.filter(guid=u("motie_gone")).exists()
    assert not Link.objects.filter(source_guid=u("motie_gone")).exists()
    # The older version that arrived later did not overwrite the newer one.
    assert Zaak.objects.get(guid=u("zaak_stale")).onderwerp == "Nieuwste versie"
    outcomes = dict(RawEntry.objects.filter(category="Zaak").values_list("skiptoken", "outcome"))
    assert outcomes == {1001: "stored", 1002: "stored", 1003: "stored", 1004: "stored", 1005: "deleted",
                        1006: "ignored"}
    assert RawEntry.objects.count() == len(scenario())

    # One cursor per category: the skiptoken of the last entry applied.
    assert {c.category: c.skiptoken for c in FeedCursor.objects.all()} == {
        "Persoon": 501, "Fractie": 602, "Commissie": 701, "Kamerstukdossier": 802, "Activiteit": 901,
        "Agendapunt": 951, "Zaak": 1006, "ZaakActor": 1102, "Document": 1201, "DocumentActor": 1301,
        "Besluit": 1401, "Stemming": 1502, "Toezegging": 1601}
    assert all(c.last_success_at and not c.last_error for c in FeedCursor.objects.all())

    # Every category in its typed table; the fields advocacy needs.
    dossier = Kamerstukdossier.objects.get(guid=u("dossier"))  # an entity in no namespace at all
    assert (dossier.nummer, dossier.toevoeging, dossier.kamerstuk_key) == (36600, "VII", "36600-VII")
    document = Document.objects.get(guid=u("document"))
    assert (document.soort, document.volgnummer, document.content_type) == ("Motie", 12, "application/pdf")
    assert document.enclosure_url == f"{published.base}/files/{G['document']}.pdf" and not document.file
    assert Persoon.objects.get(guid=u("de_vries")).naam == "Anna de Vries"
    toezegging = Toezegging.objects.get(guid=u("toezegging"))  # ns1: prefixes, +0100
    assert (toezegging.status, toezegging.naam, toezegging.ministerie) == (
        "Openstaand", "K. Bakker", "Binnenlandse Zaken en Koninkrijksrelaties")
    assert toezegging.datum_nakoming == datetime.datetime(2025, 6, 30, 23, 0, tzinfo=UTC)
    assert toezegging.activiteit_id == u("activiteit")
    assert Link.objects.filter(source_guid=u("toezegging"), relation="toegezegdAan/fractie",
                               target_guid=u("pvds")).exists()
    assert Besluit.objects.get(guid=u("besluit")).zaak_id == u("motie")
    assert Link.objects.filter(source_guid=u("besluit"), relation="zaak", target_guid=u("motie")).exists()

    summary = motion_summary(motie)
    assert [(s.naam, s.fractie, s.relatie) for s in summary.submitters] == [("A. de Vries", "PvdS", "Indiener")]
    assert summary.kabinetsappreciatie == "Ontijdig" and summary.decision.outcome == "Aangenomen"
    assert [(v.fractie, v.soort, v.zetels) for v in summary.votes] == [("PvdS", "Voor", 40), ("LMP", "Tegen", 35)]
    assert (summary.decision.seats_for, summary.decision.seats_against) == (40, 35)
    assert list(commitments_overdue(datetime.date(2025, 12, 17))) == [toezegging]

    # Only the local server was asked, from its own base URL: the feed's next links (to the real
    # host) are read for their skiptoken and never followed.
    assert published.requests and all(path.startswith(("/SyncFeed/2.0/Feed?", "/files/"))
                                      for path in published.requests)
    assert "/SyncFeed/2.0/Feed?category=Zaak&skiptoken=1003" in published.requests


def test_a_second_run_changes_nothing_and_new_entries_follow_the_cursor(published):
    parliament_sync()
    before = RawEntry.objects.count()
    again = parliament_sync()
    assert again.ok and sum(result.entries for result in again.results) == 0
    assert RawEntry.objects.count() == before
    published.publish(Entry("Zaak", G["brief"], 1010, entity("zaak", G["brief"], zaak_body(
        onderwerp="Brief regering over het gemeentefonds", soort="Brief regering", dossier=G["dossier"]))))
    report = parliament_sync(["Zaak"])
    assert report.results[0].entries == 1 and cursor("Zaak").skiptoken == 1010
    assert published.requests[-2:] == ["/SyncFeed/2.0/Feed?category=Zaak&skiptoken=1006",
                                       "/SyncFeed/2.0/Feed?category=Zaak&skiptoken=1010"]
    assert Zaak.objects.get(guid=u("brief")).soort == "Brief regering"


def test_a_deleted_entity_does_not_come_back_with_an_older_version(feed_server):
    feed_server.page_size = 1
    body = zaak_body(onderwerp="x", dossier=G["dossier"])
    feed_server.publish(
        Entry("Zaak", G["motie"], 1, entity("zaak", G["motie"], body, bijgewerkt="2025-12-17T10:00:00")),
        Entry("Zaak", G["motie"], 2, entity("zaak", G["motie"], verwijderd="true", bijgewerkt="2025-12-17T12:00:00")),
        Entry("Zaak", G["motie"], 3, entity("zaak", G["motie"], body, bijgewerkt="2025-12-17T11:00:00")),
    )
    parliament_sync(["Zaak"])
    assert not Zaak.objects.filter(guid=u("motie")).exists()
    assert list(RawEntry.objects.order_by("skiptoken").values_list("outcome", flat=True)) == [
        "stored", "deleted", "ignored"]
    feed_server.publish(Entry("Zaak", G["motie"], 4, entity("zaak", G["motie"], zaak_body(onderwerp="terug"),
                                                            bijgewerkt="2025-12-18T09:00:00")))
    parliament_sync(["Zaak"])
    assert Zaak.objects.get(guid=u("motie")).onderwerp == "terug"


def test_references_to_entities_not_seen_yet_are_plain_guids(feed_server):
    """Votes and actors arrive before their decision, case, person or party: nothing requires order."""
    feed_server.publish(*[item for item in scenario() if item.category in ("Stemming", "ZaakActor")])
    parliament_sync(["Stemming", "ZaakActor"])
    vote = Stemming.objects.get(guid=u("stem_pvds"))
    assert vote.besluit_id == u("besluit") and vote.fractie_id == u("pvds")
    assert not Besluit.objects.exists()
    with pytest.raises(Besluit.DoesNotExist):
        vote.besluit  # noqa: B018 (the reference is a GUID; the entity is not there yet)
    assert ZaakActor.objects.filter(zaak_id=u("motie")).count() == 2


def test_an_unknown_commitment_status_is_kept_and_counts_as_open(feed_server):
    feed_server.publish(Entry("Toezegging", G["toezegging"], 5, entity("toezegging", G["toezegging"], (
        "<ns1:status>Ontijdig</ns1:status><ns1:datumNakoming>2025-01-01T00:00:00+0100</ns1:datumNakoming>"),
        prefix="ns1")))
    parliament_sync(["Toezegging"])
    toezegging = Toezegging.objects.get()
    assert toezegging.status == "Ontijdig"
    assert list(commitments_overdue(datetime.date(2025, 6, 1))) == [toezegging]


def test_errors_are_retried_with_back_off_and_recorded(published, settings):
    settings.STEDENNET_TK_BACKOFF = 1.5
    published.script("Zaak", None, Answer(body=ERROR_DOCUMENT, content_type="application/xml"),
                     Answer(status=503, body=ERROR_DOCUMENT, content_type="application/xml"))
    waits = []
    report = parliament_sync(["Zaak"], sleep=waits.append)
    assert report.ok and cursor("Zaak").skiptoken == 1006
    assert waits == [1.5, 3.0]  # doubling
    failures = list(FeedFailure.objects.order_by("pk").values_list("kind", "attempt", "status_code", "message"))
    assert failures == [
        ("error-body", 1, 200, "An error has occurred."),
        ("http", 2, 503, "HTTP 503 Service Unavailable: An error has occurred."),
    ]


def test_a_failing_category_keeps_its_cursor_and_the_others_go_on(published):
    published.script("Zaak", 1003, *[Answer(status=500, body=b"oops", content_type="text/plain")] * 3)
    waits = []
    report = parliament_sync(["Zaak", "Fractie"], sleep=waits.append)
    zaak, fractie = report.results
    assert zaak.error == "HTTP 500 Internal Server Error" and zaak.error_kind == FailureKind.HTTP
    assert zaak.pages == 1 and fractie.error == ""
    assert fractie.at_end and cursor("Fractie").skiptoken == 602
    state = cursor("Zaak")
    assert state.skiptoken == 1003 and state.failures_in_a_row == 1
    assert state.last_error == "http: HTTP 500 Internal Server Error" and state.last_error_at
    assert FeedFailure.objects.filter(category="Zaak").count() == 3 and len(waits) == 2
    assert not Zaak.objects.filter(onderwerp__startswith="Motie van het lid").exists()  # page 2 not applied
    # The next run goes on from the cursor and clears the failure count.
    assert parliament_sync(["Zaak"]).ok
    state = cursor("Zaak")
    assert state.skiptoken == 1006 and state.failures_in_a_row == 0 and state.last_error  # kept as history


def test_an_unreachable_server_is_tried_once_per_run_not_once_per_category(settings):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.STEDENNET_TK_FEED_URL = f"http://127.0.0.1:{port}/SyncFeed/2.0/Feed"
    settings.STEDENNET_TK_RETRIES, settings.STEDENNET_TK_BACKOFF = 2, 0
    waits = []
    report = parliament_sync(sleep=waits.append)
    assert not report.ok and all(result.error.startswith("cannot connect") for result in report.results)
    assert len(waits) == 2 and FeedFailure.objects.count() == 3  # the first category's attempts only
    assert FeedCursor.objects.filter(failures_in_a_row=1).count() == len(CATEGORIES)
    assert "not tried" in cursor("Toezegging").last_error


def test_the_command_exits_non_zero_naming_the_failed_category(published, capsys):
    published.script("Fractie", None, *[Answer(status=502, body=b"")] * 3)
    with pytest.raises(CommandError, match="1 category failed: Fractie"):
        call_command("parliament", "sync", "--category", "fractie", "--category", "Persoon")
    captured = capsys.readouterr()
    assert "Persoon: 1 page(s), 1 entries (1 stored, 0 deleted, 0 ignored); up to date" in captured.out
    assert "Fractie: 0 page(s)" in captured.err and "HTTP 502" in captured.err


def test_a_timeout_is_retried(published, settings):
    settings.STEDENNET_TK_TIMEOUT = 0.5
    published.script("Persoon", None, Answer(body=b"", delay=1.5))
    report = parliament_sync(["Persoon"], sleep=lambda seconds: None)
    assert report.ok and Persoon.objects.count() == 1
    assert list(FeedFailure.objects.values_list("kind", flat=True)) == ["timeout"]


def test_a_malformed_page_is_kept_as_the_error_and_nothing_of_it_is_applied(published):
    entries = [item for item in scenario() if item.category == "Zaak"]
    good = feed(entries[3:6], category="Zaak")
    broken = good.replace(f'<title type="text">{entries[5].guid}'.encode(), b'<title type="text">not-a-guid')
    published.script("Zaak", 1003, Answer(body=broken))
    waits = []
    report = parliament_sync(["Zaak"], sleep=waits.append)
    result = report.results[0]
    assert result.error_kind == FailureKind.MALFORMED and "entry 3: the title is not a GUID" in result.error
    assert waits == []  # not retried: the same page would be as broken
    assert cursor("Zaak").skiptoken == 1003
    # Nothing of the broken page: not its first two entries either (the later motion, the tombstone).
    assert Zaak.objects.get(guid=u("motie")).skiptoken == 1001 and Zaak.objects.filter(guid=u("motie_gone")).exists()
    assert not RawEntry.objects.filter(skiptoken__gt=1003).exists()
    failure = FeedFailure.objects.get()
    assert failure.kind == "malformed" and failure.body == broken.decode() and failure.skiptoken == 1003
    assert cursor("Zaak").last_error.startswith("malformed: entry 3")
    assert parliament_sync(["Zaak"]).ok and cursor("Zaak").skiptoken == 1006  # the feed is fine again


def test_a_failure_while_applying_leaves_neither_page_nor_cursor(published, monkeypatch):
    parliament_sync(["Zaak"], max_pages=1)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(RawEntry.objects, "bulk_create", broken)  # after the entities and links are written
    with pytest.raises(RuntimeError):
        parliament_sync(["Zaak"])
    assert cursor("Zaak").skiptoken == 1003
    assert Zaak.objects.get(guid=u("motie")).skiptoken == 1001 and Zaak.objects.filter(guid=u("motie_gone")).exists()
    monkeypatch.undo()
    assert parliament_sync(["Zaak"]).ok and not Zaak.objects.filter(guid=u("motie_gone")).exists()


def test_a_page_is_not_applied_when_the_cursor_moved_meanwhile(published):
    parliament_sync(["Zaak"], max_pages=1)
    page = parse_page(feed([item for item in scenario() if item.category == "Zaak"][3:], category="Zaak"), "Zaak")
    assert page_apply("Zaak", page, expected_skiptoken=None) is None  # fetched from the start: stale
    assert page_apply("Zaak", FeedPage(page.entries), expected_skiptoken=1003).skiptoken == 1006


def test_each_applied_page_is_announced_after_its_commit(published, django_capture_on_commit_callbacks):
    heard = []

    def listener(sender, category, guids, deleted, **kwargs):
        heard.append((category, sorted(guids), deleted))

    def failing(**kwargs):
        raise ValueError("a receiver's own bug")

    entities_applied.connect(listener)
    entities_applied.connect(failing)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = parliament_sync(["Zaak"])
    finally:
        entities_applied.disconnect(listener)
        entities_applied.disconnect(failing)
    assert report.ok  # the failing receiver did not stop the sync
    assert heard == [
        ("Zaak", sorted([G["motie"], G["motie_gone"], G["zaak_stale"]]), []),
        ("Zaak", [G["motie"]], [G["motie_gone"]]),
    ]
    assert report.changed == {"Zaak": {G["motie"], G["zaak_stale"]}}


def test_max_pages_bounds_a_run(published):
    report = parliament_sync(["Zaak"], max_pages=1)
    assert report.results[0].pages == 1 and not report.at_end and cursor("Zaak").skiptoken == 1003


def test_status_command(published, capsys):
    parliament_sync(["Zaak"])
    call_command("parliament", "status")
    out = capsys.readouterr().out
    assert "Zaak: 2 items, cursor 1006, last success 20" in out and "Persoon: 0 items, cursor None" in out
    call_command("parliament", "status", "--json")
    import json

    data = json.loads(capsys.readouterr().out)
    assert data["stale"] is False and {"category": "Zaak", "items": 2} .items() <= next(
        row for row in data["categories"] if row["category"] == "Zaak").items()


def test_an_unknown_category_is_refused():
    with pytest.raises(CommandError, match="unknown category 'Motie'"):
        call_command("parliament", "sync", "--category", "Motie")
    with pytest.raises(ValueError, match="unknown categories"):
        parliament_sync(["Motie"])
