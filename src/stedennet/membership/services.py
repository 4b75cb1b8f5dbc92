"""Membership writes.

Flows owned here:
- recording a membership period, refusing overlaps (``membership_period_create``);
- admission, resignation and merger procedures, each step with its document; a status changes only
  through ``procedure_transition`` (``constants.TRANSITIONS``) and every step is in the audit trail;
- loading a network from its seed file: municipalities, population figures, members with
  their join dates, partners (``network_seed_load``). Idempotent: a second run changes nothing.
"""

import calendar
import csv
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.membership.constants import (
    INITIAL,
    LOG_APPLIED,
    LOG_DECIDED,
    LOG_EFFECTIVE,
    LOG_MERGED,
    LOG_NOTICE,
    LOG_WITHDRAWN,
    UNDER_WAY,
    ProcedureKind,
    ProcedureStatus,
    StepKind,
    allowed,
)
from stedennet.membership.models import (
    MembershipPeriod,
    MembershipProcedure,
    MembershipRules,
    ProcedureStep,
)
from stedennet.registry import services as registry_services
from stedennet.registry.models import Municipality, Network, PopulationFigure, Succession
from stedennet.registry.selectors import DATA_DIR as REGISTRY_DATA_DIR
from stedennet.web.cache import REGISTRY, data_changed
from stedennet.web.refusals import Refused

__all__ = [
    "ProcedureRefused",
    "SeedReport",
    "admission_apply",
    "admission_decide",
    "admission_effective",
    "admission_withdraw",
    "membership_period_create",
    "membership_rules",
    "municipalities_merge",
    "network_seed_load",
    "procedure_transition",
    "procedures_seed_load",
    "resignation_end_date",
    "resignation_notice",
]

SEED_DIR = Path(__file__).resolve().parent / "data"


@transaction.atomic
def membership_period_create(
    *,
    network: Network,
    municipality: Municipality,
    start_date: datetime.date | None,
    end_date: datetime.date | None = None,
    note: str = "",
    source: str = "",
) -> MembershipPeriod:
    """Record a membership period; refuses one that overlaps another period of the same city."""
    # Lock the municipality row so two concurrent writers cannot both pass the overlap check.
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    period = MembershipPeriod(network=network, municipality=municipality, start_date=start_date,
                              end_date=end_date, note=note, source=source)
    period.full_clean()
    period.save()
    return period


@dataclass
class SeedReport:
    municipalities_created: int = 0
    municipalities_updated: int = 0
    figures_added: int = 0
    figures_changed: int = 0
    periods_created: int = 0
    partners: int = 0
    members: int = 0
    warnings: list[str] = field(default_factory=list)
    network: Network | None = None


