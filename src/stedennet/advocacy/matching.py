"""Matching the mirror's items to dossiers.

A dossier's rules (``MatchRule``) name kamerstuk dossiers (``36600-VII``), lead committees, kinds
of case (``Motie``), Dutch search terms and MPs. Within a rule every filled criterion must hold;
a dossier's rules are alternatives; within a criterion one value suffices. Search terms are
matched on Snowball Dutch stems, the same as site search (``knowledge.stemming``): the term
"woningbouwopgaven" finds "woningbouwopgave"; a phrase matches its words in order.

What is matched: cases (``Zaak``: motions, amendments, bills, questions…), documents (government
letters and other kamerstukken), activities (debates, committee meetings) and commitments
(``Toezegging``). A new actor (``ZaakActor``/``DocumentActor``) or dossier (``Kamerstukdossier``)
makes its case or documents be matched again, as the facts changed.

How it runs: after every page the mirror applied (``receivers``), ``match_pending`` matches every
entity applied since ``MatchProgress.matched_until`` per category, so a crash between a page's
commit and its matching is caught up by the next page (or ``stedennet parliament sync``, or the
demo). Matching is idempotent: a suggestion is one ``DossierItem`` per dossier and entity (a
unique row); a later match updates its title and reasons; a dismissed item stays dismissed.
When a group chose to hear of suggestions, its members are alerted in the same transaction.
"""

import datetime
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stedennet.advocacy.constants import DossierStatus, ItemKind, ItemStatus
from stedennet.advocacy.models import Dossier, DossierItem, MatchProgress, MatchRule
from stedennet.knowledge.stemming import stems_of, words
from stedennet.parliament.constants import Category
from stedennet.parliament.kamerstuk import kamerstuk_key, kamerstuk_label, parse_dossier_key
from stedennet.parliament.models import (
    Activiteit,
    Document,
    DocumentActor,
    Kamerstukdossier,
    Toezegging,
    Zaak,
    ZaakActor,
)
from stedennet.web.refusals import Refused

CHUNK = 2000
MATCHED = (Category.ZAAK, Category.DOCUMENT, Category.ACTIVITEIT, Category.TOEZEGGING)
# Categories whose change makes others be matched again: the category and how to find the others.
FOLLOWS = (Category.ZAAKACTOR, Category.DOCUMENTACTOR, Category.KAMERSTUKDOSSIER)
COMMITTEE_RELATIONS = frozenset({"voortouwcommissie", "commissie", "medevoortouwcommissie"})
ZAAK_KINDS = {
    "motie": ItemKind.MOTION, "amendement": ItemKind.AMENDMENT, "wetgeving": ItemKind.BILL,
    "initiatiefwetgeving": ItemKind.BILL, "schriftelijke vragen": ItemKind.QUESTIONS,
    "mondelinge vragen": ItemKind.QUESTIONS, "brief regering": ItemKind.GOVERNMENT_LETTER,
}
DOCUMENT_KINDS = {"brief regering": ItemKind.GOVERNMENT_LETTER, "motie": ItemKind.MOTION,
                  "amendement": ItemKind.AMENDMENT, "wetsvoorstel": ItemKind.BILL,
                  "schriftelijke vragen": ItemKind.QUESTIONS}
ENTITIES = {Category.ZAAK: Zaak, Category.DOCUMENT: Document, Category.ACTIVITEIT: Activiteit,
            Category.TOEZEGGING: Toezegging, Category.ZAAKACTOR: ZaakActor, Category.DOCUMENTACTOR: DocumentActor,
            Category.KAMERSTUKDOSSIER: Kamerstukdossier}
_SPLIT = re.compile(r"[\n,;]+")


class MatchRuleRefused(Refused):
    """A matching rule that cannot work; ``field`` names the criterion."""


# --- rules --------------------------------------------------------------------------------------

def parse_list(text: str) -> list[str]:
    """One value per line, or separated by commas or semicolons; blanks dropped."""
    return [part.strip() for part in _SPLIT.split(text or "") if part.strip()]


