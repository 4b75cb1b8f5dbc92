"""Work programmes and the strategic agenda: the writes.

- ``work_programme_create`` – a pillar's programme for a period, with its goals.
- ``goal_add`` – a numbered goal of a programme.
- ``action_add`` / ``action_set_owner`` – an action of a programme, owned by one of *that pillar's*
  theme groups (another pillar's group, a body that is not a theme group or an archived group is
  refused, with the reason).
- ``progress_update_add`` – a dated progress update; the action's status becomes the status of its
  latest update (by date), so the history of statuses stays in the updates.
- ``strategic_agenda_create`` / ``key_message_add`` – the network's multi-year agenda and its key
  messages toward the national government, each optionally belonging to a pillar.

Refusals are ``ProgrammeRefused`` (a ``governance.services.GovernanceRefused``, so a
``web.refusals.Refused``). The reads are in ``programmes.selectors``, the demo set in
``programmes.demo``.
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from stedennet.governance.models import Body, BodyKind, Person
from stedennet.governance.services import GovernanceRefused
from stedennet.programmes.models import (
    Action,
    ActionStatus,
    Goal,
    KeyMessage,
    ProgressUpdate,
    StrategicAgenda,
    WorkProgramme,
)
from stedennet.registry.models import Network

__all__ = [
    "ProgrammeRefused",
    "action_add",
    "action_set_owner",
    "goal_add",
    "key_message_add",
    "progress_update_add",
    "strategic_agenda_create",
    "work_programme_create",
]


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
