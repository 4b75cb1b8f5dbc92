"""What others read from the mirror: advocacy (matching, the dossier timeline, motions and
commitments) and the back office (the sync's status). Every function here runs a fixed number
of queries, whatever the amount of data.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Max, Q, QuerySet, Value
from django.db.models.functions import Lower
from django.utils import timezone

from stedennet.parliament import conf
from stedennet.parliament.constants import (
    CATEGORIES,
    COMMITMENT_CLOSED,
    SUBMITTER_RELATIONS,
    VOTE_ABSENT,
    VOTE_AGAINST,
    VOTE_FOR,
    Category,
)
from stedennet.parliament.feed import AMSTERDAM
from stedennet.parliament.kamerstuk import kamerstuk_key, parse_dossier_key
from stedennet.parliament.models import (
    ENTITY_MODELS,
    Activiteit,
    Besluit,
    Document,
    FeedCursor,
    FeedFailure,
    Kamerstukdossier,
    Link,
    Stemming,
    SyncSchedule,
    Toezegging,
    Zaak,
    ZaakActor,
    document_kamerstuk,
)

# --- motions -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitter:
    naam: str
    fractie: str
    relatie: str
    persoon_guid: uuid.UUID | None
    fractie_guid: uuid.UUID | None


@dataclass(frozen=True)
class PartyVote:
    fractie: str  # as the vote names it (the abbreviation)
    fractie_guid: uuid.UUID | None
    soort: str  # as the Kamer writes it: "Voor", "Tegen", "Niet deelgenomen", …
    zetels: int  # seats (for a party vote its size; for a roll-call vote the members who voted so)
    vergissing: bool = False

    @property
    def kind(self) -> str:
        """``voor``, ``tegen``, ``niet deelgenomen`` or the value in lower case."""
        return self.soort.strip().lower()


@dataclass(frozen=True)
class Decision:
    besluit: Besluit
    votes: list[PartyVote]

    @property
    def outcome(self) -> str:
        """The decision's text as the Kamer writes it, without the full stop (``Aangenomen``)."""
        return (self.besluit.tekst or self.besluit.soort or "").strip().rstrip(".")

    def seats(self, kind: str) -> int:
        return sum(vote.zetels for vote in self.votes if vote.kind == kind)

    @property
    def seats_for(self) -> int:
        return self.seats(VOTE_FOR)

    @property
    def seats_against(self) -> int:
        return self.seats(VOTE_AGAINST)

    @property
    def seats_absent(self) -> int:
        return self.seats(VOTE_ABSENT)


@dataclass(frozen=True)
class MotionSummary:
    zaak: Zaak
    submitters: list[Submitter]
    decisions: list[Decision] = field(default_factory=list)

    @property
    def kabinetsappreciatie(self) -> str:
        return self.zaak.kabinetsappreciatie

    @property
    def decision(self) -> Decision | None:
        """The decision that was voted on (the last of them), else the last decision."""
        voted = [decision for decision in self.decisions if decision.votes]
        return (voted or self.decisions or [None])[-1]

    @property
    def votes(self) -> list[PartyVote]:
        return self.decision.votes if self.decision else []


def motion_summaries(zaken: Iterable[Zaak]) -> dict[uuid.UUID, MotionSummary]:
    """For each case (a motion, an amendment, a bill): its submitters (Indiener, Medeindiener),
    the cabinet's appraisal, its decisions in order, and for each the votes per party with seats.
    Three queries, whatever the number of cases."""
    zaken = list(zaken)
    guids = [zaak.guid for zaak in zaken]
    if not guids:
        return {}
    submitters: dict[uuid.UUID, list[Submitter]] = defaultdict(list)
    actors = (ZaakActor.objects.filter(zaak_id__in=guids).annotate(relation=Lower("relatie"))
              .filter(relation__in=SUBMITTER_RELATIONS).order_by("zaak_id", "relation", "actor_naam", "guid"))
    for actor in actors:  # "indiener" before "medeindiener"
        submitters[actor.zaak_id].append(Submitter(
            naam=actor.actor_naam, fractie=actor.actor_fractie or actor.actor_afkorting, relatie=actor.relatie,
            persoon_guid=actor.persoon_id, fractie_guid=actor.fractie_id))
    linked = Link.objects.filter(source_category=Category.BESLUIT, relation="zaak", target_guid__in=guids)
    besluiten = list(Besluit.objects.filter(Q(zaak_id__in=guids) | Q(guid__in=linked.values("source_guid")))
                     .order_by("bijgewerkt", "skiptoken", "guid"))
    by_besluit: dict[uuid.UUID, list[Stemming]] = defaultdict(list)
    for vote in Stemming.objects.filter(besluit_id__in=[b.guid for b in besluiten]).order_by(
            "besluit_id", "-fractie_grootte", "actor_fractie", "actor_naam", "guid"):
        by_besluit[vote.besluit_id].append(vote)
    # A decision may be about several cases (Link rows); the first is its zaak column.
    links = defaultdict(set)
    for source, target in Link.objects.filter(source_category=Category.BESLUIT, relation="zaak",
                                              source_guid__in=[b.guid for b in besluiten]).values_list(
            "source_guid", "target_guid"):
        links[source].add(target)
    decisions: dict[uuid.UUID, list[Decision]] = defaultdict(list)
    for besluit in besluiten:
        decision = Decision(besluit=besluit, votes=party_votes(by_besluit[besluit.guid]))
        for guid in {besluit.zaak_id, *links[besluit.guid]} & set(guids):
            decisions[guid].append(decision)
    return {zaak.guid: MotionSummary(zaak=zaak, submitters=submitters[zaak.guid], decisions=decisions[zaak.guid])
            for zaak in zaken}


