"""Which parsed field goes into which typed column, per category.

Element and attribute names are the Kamer's (``tkData-v1-0``; for the categories whose schema is
not in ``shared/validators/tweedekamer`` — Persoon, Fractie, Commissie, Kamerstukdossier,
Agendapunt — the names the SyncFeed is known to carry). Everything else stays in ``data``.
A reference element named in ``refs`` fills a single reference column (the first GUID);
every other reference, and those in ``also_links``, become ``Link`` rows.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from stedennet.parliament import models
from stedennet.parliament.constants import Category
from stedennet.parliament.feed import ParsedEntity, guid_or_none, parse_bool, parse_datetime, parse_int
from stedennet.parliament.kamerstuk import kamerstuk_key


def text(value: str | None) -> str:
    return value or ""


@dataclass(frozen=True)
class Spec:
    model: type[models.Entity]
    fields: dict[str, tuple[str, Callable]]  # element → (column, converter)
    attributes: dict[str, tuple[str, Callable]] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)  # element → column (…_id)
    also_links: frozenset[str] = frozenset()
    computed: Callable[[dict, ParsedEntity], dict] | None = None

    def columns(self, entity: ParsedEntity) -> dict:
        values = {column: convert(entity.text(name)) for name, (column, convert) in self.fields.items()}
        for name, (column, convert) in self.attributes.items():
            values[column] = convert(entity.attributes.get(name))
        for name, column in self.refs.items():
            guids = entity.refs.get(name) or []
            values[column] = guid_or_none(guids[0]) if guids else None
        if self.computed is not None:
            values.update(self.computed(values, entity))
        return values

    def links(self, entity: ParsedEntity) -> list[tuple[str, int, str]]:
        """``(relation, position, target GUID)`` for each reference kept as a Link row."""
        rows = []
        for name, guids in entity.refs.items():
            if name in self.refs and name not in self.also_links:
                continue
            for position, target in enumerate(guids):
                if guid_or_none(target) is not None:
                    rows.append((name, position, target))
        return rows

    @property
    def update_columns(self) -> list[str]:
        """Every column an upsert replaces (the key and a fetched file stay)."""
        keep = {"guid", "file", "file_fetched_at"}
        return [f.attname for f in self.model._meta.concrete_fields if f.attname not in keep]


def _toezegging_name(values: dict, entity: ParsedEntity) -> dict:
    if values.get("naam"):
        return {}
    parts = [entity.text(name) for name in ("titulatuur", "voornaam", "initialen", "tussenvoegsel", "achternaam")]
    if entity.text("voornaam"):
        parts[2] = None  # initials only when there is no first name
    return {"naam": " ".join(part for part in parts if part)}


def _names(values: dict, entity: ParsedEntity) -> dict:
    found = {}
    for column, spellings in (("naam", ("naamNL", "naamNl", "naam")), ("naam_en", ("naamEN", "naamEn"))):
        for name in spellings:
            if entity.text(name):
                found[column] = entity.text(name)
                break
    return found


def _dossier_key(values: dict, entity: ParsedEntity) -> dict:
    return {"kamerstuk_key": kamerstuk_key(values.get("nummer"), values.get("toevoeging"))}


SPECS: dict[str, Spec] = {
    Category.PERSOON: Spec(models.Persoon, {
        "nummer": ("nummer", parse_int), "titels": ("titels", text), "initialen": ("initialen", text),
        "voornamen": ("voornamen", text), "roepnaam": ("roepnaam", text), "tussenvoegsel": ("tussenvoegsel", text),
        "achternaam": ("achternaam", text), "functie": ("functie", text), "geslacht": ("geslacht", text),
    }),
    Category.FRACTIE: Spec(models.Fractie, {
        "nummer": ("nummer", parse_int), "afkorting": ("afkorting", text), "aantalZetels": ("zetels", parse_int),
        "aantalStemmen": ("aantal_stemmen", parse_int), "datumActief": ("datum_actief", parse_datetime),
        "datumInactief": ("datum_inactief", parse_datetime),
    }, computed=lambda values, entity: {"naam": "", "naam_en": "", **_names(values, entity)}),
    Category.COMMISSIE: Spec(models.Commissie, {
        "nummer": ("nummer", text), "afkorting": ("afkorting", text), "soort": ("soort", text),
        "datumActief": ("datum_actief", parse_datetime), "datumInactief": ("datum_inactief", parse_datetime),
    }, computed=lambda values, entity: {"naam": "", "naam_en": "", **_names(values, entity)}),
    Category.KAMERSTUKDOSSIER: Spec(models.Kamerstukdossier, {
        "nummer": ("nummer", parse_int), "toevoeging": ("toevoeging", text), "titel": ("titel", text),
        "citeertitel": ("citeertitel", text), "afgesloten": ("afgesloten", parse_bool),
        "hoogsteVolgnummer": ("hoogste_volgnummer", parse_int),
    }, computed=_dossier_key),
    Category.ACTIVITEIT: Spec(models.Activiteit, {
        "nummer": ("nummer", text), "soort": ("soort", text), "onderwerp": ("onderwerp", text),
        "datumSoort": ("datum_soort", text), "datum": ("datum", parse_datetime),
        "aanvangstijd": ("aanvangstijd", parse_datetime), "eindtijd": ("eindtijd", parse_datetime),
        "locatie": ("locatie", text), "besloten": ("besloten", parse_bool), "status": ("status", text),
        "vergaderjaar": ("vergaderjaar", text), "noot": ("noot", text), "voortouwnaam": ("voortouwnaam", text),
        "voortouwafkorting": ("voortouwafkorting", text),
    }, refs={"voortouwcommissie": "voortouwcommissie_id"}),
    Category.AGENDAPUNT: Spec(models.Agendapunt, {
        "nummer": ("nummer", text), "onderwerp": ("onderwerp", text),
        "aanvangstijd": ("aanvangstijd", parse_datetime), "eindtijd": ("eindtijd", parse_datetime),
        "volgorde": ("volgorde", parse_int), "rubriek": ("rubriek", text), "noot": ("noot", text),
        "status": ("status", text),
    }, refs={"activiteit": "activiteit_id"}),
    Category.ZAAK: Spec(models.Zaak, {
        "nummer": ("nummer", text), "soort": ("soort", text), "titel": ("titel", text),
        "citeertitel": ("citeertitel", text), "onderwerp": ("onderwerp", text), "status": ("status", text),
        "kabinetsappreciatie": ("kabinetsappreciatie", text), "gestartOp": ("gestart_op", parse_datetime),
        "termijn": ("termijn", parse_datetime), "vergaderjaar": ("vergaderjaar", text),
        "volgnummer": ("volgnummer", parse_int), "afgedaan": ("afgedaan", parse_bool),
        "organisatie": ("organisatie", text),
    }, refs={"kamerstukdossier": "kamerstukdossier_id"}),
    Category.ZAAKACTOR: Spec(models.ZaakActor, {
        "relatie": ("relatie", text), "functie": ("functie", text), "actorNaam": ("actor_naam", text),
        "actorFractie": ("actor_fractie", text), "actorAfkorting": ("actor_afkorting", text),
    }, refs={"zaak": "zaak_id", "persoon": "persoon_id", "fractie": "fractie_id", "commissie": "commissie_id"}),
    Category.DOCUMENT: Spec(models.Document, {
        "soort": ("soort", text), "documentNummer": ("documentnummer", text), "titel": ("titel", text),
        "onderwerp": ("onderwerp", text), "datum": ("datum", parse_datetime), "volgnummer": ("volgnummer", parse_int),
        "vergaderjaar": ("vergaderjaar", text), "citeertitel": ("citeertitel", text),
        "aanhangselnummer": ("aanhangselnummer", text), "organisatie": ("organisatie", text),
        "datumRegistratie": ("datum_registratie", parse_datetime),
    }, attributes={"contentType": ("content_type", text), "contentLength": ("content_length", parse_int)},
        refs={"kamerstukdossier": "kamerstukdossier_id"}),
    Category.DOCUMENTACTOR: Spec(models.DocumentActor, {
        "relatie": ("relatie", text), "functie": ("functie", text), "actorNaam": ("actor_naam", text),
        "actorFractie": ("actor_fractie", text),
    }, refs={"document": "document_id", "persoon": "persoon_id", "fractie": "fractie_id",
             "commissie": "commissie_id"}),
    Category.BESLUIT: Spec(models.Besluit, {
        "besluitSoort": ("soort", text), "besluitTekst": ("tekst", text), "stemmingsSoort": ("stemmingssoort", text),
        "opmerking": ("opmerking", text), "status": ("status", text),
        "agendapuntZaakBesluitVolgorde": ("volgorde", parse_int),
    }, refs={"agendapunt": "agendapunt_id", "zaak": "zaak_id"}, also_links=frozenset({"zaak"})),
    Category.STEMMING: Spec(models.Stemming, {
        "soort": ("soort", text), "fractieGrootte": ("fractie_grootte", parse_int), "actorNaam": ("actor_naam", text),
        "actorFractie": ("actor_fractie", text), "vergissing": ("vergissing", parse_bool),
    }, refs={"besluit": "besluit_id", "persoon": "persoon_id", "fractie": "fractie_id"}),
    Category.TOEZEGGING: Spec(models.Toezegging, {
        "nummer": ("nummer", text), "tekst": ("tekst", text), "status": ("status", text),
        "ministerie": ("ministerie", text), "naam": ("naam", text), "functie": ("functie", text),
        "aanmaakdatum": ("aanmaakdatum", parse_datetime), "datumNakoming": ("datum_nakoming", parse_datetime),
        "activiteitNummer": ("activiteit_nummer", text),
    }, refs={"activiteit": "activiteit_id"}, computed=_toezegging_name),
}
