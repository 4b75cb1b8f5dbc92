"""What the public side of advocacy reads: the dossiers a viewer may see, one dossier's page (the
ask and its versions, owners, key messages, actions, interventions with their documents and
outcomes) and its **timeline**, which mixes the network's own steps (ask versions, interventions,
outcomes) with the confirmed parliamentary items of the dossier, enriched from the mirror
(``stedennet.parliament.selectors``): a motion's submitters, appraisal, decision and votes per
party; a commitment's minister, status, due date and whether it is overdue; a debate's date,
subject and committee; a government letter's kamerstuk.

Visibility: a dossier by ``Dossier.objects.visible_to(viewer)``; its interventions (and their
outcomes) are all shown to members and the bureau, only the public ones to everyone else; an
intervention's documents each by their own visibility (``Viewer.may_see``; "body" documents for
the people seated in the dossier's group or an owning group). Parliamentary items are public
data: whoever sees the dossier sees its confirmed items; suggested and dismissed ones never.

Every function runs a fixed number of queries, whatever the number of versions, interventions,
documents and items.
"""

import datetime
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from stedennet.advocacy.constants import InterventionKind, ItemKind, ItemStatus, TimelineKind
from stedennet.advocacy.models import (
    AlertChoice,
    AskVersion,
    Dossier,
    DossierItem,
    DossierOwner,
    Intervention,
    InterventionDocument,
)
from stedennet.governance.access import Viewer
from stedennet.governance.models import Visibility
from stedennet.parliament import selectors as mirror
from stedennet.parliament.constants import Category
from stedennet.parliament.kamerstuk import kamerstuk_label
from stedennet.parliament.models import Activiteit, Document, Link, Toezegging, Zaak, document_kamerstuk

__all__ = [
    "DossierPage", "TimelineEntry", "alert_choice_for", "body_dossiers", "dossier_for", "dossier_page",
    "dossiers_by_pillar",
    "dossiers_visible", "intervention_document_for", "interventions_visible", "owned_dossiers_of", "parse_kinds",
    "public_letters",
    "timeline",
]

# The order of kinds on the same day: our ask first, then what we did, then parliament, then outcomes.
KIND_ORDER = {kind: number for number, kind in enumerate([
    TimelineKind.ASK, TimelineKind.INTERVENTION, TimelineKind.DEBATE, TimelineKind.MOTION,
    TimelineKind.GOVERNMENT_LETTER, TimelineKind.COMMITMENT, TimelineKind.OTHER, TimelineKind.OUTCOME])}
ITEM_TIMELINE_KINDS = {
    ItemKind.MOTION: TimelineKind.MOTION,
    ItemKind.AMENDMENT: TimelineKind.MOTION,
    ItemKind.COMMITMENT: TimelineKind.COMMITMENT,
    ItemKind.GOVERNMENT_LETTER: TimelineKind.GOVERNMENT_LETTER,
    ItemKind.DEBATE: TimelineKind.DEBATE,
}
MOTION_KINDS = frozenset({ItemKind.MOTION, ItemKind.AMENDMENT})
ALL_KINDS = frozenset(TimelineKind.values)


def item_timeline_kind(item: DossierItem) -> str:
    return ITEM_TIMELINE_KINDS.get(item.kind, TimelineKind.OTHER)


def parse_kinds(values: Iterable[str]) -> frozenset[str]:
    """The kinds of the filter ``?soort=…`` (repeatable); unknown values are ignored."""
    return frozenset(value for value in values if value in ALL_KINDS)


def sees_all_interventions(viewer: Viewer) -> bool:
    return viewer.is_member or viewer.is_bureau


# --- dossiers -----------------------------------------------------------------------------------

def dossiers_visible(viewer: Viewer) -> QuerySet[Dossier]:
    """The dossiers ``viewer`` may see, by pillar and title."""
    return Dossier.objects.visible_to(viewer).select_related("pillar")


