"""Membership reads: who is a member on a date, with their current population; a member's
history and procedures."""

import datetime

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext as _

from stedennet.membership.constants import StepKind
from stedennet.membership.models import MembershipPeriod, MembershipProcedure, ProcedureStep
from stedennet.registry.models import Municipality, Network, Succession
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


def member_timeline(*, network: Network, municipality: Municipality) -> list[dict]:
    """Every dated step of a municipality's membership, oldest first: procedure steps with their
    documents, the start and end of each period, mergers. Four queries, whatever the history."""
    events = []
    steps = list(
        ProcedureStep.objects.filter(procedure__network=network, procedure__municipality=municipality)
        .select_related("document").order_by("date", "pk")
    )
    covered = set()
    for step in steps:
        if step.kind == StepKind.EFFECTIVE:
            covered.add(("start", step.date))
        if step.kind == StepKind.ENDED:
            covered.add(("end", step.date))
        events.append({
            "date": step.date, "kind": step.kind, "label": step.get_kind_display(), "text": step.note,
            "reference": step.reference, "url": step.url,
            "document_url": step.document.url if step.document_id else "",
            "document_title": step.document.title if step.document_id else "",
        })
    for period in membership_history(network=network, municipality=municipality):
        if ("start", period.start_date) not in covered:
            events.append({"date": period.start_date, "kind": "start", "label": _("Member"),
                           "text": period.note, "reference": period.source, "url": "", "document_url": ""})
        if period.end_date and ("end", period.end_date) not in covered:
            events.append({"date": period.end_date, "kind": "end", "label": _("Membership ends"),
                           "text": period.note, "reference": period.source, "url": "", "document_url": ""})
    for succession in Succession.objects.filter(
        Q(predecessor=municipality) | Q(successor=municipality)
    ).select_related("predecessor", "successor"):
        if succession.predecessor_id == municipality.pk:
            text = _("Merged into %(name)s.") % {"name": succession.successor}
        else:
            text = _("Successor of %(name)s.") % {"name": succession.predecessor}
        events.append({"date": succession.date, "kind": "succession", "label": _("Merger"), "text": text,
                       "reference": succession.source, "url": "", "document_url": ""})
    events.sort(key=lambda e: (e["date"] is not None, e["date"] or datetime.date.min))
    return events


def procedures_of(*, network: Network, municipality: Municipality) -> QuerySet[MembershipProcedure]:
    """A municipality's admission and resignation procedures, oldest first."""
    return MembershipProcedure.objects.filter(network=network, municipality=municipality).order_by("created_at")


def procedure_steps(procedure: MembershipProcedure) -> list[ProcedureStep]:
    """The steps of a procedure in order, with their documents (one query)."""
    return list(procedure.steps.select_related("document"))