@transaction.atomic
def network_seed_load(*, seed: Path | None = None) -> SeedReport:
    """Load or update a network from a seed file (default: the G40, ``data/g40.json``)."""
    seed = seed or SEED_DIR / "g40.json"
    data = json.loads(seed.read_text(encoding="utf-8"))
    report = SeedReport()

    with (REGISTRY_DATA_DIR / "municipalities_2024.csv").open(encoding="utf-8") as fh:
        report.municipalities_created, report.municipalities_updated = registry_services.municipalities_load(
            rows=csv.DictReader(fh)
        )
    municipalities = {m.cbs_code: m for m in Municipality.objects.all()}

    current = {
        (f.municipality_id, f.reference_date, f.source): f for f in PopulationFigure.objects.current()
    }
    new_figures: list[PopulationFigure] = []
    with (REGISTRY_DATA_DIR / "population.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            municipality = municipalities[row["cbs_code"]]
            day = datetime.date.fromisoformat(row["reference_date"])
            _, outcome = registry_services.population_figure_record(
                municipality=municipality,
                reference_date=day,
                inhabitants=int(row["inhabitants"]),
                source=row["source"],
                source_note=row["source_note"],
                source_url=row["source_url"],
                current=current.get((municipality.pk, day, row["source"])),
                looked_up=True,
                defer_new=new_figures,
            )
            report.figures_added += outcome == "added"
            report.figures_changed += outcome == "changed"
    PopulationFigure.objects.bulk_create(new_figures)
    if new_figures:
        data_changed(REGISTRY)

    network = registry_services.network_upsert(
        slug=data["slug"], name=data["name"], short_name=data["short_name"],
        website=data.get("website", ""), description=data.get("description", ""),
    )
    # The network's look (colour, footer) only where the bureau has not set its own.
    registry_services.network_theme_seed(network=network, theme=data.get("theme", {}))
    periods = {}
    for period in MembershipPeriod.objects.filter(network=network):
        periods.setdefault(period.municipality_id, []).append(period)
    for member in data["members"]:
        municipality = municipalities[member["cbs_code"]]
        if member.get("common_name"):
            registry_services.municipality_set_common_name(
                municipality=municipality, common_name=member["common_name"]
            )
        start = datetime.date.fromisoformat(member["member_since"]) if member.get("member_since") else None
        existing = periods.get(municipality.pk, [])
        report.members += 1
        if any(p.start_date == start for p in existing):
            continue
        if existing:
            # The seed disagrees with what the bureau recorded: history is theirs, we only say so.
            report.warnings.append(
                f"{municipality.cbs_code} {municipality}: seed says member since {start or 'unknown'}, "
                f"the registry has {', '.join(str(p) for p in existing)}; left unchanged"
            )
            continue
        membership_period_create(
            network=network, municipality=municipality, start_date=start,
            note=member.get("note", ""), source=member.get("source", ""),
        )
        report.periods_created += 1

    for partner in data["partners"]:
        municipality = municipalities.get(partner["cbs_code"]) if partner.get("cbs_code") else None
        if municipality and partner.get("common_name"):
            registry_services.municipality_set_common_name(
                municipality=municipality, common_name=partner["common_name"]
            )
        registry_services.partner_upsert(
            network=network, name=partner["name"], short_name=partner.get("short_name", ""),
            kind=partner["kind"], municipality=municipality, website=partner.get("website", ""),
            source=partner.get("source", ""),
        )
        report.partners += 1
    report.network = network
    return report


# --- admission, resignation, merger ------------------------------------------------------------

class ProcedureRefused(Refused):
    """A step that the procedure does not allow; ``code`` says which rule, ``field`` which input
    (``municipality`` or ``date``), the message why."""


def _transition_check(procedure: MembershipProcedure, status: str) -> None:
    """Refuse a move to ``status`` that ``constants.TRANSITIONS`` does not allow (code ``transition``),
    saying what the step needs (the message depends on the status it was to move to)."""
    if allowed(procedure.status, status):
        return
    now = {"status": procedure.get_status_display()}
    if status in (ProcedureStatus.APPROVED, ProcedureStatus.REJECTED):
        message = _("The board can only decide on an application awaiting it; this one is: %(status)s.") % now
    elif status == ProcedureStatus.WITHDRAWN:
        message = _("Only an application under way can be withdrawn; this one is: %(status)s.") % now
    elif status == ProcedureStatus.EFFECTIVE:
        message = _("Membership can only take effect after the board approved; this procedure is: "
                    "%(status)s.") % now
    else:
        message = _("A procedure that is %(status)s cannot change.") % now
    raise ProcedureRefused(message, "transition")


def procedure_transition(procedure: MembershipProcedure, status: str, **fields) -> MembershipProcedure:
    """Move ``procedure`` to ``status`` as ``constants.TRANSITIONS`` allows (else ``ProcedureRefused``
    with code ``transition``), saving ``fields`` with it; the only place a status changes."""
    _transition_check(procedure, status)
    procedure.status = status
    for name, value in fields.items():
        setattr(procedure, name, value)
    procedure.save(update_fields=["status", *fields])
    return procedure


def _step(procedure: MembershipProcedure, kind: str, date: datetime.date, *, reference: str = "", url: str = "",
          document=None, note: str = "") -> ProcedureStep:
    step = ProcedureStep(procedure=procedure, kind=kind, date=date, reference=reference, url=url,
                         document=document, note=note)
    step.full_clean(exclude=["procedure"])
    step.save()
    return step


def _last_step(procedure: MembershipProcedure, *kinds: str) -> ProcedureStep | None:
    return procedure.steps.filter(kind__in=kinds).order_by("-date", "-pk").first()


def _locked(procedure: MembershipProcedure) -> MembershipProcedure:
    """The procedure read again and locked: one step at a time, judged on the status it has now."""
    return (MembershipProcedure.objects.select_for_update(of=("self",)).select_related("municipality")
            .get(pk=procedure.pk))


def _log(procedure: MembershipProcedure, action: str, user, step: ProcedureStep) -> None:
    log(instance=procedure, action=action, user=user, data={
        "municipality": procedure.municipality.cbs_code, "status": procedure.status, "step": step.kind,
        "date": step.date.isoformat(), "reference": step.reference})


@transaction.atomic
def admission_apply(
    *, network: Network, municipality: Municipality, date: datetime.date, user=None, **document
) -> MembershipProcedure:
    """The applying city's college decides to apply for membership."""
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    if MembershipPeriod.objects.on(date).filter(network=network, municipality=municipality).exists():
        raise ProcedureRefused(_("%(name)s is already a member on %(date)s.") % {"name": municipality, "date": date},
                               "already_member", field="municipality")
    open_procedure = MembershipProcedure.objects.filter(
        network=network, municipality=municipality, kind=ProcedureKind.ADMISSION, status__in=UNDER_WAY).first()
    if open_procedure:
        raise ProcedureRefused(_("%(name)s already has an admission procedure under way.") % {"name": municipality},
                               "under_way", field="municipality")
    procedure = MembershipProcedure.objects.create(network=network, municipality=municipality,
                                                   kind=ProcedureKind.ADMISSION,
                                                   status=INITIAL[ProcedureKind.ADMISSION])
    step = _step(procedure, StepKind.COLLEGE_DECISION, date, **document)
    _log(procedure, LOG_APPLIED, user, step)
    return procedure


@transaction.atomic
def admission_decide(*, procedure: MembershipProcedure, approve: bool, date: datetime.date, user=None,
                     **document) -> MembershipProcedure:
    """The network's board approves or rejects, and informs the city by letter."""
    procedure = _locked(procedure)
    status = ProcedureStatus.APPROVED if approve else ProcedureStatus.REJECTED
    _transition_check(procedure, status)
    applied = _last_step(procedure, StepKind.COLLEGE_DECISION)
    if applied and date < applied.date:
        raise ProcedureRefused(_("The board's decision (%(date)s) cannot precede the application (%(applied)s).")
                               % {"date": date, "applied": applied.date}, "date_before_application", field="date")
    step = _step(procedure, StepKind.BOARD_APPROVAL if approve else StepKind.BOARD_REJECTION, date, **document)
    procedure_transition(procedure, status)
    _log(procedure, LOG_DECIDED, user, step)
    return procedure


@transaction.atomic
def admission_withdraw(*, procedure: MembershipProcedure, date: datetime.date, user=None,
                       **document) -> MembershipProcedure:
    procedure = _locked(procedure)
    _transition_check(procedure, ProcedureStatus.WITHDRAWN)
    step = _step(procedure, StepKind.WITHDRAWAL, date, **document)
    procedure_transition(procedure, ProcedureStatus.WITHDRAWN)
    _log(procedure, LOG_WITHDRAWN, user, step)
    return procedure


@transaction.atomic
def admission_effective(*, procedure: MembershipProcedure, date: datetime.date, user=None,
                        **document) -> MembershipPeriod:
    """Membership takes effect: the membership period starts on ``date`` (never before the
    board's decision)."""
    procedure = _locked(procedure)
    _transition_check(procedure, ProcedureStatus.EFFECTIVE)
    approval = _last_step(procedure, StepKind.BOARD_APPROVAL)
    if approval and date < approval.date:
        raise ProcedureRefused(
            _("The effective date %(date)s lies before the board's decision of %(decided)s.")
            % {"date": date, "decided": approval.date}, "date_before_approval", field="date")
    period = MembershipPeriod.objects.filter(network=procedure.network, municipality=procedure.municipality,
                                             start_date=date).first()
    if period is None:
        period = membership_period_create(network=procedure.network, municipality=procedure.municipality,
                                          start_date=date, source=document.get("reference", ""))
    step = _step(procedure, StepKind.EFFECTIVE, date, **document)
    procedure_transition(procedure, ProcedureStatus.EFFECTIVE, period=period)
    _log(procedure, LOG_EFFECTIVE, user, step)
    return period


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(day.day, last))