def rule_check(rule: MatchRule) -> None:
    """Refuse a rule with a malformed dossier number, a term list without words, or no criterion."""
    for text in parse_list(rule.dossier_numbers):
        if parse_dossier_key(text) is None:
            raise MatchRuleRefused(_("\"%(value)s\" is not a kamerstuk dossier number (e.g. 36600-VII)."),
                                   "dossier_number_malformed", {"value": text}, field="dossier_numbers")
    if rule.terms.strip() and not any(stems_of(term) for term in parse_list(rule.terms)):
        raise MatchRuleRefused(_("The search terms hold no word to look for."), "terms_empty", field="terms")
    for name in ("committees", "case_kinds", "mps"):
        if getattr(rule, name).strip() and not parse_list(getattr(rule, name)):
            raise MatchRuleRefused(_("The list is empty."), "list_empty", field=name)
    if not any(getattr(rule, name).strip() for name in ("dossier_numbers", "committees", "case_kinds", "terms",
                                                         "mps")):
        raise MatchRuleRefused(_("A rule needs at least one criterion."), "rule_empty")


@dataclass(frozen=True)
class Compiled:
    rule_id: int
    dossier_id: int
    keys: frozenset[str]
    committees: frozenset[str]
    kinds: frozenset[str]
    terms: tuple[tuple[str, tuple[str, ...]], ...]
    mps: tuple[tuple[str, tuple[str, ...]], ...]  # (as written, its words)

    def reasons(self, facts: "Facts") -> list[str] | None:
        """Why ``facts`` match (one reason per criterion), or None."""
        why = []
        if self.keys:
            hit = sorted(self.keys & facts.dossier_keys)
            if not hit:
                return None
            why.append(f"kamerstuk dossier {hit[0]}")
        if self.committees:
            hit = sorted(self.committees & facts.committees)
            if not hit:
                return None
            why.append(f"committee {hit[0]}")
        if self.kinds:
            if facts.case_kind not in self.kinds:
                return None
            why.append(f"kind {facts.case_kind}")
        if self.terms:
            hit = [term for term, stems in self.terms if facts.has_phrase(stems)]
            if not hit:
                return None
            why.append("term " + ", ".join(f"“{term}”" for term in hit))
        if self.mps:
            hit = [name for name, parts in self.mps if facts.has_person(parts)]
            if not hit:
                return None
            why.append(f"MP {hit[0]}")
        return why


def compile_rules(rules: Iterable[MatchRule]) -> list[Compiled]:
    compiled = []
    for rule in rules:
        keys = frozenset(kamerstuk_key(*parsed) for parsed in map(parse_dossier_key, parse_list(rule.dossier_numbers))
                         if parsed is not None)
        terms = tuple((term, tuple(stems_of(term))) for term in parse_list(rule.terms) if stems_of(term))
        compiled.append(Compiled(
            rule_id=rule.pk, dossier_id=rule.dossier_id, keys=keys,
            committees=frozenset(value.lower() for value in parse_list(rule.committees)),
            kinds=frozenset(value.lower() for value in parse_list(rule.case_kinds)),
            terms=terms, mps=tuple((value, tuple(words(value))) for value in parse_list(rule.mps) if words(value))))
    return compiled


def active_rules(dossier: Dossier | None = None) -> list[Compiled]:
    """The active rules of dossiers still collecting (not closed)."""
    rules = MatchRule.objects.filter(is_active=True).exclude(dossier__status=DossierStatus.CLOSED)
    if dossier is not None:
        rules = rules.filter(dossier=dossier)
    return compile_rules(rules.order_by("pk"))


# --- facts of an entity -----------------------------------------------------------------------

@dataclass
class Facts:
    """What a rule looks at in one entity, and what a dossier item shows of it."""

    category: str
    guid: uuid.UUID
    kind: str
    title: str
    reference: str
    date: datetime.datetime | None
    text: str
    is_demo: bool = False
    case_kind: str = ""
    dossier_keys: frozenset[str] = frozenset()
    committees: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    _stems: tuple[str, ...] | None = None

    @property
    def stems(self) -> tuple[str, ...]:
        if self._stems is None:
            self._stems = tuple(stems_of(self.text))
        return self._stems

    def has_phrase(self, phrase: tuple[str, ...]) -> bool:
        stems = self.stems
        if len(phrase) == 1:
            return phrase[0] in stems
        n = len(phrase)
        return any(stems[i:i + n] == phrase for i in range(len(stems) - n + 1))

    def has_person(self, parts: tuple[str, ...]) -> bool:
        """Whether the words ``parts`` ("el", "amrani") stand in that order in the name of one of
        the people involved ("Jansen" finds "A. Jansen", "De Vries" finds "A. de Vries")."""
        n = len(parts)
        for name in self.names:
            name_words = words(name)
            if any(tuple(name_words[i:i + n]) == parts for i in range(len(name_words) - n + 1)):
                return True
        return False


