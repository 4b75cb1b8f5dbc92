"""Work programmes and the strategic agenda: writes, reads and the demo set.

Writes (services):
- ``work_programme_create`` – a pillar's programme for a period, with its goals.
- ``goal_add`` – a numbered goal of a programme.
- ``action_add`` / ``action_set_owner`` – an action of a programme, owned by one of *that pillar's*
  theme groups (another pillar's group, a body that is not a theme group or an archived group is
  refused, with the reason).
- ``progress_update_add`` – a dated progress update; the action's status becomes the status of its
  latest update (by date), so the history of statuses stays in the updates.
- ``strategic_agenda_create`` / ``key_message_add`` – the network's multi-year agenda and its key
  messages toward the national government, each optionally belonging to a pillar.
- ``demo_programmes_load`` – invented programmes and an agenda for a demonstration (idempotent).

Reads (selectors), a constant number of queries whatever the number of rows:
- ``pillars_of``, ``pillar_by_slug``, ``pillar_chairs``, ``pillar_bodies``
- ``programmes_current`` – public programmes with their public actions for the public, everything
  for members and the bureau (``include_members_only``).
- ``strategic_agenda_current``, ``key_messages_grouped``, ``pillar_key_messages``
- ``pillar_page`` – everything the public pillar page shows, split into public and members-only.
"""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from stedennet.governance.models import (
    Action,
    ActionStatus,
    Body,
    BodyKind,
    Goal,
    KeyMessage,
    Person,
    Position,
    ProgressUpdate,
    Role,
    StrategicAgenda,
    WorkProgramme,
)
from stedennet.governance.services import GovernanceRefused
from stedennet.registry.models import Network


class ProgrammeRefused(GovernanceRefused):
    """A change to a work programme or the strategic agenda that the rules do not allow; the
    message says why."""


# --- writes ------------------------------------------------------------------------------------

def _check_pillar(pillar: Body) -> None:
    if pillar.kind != BodyKind.PILLAR:
        raise ProgrammeRefused(_("%(body)s is not a pillar; work programmes belong to a pillar.") % {"body": pillar})
    if pillar.archived_at:
        raise ProgrammeRefused(_("%(body)s was archived on %(date)s.") % {"body": pillar, "date": pillar.archived_at})


def _check_period(start: datetime.date, end: datetime.date) -> None:
    if end < start:
        raise ProgrammeRefused(_("The period ends (%(end)s) before it starts (%(start)s).")
                               % {"start": start, "end": end})


@transaction.atomic
def work_programme_create(*, pillar: Body, title: str, period_start: datetime.date, period_end: datetime.date,
                          introduction: str = "", goals: list[str] | tuple[str, ...] = (), is_public: bool = False,
                          is_demo: bool = False) -> WorkProgramme:
    """A pillar's work programme for a period, with its goals numbered 1, 2, … in the given order."""
    _check_pillar(pillar)
    _check_period(period_start, period_end)
    programme = WorkProgramme(pillar=pillar, title=title, period_start=period_start, period_end=period_end,
                              introduction=introduction, is_public=is_public, is_demo=is_demo)
    programme.full_clean()
    programme.save()
    Goal.objects.bulk_create([Goal(programme=programme, number=number, text=text)
                              for number, text in enumerate(goals, start=1)])
    return programme


@transaction.atomic
def goal_add(*, programme: WorkProgramme, text: str) -> Goal:
    """A goal with the next number of the programme."""
    WorkProgramme.objects.select_for_update().get(pk=programme.pk)
    last = programme.goals.order_by("-number").values_list("number", flat=True).first() or 0
    goal = Goal(programme=programme, number=last + 1, text=text)
    goal.full_clean()
    goal.save()
    return goal


def _check_owner(programme: WorkProgramme, owner: Body | None) -> None:
    if owner is None:
        return
    if owner.kind != BodyKind.THEME_GROUP:
        raise ProgrammeRefused(_("%(body)s is not a theme group; an action is owned by a theme group of "
                                 "%(pillar)s.") % {"body": owner, "pillar": programme.pillar})
    if owner.parent_id != programme.pillar_id:
        other = owner.parent.name if owner.parent_id else _("no pillar")
        raise ProgrammeRefused(_("%(body)s belongs to %(other)s, not to %(pillar)s; an action is owned by a theme "
                                 "group of its programme's pillar.")
                               % {"body": owner, "other": other, "pillar": programme.pillar})
    if owner.archived_at:
        raise ProgrammeRefused(_("%(body)s was archived on %(date)s.") % {"body": owner, "date": owner.archived_at})


def _check_goal(programme: WorkProgramme, goal: Goal | None) -> None:
    if goal is not None and goal.programme_id != programme.pk:
        raise ProgrammeRefused(_("Goal %(number)s belongs to another work programme than %(programme)s.")
                               % {"number": goal.number, "programme": programme})


