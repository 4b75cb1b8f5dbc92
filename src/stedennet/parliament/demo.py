"""Invented parliamentary items for a demonstration: ``load_demo_parliament()``.

Everything is flagged ``is_demo`` and has a demo GUID (``de0de0de-…``, never one of the Kamer's),
so it shows as demo data and can never collide with a synced entity. The parties and members are
invented (names that no real party or member has); the dossier number 36600-VII is the real
number of the 2025 budget of the Ministry of the Interior, so that matching on it can be shown.

What there is: five parties (150 seats), a committee, three members and a minister; the dossier
36600-VII with a committee debate; a motion on it with its submitters, the cabinet's appraisal,
a decision and a vote per party (adopted); a second motion (rejected); a government letter
(kamerstuk 36600-VII nr. 12); a commitment that is overdue and one that is not.

Idempotent: a second call changes nothing (it sends ``entities_applied`` again, as a sync that
receives the same versions would not; receivers are idempotent).
"""

import datetime
import uuid
import zoneinfo
from functools import partial

from django.db import transaction
from django.utils import timezone

from stedennet.parliament.constants import Category
from stedennet.parliament.kamerstuk import kamerstuk_key
from stedennet.parliament.models import (
    ENTITY_MODELS,
    Activiteit,
    Agendapunt,
    Besluit,
    Commissie,
    Document,
    DocumentActor,
    Fractie,
    Kamerstukdossier,
    Link,
    Persoon,
    Stemming,
    Toezegging,
    Zaak,
    ZaakActor,
)
from stedennet.parliament.signals import entities_applied

DEMO_PREFIX = "de0de0de"
AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
DEMO_NOTE = "DEMO: invented for a demonstration"


def demo_guid(number: int) -> uuid.UUID:
    """``de0de0de-0000-4000-8000-000000000042``: a valid UUID that says it is demo data."""
    return uuid.UUID(f"{DEMO_PREFIX}-0000-4000-8000-{number:012d}")


def is_demo_guid(guid) -> bool:
    return str(guid).lower().startswith(DEMO_PREFIX)


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


G = {name: demo_guid(number) for number, name in enumerate([
    "pvds", "lmp", "csa", "gv", "pvhp", "commissie", "de_vries", "jansen", "el_amrani", "bakker",
    "dossier", "debat", "agendapunt", "motie", "motie_actor_1", "motie_actor_2", "besluit",
    "stem_pvds", "stem_lmp", "stem_csa", "stem_gv", "stem_pvhp", "motie2", "motie2_actor", "besluit2",
    "stem2_pvds", "stem2_lmp", "stem2_csa", "stem2_gv", "stem2_pvhp", "brief", "brief_document",
    "brief_actor", "toezegging_overdue", "toezegging_open", "motie_document",
], start=1)}

PARTIES = [  # key, abbreviation, name, seats
    ("pvds", "PvdS", "Partij voor de Steden", 40),
    ("lmp", "LMP", "Liberale Middenpartij", 35),
    ("csa", "CSA", "Christelijk Sociaal Appèl", 30),
    ("gv", "GV", "Groene Vooruitgang", 25),
    ("pvhp", "PvhP", "Partij voor het Platteland", 20),
]