def resignation_end_date(*, notice_date: datetime.date, rules: MembershipRules) -> datetime.date:
    """The last day of membership: the end of the first financial year that ends at least
    ``rules.notice_months`` after the notice (membership runs to the end of that day)."""
    earliest = _add_months(notice_date, rules.notice_months) - datetime.timedelta(days=1)
    start_month = rules.financial_year_start_month
    # The financial year ending in calendar year Y ends the day before (Y, start_month, 1) when start_month > 1.
    for year in range(earliest.year, earliest.year + 3):
        end = (datetime.date(year, 12, 31) if start_month == 1
               else datetime.date(year, start_month, 1) - datetime.timedelta(days=1))
        if end >= earliest:
            return end
    raise AssertionError("unreachable")


def membership_rules(network: Network) -> MembershipRules:
    rules, _created = MembershipRules.objects.get_or_create(network=network)
    return rules


@transaction.atomic
def resignation_notice(*, network: Network, municipality: Municipality, notice_date: datetime.date, user=None,
                       **document) -> MembershipProcedure:
    """A member gives notice; the end date follows from the network's rules and ends its period."""
    Municipality.objects.select_for_update().get(pk=municipality.pk)
    period = MembershipPeriod.objects.on(notice_date).filter(network=network, municipality=municipality).first()
    if period is None:
        raise ProcedureRefused(_("%(name)s is not a member on %(date)s.") % {"name": municipality, "date": notice_date},
                               "not_a_member", field="municipality")
    if period.end_date is not None:
        raise ProcedureRefused(_("The membership of %(name)s already ends on %(end)s.")
                               % {"name": municipality, "end": period.end_date}, "already_ends", field="municipality")
    end = resignation_end_date(notice_date=notice_date, rules=membership_rules(network))
    period.end_date = end
    period.full_clean()
    period.save(update_fields=["end_date"])
    procedure = MembershipProcedure.objects.create(network=network, municipality=municipality, period=period,
                                                   kind=ProcedureKind.RESIGNATION,
                                                   status=INITIAL[ProcedureKind.RESIGNATION])
    step = _step(procedure, StepKind.NOTICE, notice_date, **document)
    _step(procedure, StepKind.ENDED, end, note=_("By the network's rule: the end of the financial year at least "
                                                  "%(months)s months after the notice.")
          % {"months": membership_rules(network).notice_months})
    _log(procedure, LOG_NOTICE, user, step)
    return procedure