def dossiers_by_pillar(viewer: Viewer, *, network=None) -> list[tuple]:
    """``[(pillar, [dossier, …]), …]`` for the list page; each dossier carries ``latest_ask``
    (its newest ask version, or None) and ``owner_groups``. Three queries."""
    dossiers = dossiers_visible(viewer)
    if network is not None:
        dossiers = dossiers.filter(network=network)
    dossiers = dossiers.prefetch_related(
        Prefetch("asks", queryset=AskVersion.objects.order_by("dossier_id", "-number"), to_attr="asks_newest"),
        Prefetch("ownerships", queryset=DossierOwner.objects.select_related("group").order_by("group__name"),
                 to_attr="owner_rows"),
    ).order_by("pillar__order", "pillar__name", "pillar_id", "title", "pk")
    grouped = []
    for pillar, rows in groupby(dossiers, key=lambda dossier: dossier.pillar):
        rows = list(rows)
        for dossier in rows:
            dossier.latest_ask = dossier.asks_newest[0] if dossier.asks_newest else None
            dossier.owner_groups = [owner.group for owner in dossier.owner_rows]
        grouped.append((pillar, rows))
    return grouped


def dossier_for(viewer: Viewer, slug: str) -> Dossier | None:
    """The dossier with this slug if ``viewer`` may see it, else None (the same for one that does
    not exist: the page says nothing of its existence)."""
    return dossiers_visible(viewer).select_related("group").filter(slug=slug).first()


def body_dossiers(viewer: Viewer, body) -> list[Dossier]:
    """For a body's page: the dossiers a theme group owns, or of a pillar, that the viewer may see."""
    return list(dossiers_visible(viewer).filter(Q(ownerships__group=body) | Q(pillar=body)).distinct()
                .order_by("title", "pk"))


# --- interventions -----------------------------------------------------------------------------

def _document_bodies(dossier: Dossier, owner_ids: Iterable[int]) -> list[int | None]:
    """Whose people see a document of visibility "body": the dossier's group and the owners."""
    return [body for body in {dossier.group_id, *owner_ids} if body is not None] or [None]


def _may_see_document(viewer: Viewer, document: InterventionDocument, bodies: list) -> bool:
    return any(viewer.may_see(document.visibility, body) for body in bodies)


def interventions_visible(dossier: Dossier, viewer: Viewer, *, owner_ids: Iterable[int] | None = None
                          ) -> list[Intervention]:
    """The interventions of ``dossier`` that ``viewer`` may see, newest first, each with
    ``visible_documents`` (the documents the viewer may see). Three queries (two with ``owner_ids``)."""
    interventions = Intervention.objects.filter(dossier=dossier)
    if not sees_all_interventions(viewer):
        interventions = interventions.filter(is_public=True)
    interventions = list(interventions.select_related("evidence_document", "evidence_item").prefetch_related(
        Prefetch("documents", queryset=InterventionDocument.objects.select_related("document").order_by("pk")))
        .order_by("-date", "-pk"))
    if owner_ids is None:
        owner_ids = list(DossierOwner.objects.filter(dossier=dossier).values_list("group_id", flat=True))
    bodies = _document_bodies(dossier, owner_ids)
    for intervention in interventions:
        intervention.dossier = dossier  # the templates link to its documents by the dossier's slug
        intervention.visible_documents = [document for document in intervention.documents.all()
                                          if _may_see_document(viewer, document, bodies)]
        item = intervention.evidence_item
        intervention.visible_evidence_item = item if item is not None and item.status == ItemStatus.CONFIRMED else None
    return interventions


def intervention_document_for(viewer: Viewer, slug: str, pk: int) -> InterventionDocument | None:
    """A document of an intervention, if the viewer may see the dossier, the intervention and the document."""
    dossier = dossier_for(viewer, slug)
    if dossier is None:
        return None
    document = (InterventionDocument.objects.filter(pk=pk, intervention__dossier=dossier)
                .select_related("document", "intervention").first())
    if document is None or not (document.intervention.is_public or sees_all_interventions(viewer)):
        return None
    owners = DossierOwner.objects.filter(dossier=dossier).values_list("group_id", flat=True)
    return document if _may_see_document(viewer, document, _document_bodies(dossier, owners)) else None


def public_letters(limit: int = 50) -> list[Intervention]:
    """The letters of the Atom feed: interventions of kind letter that are public, in public
    dossiers, newest first. One query."""
    return list(Intervention.objects.filter(kind=InterventionKind.LETTER, is_public=True,
                                            dossier__visibility=Visibility.PUBLIC)
                .select_related("dossier").order_by("-date", "-pk")[:limit])


# --- the timeline --------------------------------------------------------------------------------