def _rows() -> dict[type, list[dict]]:
    parties = {key: (abbreviation, seats) for key, abbreviation, _name, seats in PARTIES}
    rows: dict[type, list[dict]] = {model: [] for model in ENTITY_MODELS.values()}
    for key, abbreviation, name, seats in PARTIES:
        rows[Fractie].append({"guid": G[key], "afkorting": abbreviation, "naam": f"{name} (demo)",
                              "zetels": seats, "datum_actief": _at(2023, 12, 6)})
    rows[Commissie].append({"guid": G["commissie"], "afkorting": "BiZa", "soort": "Vaste commissie",
                            "naam": "vaste commissie voor Binnenlandse Zaken (demo)"})
    people = [("de_vries", "Anna", "de", "Vries", "Tweede Kamerlid"),
              ("jansen", "Bram", "", "Jansen", "Tweede Kamerlid"),
              ("el_amrani", "Samira", "", "El Amrani", "Tweede Kamerlid"),
              ("bakker", "Karin", "", "Bakker", "Minister van Binnenlandse Zaken en Koninkrijksrelaties")]
    for key, roepnaam, tussenvoegsel, achternaam, functie in people:
        rows[Persoon].append({"guid": G[key], "roepnaam": roepnaam, "voornamen": roepnaam,
                              "initialen": f"{roepnaam[0]}.",
                              "tussenvoegsel": tussenvoegsel, "achternaam": achternaam, "functie": functie})
    rows[Kamerstukdossier].append({
        "guid": G["dossier"], "nummer": 36600, "toevoeging": "VII", "kamerstuk_key": kamerstuk_key(36600, "VII"),
        "titel": "Vaststelling van de begrotingsstaten van het Ministerie van Binnenlandse Zaken en "
                 "Koninkrijksrelaties (VII) voor het jaar 2025", "afgesloten": False, "hoogste_volgnummer": 14})
    rows[Activiteit].append({
        "guid": G["debat"], "nummer": "2024A09001", "soort": "Commissiedebat", "onderwerp":
        "Financiering decentrale overheden (demo)", "datum": _at(2024, 11, 13), "aanvangstijd": _at(2024, 11, 13, 10),
        "eindtijd": _at(2024, 11, 13, 13), "locatie": "Thorbeckezaal", "besloten": False, "status": "Uitgevoerd",
        "vergaderjaar": "2024-2025", "voortouwnaam": "vaste commissie voor Binnenlandse Zaken",
        "voortouwafkorting": "BiZa", "voortouwcommissie_id": G["commissie"]})
    rows[Agendapunt].append({"guid": G["agendapunt"], "nummer": "2024P09001", "activiteit_id": G["debat"],
                             "onderwerp": "Stemmingen over moties ingediend bij de begroting BZK 2025 (demo)",
                             "volgorde": 1, "status": "Vrijgegeven"})
    motions = [
        ("motie", "2024Z90001", 12, "Motie van het lid De Vries c.s. over een structurele groei van het gemeentefonds "
         "voor middelgrote steden", "Oordeel Kamer", [("motie_actor_1", "de_vries", "Indiener"),
                                                      ("motie_actor_2", "jansen", "Medeindiener")],
         "besluit", "Stemmen - aangenomen", "Aangenomen.",
         {"pvds": "Voor", "lmp": "Voor", "csa": "Tegen", "gv": "Voor", "pvhp": "Niet deelgenomen"}, "stem"),
        ("motie2", "2024Z90002", 13, "Motie van het lid El Amrani over het schrappen van de opschalingskorting",
         "Ontraden", [("motie2_actor", "el_amrani", "Indiener")], "besluit2", "Stemmen - verworpen", "Verworpen.",
         {"pvds": "Voor", "lmp": "Tegen", "csa": "Tegen", "gv": "Voor", "pvhp": "Tegen"}, "stem2"),
    ]
    member_party = {"de_vries": "pvds", "jansen": "lmp", "el_amrani": "gv"}
    names = {key: " ".join(part for part in (roepnaam, tussenvoegsel, achternaam) if part)
             for key, roepnaam, tussenvoegsel, achternaam, _f in people}
    for (zaak, nummer, volgnummer, onderwerp, appraisal, actors, besluit, soort, tekst, votes, vote_key) in motions:
        rows[Zaak].append({"guid": G[zaak], "nummer": nummer, "soort": "Motie",
                           "titel": rows[Kamerstukdossier][0]["titel"],
                           "onderwerp": onderwerp, "status": "Vrijgegeven", "kabinetsappreciatie": appraisal,
                           "gestart_op": _at(2024, 11, 13, 12), "vergaderjaar": "2024-2025", "volgnummer": volgnummer,
                           "afgedaan": True, "organisatie": "Tweede Kamer der Staten-Generaal",
                           "kamerstukdossier_id": G["dossier"]})
        for actor, person, relation in actors:
            party = member_party[person]
            rows[ZaakActor].append({"guid": G[actor], "zaak_id": G[zaak], "relatie": relation,
                                    "functie": "Tweede Kamerlid", "actor_naam": names[person],
                                    "actor_fractie": parties[party][0], "persoon_id": G[person],
                                    "fractie_id": G[party]})
        rows[Besluit].append({"guid": G[besluit], "soort": soort, "tekst": tekst, "stemmingssoort": "Met handopsteken",
                              "status": "Besluit", "volgorde": volgnummer - 11, "agendapunt_id": G["agendapunt"],
                              "zaak_id": G[zaak]})
        for party, vote in votes.items():
            abbreviation, seats = parties[party]
            rows[Stemming].append({"guid": G[f"{vote_key}_{party}"], "besluit_id": G[besluit], "soort": vote,
                                   "fractie_grootte": seats, "actor_naam": abbreviation, "actor_fractie": abbreviation,
                                   "vergissing": False, "fractie_id": G[party]})
    rows[Zaak].append({"guid": G["brief"], "nummer": "2025Z90003", "soort": "Brief regering",
                       "titel": rows[Kamerstukdossier][0]["titel"], "status": "Vrijgegeven",
                       "onderwerp": "Brief van de minister over de herijking van het gemeentefonds",
                       "gestart_op": _at(2025, 2, 3, 9), "vergaderjaar": "2024-2025", "volgnummer": 14,
                       "kamerstukdossier_id": G["dossier"]})
    documents = [("brief_document", "Brief regering", "36600-VII-14", 14, "Herijking gemeentefonds", _at(2025, 2, 3)),
                 ("motie_document", "Motie", "36600-VII-12", 12,
                  "Motie van het lid De Vries c.s. over een structurele groei van het gemeentefonds",
                  _at(2024, 11, 13))]
    for key, soort, number, volgnummer, onderwerp, datum in documents:
        rows[Document].append({"guid": G[key], "soort": soort, "documentnummer": number, "volgnummer": volgnummer,
                               "titel": rows[Kamerstukdossier][0]["titel"], "onderwerp": onderwerp, "datum": datum,
                               "vergaderjaar": "2024-2025", "kamerstukdossier_id": G["dossier"],
                               "content_type": "application/pdf", "content_length": None})
    rows[DocumentActor].append({"guid": G["brief_actor"], "document_id": G["brief_document"],
                                "relatie": "Eerste ondertekenaar",
                                "functie": "Minister van Binnenlandse Zaken en Koninkrijksrelaties",
                                "actor_naam": names["bakker"], "persoon_id": G["bakker"]})
    commitments = [
        ("toezegging_overdue", "TZ202411-090", "De minister stuurt de Kamer voor 1 juli 2025 een brief over de "
         "herijking van het gemeentefonds voor middelgrote steden.", _at(2025, 7, 1)),
        ("toezegging_open", "TZ202411-091", "De minister betrekt de steden bij de evaluatie van de verdeelmodellen "
         "en informeert de Kamer daarover uiterlijk eind 2031.", _at(2031, 12, 31)),
    ]
    for key, nummer, tekst, due in commitments:
        rows[Toezegging].append({"guid": G[key], "nummer": nummer, "tekst": tekst, "status": "Openstaand",
                                 "ministerie": "Binnenlandse Zaken en Koninkrijksrelaties", "naam": names["bakker"],
                                 "functie": "minister", "aanmaakdatum": _at(2024, 11, 13, 12),
                                 "datum_nakoming": due, "activiteit_nummer": "2024A09001", "activiteit_id": G["debat"]})
    return rows


