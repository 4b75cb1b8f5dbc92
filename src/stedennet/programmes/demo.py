"""Demo work programmes and a demo strategic agenda: invented, every title and text says DEMO.
``demo_governance_load`` (governance) runs ``demo_programmes_load`` through the
``DEMO_LOADERS`` hook (``governance.extension_points``; see ``wagtail_hooks``)."""

import datetime

from django.db import transaction

from stedennet.governance.models import Body, BodyKind
from stedennet.programmes.models import ActionStatus, StrategicAgenda, WorkProgramme
from stedennet.programmes.selectors import pillars_of
from stedennet.programmes.services import (
    action_add,
    key_message_add,
    progress_update_add,
    strategic_agenda_create,
    work_programme_create,
)
from stedennet.registry.models import Network

DEMO_PERIOD = (datetime.date(2026, 1, 1), datetime.date(2027, 12, 31))
DEMO_AGENDA_PERIOD = (datetime.date(2026, 1, 1), datetime.date(2030, 12, 31))
DEMO_UPDATE_DATE = datetime.date(2026, 10, 1)

# Per pillar slug: two goals and three actions (title, public?) – all invented.
DEMO_TEXTS = {
    "sociale-pijler": (
        ["DEMO: minder huishoudens met problematische schulden in de steden.",
         "DEMO: jeugdhulp dichtbij huis en betaalbaar voor gemeenten."],
        [("DEMO: kennissessies vroegsignalering van schulden", True),
         ("DEMO: gezamenlijke inbreng voor de hervorming van de jeugdzorg", True),
         ("DEMO: interne verkenning van de financiering van jeugdhulp", False)],
        "DEMO: de steden vragen het Rijk om structurele middelen voor armoedebestrijding en jeugdhulp.",
    ),
    "pijler-economie-en-werk": (
        ["DEMO: meer mensen aan het werk in een krappe arbeidsmarkt.",
         "DEMO: vitale binnensteden met minder leegstand."],
        [("DEMO: regionale werkgeversdag met de arbeidsmarktregio's", True),
         ("DEMO: monitor van leegstand in de binnensteden", True),
         ("DEMO: interne peiling onder de steden over winkelleegstand", False)],
        "DEMO: de steden vragen het Rijk om een investeringsfonds voor binnensteden en werk.",
    ),
    "fysieke-pijler": (
        ["DEMO: sneller betaalbare woningen bouwen.",
         "DEMO: steden bereikbaar houden met openbaar vervoer en fiets."],
        [("DEMO: uitwisseling van bouwlocaties en versnellingsaanpakken", True),
         ("DEMO: gezamenlijke reactie op het OV-toekomstbeeld", True),
         ("DEMO: interne inventarisatie van knelpunten bij woningbouw", False)],
        "DEMO: de steden vragen het Rijk om langjarige afspraken over woningbouw en mobiliteit.",
    ),
}


def _demo_texts(pillar: Body) -> tuple[list[str], list[tuple[str, bool]], str]:
    if pillar.slug in DEMO_TEXTS:
        return DEMO_TEXTS[pillar.slug]
    return (
        [f"DEMO: eerste doel van {pillar.name}.", f"DEMO: tweede doel van {pillar.name}."],
        [(f"DEMO: eerste actie van {pillar.name}", True), (f"DEMO: tweede actie van {pillar.name}", True),
         (f"DEMO: interne actie van {pillar.name}", False)],
        f"DEMO: kernboodschap van {pillar.name}.",
    )


@transaction.atomic
def demo_programmes_load(network: Network) -> dict[str, int]:
    """For each pillar of ``network``: one public demo work programme 2026-2027 (``is_demo``) with
    two goals, three actions owned by the pillar's theme groups (one members-only) and a progress
    update; and one demo strategic agenda 2026-2030 with a key message per pillar. Every title and
    text says DEMO. Idempotent: a programme is found by pillar and title, the agenda by title."""
    counts = {"programmes": 0, "agendas": 0}
    pillars = list(pillars_of(network=network))
    groups_by_pillar: dict[int, list[Body]] = {}
    for group in Body.objects.filter(parent__in=pillars, kind=BodyKind.THEME_GROUP,
                                     archived_at__isnull=True).order_by("order", "name"):
        groups_by_pillar.setdefault(group.parent_id, []).append(group)
    for pillar in pillars:
        title = f"DEMO werkprogramma {pillar.name} 2026-2027"
        if WorkProgramme.objects.filter(pillar=pillar, title=title).exists():
            continue
        goals, actions, _message = _demo_texts(pillar)
        programme = work_programme_create(
            pillar=pillar, title=title, period_start=DEMO_PERIOD[0], period_end=DEMO_PERIOD[1],
            introduction="DEMO: een verzonnen werkprogramma om de werking te tonen; niet het echte werkprogramma.",
            goals=goals, is_public=True, is_demo=True)
        programme_goals = list(programme.goals.order_by("number"))
        groups = groups_by_pillar.get(pillar.pk, [])
        made = []
        for index, (action_title, is_public) in enumerate(actions):
            made.append(action_add(
                programme=programme, title=action_title, is_public=is_public,
                owner=groups[index % len(groups)] if groups else None,
                goal=programme_goals[min(index, len(programme_goals) - 1)],
                description="DEMO: verzonnen actie."))
        progress_update_add(action=made[0], date=DEMO_UPDATE_DATE, status=ActionStatus.ONGOING,
                            text="DEMO: eerste bijeenkomst gehouden; vervolg gepland.")
        counts["programmes"] += 1
    agenda_title = f"DEMO strategische agenda {network.short_name or network.name} 2026-2030"
    agenda = StrategicAgenda.objects.filter(network=network, title=agenda_title).first()
    if agenda is None:
        agenda = strategic_agenda_create(
            network=network, title=agenda_title, period_start=DEMO_AGENDA_PERIOD[0],
            period_end=DEMO_AGENDA_PERIOD[1],
            introduction="DEMO: een verzonnen strategische agenda om de werking te tonen.",
            source="DEMO: verzonnen voor de demonstratie; niet de echte strategische agenda.")
        for pillar in pillars:
            key_message_add(agenda=agenda, pillar=pillar, text=_demo_texts(pillar)[2])
        counts["agendas"] += 1
    return counts