def action_add(*, programme: WorkProgramme, title: str, owner: Body | None = None, goal: Goal | None = None,
               description: str = "", status: str = ActionStatus.PLANNED, is_public: bool = False) -> Action:
    """An action of ``programme``, owned by one of the theme groups of the programme's pillar."""
    _check_owner(programme, owner)
    _check_goal(programme, goal)
    action = Action(programme=programme, title=title, owner=owner, goal=goal, description=description,
                    status=status, is_public=is_public)
    action.full_clean()
    action.save()
    return action


def action_set_owner(*, action: Action, owner: Body | None) -> Action:
    _check_owner(action.programme, owner)
    action.owner = owner
    action.save(update_fields=["owner"])
    return action


@transaction.atomic
def progress_update_add(*, action: Action, date: datetime.date, text: str, status: str,
                        author: Person | None = None) -> ProgressUpdate:
    """Record progress on ``action``. The action's status becomes the status of its latest update
    by date (normally this one; an update dated before an existing one is kept in the history
    without changing the current status). Earlier updates are never changed."""
    Action.objects.select_for_update().get(pk=action.pk)
    update = ProgressUpdate(action=action, date=date, text=text, status=status, author=author)
    update.full_clean()
    update.save()
    latest = action.updates.order_by("-date", "-pk").values_list("status", flat=True).first()
    if action.status != latest:
        action.status = latest
        action.save(update_fields=["status"])
    return update


def strategic_agenda_create(*, network: Network, title: str, period_start: datetime.date,
                            period_end: datetime.date, introduction: str = "", source: str = "",
                            is_public: bool = True) -> StrategicAgenda:
    _check_period(period_start, period_end)
    agenda = StrategicAgenda(network=network, title=title, period_start=period_start, period_end=period_end,
                             introduction=introduction, source=source, is_public=is_public)
    agenda.full_clean()
    agenda.save()
    return agenda


@transaction.atomic
def key_message_add(*, agenda: StrategicAgenda, text: str, pillar: Body | None = None) -> KeyMessage:
    """A key message with the next number of the agenda, optionally belonging to a pillar of the
    agenda's network."""
    StrategicAgenda.objects.select_for_update().get(pk=agenda.pk)
    if pillar is not None:
        if pillar.kind != BodyKind.PILLAR:
            raise ProgrammeRefused(_("%(body)s is not a pillar.") % {"body": pillar})
        if pillar.network_id != agenda.network_id:
            raise ProgrammeRefused(_("%(body)s is a pillar of another network.") % {"body": pillar})
    last = agenda.key_messages.order_by("-number").values_list("number", flat=True).first() or 0
    message = KeyMessage(agenda=agenda, pillar=pillar, number=last + 1, text=text)
    message.full_clean()
    message.save()
    return message


# --- reads -------------------------------------------------------------------------------------

def pillars_of(*, network: Network) -> QuerySet[Body]:
    """The network's pillars that are not archived, in their order."""
    return Body.objects.filter(network=network, kind=BodyKind.PILLAR, archived_at__isnull=True).order_by(
        "order", "name")


def pillar_by_slug(slug: str) -> Body | None:
    """The pillar with ``slug``, or None for another kind of body or an archived pillar."""
    return Body.objects.filter(slug=slug, kind=BodyKind.PILLAR, archived_at__isnull=True).first()


def pillar_bodies(*, pillar: Body) -> QuerySet[Body]:
    """The pillar's meetings (administrative and civil-service) and theme groups that are not
    archived, in their order."""
    return Body.objects.filter(parent=pillar, archived_at__isnull=True).order_by("order", "name")


CHAIR_ROLES = (Role.CHAIR, Role.VICE_CHAIR, Role.LEAD)  # a theme group is led by its lead (trekker)


def pillar_chairs(*, pillar: Body, day: datetime.date | None = None) -> list[Position]:
    """The chairs and vice-chairs in force on ``day`` of the pillar's meetings and theme groups
    (not archived); per body in the bodies' order, the chair before the vice-chair. One query."""
    positions = (
        Position.objects.on(day or timezone.localdate())
        .filter(body__parent=pillar, body__archived_at__isnull=True, role__in=CHAIR_ROLES)
        .select_related("person", "person__municipality", "on_behalf_of", "body")
    )
    order = {BodyKind.PILLAR_MEETING: 0, BodyKind.THEME_GROUP: 1}
    return sorted(positions, key=lambda p: (order.get(p.body.kind, 2), p.body.order, p.body.name, p.body_id,
                                            CHAIR_ROLES.index(p.role), p.person.name))


def _actions_with_latest_update() -> QuerySet[Action]:
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
    return (
        Action.objects.select_related("owner", "goal")
        .annotate(latest_update_date=Subquery(latest.values("date")[:1]),
                  latest_update_text=Subquery(latest.values("text")[:1]))
        .order_by("pk")
    )