def _text(*parts) -> str:
    return " ".join(part for part in parts if part)


def _committees(actor) -> set[str]:
    names = {actor.actor_naam, getattr(actor, "actor_afkorting", "")}
    if getattr(actor, "commissie", None) is not None:
        names |= {actor.commissie.afkorting, actor.commissie.naam}
    return {name.lower() for name in names if name}


def _zaak_facts(guids) -> dict[uuid.UUID, Facts]:
    zaken = list(Zaak.objects.filter(guid__in=guids).select_related("kamerstukdossier"))
    actors = defaultdict(list)
    for actor in ZaakActor.objects.filter(zaak_id__in=[z.guid for z in zaken]).select_related("commissie"):
        actors[actor.zaak_id].append(actor)
    found = {}
    for zaak in zaken:
        dossier = zaak.kamerstukdossier
        facts = Facts(
            category=Category.ZAAK, guid=zaak.guid, kind=ZAAK_KINDS.get(zaak.soort.strip().lower(), ItemKind.OTHER),
            # A motion's titel is its dossier's title ("Vaststelling van de begrotingsstaten…").
            title=zaak.onderwerp or zaak.titel or zaak.nummer, date=zaak.gestart_op, is_demo=zaak.is_demo,
            reference=(kamerstuk_label(dossier.nummer, dossier.toevoeging, zaak.volgnummer) if dossier else "")
            or zaak.nummer,
            text=_text(zaak.titel, zaak.onderwerp, zaak.citeertitel), case_kind=zaak.soort.strip().lower(),
            dossier_keys=frozenset({dossier.kamerstuk_key} if dossier and dossier.kamerstuk_key else set()))
        for actor in actors[zaak.guid]:
            relation = actor.relatie.strip().lower()
            if relation in COMMITTEE_RELATIONS or actor.commissie_id:
                facts.committees |= _committees(actor)
            elif actor.actor_naam:
                facts.names.append(actor.actor_naam)
        found[zaak.guid] = facts
    return found


def _document_facts(guids) -> dict[uuid.UUID, Facts]:
    documents = list(Document.objects.filter(guid__in=guids).select_related("kamerstukdossier"))
    actors = defaultdict(list)
    for actor in DocumentActor.objects.filter(document_id__in=[d.guid for d in documents]).select_related(
            "commissie"):
        actors[actor.document_id].append(actor)
    found = {}
    for document in documents:
        dossier = document.kamerstukdossier
        facts = Facts(
            category=Category.DOCUMENT, guid=document.guid,
            kind=DOCUMENT_KINDS.get(document.soort.strip().lower(), ItemKind.OTHER),
            title=document.onderwerp or document.titel or document.documentnummer, date=document.datum,
            reference=(kamerstuk_label(dossier.nummer, dossier.toevoeging, document.volgnummer) if dossier else "")
            or document.documentnummer, is_demo=document.is_demo,
            text=_text(document.titel, document.onderwerp, document.citeertitel),
            case_kind=document.soort.strip().lower(),
            dossier_keys=frozenset({dossier.kamerstuk_key} if dossier and dossier.kamerstuk_key else set()))
        for actor in actors[document.guid]:
            if actor.commissie_id:
                facts.committees |= _committees(actor)
            elif actor.actor_naam:
                facts.names.append(actor.actor_naam)
        found[document.guid] = facts
    return found


def _activiteit_facts(guids) -> dict[uuid.UUID, Facts]:
    found = {}
    for activity in Activiteit.objects.filter(guid__in=guids).select_related("voortouwcommissie"):
        committees = {activity.voortouwafkorting, activity.voortouwnaam}
        if activity.voortouwcommissie is not None:
            committees |= {activity.voortouwcommissie.afkorting, activity.voortouwcommissie.naam}
        found[activity.guid] = Facts(
            category=Category.ACTIVITEIT, guid=activity.guid, kind=ItemKind.DEBATE,
            title=activity.onderwerp or activity.soort or activity.nummer, reference=activity.nummer,
            date=activity.aanvangstijd or activity.datum, is_demo=activity.is_demo,
            text=_text(activity.onderwerp, activity.noot), case_kind=activity.soort.strip().lower(),
            committees={name.lower() for name in committees if name})
    return found