def _links() -> list[tuple[str, uuid.UUID, str, uuid.UUID]]:
    return [
        (Category.ZAAK, G["motie"], "activiteit", G["debat"]),
        (Category.ZAAK, G["motie"], "agendapunt", G["agendapunt"]),
        (Category.ZAAK, G["motie2"], "activiteit", G["debat"]),
        (Category.ZAAK, G["motie2"], "agendapunt", G["agendapunt"]),
        (Category.BESLUIT, G["besluit"], "zaak", G["motie"]),
        (Category.BESLUIT, G["besluit2"], "zaak", G["motie2"]),
        (Category.DOCUMENT, G["brief_document"], "zaak", G["brief"]),
        (Category.DOCUMENT, G["motie_document"], "zaak", G["motie"]),
    ]


def load_demo_parliament() -> dict[str, int]:
    """Create or refresh the demo items (idempotent); the number of rows per category created now."""
    now = timezone.now()
    created: dict[str, int] = {}
    applied: dict[str, list[str]] = {}
    with transaction.atomic():
        for model, rows in _rows().items():
            created[model.category] = 0
            for row in rows:
                values = {key: value for key, value in row.items() if key != "guid"}
                data = {"demo": DEMO_NOTE, "elements": {key: str(value) for key, value in values.items()
                                                         if value not in (None, "")}}
                _object, was_created = model.objects.update_or_create(
                    guid=row["guid"], defaults={**values, "data": data, "is_demo": True},
                    create_defaults={**values, "data": data, "is_demo": True, "synced_at": now})
                created[model.category] += was_created
            applied[model.category] = [str(row["guid"]) for row in rows]
        for category, source, relation, target in _links():
            Link.objects.get_or_create(source_guid=source, relation=relation, target_guid=target,
                                       defaults={"source_category": category, "is_demo": True})
        for category, guids in applied.items():
            transaction.on_commit(partial(entities_applied.send_robust, sender=ENTITY_MODELS[category],
                                          category=category, guids=guids, deleted=[]))
    return created


__all__ = ["G", "demo_guid", "is_demo_guid", "load_demo_parliament"]
