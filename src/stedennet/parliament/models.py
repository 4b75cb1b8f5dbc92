"""The mirror's tables.

- The feed's bookkeeping: ``FeedCursor`` (one per category: where the next page starts, last
  success, last error), ``FeedFailure`` (every failed attempt, append-only, with the body of a
  page that could not be read) and ``RawEntry`` (every entry applied, append-only, as received).
- The typed entities, one table per category, keyed by the Kamer's GUID. Every entity keeps all
  its parsed fields in ``data`` (attributes, elements, references), so a field the typed columns
  do not name is not lost.
- References between entities are **plain GUIDs**: a reference may name an entity the mirror has
  not seen yet (or one deleted since). The single ones are foreign keys *without* a database
  constraint (``db_constraint=False``, nothing cascades), so that joins and ``prefetch_related``
  work; reading one that is not there raises ``DoesNotExist``: use the ``…_id`` value or a
  selector. References that may occur more than once are ``Link`` rows.

Rows are written by ``services`` only; the back office reads them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from stedennet.parliament.constants import Category, FailureKind
from stedennet.parliament.kamerstuk import kamerstuk_key, kamerstuk_label


def reference(to: str, related_name: str, verbose_name) -> models.ForeignKey:
    """A single reference to another entity: a GUID that need not exist (no constraint, no cascade)."""
    return models.ForeignKey(to, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
                             related_name=related_name, related_query_name=related_name, verbose_name=verbose_name)


# --- the feed's bookkeeping --------------------------------------------------------------------

class FeedCursor(models.Model):
    """Where a category's sync stands. ``skiptoken`` is the token of the entry-level
    ``rel="next"`` link of the last entry applied (None: from the start); it moves only in the
    transaction that applies a page."""

    category = models.CharField(_("category"), max_length=32, choices=Category.choices, unique=True)
    skiptoken = models.BigIntegerField(_("cursor (skiptoken)"), null=True, blank=True)
    pages_applied = models.PositiveIntegerField(_("pages applied"), default=0)
    entries_applied = models.PositiveBigIntegerField(_("entries applied"), default=0)
    last_attempt_at = models.DateTimeField(_("last attempt"), null=True, blank=True)
    last_advanced_at = models.DateTimeField(_("last advanced"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField(_("failures in a row"), default=0)

    class Meta:
        verbose_name = _("feed cursor")
        verbose_name_plural = _("feed cursors")
        ordering = ["category"]

    def __str__(self) -> str:
        return f"{self.category}: {self.skiptoken if self.skiptoken is not None else '-'}"


class FeedFailure(models.Model):
    """One failed attempt to read a page (append-only): what, where, and for a page that could
    not be read, the body as received (up to the page limit)."""

    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=FailureKind.choices)
    url = models.TextField(_("URL"))
    skiptoken = models.BigIntegerField(_("cursor (skiptoken)"), null=True, blank=True)
    attempt = models.PositiveSmallIntegerField(_("attempt"), default=1)
    message = models.TextField(_("message"))
    status_code = models.PositiveSmallIntegerField(_("HTTP status"), null=True, blank=True)
    body = models.TextField(_("body"), blank=True)
    occurred_at = models.DateTimeField(_("occurred"), db_index=True)

    class Meta:
        verbose_name = _("feed failure")
        verbose_name_plural = _("feed failures")
        ordering = ["-occurred_at", "-pk"]
        indexes = [models.Index(fields=["category", "-occurred_at"], name="parliament_failure_cat_idx")]

    def __str__(self) -> str:
        return f"{self.category} {self.kind}: {self.message[:80]}"


class RawEntry(models.Model):
    """An entry as the feed delivered it (append-only), stored in the transaction that applied it.

    ``outcome`` says what applying it did: stored, deleted (a tombstone), or ignored because the
    mirror already held a later version of the entity."""

    class Outcome(models.TextChoices):
        STORED = "stored", _("stored")
        DELETED = "deleted", _("deleted")
        IGNORED = "ignored", _("ignored (older than what is stored)")

    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    skiptoken = models.BigIntegerField(_("skiptoken"))
    guid = models.UUIDField(_("GUID"), db_index=True)
    deleted = models.BooleanField(_("tombstone"), default=False)
    bijgewerkt = models.DateTimeField(_("updated at the Kamer"), null=True, blank=True)
    feed_updated = models.DateTimeField(_("feed updated"), null=True, blank=True)
    enclosure_url = models.TextField(_("enclosure"), blank=True)
    xml = models.TextField(_("entry XML"))
    outcome = models.CharField(_("outcome"), max_length=8, choices=Outcome.choices)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("raw feed entry")
        verbose_name_plural = _("raw feed entries")
        ordering = ["category", "skiptoken"]
        constraints = [models.UniqueConstraint(fields=["category", "skiptoken"], name="parliament_raw_once")]

    def __str__(self) -> str:
        return f"{self.category} {self.skiptoken} {self.guid}"


class SyncSchedule(models.Model):
    """The one row that names the live chain of periodic sync tasks: a task of another chain
    (an older ``parliament schedule``) ends without enqueueing a successor."""

    chain = models.UUIDField(_("chain"), null=True, blank=True)
    next_run_at = models.DateTimeField(_("next periodic run"), null=True, blank=True)
    requested_at = models.DateTimeField(_("last 'sync now'"), null=True, blank=True)

    class Meta:
        verbose_name = _("sync schedule")
        verbose_name_plural = _("sync schedule")

    def __str__(self) -> str:
        return str(_("Tweede Kamer sync"))


class Link(models.Model):
    """A reference that may occur more than once in an entity (a document's cases, a case's
    activities, a decision's cases, a commitment's letters), from ``source`` to ``target_guid``;
    the target need not exist. Replaced with its source, deleted with it."""

    source_category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    source_guid = models.UUIDField(_("from"))
    relation = models.CharField(_("relation"), max_length=64)
    target_guid = models.UUIDField(_("to"), db_index=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        verbose_name = _("link")
        verbose_name_plural = _("links")
        ordering = ["source_guid", "relation", "position"]
        indexes = [models.Index(fields=["source_guid", "relation"], name="parliament_link_source_idx"),
                   models.Index(fields=["relation", "target_guid"], name="parliament_link_target_idx")]
        constraints = [models.UniqueConstraint(fields=["source_guid", "relation", "target_guid"],
                                               name="parliament_link_once")]

    def __str__(self) -> str:
        return f"{self.source_category} {self.source_guid} {self.relation} → {self.target_guid}"


# --- the entities ------------------------------------------------------------------------------

class Entity(models.Model):
    category: str = ""

    guid = models.UUIDField(_("GUID"), primary_key=True)
    skiptoken = models.BigIntegerField(_("skiptoken"), null=True, blank=True)
    bijgewerkt = models.DateTimeField(_("updated at the Kamer"), null=True, blank=True)
    feed_updated = models.DateTimeField(_("feed updated"), null=True, blank=True)
    data = models.JSONField(_("all fields"), default=dict, blank=True)
    synced_at = models.DateTimeField(_("applied"), db_index=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        abstract = True


class Persoon(Entity):
    category = Category.PERSOON

    nummer = models.BigIntegerField(_("number"), null=True, blank=True)
    titels = models.TextField(_("titles"), blank=True)
    initialen = models.TextField(_("initials"), blank=True)
    voornamen = models.TextField(_("first names"), blank=True)
    roepnaam = models.TextField(_("given name"), blank=True)
    tussenvoegsel = models.TextField(_("name prefix"), blank=True)
    achternaam = models.TextField(_("surname"), blank=True, db_index=True)
    functie = models.TextField(_("function"), blank=True)
    geslacht = models.TextField(_("gender"), blank=True)

    class Meta:
        verbose_name = _("person (Tweede Kamer)")
        verbose_name_plural = _("people (Tweede Kamer)")
        ordering = ["achternaam", "roepnaam", "guid"]

    @property
    def naam(self) -> str:
        return " ".join(part for part in (self.roepnaam or self.initialen, self.tussenvoegsel, self.achternaam) if part)

    def __str__(self) -> str:
        return self.naam or str(self.guid)


class Fractie(Entity):
    category = Category.FRACTIE

    nummer = models.BigIntegerField(_("number"), null=True, blank=True)
    afkorting = models.TextField(_("abbreviation"), blank=True, db_index=True)
    naam = models.TextField(_("name"), blank=True)
    naam_en = models.TextField(_("name in English"), blank=True)
    zetels = models.IntegerField(_("seats"), null=True, blank=True)
    aantal_stemmen = models.BigIntegerField(_("votes at the election"), null=True, blank=True)
    datum_actief = models.DateTimeField(_("active from"), null=True, blank=True)
    datum_inactief = models.DateTimeField(_("active until"), null=True, blank=True)

    class Meta:
        verbose_name = _("parliamentary party")
        verbose_name_plural = _("parliamentary parties")
        ordering = ["-zetels", "afkorting", "guid"]

    def __str__(self) -> str:
        return self.afkorting or self.naam or str(self.guid)


class Commissie(Entity):
    category = Category.COMMISSIE

    nummer = models.TextField(_("number"), blank=True)
    afkorting = models.TextField(_("abbreviation"), blank=True, db_index=True)
    naam = models.TextField(_("name"), blank=True)
    naam_en = models.TextField(_("name in English"), blank=True)
    soort = models.TextField(_("kind"), blank=True)
    datum_actief = models.DateTimeField(_("active from"), null=True, blank=True)
    datum_inactief = models.DateTimeField(_("active until"), null=True, blank=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["naam", "guid"]

    def __str__(self) -> str:
        return self.naam or self.afkorting or str(self.guid)


class Kamerstukdossier(Entity):
    category = Category.KAMERSTUKDOSSIER

    nummer = models.IntegerField(_("number"), null=True, blank=True)
    toevoeging = models.TextField(_("addition"), blank=True)
    kamerstuk_key = models.CharField(_("dossier key"), max_length=64, blank=True, db_index=True)
    titel = models.TextField(_("title"), blank=True)
    citeertitel = models.TextField(_("citation title"), blank=True)
    afgesloten = models.BooleanField(_("closed"), null=True, blank=True)
    hoogste_volgnummer = models.IntegerField(_("highest document number"), null=True, blank=True)

    class Meta:
        verbose_name = _("parliamentary dossier")
        verbose_name_plural = _("parliamentary dossiers")
        ordering = ["-nummer", "toevoeging", "guid"]

    def save(self, *args, **kwargs):
        self.kamerstuk_key = kamerstuk_key(self.nummer, self.toevoeging)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.kamerstuk_key} {self.titel}".strip() or str(self.guid)


class Activiteit(Entity):
    category = Category.ACTIVITEIT

    nummer = models.TextField(_("number"), blank=True)
    soort = models.TextField(_("kind"), blank=True)
    onderwerp = models.TextField(_("subject"), blank=True)
    datum_soort = models.TextField(_("kind of date"), blank=True)
    datum = models.DateTimeField(_("date"), null=True, blank=True, db_index=True)
    aanvangstijd = models.DateTimeField(_("starts"), null=True, blank=True)
    eindtijd = models.DateTimeField(_("ends"), null=True, blank=True)
    locatie = models.TextField(_("location"), blank=True)
    besloten = models.BooleanField(_("closed to the public"), null=True, blank=True)
    status = models.TextField(_("status"), blank=True)
    vergaderjaar = models.TextField(_("parliamentary year"), blank=True)
    noot = models.TextField(_("note"), blank=True)
    voortouwnaam = models.TextField(_("lead committee"), blank=True)
    voortouwafkorting = models.TextField(_("lead committee (abbreviation)"), blank=True)
    voortouwcommissie = reference("Commissie", "activiteiten", _("lead committee"))

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-datum", "guid"]

    def __str__(self) -> str:
        return self.onderwerp or self.nummer or str(self.guid)


class Agendapunt(Entity):
    category = Category.AGENDAPUNT

    nummer = models.TextField(_("number"), blank=True)
    onderwerp = models.TextField(_("subject"), blank=True)
    aanvangstijd = models.DateTimeField(_("starts"), null=True, blank=True)
    eindtijd = models.DateTimeField(_("ends"), null=True, blank=True)
    volgorde = models.IntegerField(_("order"), null=True, blank=True)
    rubriek = models.TextField(_("section"), blank=True)
    noot = models.TextField(_("note"), blank=True)
    status = models.TextField(_("status"), blank=True)
    activiteit = reference("Activiteit", "agendapunten", _("activity"))

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["activiteit_id", "volgorde", "guid"]

    def __str__(self) -> str:
        return self.onderwerp or self.nummer or str(self.guid)


class Zaak(Entity):
    category = Category.ZAAK

    nummer = models.TextField(_("number"), blank=True, db_index=True)
    soort = models.TextField(_("kind"), blank=True, db_index=True)
    titel = models.TextField(_("title"), blank=True)
    citeertitel = models.TextField(_("citation title"), blank=True)
    onderwerp = models.TextField(_("subject"), blank=True)
    status = models.TextField(_("status"), blank=True)
    kabinetsappreciatie = models.TextField(_("cabinet's appraisal"), blank=True)
    gestart_op = models.DateTimeField(_("started"), null=True, blank=True, db_index=True)
    termijn = models.DateTimeField(_("deadline"), null=True, blank=True)
    vergaderjaar = models.TextField(_("parliamentary year"), blank=True)
    volgnummer = models.IntegerField(_("document number"), null=True, blank=True)
    afgedaan = models.BooleanField(_("disposed of"), null=True, blank=True)
    organisatie = models.TextField(_("organisation"), blank=True)
    kamerstukdossier = reference("Kamerstukdossier", "zaken", _("parliamentary dossier"))

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-gestart_op", "guid"]

    def __str__(self) -> str:
        return " ".join(part for part in (self.nummer, self.onderwerp or self.titel) if part) or str(self.guid)


class Actor(Entity):
    """A person, party or committee in a relation to a case or a document ("Indiener",
    "Voortouwcommissie", "Eerste ondertekenaar", …), with the names as the Kamer wrote them."""

    relatie = models.TextField(_("relation"), blank=True)
    functie = models.TextField(_("function"), blank=True)
    actor_naam = models.TextField(_("name"), blank=True)
    actor_fractie = models.TextField(_("party"), blank=True)
    persoon = reference("Persoon", "%(class)ss", _("person"))
    fractie = reference("Fractie", "%(class)ss", _("party"))
    commissie = reference("Commissie", "%(class)ss", _("committee"))

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.relatie}: {self.actor_naam}".strip(": ") or str(self.guid)


class ZaakActor(Actor):
    category = Category.ZAAKACTOR

    zaak = reference("Zaak", "actors", _("case"))
    actor_afkorting = models.TextField(_("abbreviation"), blank=True)

    class Meta:
        verbose_name = _("case actor")
        verbose_name_plural = _("case actors")
        ordering = ["zaak_id", "relatie", "actor_naam", "guid"]


class Document(Entity):
    category = Category.DOCUMENT

    soort = models.TextField(_("kind"), blank=True, db_index=True)
    documentnummer = models.TextField(_("document number"), blank=True)
    titel = models.TextField(_("title"), blank=True)
    onderwerp = models.TextField(_("subject"), blank=True)
    datum = models.DateTimeField(_("date"), null=True, blank=True, db_index=True)
    volgnummer = models.IntegerField(_("number in the dossier"), null=True, blank=True)
    vergaderjaar = models.TextField(_("parliamentary year"), blank=True)
    citeertitel = models.TextField(_("citation title"), blank=True)
    aanhangselnummer = models.TextField(_("appendix number"), blank=True)
    organisatie = models.TextField(_("organisation"), blank=True)
    datum_registratie = models.DateTimeField(_("registered"), null=True, blank=True)
    kamerstukdossier = reference("Kamerstukdossier", "documenten", _("parliamentary dossier"))
    content_type = models.TextField(_("content type"), blank=True)
    content_length = models.BigIntegerField(_("size (bytes)"), null=True, blank=True)
    enclosure_url = models.TextField(_("enclosure"), blank=True)
    # Fetched only on request (document_file_fetch); kept when the entry changes but the file does not.
    file = models.FileField(_("file"), upload_to="parliament/documents/", max_length=255, blank=True)
    file_fetched_at = models.DateTimeField(_("file fetched"), null=True, blank=True)

    class Meta:
        verbose_name = _("parliamentary document")
        verbose_name_plural = _("parliamentary documents")
        ordering = ["-datum", "guid"]

    def __str__(self) -> str:
        return self.titel or self.onderwerp or self.documentnummer or str(self.guid)


class DocumentActor(Actor):
    category = Category.DOCUMENTACTOR

    document = reference("Document", "actors", _("document"))

    class Meta:
        verbose_name = _("document actor")
        verbose_name_plural = _("document actors")
        ordering = ["document_id", "relatie", "actor_naam", "guid"]


class Besluit(Entity):
    category = Category.BESLUIT

    soort = models.TextField(_("kind"), blank=True)
    tekst = models.TextField(_("text"), blank=True)
    stemmingssoort = models.TextField(_("kind of vote"), blank=True)
    opmerking = models.TextField(_("remark"), blank=True)
    status = models.TextField(_("status"), blank=True)
    volgorde = models.IntegerField(_("order"), null=True, blank=True)
    agendapunt = reference("Agendapunt", "besluiten", _("agenda item"))
    # The first case the decision is about; all of them are Link rows (relation "zaak").
    zaak = reference("Zaak", "besluiten", _("case"))

    class Meta:
        verbose_name = _("decision (Tweede Kamer)")
        verbose_name_plural = _("decisions (Tweede Kamer)")
        ordering = ["bijgewerkt", "guid"]

    def __str__(self) -> str:
        return self.tekst or self.soort or str(self.guid)


class Stemming(Entity):
    category = Category.STEMMING

    besluit = reference("Besluit", "stemmingen", _("decision"))
    soort = models.TextField(_("vote"), blank=True)
    fractie_grootte = models.IntegerField(_("party size"), null=True, blank=True)
    actor_naam = models.TextField(_("name"), blank=True)
    actor_fractie = models.TextField(_("party"), blank=True)
    vergissing = models.BooleanField(_("mistake"), null=True, blank=True)
    persoon = reference("Persoon", "stemmingen", _("person"))
    fractie = reference("Fractie", "stemmingen", _("party"))

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["besluit_id", "actor_fractie", "actor_naam", "guid"]

    def __str__(self) -> str:
        return f"{self.actor_naam or self.actor_fractie}: {self.soort}"


class Toezegging(Entity):
    category = Category.TOEZEGGING

    nummer = models.TextField(_("number"), blank=True)
    tekst = models.TextField(_("text"), blank=True)
    status = models.TextField(_("status"), blank=True, db_index=True)
    ministerie = models.TextField(_("ministry"), blank=True)
    naam = models.TextField(_("minister or state secretary"), blank=True)
    functie = models.TextField(_("function"), blank=True)
    aanmaakdatum = models.DateTimeField(_("made"), null=True, blank=True)
    datum_nakoming = models.DateTimeField(_("due"), null=True, blank=True, db_index=True)
    activiteit_nummer = models.TextField(_("activity number"), blank=True)
    activiteit = reference("Activiteit", "toezeggingen", _("activity"))

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["datum_nakoming", "guid"]

    def __str__(self) -> str:
        return self.tekst[:80] if self.tekst else self.nummer or str(self.guid)


ENTITY_MODELS: dict[str, type[Entity]] = {
    model.category: model
    for model in (Persoon, Fractie, Commissie, Kamerstukdossier, Activiteit, Agendapunt, Zaak, ZaakActor,
                  Document, DocumentActor, Besluit, Stemming, Toezegging)
}


def document_kamerstuk(document: Document, dossier: Kamerstukdossier | None) -> str:
    """``36600-XV nr. 12`` for a document in a dossier (its volgnummer), else ``""``."""
    if dossier is None:
        return ""
    return kamerstuk_label(dossier.nummer, dossier.toevoeging, document.volgnummer)