def _toezegging_facts(guids) -> dict[uuid.UUID, Facts]:
    found = {}
    for commitment in Toezegging.objects.filter(guid__in=guids).select_related("activiteit",
                                                                            "activiteit__voortouwcommissie"):
        activity = commitment.activiteit
        committees = {activity.voortouwafkorting, activity.voortouwnaam} if activity else set()
        if activity is not None and activity.voortouwcommissie is not None:
            committees |= {activity.voortouwcommissie.afkorting, activity.voortouwcommissie.naam}
        found[commitment.guid] = Facts(
            category=Category.TOEZEGGING, guid=commitment.guid, kind=ItemKind.COMMITMENT,
            title=commitment.tekst[:300] or commitment.nummer, reference=commitment.nummer,
            date=commitment.aanmaakdatum, is_demo=commitment.is_demo, text=commitment.tekst,
            case_kind="toezegging", committees={name.lower() for name in committees if name},
            names=[commitment.naam] if commitment.naam else [])
    return found


FACTS = {Category.ZAAK: _zaak_facts, Category.DOCUMENT: _document_facts, Category.ACTIVITEIT: _activiteit_facts,
         Category.TOEZEGGING: _toezegging_facts}


def item_facts(category: str, guids: Iterable) -> dict[uuid.UUID, Facts]:
    """The facts of these entities of ``category`` (one of ``MATCHED``), a fixed number of queries."""
    if category not in FACTS:
        return {}
    return FACTS[category]([uuid.UUID(str(guid)) for guid in guids])


# --- matching ---------------------------------------------------------------------------------

def _targets(category: str, guids: list) -> list[tuple[str, list]]:
    """The entities to match for a changed entity: itself, or what it describes."""
    if category in MATCHED:
        return [(category, guids)]
    if category == Category.ZAAKACTOR:
        return [(Category.ZAAK, list(ZaakActor.objects.filter(guid__in=guids).exclude(zaak_id=None)
                                     .values_list("zaak_id", flat=True).distinct()))]
    if category == Category.DOCUMENTACTOR:
        return [(Category.DOCUMENT, list(DocumentActor.objects.filter(guid__in=guids).exclude(document_id=None)
                                         .values_list("document_id", flat=True).distinct()))]
    if category == Category.KAMERSTUKDOSSIER:
        return [(Category.ZAAK, list(Zaak.objects.filter(kamerstukdossier_id__in=guids)
                                     .values_list("guid", flat=True))),
                (Category.DOCUMENT, list(Document.objects.filter(kamerstukdossier_id__in=guids)
                                         .values_list("guid", flat=True)))]
    return []


def match_facts(facts: Iterable[Facts], rules: list[Compiled], *, now: datetime.datetime | None = None) -> list[int]:
    """Record the matches of ``facts`` against ``rules``: new suggestions, refreshed titles and
    reasons of earlier ones (a dismissed item keeps its status). Returns the ids of the items
    that are new. Queries: two, plus one update per changed existing item."""
    now = now or timezone.now()
    found: dict[tuple[int, str, uuid.UUID], tuple[Facts, list]] = {}
    for fact in facts:
        for rule in rules:
            reasons = rule.reasons(fact)
            if reasons is not None:
                key = (rule.dossier_id, fact.category, fact.guid)
                entry = found.setdefault(key, (fact, []))
                entry[1].append({"rule": rule.rule_id, "why": "; ".join(reasons)})
    if not found:
        return []
    # One query for the items there may already be; the exact keys picked in Python.
    nearby = DossierItem.objects.filter(guid__in={guid for _d, _c, guid in found},
                                        dossier_id__in={dossier for dossier, _c, _g in found})
    existing = {(item.dossier_id, item.category, item.guid): item for item in nearby
                if (item.dossier_id, item.category, item.guid) in found}
    new = []
    for key, (fact, reasons) in found.items():
        item = existing.get(key)
        if item is None:
            new.append(DossierItem(dossier_id=key[0], category=fact.category, guid=fact.guid, kind=fact.kind,
                                   title=fact.title, reference=fact.reference[:100], date=fact.date, reasons=reasons,
                                   suggested_at=now, is_demo=fact.is_demo))
        elif item.status != ItemStatus.DISMISSED and (item.title, item.reasons, item.date, item.kind) != (
                fact.title, reasons, fact.date, fact.kind):
            DossierItem.objects.filter(pk=item.pk).update(title=fact.title, reasons=reasons, date=fact.date,
                                                          kind=fact.kind, reference=fact.reference[:100])
    DossierItem.objects.bulk_create(new, ignore_conflicts=True)
    keys = {(item.dossier_id, item.category, item.guid) for item in new}
    if not keys:
        return []
    # The rows this call created (another run alongside may have created some of them first).
    created = DossierItem.objects.filter(guid__in={guid for _d, _c, guid in keys},
                                         dossier_id__in={dossier for dossier, _c, _g in keys},
                                         suggested_at=now, status=ItemStatus.SUGGESTED)
    return [pk for pk, *key in created.values_list("pk", "dossier_id", "category", "guid") if tuple(key) in keys]


