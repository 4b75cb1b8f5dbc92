"""Governance writes: the G40's bodies, positions with their rules, opting in and out of theme
groups, and the turnover after council elections. Every multi-step change is atomic."""

import datetime
import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.governance.models import (
    Body,
    BodyKind,
    MembershipRequest,
    Person,
    Position,
    Role,
    Track,
)
from stedennet.registry.models import Network
from stedennet.web.refusals import Refused

__all__ = [
    "GovernanceRefused",
    "SelfService",
    "Vacancy",
    "bodies_seed_load",
    "body_archive",
    "election_turnover",
    "position_assign",
    "position_end",
    "self_service_check",
    "theme_group_join",
    "theme_group_leave",
    "theme_group_request",
    "theme_group_request_decide",
    "vacancy_fill",
]

POSITION_ENDED = "governance.position_ended"  # the audit action of a term ended at the turnover
SEED = Path(__file__).resolve().parent / "data" / "g40_bodies.json"


class GovernanceRefused(Refused):
    """A change the rules of governance (and of meetings and work programmes, which build on it)
    do not allow; the message says why, ``code`` which rule (``self_service_check`` names them)."""


# --- bodies ------------------------------------------------------------------------------------

@transaction.atomic
def bodies_seed_load(*, network: Network, seed: Path | None = None) -> int:
    """The G40's bodies: boards, support team, coordinators, three pillars with their
    administrative and civil-service meetings, and the theme groups. Idempotent by slug."""
    data = json.loads((seed or SEED).read_text(encoding="utf-8"))
    created = 0

    def upsert(item: dict, parent: Body | None, order: int) -> Body:
        nonlocal created
        body, new = Body.objects.get_or_create(
            slug=item["slug"],
            defaults={
                "network": network, "name": item["name"], "short_name": item.get("short_name", ""),
                "kind": item["kind"], "track": item.get("track", ""), "parent": parent,
                "description": item.get("description", ""), "is_open": item.get("is_open", True), "order": order,
                "is_demo": item.get("is_demo", False),
            },
        )
        created += new
        for index, child in enumerate(item.get("children", [])):
            upsert(child, body, index)
        return body

    for index, item in enumerate(data["bodies"]):
        upsert(item, None, index)
    return created


def body_archive(*, body: Body, day: datetime.date) -> Body:
    body.archived_at = day
    body.save(update_fields=["archived_at"])
    return body


# --- positions ---------------------------------------------------------------------------------

def _check_track(person: Person, body: Body) -> None:
    if not body.track:
        raise GovernanceRefused(_("%(body)s is a pillar; positions are held in its administrative or civil-service "
                                  "meeting or in a theme group.") % {"body": body})
    if person.track != body.track:
        if body.track == Track.ADMINISTRATIVE:
            reason = _("%(body)s is an administrative body: it seats administrators (mayors and aldermen); "
                       "%(person)s is a %(function)s.")
        else:
            reason = _("%(body)s is a civil-service body: it seats civil servants; %(person)s is a %(function)s.")
        raise GovernanceRefused(reason % {"body": body, "person": person,
                                          "function": person.get_function_display().lower()})


@transaction.atomic
def position_assign(*, person: Person, body: Body, role: str = Role.MEMBER, start_date: datetime.date,
                    end_date: datetime.date | None = None, on_behalf_of=None, predecessor: Position | None = None,
                    note: str = "", by=None) -> Position:
    """Give ``person`` a position in ``body``. Refused when the person's kind does not match the
    body's (administrators vs civil servants), when they already hold a position there then, or
    when a chair's seat is taken. The new position is in the audit trail (``by``: who did it)."""
    Body.objects.select_for_update().get(pk=body.pk)
    if body.archived_at:
        raise GovernanceRefused(_("%(body)s was archived on %(date)s.") % {"body": body, "date": body.archived_at})
    _check_track(person, body)
    overlapping = Position.objects.filter(person=person, body=body).exclude(end_date__lt=start_date)
    if end_date:
        overlapping = overlapping.exclude(start_date__gt=end_date)
    if overlapping.exists():
        raise GovernanceRefused(_("%(person)s already holds a position in %(body)s then.")
                                % {"person": person, "body": body})
    if role in (Role.CHAIR, Role.VICE_CHAIR):
        taken = Position.objects.on(start_date).filter(body=body, role=role).first()
        if taken:
            raise GovernanceRefused(_("%(body)s already has a %(role)s on %(date)s: %(person)s.") % {
                "body": body, "role": Role(role).label.lower(), "date": start_date, "person": taken.person})
    position = Position(person=person, body=body, role=role, start_date=start_date, end_date=end_date,
                        on_behalf_of=on_behalf_of if on_behalf_of is not None else person.municipality,
                        predecessor=predecessor, note=note)
    position.full_clean()
    position.save()
    log(instance=position, action="wagtail.create", user=by)
    return position


def position_end(*, position: Position, day: datetime.date, reason: str = "") -> Position:
    if position.end_date is not None and position.end_date <= day:
        return position
    if day < position.start_date:
        raise GovernanceRefused(
            _("A position cannot end before it starts (%(start)s).") % {"start": position.start_date}
        )
    position.end_date = day
    position.end_reason = reason
    position.save(update_fields=["end_date", "end_reason"])
    return position


@dataclass
class Vacancy:
    """A seat left open: the ended position it was, in its body."""

    position: Position

    @property
    def body(self) -> Body:
        return self.position.body


