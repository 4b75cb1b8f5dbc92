"""Invented lobby dossiers for a demonstration: ``load_demo_advocacy()`` (``stedennet
load-demo-advocacy``, run by ``make run``).

Three dossiers of the G40's pillars, owned by its (demo) theme groups, every title saying
"(demo)" and every row that has the flag marked ``is_demo``: an ask per dossier, adopted by the
pillar's bestuurlijk overleg (with its numbered decision when the demo meetings hold one of that
body; they hold none today, so the ask names the body only), letters and a position paper with an
outcome on one of them, and matching rules on the invented parliamentary items of
``parliament.demo`` (the dossier 36600-VII, the committee BiZa, "gemeentefonds",
"opschalingskorting", "middelgrote steden"). The mirror's demo is loaded first when it is not
there; then everything is matched, so the review queue holds suggestions, and the adopted motion
on the gemeentefonds is confirmed in the jeugdzorg dossier (alerting the members of the owning
theme group, as a confirmation by the bureau does) and is the evidence of that letter's outcome.

Idempotent: a dossier is found by its slug; one that exists is left as it is (with what the
bureau did to it since), so a second run adds and changes nothing.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from stedennet.advocacy import matching, services
from stedennet.advocacy.constants import Addressee, AlertOn, InterventionKind, ItemStatus, Outcome
from stedennet.advocacy.models import Dossier, DossierItem, MatchRule
from stedennet.governance.models import Body, BodyKind
from stedennet.meetings.models import Decision
from stedennet.parliament.constants import Category
from stedennet.parliament.demo import G, load_demo_parliament
from stedennet.parliament.models import Zaak
from stedennet.programmes.models import Action, KeyMessage
from stedennet.registry.models import Network

DEMO_BUREAU = "bureau"  # the demo account of `stedennet load-demo-accounts`, when it exists
SIGNATORIES = "DEMO: voorzitter van de pijler\nDEMO: secretaris van het netwerk"


@dataclass(frozen=True)
class DemoIntervention:
    kind: str
    title: str
    date: datetime.date
    addressee: str
    addressee_name: str
    summary: str
    # (outcome, day, note); the evidence of a granted outcome is the dossier's confirmed item.
    outcome: tuple[str, datetime.date, str] | None = None


@dataclass(frozen=True)
class DemoDossier:
    slug: str
    pillar: str
    owners: tuple[tuple[str, str], ...]  # (theme group slug, alert_on)
    title: str
    summary: str
    opened_on: datetime.date
    ask: str
    ask_on: datetime.date
    interventions: tuple[DemoIntervention, ...]
    rules: tuple[dict, ...]
    action_words: tuple[str, ...] = ()  # demo work-programme actions whose title holds one of these
    confirm: tuple[str, ...] = field(default=())  # demo parliament keys (parliament.demo.G) to confirm


DOSSIERS = (
    DemoDossier(
        slug="demo-jeugdzorg-financiering",
        pillar="sociale-pijler",
        owners=(("themagroep-jeugd", AlertOn.CONFIRMED),),
        title="Jeugdzorg: financiering die past bij de opgave (demo)",
        summary="DEMO: een verzonnen dossier. De steden vragen een gemeentefonds dat meegroeit met de kosten "
                "van de jeugdzorg, zodat gemeenten de jeugdhulp dichtbij huis kunnen blijven betalen.",
        opened_on=datetime.date(2024, 9, 2),
        ask="DEMO: het Rijk laat het gemeentefonds structureel meegroeien met de uitgaven aan jeugdzorg en "
            "compenseert de tekorten van middelgrote steden over 2022-2025 volledig.",
        ask_on=datetime.date(2024, 10, 1),
        interventions=(
            DemoIntervention(
                kind=InterventionKind.LETTER,
                title="DEMO: brief aan de vaste commissie voor Binnenlandse Zaken over het gemeentefonds",
                date=datetime.date(2024, 11, 6), addressee=Addressee.COMMITTEE,
                addressee_name="vaste commissie voor Binnenlandse Zaken",
                summary="DEMO: inbreng voor het commissiedebat Financiering decentrale overheden: de steden "
                        "vragen de Kamer om een structurele groei van het gemeentefonds.",
                outcome=(Outcome.PARTLY, datetime.date(2024, 11, 19),
                         "DEMO: de motie-De Vries c.s. over een structurele groei van het gemeentefonds is "
                         "aangenomen; de compensatie van de tekorten over 2022-2025 niet."),
            ),
        ),
        rules=(
            {"name": "Moties bij de begroting BZK", "dossier_numbers": "36600-VII", "case_kinds": "Motie"},
            {"name": "Gemeentefonds", "terms": "gemeentefonds"},
        ),
        action_words=("jeugdzorg", "jeugdhulp"),
        confirm=("motie",),
    ),
    DemoDossier(
        slug="demo-sociaal-domein-middelen",
        pillar="sociale-pijler",
        owners=(("themagroep-armoede-en-schulden", AlertOn.SUGGESTED), ("themagroep-jeugd", AlertOn.CONFIRMED)),
        title="Sociaal domein: ruimte en middelen voor gemeenten (demo)",
        summary="DEMO: een verzonnen dossier over de middelen van gemeenten voor armoedebestrijding, "
                "schuldhulp en de andere taken van het sociaal domein.",
        opened_on=datetime.date(2024, 6, 3),
        ask="DEMO: het kabinet schrapt de opschalingskorting en herijkt de verdeelmodellen van het "
            "gemeentefonds samen met de steden.",
        ask_on=datetime.date(2024, 7, 1),
        interventions=(
            DemoIntervention(
                kind=InterventionKind.POSITION_PAPER,
                title="DEMO: position paper over de opschalingskorting voor de minister van BZK",
                date=datetime.date(2024, 10, 15), addressee=Addressee.MINISTER,
                addressee_name="Minister van Binnenlandse Zaken en Koninkrijksrelaties",
                summary="DEMO: wat de opschalingskorting de steden kost en wat dat betekent voor het sociaal domein.",
                outcome=(Outcome.REJECTED, datetime.date(2024, 11, 19),
                         "DEMO: de motie-El Amrani over het schrappen van de opschalingskorting is verworpen."),
            ),
        ),
        rules=(
            {"name": "Opschalingskorting", "terms": "opschalingskorting"},
            {"name": "Toezeggingen in de commissie BiZa", "committees": "BiZa", "case_kinds": "Toezegging"},
            {"name": "Debatten over decentrale overheden", "committees": "BiZa", "terms": "decentrale overheden"},
        ),
        action_words=("schulden",),
    ),
    DemoDossier(
        slug="demo-woningbouw-volkshuisvesting",
        pillar="fysieke-pijler",
        owners=(("themagroep-wonen", AlertOn.CONFIRMED),),
        title="Woningbouw en volkshuisvesting in de middelgrote steden (demo)",
        summary="DEMO: een verzonnen dossier. De steden willen sneller betaalbare woningen bouwen en vragen "
                "daarvoor langjarige afspraken en middelen.",
        opened_on=datetime.date(2025, 1, 6),
        ask="DEMO: het Rijk sluit met de middelgrote steden woningbouwafspraken voor tien jaar, met een vaste "
            "bijdrage per woning en versnelde procedures.",
        ask_on=datetime.date(2025, 2, 3),
        interventions=(
            DemoIntervention(
                kind=InterventionKind.LETTER,
                title="DEMO: brief aan de vaste commissie voor Volkshuisvesting en Ruimtelijke Ordening",
                date=datetime.date(2025, 3, 10), addressee=Addressee.COMMITTEE,
                addressee_name="vaste commissie voor Volkshuisvesting en Ruimtelijke Ordening",
                summary="DEMO: inbreng voor het commissiedebat Woningbouw: woningbouwafspraken voor tien jaar.",
            ),
        ),
        rules=(
            {"name": "Woningbouw", "terms": "woningbouw, volkshuisvesting"},
            {"name": "Commissie VRO", "committees": "VRO"},
            {"name": "Middelgrote steden", "terms": "middelgrote steden"},
        ),
        action_words=("woningbouw", "bouwlocaties"),
    ),
)


def _theme_groups(pillar: Body, owners: tuple[tuple[str, str], ...]) -> list[tuple[Body, str]]:
    """The named theme groups of ``pillar``; one that is absent is replaced by another of the pillar."""
    available = list(Body.objects.filter(parent=pillar, kind=BodyKind.THEME_GROUP, archived_at__isnull=True)
                     .order_by("order", "name"))
    by_slug = {group.slug: group for group in available}
    chosen: list[tuple[Body, str]] = []
    for slug, alert_on in owners:
        group = by_slug.get(slug) or next((g for g in available if g not in [c for c, _a in chosen]), None)
        if group is not None and group not in [c for c, _a in chosen]:
            chosen.append((group, alert_on))
    return chosen


def _adopting_body(pillar: Body) -> Body:
    """The pillar's bestuurlijk overleg (``<pillar>-bo``), else the pillar itself."""
    return Body.objects.filter(parent=pillar, slug=f"{pillar.slug}-bo").first() or pillar