@dataclass
class TimelineEntry:
    """One step in a dossier's timeline. ``kind`` is a ``TimelineKind``; what else is filled
    depends on it: ``ask``; ``intervention`` (also for its outcome); ``item`` with, from the
    mirror, ``motion`` (submitters, appraisal, decision, votes), ``commitment`` and ``overdue``,
    ``activity`` (a debate or committee meeting), ``document`` (a government letter) and ``zaak``."""

    kind: str
    date: datetime.date | None
    title: str
    order: int = 0
    ask: AskVersion | None = None
    intervention: Intervention | None = None
    item: DossierItem | None = None
    zaak: Zaak | None = None
    motion: mirror.MotionSummary | None = None
    commitment: Toezegging | None = None
    overdue: bool = False
    activity: Activiteit | None = None
    document: Document | None = None
    reference: str = ""
    committee: str = ""
    is_demo: bool = False

    @property
    def kind_label(self) -> str:
        return str(TimelineKind(self.kind).label)

    @property
    def anchor(self) -> str:
        """The entry's id on the dossier page (``item-<pk>`` is what the alert mails link to)."""
        if self.item is not None:
            return f"item-{self.item.pk}"
        if self.ask is not None:
            return f"vraag-{self.ask.number}"
        if self.intervention is not None:
            prefix = "uitkomst" if self.kind == TimelineKind.OUTCOME else "tijdlijn"
            return f"{prefix}-{self.intervention.pk}"
        return ""

    @property
    def sort_key(self) -> tuple:
        return (self.date is None, self.date or datetime.date.max, KIND_ORDER.get(self.kind, 99), self.order)


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    if moment is None:
        return None
    return timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()


def _asks(dossier: Dossier) -> list[AskVersion]:
    asks = list(AskVersion.objects.filter(dossier=dossier)
                .select_related("body", "decision", "decision__meeting", "decision__meeting__body")
                .order_by("-number"))
    for ask in asks:
        ask.dossier = dossier
    return asks


def _ask_entries(dossier: Dossier, asks: list[AskVersion]) -> list[TimelineEntry]:
    return [TimelineEntry(kind=TimelineKind.ASK, date=ask.adopted_on, title=ask.text, order=ask.number, ask=ask,
                          is_demo=dossier.is_demo) for ask in asks]


def _intervention_entries(interventions: list[Intervention], kinds: frozenset[str]) -> list[TimelineEntry]:
    entries = []
    for intervention in interventions:
        if TimelineKind.INTERVENTION in kinds:
            entries.append(TimelineEntry(kind=TimelineKind.INTERVENTION, date=intervention.date,
                                         title=intervention.title, order=intervention.pk,
                                         intervention=intervention, is_demo=intervention.is_demo))
        if TimelineKind.OUTCOME in kinds and intervention.has_outcome and intervention.outcome_on:
            entries.append(TimelineEntry(kind=TimelineKind.OUTCOME, date=intervention.outcome_on,
                                         title=intervention.title, order=intervention.pk,
                                         intervention=intervention, is_demo=intervention.is_demo))
    return entries


