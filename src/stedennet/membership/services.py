"""Membership writes.

Flows owned here:
- recording a membership period, refusing overlaps (``membership_period_create``);
- loading a network from its seed file: municipalities, population figures, members with
  their join dates, partners (``network_seed_load``). Idempotent: a second run changes nothing.
"""

import csv
import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from stedennet.membership.models import MembershipPeriod
from stedennet.registry import services as registry_services
from stedennet.registry.models import Municipality, Network, PopulationFigure
from stedennet.registry.selectors import DATA_DIR as REGISTRY_DATA_DIR
from stedennet.site.cache import REGISTRY, data_changed

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
    return report