def _decision(body: Body, before: datetime.date):
    """A numbered decision of ``body`` (or of its parent) taken on or before ``before``, if the demo has one."""
    bodies = [body.pk] + ([body.parent_id] if body.parent_id else [])
    return (Decision.objects.filter(meeting__body_id__in=bodies, meeting__starts_at__date__lte=before)
            .select_related("meeting__body").order_by("-meeting__starts_at", "-number").first())


def _create(spec: DemoDossier, network: Network, pillar: Body, by) -> Dossier:
    owners = _theme_groups(pillar, spec.owners)
    dossier = services.dossier_create(network=network, pillar=pillar, title=spec.title, slug=spec.slug,
                                      summary=spec.summary, opened_on=spec.opened_on, owners=owners,
                                      is_demo=True, by=by)
    dossier.key_messages.set(KeyMessage.objects.filter(pillar=pillar, agenda__title__startswith="DEMO"))
    actions = Action.objects.filter(programme__pillar=pillar, programme__is_demo=True)
    dossier.actions.set([action for action in actions
                         if any(word in action.title.lower() for word in spec.action_words)])
    body = _adopting_body(pillar)
    services.ask_adopt(dossier=dossier, text=spec.ask, adopted_on=spec.ask_on, body=body,
                       decision=_decision(body, spec.ask_on), by=by)
    for rule in spec.rules:
        made = MatchRule(dossier=dossier, **rule)
        matching.rule_check(made)
        made.save()
    return dossier