def motion_summary(zaak: Zaak) -> MotionSummary:
    return motion_summaries([zaak])[zaak.guid]


def party_votes(stemmingen: Iterable[Stemming]) -> list[PartyVote]:
    """Votes per party: a party vote counts its size in seats; a roll-call vote (one row per
    member, with a person) counts one seat per member, summed per party and kind."""
    totals: dict[tuple, list] = {}
    for vote in stemmingen:
        party = vote.actor_fractie or vote.actor_naam
        key = (party, vote.soort, vote.fractie_id)
        seats = 1 if vote.persoon_id is not None else vote.fractie_grootte or 0  # a member's vote: one seat
        entry = totals.setdefault(key, [0, False])
        entry[0] += seats
        entry[1] = entry[1] or bool(vote.vergissing)
    votes = [PartyVote(fractie=party, fractie_guid=fractie, soort=soort, zetels=seats, vergissing=mistake)
             for (party, soort, fractie), (seats, mistake) in totals.items()]
    return sorted(votes, key=lambda vote: (-vote.zetels, vote.fractie))


# --- dossiers, documents, activities ----------------------------------------------------------

@dataclass(frozen=True)
class DossierItems:
    dossiers: QuerySet
    zaken: QuerySet
    documenten: QuerySet


def dossier_keys(keys: Iterable[str]) -> list[str]:
    """The keys as the mirror stores them (``"36600 - vii"`` → ``"36600-VII"``); unreadable ones dropped."""
    found = []
    for text in keys:
        parsed = parse_dossier_key(text)
        if parsed is not None:
            found.append(kamerstuk_key(*parsed))
    return found


def items_for_dossier_numbers(keys: Iterable[str], *, since: datetime.datetime | None = None) -> DossierItems:
    """The parliamentary dossiers with these keys (``36600-VII``; a key without addition names
    only the dossier without one), their cases (the case's own dossier, or a document of the
    dossier about the case) and their documents; with ``since``, only what was applied since.
    Lazy querysets."""
    dossiers = Kamerstukdossier.objects.filter(kamerstuk_key__in=dossier_keys(keys))
    documents = Document.objects.filter(kamerstukdossier__in=dossiers.values("guid"))
    about = Link.objects.filter(source_category=Category.DOCUMENT, relation="zaak",
                                source_guid__in=documents.values("guid"))
    zaken = Zaak.objects.filter(Q(kamerstukdossier__in=dossiers.values("guid")) | Q(guid__in=about.values(
        "target_guid")))
    if since is not None:
        zaken, documents = zaken.filter(synced_at__gte=since), documents.filter(synced_at__gte=since)
    return DossierItems(dossiers=dossiers, zaken=zaken, documenten=documents)


def linked_guids(source_guids: Iterable, relation: str, *, category: str | None = None) -> QuerySet:
    """The targets of ``relation`` links from these entities (e.g. a document's ``zaak``)."""
    links = Link.objects.filter(source_guid__in=list(source_guids), relation=relation)
    if category:
        links = links.filter(source_category=category)
    return links.values("target_guid")


def documents_for_zaken(zaak_guids: Iterable) -> QuerySet:
    """Documents about these cases (the document's ``zaak`` references), newest first."""
    about = Link.objects.filter(source_category=Category.DOCUMENT, relation="zaak", target_guid__in=list(zaak_guids))
    return Document.objects.filter(guid__in=about.values("source_guid")).select_related("kamerstukdossier")


def activities_for_zaken(zaak_guids: Iterable) -> QuerySet:
    """Debates and committee meetings about these cases (the case's ``activiteit`` references)."""
    return Activiteit.objects.filter(guid__in=linked_guids(zaak_guids, "activiteit", category=Category.ZAAK))


def document_kamerstukken(documents: Iterable[Document]) -> dict[uuid.UUID, str]:
    """``36600-XV nr. 12`` per document in a known dossier (one query for all)."""
    documents = list(documents)
    dossiers = Kamerstukdossier.objects.in_bulk([d.kamerstukdossier_id for d in documents if d.kamerstukdossier_id])
    return {d.guid: document_kamerstuk(d, dossiers.get(d.kamerstukdossier_id)) for d in documents
            if d.kamerstukdossier_id in dossiers}


