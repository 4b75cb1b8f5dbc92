"""A local stand-in for the Tweede Kamer's SyncFeed, and feed pages written from the documented
shapes (``shared/validators/tweedekamer``: the official ``tkData-v1-0`` schemas; the SyncFeed
documentation): nothing in the tests ever leaves the machine.

- ``entity(...)``, ``entry(...)``, ``feed(...)``: the XML of an entity, an Atom entry and a page;
- ``FeedServer``: a threaded ``http.server`` on 127.0.0.1 that serves published entries page by
  page as the real feed does (``?category=C`` from the start, ``&skiptoken=N`` after entry N),
  with scripted answers (a 5xx, a slow page, an ``<Error>`` document, a broken page) for chosen
  pages, and files (enclosures) under ``/files/``;
- ``scenario()``: the entries of every category the tests sync: a motion with submitters, a
  decision and votes, a dossier, a document with a file, a committee, parties, a person, a
  commitment in ``ns1:`` with ``+0100``, a later version, a stale one, tombstones, references to
  entities never delivered and a value no list knows ("Ontijdig").
"""

import http.server
import threading
import time
import uuid
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

TK = "http://www.tweedekamer.nl/xsd/tkData/v1-0"
ATOM = "http://www.w3.org/2005/Atom"
REAL_FEED = "https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Feed"
PDF = b"%PDF-1.7\n% demo kamerstuk\n%%EOF"  # the file of the scenario's document
ERROR_DOCUMENT = b'<?xml version="1.0" encoding="utf-8"?><Error><Message>An error has occurred.</Message></Error>'


def guid(name: str) -> str:
    """A stable GUID per test name (as the Kamer's: lower case, with hyphens)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"stedennet-test:{name}"))


def entity(element: str, entity_guid: str, body: str = "", *, bijgewerkt: str = "2025-12-17T13:18:36",
           verwijderd: str = "false", prefix: str | None = "tk", attributes: str = "") -> str:
    """``<zaak xmlns="…tkData…" xmlns:tk="…" id="…" tk:bijgewerkt="…" tk:verwijderd="false">…</zaak>``.

    ``prefix``: ``"tk"`` (default namespace for elements, ``tk:`` for the attributes, as most
    categories), ``"ns1"`` (everything prefixed ``ns1:``, as Toezegging), or None (no namespace)."""
    if prefix == "ns1":
        return (f'<ns1:{element} xmlns:ns1="{TK}" id="{entity_guid}" ns1:bijgewerkt="{bijgewerkt}" '
                f'ns1:verwijderd="{verwijderd}"{attributes}>{body}</ns1:{element}>')
    if prefix is None:
        return (f'<{element} id="{entity_guid}" bijgewerkt="{bijgewerkt}" verwijderd="{verwijderd}"{attributes}>'
                f'{body}</{element}>')
    return (f'<{element} xmlns="{TK}" xmlns:tk="{TK}" id="{entity_guid}" tk:bijgewerkt="{bijgewerkt}" '
            f'tk:verwijderd="{verwijderd}"{attributes}>{body}</{element}>')


def ns1(body: str) -> str:
    """Prefix every element of ``body`` with ``ns1:`` (for Toezegging's children)."""
    import re

    return re.sub(r"<(/?)([a-zA-Z])", r"<\1ns1:\2", body)


@dataclass
class Entry:
    category: str
    guid: str
    skiptoken: int
    content: str  # the entity's XML
    updated: str = "2025-12-17T12:18:37.1234567Z"
    enclosure: str = ""  # path on the server ("/files/x.pdf") or a full URL


def entry(item: Entry, *, base: str = "") -> str:
    element = item.category[0].lower() + item.category[1:]
    enclosure = item.enclosure
    if enclosure.startswith("/"):
        enclosure = base + enclosure
    link = f'<link rel="enclosure" href="{enclosure}" type="application/pdf"/>' if enclosure else ""
    return (
        f'<entry><title type="text">{item.guid}</title>'
        f'<id>https://gegevensmagazijn.tweedekamer.nl/SyncFeed/2.0/Entiteiten/{item.guid}</id>'
        f'<author><name>Tweede Kamer der Staten-Generaal</name></author>'
        f'<updated>{item.updated}</updated><category term="{element}"/>'
        # The entry-level cursor, as the real feed writes it (an absolute URL of the real host:
        # the client reads its skiptoken and never follows it).
        f'<link rel="next" href="{REAL_FEED}?category={item.category}&amp;skiptoken={item.skiptoken}"/>'
        f'{link}<content type="application/xml">{item.content}</content></entry>'
    )


def feed(entries: list[Entry], *, category: str = "Zaak", base: str = "") -> bytes:
    items = "".join(entry(item, base=base) for item in entries)
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="{ATOM}"><title type="text">SyncFeed 2.0 - '
            f'{category}</title><id>{REAL_FEED}?category={category}</id><updated>2025-12-17T12:20:00Z</updated>'
            f'<link rel="self" href="{REAL_FEED}?category={category}"/>{items}</feed>').encode()