def _match(category: str, guids: list, rules: list[Compiled], now) -> list[int]:
    new = []
    for target, target_guids in _targets(category, guids):
        for start in range(0, len(target_guids), CHUNK):
            new += match_facts(item_facts(target, target_guids[start:start + CHUNK]).values(), rules, now=now)
    return new


def match_pending(*, categories: Iterable[str] | None = None) -> int:
    """Match everything the mirror applied since the last matching, category by category, each
    chunk in its own transaction with the progress moved in it. Returns the new suggestions."""
    from stedennet.advocacy.alerts import alerts_create

    rules = active_rules()
    total = 0
    for category in categories or (*MATCHED, *FOLLOWS):
        entity = ENTITIES[category]
        progress, _created = MatchProgress.objects.get_or_create(category=category)
        after: tuple | None = None
        while True:
            with transaction.atomic():
                progress = MatchProgress.objects.select_for_update().get(pk=progress.pk)
                rows = entity.objects.all()
                if progress.matched_until is not None:
                    rows = rows.filter(synced_at__gte=progress.matched_until)
                if after is not None:
                    rows = rows.filter(Q(synced_at__gt=after[0]) | Q(synced_at=after[0], guid__gt=after[1]))
                chunk = list(rows.order_by("synced_at", "guid").values_list("synced_at", "guid")[:CHUNK])
                if not chunk:
                    break
                if rules:
                    new = _match(category, [guid for _at, guid in chunk], rules, timezone.now())
                    alerts_create(new, stage=ItemStatus.SUGGESTED)
                    total += len(new)
                after = chunk[-1]
                progress.matched_until = after[0]
                progress.save(update_fields=["matched_until"])
            if len(chunk) < CHUNK:
                break
    return total


def match_entities(*, category: str, guids: Iterable = (), deleted: Iterable = ()) -> int:
    """After the mirror applied a page of ``category``: match what is pending (that page, and
    anything an earlier crash left unmatched). A suggestion whose entity the Kamer deleted (a
    tombstone) is withdrawn; a confirmed or dismissed item stays, with the title it had."""
    if category not in (*MATCHED, *FOLLOWS):
        return 0
    gone = [uuid.UUID(str(guid)) for guid in deleted]
    if gone and category in MATCHED:
        DossierItem.objects.filter(category=category, guid__in=gone, status=ItemStatus.SUGGESTED).delete()
    return match_pending()


def match_dossier(dossier: Dossier) -> int:
    """Match the whole mirror against one dossier's rules (after its rules changed). Returns the
    number of new suggestions."""
    from stedennet.advocacy.alerts import alerts_create

    rules = active_rules(dossier)
    if not rules:
        return 0
    total = 0
    for category in MATCHED:
        entity = ENTITIES[category]
        after = None
        while True:
            rows = entity.objects.order_by("guid")
            if after is not None:
                rows = rows.filter(guid__gt=after)
            guids = list(rows.values_list("guid", flat=True)[:CHUNK])
            if not guids:
                break
            with transaction.atomic():
                new = match_facts(item_facts(category, guids).values(), rules)
                alerts_create(new, stage=ItemStatus.SUGGESTED)
            total += len(new)
            after = guids[-1]
    return total


def progress() -> dict[str, datetime.datetime | None]:
    """Up to when each category was matched (for the back office)."""
    return dict(MatchProgress.objects.values_list("category", "matched_until"))


__all__ = ["Facts", "MatchRuleRefused", "compile_rules", "item_facts", "match_dossier", "match_entities",
           "match_facts", "match_pending", "parse_list", "rule_check"]