def programmes_current(*, pillar: Body, include_members_only: bool = False,
                       day: datetime.date | None = None) -> list[WorkProgramme]:
    """The pillar's work programmes whose period includes ``day`` (today by default), newest
    first, with ``goals`` and ``actions`` prefetched (actions with their owner, goal and
    ``latest_update_date``/``latest_update_text``). For the public only public programmes and
    their public actions; with ``include_members_only`` (members and the bureau) everything.
    Three queries."""
    day = day or timezone.localdate()
    programmes = WorkProgramme.objects.filter(pillar=pillar, period_start__lte=day, period_end__gte=day)
    actions = _actions_with_latest_update()
    if not include_members_only:
        programmes = programmes.filter(is_public=True)
        actions = actions.filter(is_public=True)
    return list(
        programmes.order_by("-period_start", "pk").prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("number", "pk")),
            Prefetch("actions", queryset=actions),
        )
    )


def _current_agenda_filter(day: datetime.date) -> Q:
    return Q(is_public=True, period_start__lte=day, period_end__gte=day)


def strategic_agenda_current(*, network: Network, day: datetime.date | None = None) -> StrategicAgenda | None:
    """The public strategic agenda in force on ``day`` (today by default); the latest to start
    when periods overlap."""
    day = day or timezone.localdate()
    return (StrategicAgenda.objects.filter(_current_agenda_filter(day), network=network)
            .order_by("-period_start", "-pk").first())


@dataclass
class KeyMessageGroup:
    """The key messages of one pillar (``pillar`` None: of the network as a whole)."""

    pillar: Body | None
    messages: list[KeyMessage] = field(default_factory=list)


def key_messages_grouped(*, agenda: StrategicAgenda) -> list[KeyMessageGroup]:
    """The agenda's key messages grouped per pillar: the network-wide ones first, then per pillar
    in the pillars' order; by number within a group. One query."""
    messages = agenda.key_messages.select_related("pillar").order_by(
        "pillar__order", "pillar__name", "pillar_id", "number", "pk")
    groups: dict[int | None, KeyMessageGroup] = {None: KeyMessageGroup(pillar=None)}
    for message in messages:
        groups.setdefault(message.pillar_id, KeyMessageGroup(pillar=message.pillar)).messages.append(message)
    return [group for group in groups.values() if group.messages]


def pillar_key_messages(*, pillar: Body, day: datetime.date | None = None) -> list[KeyMessage]:
    """The key messages of the current public strategic agenda that belong to ``pillar``, with
    their agenda. One query."""
    day = day or timezone.localdate()
    current = (StrategicAgenda.objects.filter(_current_agenda_filter(day), network_id=pillar.network_id)
               .order_by("-period_start", "-pk").values("pk")[:1])
    return list(KeyMessage.objects.filter(agenda=Subquery(current), pillar=pillar).select_related("agenda")
                .order_by("number", "pk"))


def agenda_is_demo(agenda: StrategicAgenda | None) -> bool:
    """A strategic agenda has no demo flag of its own: an invented one says so in its title."""
    return bool(agenda) and agenda.title.upper().startswith("DEMO")


@dataclass
class ProgrammeBlock:
    """One programme as a page shows it: its goals and the actions in this section."""

    programme: WorkProgramme
    goals: list[Goal]
    actions: list[Action]
    whole: bool = True  # False: only the members-only actions of a public programme


@dataclass
class PillarPage:
    pillar: Body
    meetings: list[Body]
    theme_groups: list[Body]
    chairs: list[Position]
    programmes: list[ProgrammeBlock]
    members_only: list[ProgrammeBlock]
    key_messages: list[KeyMessage]
    agenda: StrategicAgenda | None
    agenda_is_demo: bool


def pillar_page(*, pillar: Body, include_members_only: bool = False, day: datetime.date | None = None) -> PillarPage:
    """What the pillar page shows. Public programmes with their public actions go in
    ``programmes``; for members and the bureau, non-public programmes and the non-public actions
    of public ones go in ``members_only``. Six queries whatever the number of groups, actions
    and updates."""
    day = day or timezone.localdate()
    bodies = list(pillar_bodies(pillar=pillar))
    public_blocks, members_blocks = [], []
    for programme in programmes_current(pillar=pillar, include_members_only=include_members_only, day=day):
        goals, actions = list(programme.goals.all()), list(programme.actions.all())
        if not programme.is_public:
            members_blocks.append(ProgrammeBlock(programme, goals, actions))
            continue
        public_blocks.append(ProgrammeBlock(programme, goals, [a for a in actions if a.is_public]))
        hidden = [a for a in actions if not a.is_public]
        if hidden:
            members_blocks.append(ProgrammeBlock(programme, goals, hidden, whole=False))
    key_messages = pillar_key_messages(pillar=pillar, day=day)
    agenda = key_messages[0].agenda if key_messages else None
    return PillarPage(
        pillar=pillar,
        meetings=[b for b in bodies if b.kind == BodyKind.PILLAR_MEETING],
        theme_groups=[b for b in bodies if b.kind == BodyKind.THEME_GROUP],
        chairs=pillar_chairs(pillar=pillar, day=day),
        programmes=public_blocks,
        members_only=members_blocks,
        key_messages=key_messages,
        agenda=agenda,
        agenda_is_demo=agenda_is_demo(agenda),
    )


# --- demo --------------------------------------------------------------------------------------

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