@dataclass
class Answer:
    """A scripted answer for one request: status, body, content type; ``delay`` before answering;
    ``stall`` seconds after sending the first half of the body (a page cut in the middle)."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/atom+xml; charset=utf-8"
    delay: float = 0.0
    stall: float = 0.0
    headers: dict = field(default_factory=dict)


class FeedServer:
    def __init__(self, page_size: int = 3):
        self.page_size = page_size
        self.entries: dict[str, list[Entry]] = {}
        self.scripted: dict[tuple[str, int | None], list[Answer]] = {}
        self.files: dict[str, Answer] = {}
        self.requests: list[str] = []
        self.served: list[tuple[str, int | None, int | None]] = []  # category, from, last skiptoken served
        self.page_served = threading.Event()
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.handle(self)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def url(self) -> str:
        return f"{self.base}/SyncFeed/2.0/Feed"

    def start(self) -> "FeedServer":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # --- what it serves ---------------------------------------------------------------------

    def publish(self, *entries: Entry) -> None:
        for item in entries:
            self.entries.setdefault(item.category, []).append(item)
            self.entries[item.category].sort(key=lambda e: e.skiptoken)

    def script(self, category: str, skiptoken: int | None, *answers: Answer) -> None:
        """Answer the page of ``category`` after ``skiptoken`` with these, one per request (then normally)."""
        self.scripted.setdefault((category, skiptoken), []).extend(answers)

    def file(self, path: str, answer: Answer) -> None:
        self.files[path] = answer

    def page(self, category: str, after: int | None) -> list[Entry]:
        entries = [e for e in self.entries.get(category, []) if after is None or e.skiptoken > after]
        return entries[:self.page_size]

    # --- answering --------------------------------------------------------------------------

    def handle(self, request) -> None:
        parts = urlsplit(request.path)
        with self.lock:
            self.requests.append(request.path)
        if parts.path.startswith("/files/"):
            self._answer(request, self.files.get(parts.path, Answer(404, b"not found", "text/plain")))
            return
        if parts.path != "/SyncFeed/2.0/Feed":
            self._answer(request, Answer(404, b"not found", "text/plain"))
            return
        query = parse_qs(parts.query)
        category = (query.get("category") or [""])[0]
        skiptoken = int(query["skiptoken"][0]) if "skiptoken" in query else None
        with self.lock:
            queue = self.scripted.get((category, skiptoken))
            answer = queue.pop(0) if queue else None
        if answer is None:
            entries = self.page(category, skiptoken)
            answer = Answer(body=feed(entries, category=category, base=self.base))
            with self.lock:
                self.served.append((category, skiptoken, entries[-1].skiptoken if entries else None))
        self._answer(request, answer)
        if answer.status == 200 and not answer.stall:
            self.page_served.set()

    @staticmethod
    def _answer(request, answer: Answer) -> None:
        if answer.delay:
            time.sleep(answer.delay)
        try:
            request.send_response(answer.status)
            request.send_header("Content-Type", answer.content_type)
            request.send_header("Content-Length", str(len(answer.body)))
            for name, value in answer.headers.items():
                request.send_header(name, value)
            request.end_headers()
            if answer.stall:
                half = len(answer.body) // 2
                request.wfile.write(answer.body[:half])
                request.wfile.flush()
                time.sleep(answer.stall)
                request.wfile.write(answer.body[half:])
            else:
                request.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


# --- the scenario ----------------------------------------------------------------------------------

G = {name: guid(name) for name in [
    "dossier", "dossier_other", "commissie", "pvds", "lmp", "de_vries", "motie", "motie_gone", "brief",
    "zaak_stale", "actor", "actor2", "document", "document_actor", "activiteit", "agendapunt", "besluit",
    "stem_pvds", "stem_lmp", "toezegging", "never_delivered_activiteit", "never_delivered_agendapunt",
]}


def zaak_body(*, onderwerp: str, soort: str = "Motie", kabinetsappreciatie: str = "Ontijdig",
              status: str = "Vrijgegeven", dossier: str | None = None, extra_refs: str = "") -> str:
    """A zaak's children in the schema's order (tkData-v1-0-zaak.xsd)."""
    dossier_ref = f'<kamerstukdossier ref="{dossier}"/>' if dossier else ""
    return (f"<nummer>2025Z12345</nummer><soort>{soort}</soort><onderwerp>{onderwerp}</onderwerp>"
            f"<gestartOp>2025-12-16T10:00:00</gestartOp><organisatie>Tweede Kamer der Staten-Generaal</organisatie>"
            f"<titel>Vaststelling van de begrotingsstaten van het Ministerie van BZK voor het jaar 2025</titel>"
            f'<citeertitel xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
            f"<vergaderjaar>2025-2026</vergaderjaar><volgnummer>12</volgnummer><status>{status}</status>"
            f"<afgedaan>false</afgedaan><grootProject>false</grootProject>"
            f"<kabinetsappreciatie>{kabinetsappreciatie}</kabinetsappreciatie>{dossier_ref}{extra_refs}")


def scenario() -> list[Entry]:
    """Every category, in several namespace spellings, with updates, tombstones and loose references."""
    d = G
    return [
        Entry("Persoon", d["de_vries"], 501, entity("persoon", d["de_vries"],
              "<nummer>4321</nummer><titels>drs.</titels><initialen>A.</initialen><tussenvoegsel>de</tussenvoegsel>"
              "<achternaam>Vries</achternaam><voornamen>Anna Maria</voornamen><roepnaam>Anna</roepnaam>"
              "<geslacht>vrouw</geslacht><functie>Tweede Kamerlid</functie>")),
        Entry("Fractie", d["pvds"], 601, entity("fractie", d["pvds"],
              "<nummer>1</nummer><afkorting>PvdS</afkorting><naamNL>Partij voor de Steden</naamNL>"
              "<naamEN>Party for the Cities</naamEN><aantalZetels>40</aantalZetels>"
              "<aantalStemmen>2000000</aantalStemmen><datumActief>2023-12-06T00:00:00</datumActief>")),
        Entry("Fractie", d["lmp"], 602, entity("fractie", d["lmp"],
              "<nummer>2</nummer><afkorting>LMP</afkorting><naamNL>Liberale Middenpartij</naamNL>"
              "<aantalZetels>35</aantalZetels>")),
        Entry("Commissie", d["commissie"], 701, entity("commissie", d["commissie"],
              "<nummer>2970</nummer><afkorting>BiZa</afkorting><naamNL>vaste commissie voor Binnenlandse Zaken"
              "</naamNL><soort>Vaste commissie</soort>")),
        # No namespace at all.
        Entry("Kamerstukdossier", d["dossier"], 801, entity("kamerstukdossier", d["dossier"],
              "<titel>Vaststelling van de begrotingsstaten van het Ministerie van Binnenlandse Zaken en "
              "Koninkrijksrelaties (VII) voor het jaar 2025</titel><nummer>36600</nummer><toevoeging>VII</toevoeging>"
              "<hoogsteVolgnummer>14</hoogsteVolgnummer><afgesloten>false</afgesloten>", prefix=None)),
        Entry("Kamerstukdossier", d["dossier_other"], 802, entity("kamerstukdossier", d["dossier_other"],
              "<titel>Jaarverslag 2024</titel><nummer>36560</nummer><toevoeging>XV</toevoeging>")),
        Entry("Activiteit", d["activiteit"], 901, entity("activiteit", d["activiteit"],
              "<soort>Commissiedebat</soort><nummer>2025A01234</nummer><onderwerp>Financiering decentrale overheden"
              "</onderwerp><datumSoort>Dag</datumSoort><datum>2025-12-10T00:00:00</datum>"
              "<aanvangstijd>2025-12-10T10:00:00</aanvangstijd><eindtijd>2025-12-10T13:00:00</eindtijd>"
              "<locatie>Thorbeckezaal</locatie><besloten>false</besloten><status>Uitgevoerd</status>"
              "<vergaderjaar>2025-2026</vergaderjaar><kamer>2</kamer>"
              "<voortouwnaam>vaste commissie voor Binnenlandse Zaken</voortouwnaam>"
              f'<voortouwafkorting>BiZa</voortouwafkorting><voortouwcommissie ref="{d["commissie"]}"/>')),
        Entry("Agendapunt", d["agendapunt"], 951, entity("agendapunt", d["agendapunt"],
              f'<nummer>2025P01234</nummer><onderwerp>Stemmingen</onderwerp><volgorde>3</volgorde>'
              f'<status>Vrijgegeven</status><activiteit ref="{d["activiteit"]}"/>')),
        Entry("Zaak", d["motie"], 1001, entity("zaak", d["motie"], zaak_body(
              onderwerp="Motie over het gemeentefonds (eerste versie)", dossier=d["dossier"],
              extra_refs=f'<activiteit ref="{d["activiteit"]}"/><activiteit ref="{d["never_delivered_activiteit"]}"/>'
                         f'<agendapunt ref="{d["never_delivered_agendapunt"]}"/>'))),
        Entry("Zaak", d["motie_gone"], 1002, entity("zaak", d["motie_gone"], zaak_body(
              onderwerp="Een motie die wordt ingetrokken", dossier=d["dossier"],
              extra_refs=f'<activiteit ref="{d["activiteit"]}"/>'))),
        Entry("Zaak", d["zaak_stale"], 1003, entity("zaak", d["zaak_stale"], zaak_body(
              onderwerp="Nieuwste versie", soort="Brief regering", kabinetsappreciatie=""),
              bijgewerkt="2025-12-17T15:00:00")),
        # The later version of the motion (a later bijgewerkt), with a value no list knows.
        Entry("Zaak", d["motie"], 1004, entity("zaak", d["motie"], zaak_body(
              onderwerp="Motie van het lid De Vries over het gemeentefonds", dossier=d["dossier"],
              kabinetsappreciatie="Ontijdig", extra_refs=f'<activiteit ref="{d["activiteit"]}"/>'
                                                          f'<agendapunt ref="{d["never_delivered_agendapunt"]}"/>'),
              bijgewerkt="2025-12-17T14:00:00")),
        # A tombstone that carries only attributes (verwijderd="True", capitalised).
        Entry("Zaak", d["motie_gone"], 1005, entity("zaak", d["motie_gone"], verwijderd="True",
              bijgewerkt="2025-12-17T14:30:00")),
        # An older version of zaak_stale that arrives after the newer one: ignored.
        Entry("Zaak", d["zaak_stale"], 1006, entity("zaak", d["zaak_stale"], zaak_body(
              onderwerp="Oudere versie", soort="Brief regering", kabinetsappreciatie=""),
              bijgewerkt="2025-12-17T09:00:00")),
        Entry("ZaakActor", d["actor"], 1101, entity("zaakActor", d["actor"],
              f'<zaak ref="{d["motie"]}"/><actorNaam>A. de Vries</actorNaam><actorFractie>PvdS</actorFractie>'
              f'<functie>Tweede Kamerlid</functie><relatie>Indiener</relatie>'
              f'<persoon ref="{d["de_vries"]}"/><fractie ref="{d["pvds"]}"/>')),
        Entry("ZaakActor", d["actor2"], 1102, entity("zaakActor", d["actor2"],
              f'<zaak ref="{d["motie"]}"/><actorNaam>vaste commissie voor Binnenlandse Zaken</actorNaam>'
              f'<actorAfkorting>BiZa</actorAfkorting><relatie>Voortouwcommissie</relatie>'
              f'<commissie ref="{d["commissie"]}"/>')),
        Entry("Document", d["document"], 1201, entity("document", d["document"],
              f'<soort>Motie</soort><documentNummer>2025D54321</documentNummer><titel>Vaststelling van de '
              f'begrotingsstaten van het Ministerie van BZK voor het jaar 2025</titel><onderwerp>Motie van het lid '
              f'De Vries over het gemeentefonds</onderwerp><datum>2025-12-16T00:00:00</datum><volgnummer>12'
              f'</volgnummer><vergaderjaar>2025-2026</vergaderjaar><kamer>2</kamer>'
              f'<datumRegistratie>2025-12-16T11:12:13</datumRegistratie><activiteit ref="{d["activiteit"]}"/>'
              f'<zaak ref="{d["motie"]}"/><kamerstukdossier ref="{d["dossier"]}"/>'
              f'<organisatie>Tweede Kamer der Staten-Generaal</organisatie>',
              attributes=f' tk:contentType="application/pdf" tk:contentLength="{len(PDF)}"'),
              enclosure=f"/files/{d['document']}.pdf"),
        Entry("DocumentActor", d["document_actor"], 1301, entity("documentActor", d["document_actor"],
              f'<document ref="{d["document"]}"/><actorNaam>A. de Vries</actorNaam><actorFractie>PvdS</actorFractie>'
              f'<functie>Tweede Kamerlid</functie><relatie>Eerste ondertekenaar</relatie>'
              f'<persoon ref="{d["de_vries"]}"/><fractie ref="{d["pvds"]}"/>')),
        Entry("Besluit", d["besluit"], 1401, entity("besluit", d["besluit"],
              f'<agendapunt ref="{d["agendapunt"]}"/><stemmingsSoort>Met handopsteken</stemmingsSoort>'
              f'<besluitSoort>Stemmen - aangenomen</besluitSoort><besluitTekst>Aangenomen.</besluitTekst>'
              f'<status>Besluit</status><agendapuntZaakBesluitVolgorde>1</agendapuntZaakBesluitVolgorde>'
              f'<zaak ref="{d["motie"]}"/>')),
        Entry("Stemming", d["stem_pvds"], 1501, entity("stemming", d["stem_pvds"],
              f'<besluit ref="{d["besluit"]}"/><soort>Voor</soort><fractieGrootte>40</fractieGrootte>'
              f'<actorNaam>PvdS</actorNaam><actorFractie>PvdS</actorFractie><vergissing>false</vergissing>'
              f'<fractie ref="{d["pvds"]}"/>')),
        Entry("Stemming", d["stem_lmp"], 1502, entity("stemming", d["stem_lmp"],
              f'<besluit ref="{d["besluit"]}"/><soort>Tegen</soort><fractieGrootte>35</fractieGrootte>'
              f'<actorNaam>LMP</actorNaam><actorFractie>LMP</actorFractie><vergissing>false</vergissing>'
              f'<fractie ref="{d["lmp"]}"/>')),
        # Toezegging: ns1: prefixes and +0100 offsets.
        Entry("Toezegging", d["toezegging"], 1601, entity("toezegging", d["toezegging"], ns1(
              f'<aanmaakdatum>2025-03-04T10:11:12+0100</aanmaakdatum><nummer>TZ202503-012</nummer>'
              f'<activiteit ref="{d["activiteit"]}"/><activiteitNummer>2025A01234</activiteitNummer>'
              f'<naam>K. Bakker</naam><achternaam>Bakker</achternaam><initialen>K.</initialen>'
              f'<voornaam>Karin</voornaam><functie>minister</functie><status>Openstaand</status>'
              f'<datumNakoming>2025-07-01T00:00:00+0100</datumNakoming>'
              f'<ministerie>Binnenlandse Zaken en Koninkrijksrelaties</ministerie>'
              f'<tekst>De minister stuurt de Kamer voor de zomer een brief over het gemeentefonds.</tekst>'
              f'<toegezegdAan><fractie ref="{d["pvds"]}"/></toegezegdAan>'),
              prefix="ns1", bijgewerkt="2025-03-04T10:11:12+0100")),
    ]



# --- generated feeds (the resume test, the benchmark) ----------------------------------------------

GENERATED_CATEGORIES = ("Kamerstukdossier", "Zaak", "ZaakActor", "Document", "Besluit", "Stemming", "Toezegging")
SOORTEN = ["Motie", "Amendement", "Wetgeving", "Brief regering", "Schriftelijke vragen", "Verzoekschrift"]
APPRECIATIES = ["Oordeel Kamer", "Ontraden", "Overgenomen", "Ontijdig", ""]


def generated(count: int, *, seed: int = 11, categories=GENERATED_CATEGORIES, first_skiptoken: int = 100_000,
              updates: float = 0.08, tombstones: float = 0.02) -> list[Entry]:
    """``count`` entries of the documented shapes, spread over ``categories``: mostly new entities,
    some later versions of earlier ones (``updates``) and some tombstones, with references between
    them (and to entities never delivered). Deterministic for a seed."""
    import random

    rng = random.Random(seed)
    skiptoken = first_skiptoken
    seen: dict[str, list[str]] = {category: [] for category in categories}
    entries = []

    def pick(category: str) -> str:
        pool = seen.get(category) or []
        return rng.choice(pool) if pool and rng.random() < 0.9 else str(uuid.UUID(int=rng.getrandbits(128)))

    for index in range(count):
        category = categories[index % len(categories)]
        skiptoken += rng.randint(1, 3)
        day = 1 + index % 28
        bijgewerkt = f"2025-{1 + (index // 3000) % 12:02d}-{day:02d}T{index % 24:02d}:{index % 60:02d}:{index % 59:02d}"
        roll = rng.random()
        if seen[category] and roll < tombstones:
            target = seen[category].pop(rng.randrange(len(seen[category])))
            entries.append(Entry(category, target, skiptoken, entity(_element(category), target, verwijderd="true",
                                                                    bijgewerkt="2026-01-01T00:00:00")))
            continue
        if seen[category] and roll < tombstones + updates:
            target = rng.choice(seen[category])
        else:
            target = str(uuid.UUID(int=rng.getrandbits(128)))
            seen[category].append(target)
        body = _generated_body(category, rng, pick, index)
        prefix = "ns1" if category == "Toezegging" else ("tk" if index % 5 else None)
        if prefix == "ns1":
            body = ns1(body)
        attributes = ""
        if category == "Document":
            attributes = (f' {"tk:" if prefix else ""}contentType="application/pdf" '
                          f'{"tk:" if prefix else ""}contentLength="{rng.randint(1000, 900000)}"')
        offset = "+0100" if prefix == "ns1" else ""
        entries.append(Entry(category, target, skiptoken, entity(
            _element(category), target, body, bijgewerkt=bijgewerkt + offset, prefix=prefix, attributes=attributes),
            enclosure=f"/files/{target}.pdf" if category == "Document" else ""))
    return entries


def _element(category: str) -> str:
    return category[0].lower() + category[1:]


def _generated_body(category: str, rng, pick, index: int) -> str:
    words = ["gemeentefonds", "jeugdzorg", "woningbouw", "energietransitie", "armoede", "binnensteden",
             "mobiliteit", "klimaatadaptatie", "arbeidsmarkt", "ondermijning"]
    subject = f"Motie over {rng.choice(words)} en {rng.choice(words)} ({index})"
    if category == "Kamerstukdossier":
        return (f"<titel>Dossier over {rng.choice(words)}</titel><nummer>{36000 + index % 900}</nummer>"
                f"<toevoeging>{rng.choice(['VII', 'XV', 'B', ''])}</toevoeging>")
    if category == "Zaak":
        return zaak_body(onderwerp=subject, soort=rng.choice(SOORTEN), kabinetsappreciatie=rng.choice(APPRECIATIES),
                         dossier=pick("Kamerstukdossier"),
                         extra_refs=f'<activiteit ref="{pick("Activiteit")}"/>')
    if category == "ZaakActor":
        return (f'<zaak ref="{pick("Zaak")}"/><actorNaam>Lid {index}</actorNaam><actorFractie>'
                f'{rng.choice(["PvdS", "LMP", "CSA", "GV"])}</actorFractie><functie>Tweede Kamerlid</functie>'
                f'<relatie>{rng.choice(["Indiener", "Medeindiener", "Voortouwcommissie"])}</relatie>'
                f'<persoon ref="{pick("Persoon")}"/><fractie ref="{pick("Fractie")}"/>')
    if category == "Document":
        return (f'<soort>{rng.choice(SOORTEN)}</soort><documentNummer>2025D{index:05d}</documentNummer>'
                f'<titel>{subject}</titel><onderwerp>{subject}</onderwerp><datum>2025-12-16T00:00:00</datum>'
                f'<volgnummer>{index % 300}</volgnummer><vergaderjaar>2025-2026</vergaderjaar>'
                f'<zaak ref="{pick("Zaak")}"/><zaak ref="{pick("Zaak")}"/>'
                f'<kamerstukdossier ref="{pick("Kamerstukdossier")}"/>')
    if category == "Besluit":
        return (f'<agendapunt ref="{pick("Agendapunt")}"/><stemmingsSoort>Met handopsteken</stemmingsSoort>'
                f'<besluitSoort>Stemmen - {rng.choice(["aangenomen", "verworpen"])}</besluitSoort>'
                f'<besluitTekst>{rng.choice(["Aangenomen.", "Verworpen.", "Aangehouden."])}</besluitTekst>'
                f'<status>Besluit</status><zaak ref="{pick("Zaak")}"/>')
    if category == "Stemming":
        return (f'<besluit ref="{pick("Besluit")}"/><soort>{rng.choice(["Voor", "Tegen", "Niet deelgenomen"])}'
                f'</soort><fractieGrootte>{rng.randint(1, 40)}</fractieGrootte><actorNaam>PvdS</actorNaam>'
                f'<actorFractie>PvdS</actorFractie><vergissing>false</vergissing><fractie ref="{pick("Fractie")}"/>')
    if category == "Toezegging":
        return (f'<nummer>TZ{index:06d}</nummer><activiteit ref="{pick("Activiteit")}"/><naam>K. Bakker</naam>'
                f'<status>{rng.choice(["Openstaand", "Voldaan", "Ontijdig"])}</status>'
                f'<datumNakoming>2025-07-01T00:00:00+0100</datumNakoming><tekst>{subject}</tekst>')
    return ""
