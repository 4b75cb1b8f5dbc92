"""Membership reads: who is a member on a date, with their current population."""

import datetime

from django.db.models import F, QuerySet

from stedennet.membership.models import MembershipPeriod
from stedennet.registry.models import Municipality, Network
from stedennet.registry.selectors import population_latest_subqueries

MEMBER_SORTS = {
    "name": ("municipality__name",),
    "population": ("population",),
    "member_since": ("start_date",),
}


def members_on(*, network: Network, day: datetime.date, sort: str = "name", descending: bool = False
               ) -> QuerySet[MembershipPeriod]:
    """The membership periods in force on ``day``, one per member, with the municipality,
    its province and its latest population figure known on that day (three subqueries, so
    one SQL query whatever the number of members)."""
    fields = MEMBER_SORTS.get(sort, MEMBER_SORTS["name"])
    order = [
        (F(f).desc(nulls_last=True) if descending else F(f).asc(nulls_first=True))
        for f in fields
    ]
    return (
        MembershipPeriod.objects.on(day)
        .filter(network=network)
        .select_related("municipality", "municipality__province")
        .annotate(**population_latest_subqueries(day=day))
        .order_by(*order, "municipality__name")
    )


def member_count(*, network: Network, day: datetime.date) -> int:
    return MembershipPeriod.objects.on(day).filter(network=network).count()


def member_codes(*, network: Network, day: datetime.date) -> set[str]:
    return set(
        MembershipPeriod.objects.on(day).filter(network=network).values_list("municipality__cbs_code", flat=True)
    )


def membership_history(*, network: Network, municipality: Municipality) -> QuerySet[MembershipPeriod]:
    return MembershipPeriod.objects.filter(network=network, municipality=municipality).order_by(
        F("start_date").asc(nulls_first=True)
    )