@transaction.atomic
def municipalities_merge(*, network: Network, predecessors: list[Municipality], successor: Municipality,
                         date: datetime.date, source: str = "", user=None) -> MembershipPeriod | None:
    """Municipalities merge on ``date``: the predecessors' memberships end the day before and
    the successor becomes a member from ``date`` if any predecessor was one. History stays."""
    if successor in predecessors:
        raise ProcedureRefused(_("A municipality cannot succeed itself."), "succeeds_itself")
    day_before = date - datetime.timedelta(days=1)
    was_member = False
    for predecessor in predecessors:
        Succession.objects.get_or_create(predecessor=predecessor, successor=successor,
                                         defaults={"date": date, "source": source})
        period = MembershipPeriod.objects.on(day_before).filter(network=network, municipality=predecessor).first()
        if period is None:
            continue
        was_member = True
        if period.end_date is None or period.end_date > day_before:
            period.end_date = day_before
            period.note = (period.note + " " if period.note else "") + _("Merged into %(successor)s.") % {
                "successor": successor}
            period.full_clean()
            period.save(update_fields=["end_date", "note"])
    log(instance=successor, action=LOG_MERGED, user=user, data={
        "date": date.isoformat(), "predecessors": [p.cbs_code for p in predecessors], "source": source})
    if not was_member or MembershipPeriod.objects.on(date).filter(network=network, municipality=successor).exists():
        return None
    names = ", ".join(str(p) for p in predecessors)
    return membership_period_create(network=network, municipality=successor, start_date=date,
                                    note=_("Successor of %(names)s.") % {"names": names}, source=source)


def procedures_seed_load(*, network: Network, data: dict) -> tuple[int, MembershipRules]:
    """The seed's dated procedures (Amstelveen's admission) and the membership rules.
    Idempotent: a procedure already recorded for a municipality is left as the bureau keeps it."""
    rules_data = data.get("membership_rules", {})
    rules, _created = MembershipRules.objects.get_or_create(network=network, defaults=rules_data)
    loaded = 0
    for item in data.get("procedures", []):
        municipality = Municipality.objects.get(cbs_code=item["cbs_code"])
        if MembershipProcedure.objects.filter(network=network, municipality=municipality, kind=item["kind"]).exists():
            continue
        steps = {s["kind"]: s for s in item["steps"]}
        docs = {k: {"reference": s.get("reference", ""), "url": s.get("url", "")} for k, s in steps.items()}
        day = datetime.date.fromisoformat
        procedure = admission_apply(network=network, municipality=municipality,
                                    date=day(steps[StepKind.COLLEGE_DECISION]["date"]),
                                    **docs[StepKind.COLLEGE_DECISION])
        if StepKind.BOARD_APPROVAL in steps:
            admission_decide(procedure=procedure, approve=True, date=day(steps[StepKind.BOARD_APPROVAL]["date"]),
                             **docs[StepKind.BOARD_APPROVAL])
            if StepKind.EFFECTIVE in steps:
                admission_effective(procedure=procedure, date=day(steps[StepKind.EFFECTIVE]["date"]),
                                    **docs[StepKind.EFFECTIVE])
        loaded += 1
    return loaded, rules