def _mirror_facts(items: list[DossierItem]) -> dict[tuple[str, uuid.UUID], dict]:
    """What the mirror knows of these items, by (category, guid): a fixed number of queries
    (one per category present, and the motions' three or four)."""
    guids: dict[str, list[uuid.UUID]] = defaultdict(list)
    for item in items:
        guids[item.category].append(item.guid)
    facts: dict[tuple[str, uuid.UUID], dict] = {}
    zaken: dict[uuid.UUID, Zaak] = {}
    if guids.get(Category.ZAAK):
        zaken = {zaak.guid: zaak for zaak in Zaak.objects.filter(guid__in=guids[Category.ZAAK])
                 .select_related("kamerstukdossier")}
    documents: dict[uuid.UUID, Document] = {}
    if guids.get(Category.DOCUMENT):
        documents = {document.guid: document for document in Document.objects.filter(
            guid__in=guids[Category.DOCUMENT]).select_related("kamerstukdossier")}
    # A motion filed as its document: the case it is about carries the vote.
    motion_documents = [item.guid for item in items if item.category == Category.DOCUMENT
                        and item.kind in MOTION_KINDS and item.guid in documents]
    case_of_document: dict[uuid.UUID, uuid.UUID] = {}
    if motion_documents:
        for source, target in Link.objects.filter(source_category=Category.DOCUMENT, relation="zaak",
                                                  source_guid__in=motion_documents).order_by(
                "source_guid", "target_guid").values_list("source_guid", "target_guid"):
            case_of_document.setdefault(source, target)
        missing = set(case_of_document.values()) - set(zaken)
        if missing:
            zaken.update({zaak.guid: zaak for zaak in Zaak.objects.filter(guid__in=missing)
                          .select_related("kamerstukdossier")})
    motion_zaken = [zaken[item.guid] for item in items
                    if item.category == Category.ZAAK and item.kind in MOTION_KINDS and item.guid in zaken]
    motion_zaken += [zaken[guid] for guid in case_of_document.values() if guid in zaken]
    summaries = mirror.motion_summaries({zaak.guid: zaak for zaak in motion_zaken}.values())
    for guid, zaak in zaken.items():
        dossier = zaak.kamerstukdossier
        reference = ""
        if dossier is not None:
            reference = kamerstuk_label(dossier.nummer, dossier.toevoeging, zaak.volgnummer)
        facts[Category.ZAAK, guid] = {"zaak": zaak, "motion": summaries.get(guid), "date": _local_date(zaak.gestart_op),
                                      "reference": reference or zaak.nummer}
    for guid, document in documents.items():
        case = zaken.get(case_of_document.get(guid))
        facts[Category.DOCUMENT, guid] = {
            "document": document, "zaak": case, "motion": summaries.get(case.guid) if case else None,
            "date": _local_date(document.datum),
            "reference": document_kamerstuk(document, document.kamerstukdossier) or document.documentnummer}
    if guids.get(Category.ACTIVITEIT):
        for activity in Activiteit.objects.filter(guid__in=guids[Category.ACTIVITEIT]).select_related(
                "voortouwcommissie"):
            committee = activity.voortouwnaam or (activity.voortouwcommissie.naam if activity.voortouwcommissie
                                                  else "") or activity.voortouwafkorting
            facts[Category.ACTIVITEIT, activity.guid] = {
                "activity": activity, "committee": committee, "reference": activity.nummer,
                "date": _local_date(activity.aanvangstijd or activity.datum)}
    if guids.get(Category.TOEZEGGING):
        today = timezone.localdate()
        for commitment in Toezegging.objects.filter(guid__in=guids[Category.TOEZEGGING]).select_related(
                "activiteit", "activiteit__voortouwcommissie"):
            activity = commitment.activiteit
            facts[Category.TOEZEGGING, commitment.guid] = {
                "commitment": commitment, "overdue": mirror.is_overdue(commitment, today),
                "reference": commitment.nummer, "date": _local_date(commitment.aanmaakdatum),
                "committee": (activity.voortouwnaam if activity else "") or ""}
    return facts


def _item_entries(dossier: Dossier, kinds: frozenset[str]) -> list[TimelineEntry]:
    items = [item for item in DossierItem.objects.filter(dossier=dossier, status=ItemStatus.CONFIRMED)
             .order_by("date", "pk") if item_timeline_kind(item) in kinds]
    facts = _mirror_facts(items)
    entries = []
    for item in items:
        item.dossier = dossier
        known = facts.get((item.category, item.guid), {})
        entries.append(TimelineEntry(
            kind=item_timeline_kind(item), date=known.get("date") or _local_date(item.date), title=item.title,
            order=item.pk, item=item, zaak=known.get("zaak"), motion=known.get("motion"),
            commitment=known.get("commitment"), overdue=known.get("overdue", False),
            activity=known.get("activity"), document=known.get("document"),
            reference=item.reference or known.get("reference", ""), committee=known.get("committee", ""),
            is_demo=item.is_demo))
    return entries


def _timeline(dossier: Dossier, viewer: Viewer, kinds: frozenset[str], *, asks: list[AskVersion] | None,
              interventions: list[Intervention] | None) -> list[TimelineEntry]:
    entries: list[TimelineEntry] = []
    if TimelineKind.ASK in kinds:
        entries += _ask_entries(dossier, asks if asks is not None else _asks(dossier))
    if kinds & {TimelineKind.INTERVENTION, TimelineKind.OUTCOME}:
        if interventions is None:
            interventions = interventions_visible(dossier, viewer)
        entries += _intervention_entries(interventions, kinds)
    if kinds - {TimelineKind.ASK, TimelineKind.INTERVENTION, TimelineKind.OUTCOME}:
        entries += _item_entries(dossier, kinds)
    return sorted(entries, key=lambda entry: entry.sort_key)