# --- commitments -------------------------------------------------------------------------------

def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=AMSTERDAM)


def is_open(toezegging: Toezegging) -> bool:
    """Any status but Voldaan, Afgedaan and Vervallen (also a new one) is still open."""
    return (toezegging.status or "").strip().lower() not in COMMITMENT_CLOSED


def is_overdue(toezegging: Toezegging, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(is_open(toezegging) and toezegging.datum_nakoming and toezegging.datum_nakoming < _start_of(today))


def commitments_open() -> QuerySet:
    return Toezegging.objects.annotate(status_lower=Lower("status")).exclude(status_lower__in=COMMITMENT_CLOSED)


def commitments_overdue(today: datetime.date | None = None) -> QuerySet:
    """Open commitments whose due date (``datumNakoming``) is before ``today``, most overdue first."""
    today = today or timezone.localdate()
    return commitments_open().filter(datum_nakoming__lt=_start_of(today)).order_by("datum_nakoming", "guid")


# --- what changed ------------------------------------------------------------------------------

def entities_changed_since(category: str, moment: datetime.datetime) -> QuerySet:
    """The entities of a category stored or replaced at or after ``moment`` (by a sync or the demo)."""
    return ENTITY_MODELS[category].objects.filter(synced_at__gte=moment)


def changed_since(moment: datetime.datetime, categories: Iterable[str] | None = None) -> dict[str, list[uuid.UUID]]:
    """GUIDs per category stored or replaced since ``moment`` (deleted ones are gone)."""
    return {category: list(entities_changed_since(category, moment).values_list("guid", flat=True))
            for category in (categories or CATEGORIES)}


# --- the sync's status -------------------------------------------------------------------------

@dataclass(frozen=True)
class CategoryStatus:
    category: str
    label: str
    cursor: FeedCursor | None
    count: int

    @property
    def failing(self) -> bool:
        return bool(self.cursor and self.cursor.failures_in_a_row)


@dataclass(frozen=True)
class SyncStatus:
    categories: list[CategoryStatus]
    last_advanced_at: datetime.datetime | None
    stale: bool
    stale_after: datetime.timedelta
    schedule: SyncSchedule | None
    failures: list[FeedFailure]
    demo_items: int

    @property
    def failing(self) -> list[CategoryStatus]:
        return [status for status in self.categories if status.failing]


def entity_counts() -> tuple[dict[str, int], int]:
    """Rows per category and how many of all are demo data, in one query."""
    parts = [model.objects.order_by().annotate(c=Value(category, output_field=CharField())).values("c").annotate(
        n=Count("guid"), demo=Count("guid", filter=Q(is_demo=True))).values_list("c", "n", "demo")
        for category, model in ENTITY_MODELS.items()]
    union = parts[0].union(*parts[1:], all=True)
    counts, demo = dict.fromkeys(CATEGORIES, 0), 0
    for category, number, demo_number in union:
        counts[category] = number
        demo += demo_number
    return counts, demo


def sync_status(now: datetime.datetime | None = None, *, failures: int = 10) -> SyncStatus:
    """Each category's cursor, last success, last error and item count; ``stale`` when no
    category advanced for ``STEDENNET_TK_STALE_HOURS`` (24) hours, or none ever did. Four queries."""
    now = now or timezone.now()
    cursors = {cursor.category: cursor for cursor in FeedCursor.objects.all()}
    counts, demo = entity_counts()
    labels = dict(Category.choices)
    rows = [CategoryStatus(category=category, label=str(labels[category]), cursor=cursors.get(category),
                           count=counts.get(category, 0)) for category in CATEGORIES]
    advanced = [cursor.last_advanced_at for cursor in cursors.values() if cursor.last_advanced_at]
    last = max(advanced) if advanced else None
    window = conf.stale_after()
    return SyncStatus(
        categories=rows, last_advanced_at=last, stale=last is None or now - last > window, stale_after=window,
        schedule=SyncSchedule.objects.order_by("pk").first(),
        failures=list(FeedFailure.objects.order_by("-occurred_at", "-pk").defer("body")[:failures]),
        demo_items=demo,
    )


def latest_feed_activity() -> datetime.datetime | None:
    return FeedCursor.objects.aggregate(last=Max("last_advanced_at"))["last"]


__all__ = [
    "CategoryStatus", "Decision", "DossierItems", "MotionSummary", "PartyVote", "Submitter", "SyncStatus",
    "activities_for_zaken", "changed_since", "commitments_open", "commitments_overdue", "document_kamerstukken",
    "documents_for_zaken", "dossier_keys", "entities_changed_since", "entity_counts", "is_open", "is_overdue",
    "items_for_dossier_numbers", "latest_feed_activity", "linked_guids", "motion_summaries", "motion_summary",
    "party_votes", "sync_status",
]
