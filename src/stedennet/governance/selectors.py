"""Governance reads: who sits in a body now and who sat there before, the groups of a person, the
theme groups per pillar, pending requests and vacancies. Each function is one query whatever the
number of rows. (What else a body's page lists comes from the apps built on governance: its
meetings and documents from ``meetings.selectors``, the actions it owns from
``programmes.selectors``.)"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, Exists, IntegerField, OuterRef, QuerySet, Value, When
from django.utils import timezone

from stedennet.governance.models import (
    Body,
    BodyKind,
    MembershipRequest,
    Person,
    Position,
    Role,
    Track,
)

# Chairs first, then vice-chairs, leads, secretaries, members.
ROLE_ORDER = Case(
    *(When(role=role, then=Value(index)) for index, role in enumerate(
        [Role.CHAIR, Role.VICE_CHAIR, Role.LEAD, Role.SECRETARY, Role.MEMBER])),
    default=Value(99),
    output_field=IntegerField(),
)


def body_members(*, body: Body, day: datetime.date | None = None) -> QuerySet[Position]:
    """The positions in force in ``body`` on ``day`` (today by default), with person, role and the
    municipality they act for; chairs first, then by name."""
    return (
        Position.objects.on(day or timezone.localdate())
        .filter(body=body)
        .select_related("person", "person__municipality", "on_behalf_of")
        .annotate(role_order=ROLE_ORDER)
        .order_by("role_order", "person__name", "pk")
    )


def body_history(*, body: Body) -> QuerySet[Position]:
    """Every position ever held in ``body``, ended ones included, oldest first, with whom each
    succeeded (``predecessor``): "who chaired it when"."""
    return (
        Position.objects.filter(body=body)
        .select_related("person", "on_behalf_of", "predecessor", "predecessor__person")
        .annotate(role_order=ROLE_ORDER)
        .order_by("start_date", "role_order", "person__name", "pk")
    )


def chairs_of(positions) -> list[Position]:
    """The chair positions among ``positions`` (for instance ``body_history``), oldest first; no query."""
    return [position for position in positions if position.role == Role.CHAIR]


def groups_of(*, person: Person, day: datetime.date | None = None) -> QuerySet[Position]:
    """The positions ``person`` holds on ``day`` (today by default), with their body and pillar."""
    return (
        Position.objects.on(day or timezone.localdate())
        .filter(person=person)
        .select_related("body", "body__parent", "on_behalf_of")
        .order_by("body__order", "body__name", "start_date")
    )


@dataclass
class PillarGroups:
    """A pillar (or None for theme groups without one) and its theme groups."""

    pillar: Body | None
    groups: list[Body] = field(default_factory=list)


def theme_groups_by_pillar(*, track: str = "") -> list[PillarGroups]:
    """The theme groups that are not archived, optionally of one track (administrative or
    civil service), grouped per pillar in the pillars' order. One query."""
    groups = Body.objects.filter(kind=BodyKind.THEME_GROUP, archived_at__isnull=True).select_related("parent")
    if track:
        groups = groups.filter(track=track)
    groups = groups.order_by("parent__order", "parent__name", "order", "name")
    result: list[PillarGroups] = []
    for group in groups:
        if not result or result[-1].pillar != group.parent:
            result.append(PillarGroups(pillar=group.parent))
        result[-1].groups.append(group)
    return result


def pending_requests(*, person: Person | None = None, body: Body | None = None) -> QuerySet[MembershipRequest]:
    """Requests to join closed theme groups that wait for the bureau, oldest first; optionally of
    one person or for one group."""
    requests = MembershipRequest.objects.filter(status=MembershipRequest.Status.PENDING).select_related(
        "person", "person__municipality", "body", "body__parent")
    if person is not None:
        requests = requests.filter(person=person)
    if body is not None:
        requests = requests.filter(body=body)
    return requests.order_by("requested_at", "pk")


def vacancies(*, network) -> list[Position]:
    """Ended positions in the administrative seats of bodies still in use, with a reason for
    ending and no successor (nor the same person back in the same body later). One query."""
    back_later = Position.objects.filter(body=OuterRef("body"), person=OuterRef("person"),
                                         start_date__gt=OuterRef("end_date"))
    return list(
        Position.objects.filter(body__network=network, body__track=Track.ADMINISTRATIVE,
                                body__archived_at__isnull=True, end_date__isnull=False)
        .exclude(end_reason="")
        .filter(~Exists(Position.objects.filter(predecessor=OuterRef("pk"))), ~Exists(back_later))
        .select_related("person", "person__municipality", "on_behalf_of", "body", "body__parent")
        .annotate(role_order=ROLE_ORDER)
        .order_by("body__order", "body__name", "body_id", "role_order", "-end_date", "person__name", "pk")
    )