def timeline(dossier: Dossier, viewer: Viewer, kinds: Iterable[str] | None = None) -> list[TimelineEntry]:
    """The dossier's timeline for ``viewer``, oldest first: ask versions, interventions, outcomes
    and the confirmed parliamentary items; only the ``kinds`` given (``TimelineKind`` values; all
    when None or empty). A fixed number of queries, whatever the number of entries."""
    chosen = parse_kinds(kinds or ()) or ALL_KINDS
    return _timeline(dossier, viewer, chosen, asks=None, interventions=None)


# --- the dossier page ------------------------------------------------------------------------

@dataclass
class DossierPage:
    dossier: Dossier
    asks: list[AskVersion]
    owners: list
    key_messages: list
    actions: list
    interventions: list[Intervention]
    entries: list[TimelineEntry]  # all of them, oldest first
    kinds: frozenset[str] = field(default_factory=frozenset)  # the filter ("": everything)

    @property
    def current_ask(self) -> AskVersion | None:
        return self.asks[0] if self.asks else None

    @property
    def earlier_asks(self) -> list[AskVersion]:
        return self.asks[1:]

    @property
    def timeline(self) -> list[TimelineEntry]:
        return [entry for entry in self.entries if entry.kind in self.kinds] if self.kinds else self.entries

    @property
    def motions(self) -> list[TimelineEntry]:
        return [entry for entry in self.entries if entry.kind == TimelineKind.MOTION]

    @property
    def commitments(self) -> list[TimelineEntry]:
        return [entry for entry in self.entries if entry.kind == TimelineKind.COMMITMENT]

    @property
    def overdue_count(self) -> int:
        return sum(1 for entry in self.commitments if entry.overdue)

    @property
    def kind_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(TimelineKind.values, 0)
        for entry in self.entries:
            counts[entry.kind] += 1
        return counts

    @property
    def filter_options(self) -> list[tuple[str, str, int, bool]]:
        """``(value, label, entries, checked)`` per kind, for the filter form."""
        counts = self.kind_counts
        return [(value, str(label), counts[value], value in self.kinds) for value, label in TimelineKind.choices]


def dossier_page(dossier: Dossier, viewer: Viewer, kinds: Iterable[str] | None = None) -> DossierPage:
    """Everything the dossier's page shows to ``viewer``; the timeline filtered by ``kinds``
    (the motions and commitments sections are not). A fixed number of queries."""
    members = sees_all_interventions(viewer)
    owners = list(DossierOwner.objects.filter(dossier=dossier).select_related("group").order_by("group__name"))
    key_messages = dossier.key_messages.select_related("agenda", "pillar").order_by("agenda__period_start",
                                                                                    "number", "pk")
    actions = dossier.actions.select_related("programme", "owner").order_by("programme__period_start", "title",
                                                                            "pk")
    if not members:
        key_messages = key_messages.filter(agenda__is_public=True)
        actions = actions.filter(is_public=True, programme__is_public=True)
    asks = _asks(dossier)
    interventions = interventions_visible(dossier, viewer, owner_ids=[owner.group_id for owner in owners])
    entries = _timeline(dossier, viewer, ALL_KINDS, asks=asks, interventions=interventions)
    return DossierPage(dossier=dossier, asks=asks, owners=[owner.group for owner in owners],
                       key_messages=list(key_messages), actions=list(actions), interventions=interventions,
                       entries=entries, kinds=parse_kinds(kinds or ()))


# --- the alert choice ---------------------------------------------------------------------------

def alert_choice_for(user) -> AlertChoice:
    """The user's choice (an unsaved default, "at once", when they never chose)."""
    return AlertChoice.objects.filter(user=user).first() or AlertChoice(user=user)


def owned_dossiers_of(viewer: Viewer) -> QuerySet[Dossier]:
    """The dossiers owned by the viewer's current groups that they may see: those they hear of."""
    if not viewer.body_ids:
        return Dossier.objects.none()
    return (Dossier.objects.visible_to(viewer).filter(ownerships__group_id__in=sorted(viewer.body_ids))
            .distinct().order_by("title"))
