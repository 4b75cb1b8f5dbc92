"""Work programmes, the strategic agenda and the pillars they belong to: the reads, a constant
number of queries whatever the number of rows.

- ``pillars_of``, ``pillar_by_slug``, ``pillar_chairs``, ``pillar_bodies``
- ``with_goals_and_actions`` (a queryset of programmes with goals and actions, for the pages and the API),
  ``programmes_current`` – public programmes with their public actions for the public, everything
  for members and the bureau (``include_members_only``).
- ``strategic_agenda_current``, ``key_messages_grouped``, ``pillar_key_messages``
- ``pillar_page`` – everything the public pillar page shows, split into public and members-only.
- ``body_actions`` – the actions a theme group owns (its page in governance shows them).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone

from stedennet.governance.models import Body, BodyKind, Position, Role
from stedennet.programmes.models import Action, Goal, KeyMessage, ProgressUpdate, StrategicAgenda, WorkProgramme
from stedennet.registry.models import Network


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


def with_goals_and_actions(programmes: QuerySet[WorkProgramme], *,
                           include_members_only: bool) -> QuerySet[WorkProgramme]:
    """``programmes`` newest period first, with ``goals`` and ``actions`` prefetched (actions with
    their owner, goal and ``latest_update_date``/``latest_update_text``). For the public only public
    programmes and their public actions; with ``include_members_only`` (members and the bureau)
    everything. Three queries, whatever the number of goals and actions."""
    latest = ProgressUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
    actions = (Action.objects.select_related("owner", "goal")
               .annotate(latest_update_date=Subquery(latest.values("date")[:1]),
                         latest_update_text=Subquery(latest.values("text")[:1]))
               .order_by("pk"))
    if not include_members_only:
        programmes = programmes.filter(is_public=True)
        actions = actions.filter(is_public=True)
    return programmes.order_by("-period_start", "pk").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("number", "pk")),
        Prefetch("actions", queryset=actions),
    )


def programmes_current(*, pillar: Body, include_members_only: bool = False,
                       day: datetime.date | None = None) -> list[WorkProgramme]:
    """The pillar's work programmes whose period includes ``day`` (today by default), as
    ``with_goals_and_actions`` gives them."""
    day = day or timezone.localdate()
    programmes = WorkProgramme.objects.filter(pillar=pillar, period_start__lte=day, period_end__gte=day)
    return list(with_goals_and_actions(programmes, include_members_only=include_members_only))


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


def body_actions(*, body: Body) -> QuerySet[Action]:
    """The work-programme actions owned by ``body`` (a theme group), with their programme."""
    return (
        Action.objects.filter(owner=body)
        .select_related("programme", "programme__pillar", "goal")
        .order_by("-programme__period_start", "programme_id", "pk")
    )