def _record(spec: DemoDossier, dossier: Dossier, by) -> None:
    """The interventions, the confirmed items and the outcomes (after matching, for the evidence)."""
    confirmed = []
    for key in spec.confirm:
        item = DossierItem.objects.filter(dossier=dossier, category=Category.ZAAK, guid=G[key]).first()
        if item is not None and item.status == ItemStatus.SUGGESTED:
            item = services.item_decide(item=item, status=ItemStatus.CONFIRMED, by=by)
        if item is not None and item.status == ItemStatus.CONFIRMED:
            confirmed.append(item)
    for made in spec.interventions:
        intervention = services.intervention_record(
            dossier=dossier, kind=made.kind, title=made.title, date=made.date, addressee=made.addressee,
            addressee_name=made.addressee_name, signatories=SIGNATORIES, summary=made.summary, is_demo=True, by=by)
        if made.outcome is not None:
            outcome, day, note = made.outcome
            services.intervention_outcome_set(
                intervention=intervention, outcome=outcome, day=day, note=note,
                evidence_item=confirmed[0] if confirmed else None, by=by)


@transaction.atomic
def load_demo_advocacy(*, network: Network | None = None) -> dict[str, int]:
    """Create the demo dossiers that are not there yet (idempotent). Returns what was added now:
    ``dossiers``, ``interventions``, ``rules``, ``suggestions`` (new suggested items, of every
    dossier) and ``confirmed``. Raises ``LookupError`` without the G40's pillars (``stedennet load-g40``)."""
    counts = {"dossiers": 0, "interventions": 0, "rules": 0, "suggestions": 0, "confirmed": 0}
    if not Zaak.objects.filter(guid=G["motie"]).exists():
        load_demo_parliament()
    pillars = {body.slug: body for body in Body.objects.filter(kind=BodyKind.PILLAR, archived_at__isnull=True)
               .select_related("network")
               .filter(**({"network": network} if network is not None else {})).order_by("order", "pk")}
    if not pillars:
        raise LookupError("No pillars loaded; run `stedennet load-g40` first.")
    by = get_user_model().objects.filter(username=DEMO_BUREAU, is_active=True).first()
    made = []
    for spec in DOSSIERS:
        if Dossier.objects.filter(slug=spec.slug).exists():
            continue
        pillar = pillars.get(spec.pillar) or next(iter(pillars.values()))
        made.append((spec, _create(spec, network or pillar.network, pillar, by)))
    if not made:
        return counts
    # Everything the mirror holds, against the new rules (the progress of ``match_pending`` may be
    # past the mirror's demo already: it is matched after every applied page, with or without rules).
    counts["suggestions"] = matching.match_pending()
    for _spec, dossier in made:
        counts["suggestions"] += matching.match_dossier(dossier)
    for spec, dossier in made:
        _record(spec, dossier, by)
        counts["dossiers"] += 1
        counts["interventions"] += dossier.interventions.count()
        counts["rules"] += dossier.rules.count()
        counts["confirmed"] += dossier.items.filter(status=ItemStatus.CONFIRMED).count()
    return counts


__all__ = ["DOSSIERS", "load_demo_advocacy"]