@transaction.atomic
def election_turnover(*, network: Network, day: datetime.date, reason: str = "", by=None) -> list[Position]:
    """End, on ``day``, every current position of every administrator (mayors and aldermen) in
    the network's bodies. History is kept: the positions get an end date and a reason. Returns
    the ended positions, which are the vacancies to fill."""
    reason = reason or _("End of term after the municipal council elections")
    ended = list(
        Position.objects.select_for_update()
        .on(day)
        .filter(body__network=network, person__function__in=["mayor", "alderman"])
        .exclude(end_date=day)
        .select_related("person", "body")
    )
    for position in ended:
        position.end_date = day
        position.end_reason = reason
    Position.objects.bulk_update(ended, ["end_date", "end_reason"])
    for position in ended:
        log(instance=position, action=POSITION_ENDED, user=by, data={"end_date": day.isoformat(), "reason": reason})
    return ended


def vacancy_fill(*, vacancy: Position, person: Person, start_date: datetime.date, by=None) -> Position:
    """One step: the successor takes the ended position's role in the same body."""
    if vacancy.end_date is None:
        raise GovernanceRefused(_("This position is not vacant: %(position)s.") % {"position": vacancy})
    if vacancy.successors.exists():
        raise GovernanceRefused(_("This vacancy has already been filled."))
    if start_date <= vacancy.end_date:
        raise GovernanceRefused(_("The successor starts after %(date)s, when the seat became vacant.")
                                % {"date": vacancy.end_date})
    return position_assign(person=person, body=vacancy.body, role=vacancy.role, start_date=start_date,
                           predecessor=vacancy, on_behalf_of=person.municipality, by=by)


# --- opting in and out of theme groups ------------------------------------------------------

class SelfService:
    """What a person does to their own seat: join an open theme group, leave one, ask to join a
    closed one. Only theme groups allow it; every other body's seats are given and ended by the
    bureau (``position_assign``, ``position_end``, the turnover)."""

    JOIN = "join"
    LEAVE = "leave"
    REQUEST = "request"


def self_service_check(*, person: Person, body: Body, action: str, day: datetime.date | None = None) -> None:
    """The one rule for joining, leaving and asking to join, checked by the three services below
    (and used by the pages to decide which buttons to show). Refusals carry a code:
    ``not_theme_group``, ``archived``, ``track``, ``closed``, ``open``, ``already_member``,
    ``already_requested``, ``not_member``."""
    if body.kind != BodyKind.THEME_GROUP:
        raise GovernanceRefused(
            _("Only theme groups are joined and left by oneself; the seats of %(body)s are given and ended "
              "by the network bureau.") % {"body": body}, code="not_theme_group")
    if body.archived_at:
        raise GovernanceRefused(_("%(body)s was archived on %(date)s.") % {"body": body, "date": body.archived_at},
                                code="archived")
    day = day or timezone.localdate()
    seated = Position.objects.on(day).filter(person=person, body=body).exists()
    if action == SelfService.LEAVE:
        if not seated:
            raise GovernanceRefused(_("%(person)s is not in %(body)s.") % {"person": person, "body": body},
                                    code="not_member")
        return
    try:
        _check_track(person, body)
    except GovernanceRefused as refused:
        raise GovernanceRefused(refused.messages[0], code="track") from None
    if seated:
        raise GovernanceRefused(_("%(person)s is already in %(body)s.") % {"person": person, "body": body},
                                code="already_member")
    if action == SelfService.JOIN and not body.is_open:
        raise GovernanceRefused(_("%(body)s is closed: ask to join, and the bureau decides.") % {"body": body},
                                code="closed")
    if action == SelfService.REQUEST:
        if body.is_open:
            raise GovernanceRefused(_("%(body)s is open: join it yourself.") % {"body": body}, code="open")
        if MembershipRequest.objects.filter(person=person, body=body,
                                            status=MembershipRequest.Status.PENDING).exists():
            raise GovernanceRefused(_("A request to join %(body)s is already waiting for the bureau.")
                                    % {"body": body}, code="already_requested")


def theme_group_join(*, person: Person, body: Body, day: datetime.date | None = None) -> Position:
    """An administrator or civil servant joins an open theme group of their kind."""
    day = day or timezone.localdate()
    self_service_check(person=person, body=body, action=SelfService.JOIN, day=day)
    return position_assign(person=person, body=body, role=Role.MEMBER, start_date=day)


def theme_group_leave(*, person: Person, body: Body, day: datetime.date | None = None) -> Position:
    """A member leaves a theme group (never another body: those seats are the bureau's)."""
    day = day or timezone.localdate()
    self_service_check(person=person, body=body, action=SelfService.LEAVE, day=day)
    position = Position.objects.on(day).filter(person=person, body=body).first()
    # Leaving today means the membership ended yesterday (a position that starts today simply ends today).
    return position_end(position=position, day=max(position.start_date, day - datetime.timedelta(days=1)),
                        reason=_("Left the group"))


def theme_group_request(*, person: Person, body: Body, motivation: str = "") -> MembershipRequest:
    """A request to join a closed theme group, for the bureau to decide, with the person's motivation."""
    self_service_check(person=person, body=body, action=SelfService.REQUEST)
    return MembershipRequest.objects.create(person=person, body=body, motivation=(motivation or "").strip())


@transaction.atomic
def theme_group_request_decide(*, request: MembershipRequest, approve: bool, by, day: datetime.date | None = None
                               ) -> MembershipRequest:
    request = MembershipRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != MembershipRequest.Status.PENDING:
        raise GovernanceRefused(_("This request was already decided."))
    request.status = MembershipRequest.Status.APPROVED if approve else MembershipRequest.Status.DECLINED
    request.decided_at = timezone.now()
    request.decided_by = by
    request.save(update_fields=["status", "decided_at", "decided_by"])
    if approve:
        position_assign(person=request.person, body=request.body, role=Role.MEMBER,
                        start_date=day or timezone.localdate(), by=by)
    return request
