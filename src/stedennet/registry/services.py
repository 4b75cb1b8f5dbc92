"""Registry writes.

Flows owned here:
- loading the reference list of municipalities and provinces (``municipalities_load``);
- recording population figures without ever overwriting one (``population_figure_record``);
- importing a CSV of population figures, all or nothing, with a report of what changed
  (``population_import``; parsing and validation in ``population_csv_parse``);
- keeping the network and its partner organisations up to date (``network_upsert``,
  ``partner_upsert``).
"""

import csv
import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stedennet.registry.constants import CBS_CODE_REGEX, PartnerKind, PopulationSource
from stedennet.registry.models import Municipality, Network, PartnerOrganisation, PopulationFigure, Province
from stedennet.site.cache import REGISTRY, data_changed

_CBS_CODE = re.compile(CBS_CODE_REGEX)
_POPULATION_COLUMNS = ("inhabitants", "population", "inwoners", "inwonertal")


class ImportRejected(Exception):
    """A file was refused; ``errors`` holds ``(line, reason)`` pairs, every bad row of the file."""

    def __init__(self, path: Path, errors: list[tuple[int, str]]):
        self.path = path
        self.errors = errors
        super().__init__("\n".join(f"{path}:{line}: {reason}" for line, reason in errors))


@dataclass
class PopulationChange:
    municipality: Municipality
    old: int | None
    new: int


@dataclass
class PopulationImportReport:
    added: list[PopulationChange] = field(default_factory=list)
    changed: list[PopulationChange] = field(default_factory=list)
    unchanged: int = 0


def _unique_slug(name: str, code: str, taken: set[str]) -> str:
    slug = slugify(name) or code.lower()
    if slug in taken:
        slug = f"{slug}-{code.lower()}"
    taken.add(slug)
    return slug


@transaction.atomic
def municipalities_load(*, rows: Iterable[dict[str, str]]) -> tuple[int, int]:
    """Create or update provinces and municipalities from rows with ``cbs_code``, ``name``,
    ``province_code`` and ``province``. Returns (created, updated)."""
    provinces = {p.code: p for p in Province.objects.all()}
    existing = {m.cbs_code: m for m in Municipality.objects.all()}
    taken = {m.slug for m in existing.values()}
    new: list[Municipality] = []
    updated = 0
    for row in rows:
        code = row["cbs_code"]
        province = provinces.get(row["province_code"])
        if province is None:
            province = Province.objects.create(code=row["province_code"], name=row["province"])
            provinces[province.code] = province
        elif province.name != row["province"]:
            province.name = row["province"]
            province.save(update_fields=["name"])
        municipality = existing.get(code)
        if municipality is None:
            municipality = Municipality(cbs_code=code, name=row["name"], province=province,
                                        slug=_unique_slug(row["name"], code, taken))
            municipality.full_clean(exclude=["province"], validate_unique=False, validate_constraints=False)
            new.append(municipality)
            existing[code] = municipality
        elif municipality.name != row["name"] or municipality.province_id != province.pk:
            municipality.name = row["name"]
            municipality.province = province
            municipality.save(update_fields=["name", "province"])
            updated += 1
    Municipality.objects.bulk_create(new)
    if new:
        data_changed(REGISTRY)
    return len(new), updated


def municipality_set_common_name(*, municipality: Municipality, common_name: str) -> Municipality:
    """Set the usual name (Den Haag for 's-Gravenhage) and the slug that follows from it."""
    if municipality.common_name == common_name:
        return municipality
    municipality.common_name = common_name
    taken = set(Municipality.objects.exclude(pk=municipality.pk).values_list("slug", flat=True))
    municipality.slug = _unique_slug(municipality.display_name, municipality.cbs_code, taken)
    municipality.full_clean()
    municipality.save(update_fields=["common_name", "slug"])
    return municipality


def population_figure_record(
    *,
    municipality: Municipality,
    reference_date: datetime.date,
    inhabitants: int,
    source: str,
    source_note: str = "",
    source_url: str = "",
    current: PopulationFigure | None = None,
    looked_up: bool = False,
    defer_new: list[PopulationFigure] | None = None,
) -> tuple[PopulationFigure, str]:
    """Record a figure. Returns the current figure and "added", "changed" or "unchanged".

    A different number for the same municipality, date and source supersedes the old record,
    which stays. Callers that already locked and fetched the current figure pass it in
    (``looked_up=True``) to save a query per row; bulk loaders pass ``defer_new``, a list
    that collects new figures for one ``bulk_create`` instead of saving each.
    """
    if not looked_up:
        current = (
            PopulationFigure.objects.select_for_update()
            .current()
            .filter(municipality=municipality, reference_date=reference_date, source=source)
            .first()
        )
    if current is not None and current.inhabitants == inhabitants:
        return current, "unchanged"
    now = timezone.now()
    figure = PopulationFigure(
        municipality=municipality,
        reference_date=reference_date,
        inhabitants=inhabitants,
        source=source,
        source_note=source_note,
        source_url=source_url,
        recorded_at=now,
    )
    # The municipality is a saved row we were handed; skip re-checking it exists (one query per row).
    figure.full_clean(exclude=["municipality"], validate_constraints=False)
    if current is None:
        if defer_new is not None:
            defer_new.append(figure)
        else:
            figure.save()
        return figure, "added"
    current.superseded_at = now
    current.save(update_fields=["superseded_at"])
    figure.save()
    current.superseded_by = figure
    current.save(update_fields=["superseded_by"])
    return figure, "changed"


def population_csv_parse(*, path: Path) -> list[tuple[int, str, int]]:
    """Read and check a population CSV: a header with ``cbs_code`` and one of
    ``inhabitants``/``population``, then one row per municipality. Returns
    ``(line, cbs_code, inhabitants)`` tuples, or raises ``ImportRejected`` naming every bad row."""
    errors: list[tuple[int, str]] = []
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ImportRejected(path, [(0, "file not found")]) from None
    except UnicodeDecodeError as exc:
        raise ImportRejected(path, [(1, f"not UTF-8 text ({exc.reason})")]) from None
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportRejected(path, [(1, "empty file: expected a header with cbs_code and inhabitants")])
    reader = csv.reader(lines, delimiter=";" if lines[0].count(";") > lines[0].count(",") else ",")
    header = [h.strip().lower() for h in next(reader)]
    if "cbs_code" not in header:
        errors.append((1, f"header has no cbs_code column (found: {', '.join(header)})"))
    value_column = next((c for c in _POPULATION_COLUMNS if c in header), None)
    if value_column is None:
        errors.append((1, f"header has no inhabitants column (found: {', '.join(header)})"))
    if errors:
        raise ImportRejected(path, errors)
    code_index = header.index("cbs_code")
    value_index = header.index(value_column)
    known = set(Municipality.objects.values_list("cbs_code", flat=True))
    seen: dict[str, int] = {}
    rows: list[tuple[int, str, int]] = []
    for line_no, record in enumerate(reader, start=2):
        if not any(cell.strip() for cell in record):
            continue
        if len(record) != len(header):
            errors.append((line_no, f"expected {len(header)} columns, found {len(record)}"))
            continue
        code = record[code_index].strip()
        raw = record[value_index].strip()
        if not _CBS_CODE.match(code):
            errors.append((line_no, f"malformed CBS code {code!r}: expected GM and four digits"))
            continue
        if code not in known:
            errors.append((line_no, f"unknown CBS code {code}: no such municipality in the registry"))
            continue
        if code in seen:
            errors.append((line_no, f"duplicate CBS code {code}: already on line {seen[code]}"))
            continue
        seen[code] = line_no
        if not re.fullmatch(r"[+-]?\d+", raw):
            errors.append((line_no, f"inhabitants for {code} is not a whole number: {raw!r}"))
            continue
        value = int(raw)
        if value <= 0:
            errors.append((line_no, f"inhabitants for {code} must be positive, not {value}"))
            continue
        rows.append((line_no, code, value))
    if errors:
        raise ImportRejected(path, errors)
    if not rows:
        raise ImportRejected(path, [(1, "no data rows")])
    return rows


def population_import(
    *, path: Path, source: str, reference_date: datetime.date, source_note: str = "", source_url: str = ""
) -> PopulationImportReport:
    """Import a population CSV for one source and reference date, all or nothing."""
    if source not in PopulationSource.values:
        raise ValueError(f"unknown source {source!r}; choose one of {', '.join(PopulationSource.values)}")
    rows = population_csv_parse(path=path)
    report = PopulationImportReport()
    with transaction.atomic():
        municipalities = Municipality.objects.in_bulk([code for _, code, _ in rows], field_name="cbs_code")
        current = {
            f.municipality_id: f
            for f in PopulationFigure.objects.select_for_update()
            .current()
            .filter(reference_date=reference_date, source=source, municipality__in=municipalities.values())
        }
        for _line, code, value in rows:
            municipality = municipalities[code]
            before = current.get(municipality.pk)
            _, outcome = population_figure_record(
                municipality=municipality,
                reference_date=reference_date,
                inhabitants=value,
                source=source,
                source_note=source_note,
                source_url=source_url,
                current=before,
                looked_up=True,
            )
            if outcome == "added":
                report.added.append(PopulationChange(municipality, None, value))
            elif outcome == "changed":
                report.changed.append(PopulationChange(municipality, before.inhabitants, value))
            else:
                report.unchanged += 1
    return report


@transaction.atomic
def network_upsert(*, slug: str, name: str, short_name: str, website: str = "", description: str = "") -> Network:
    network, _ = Network.objects.select_for_update().get_or_create(
        slug=slug, defaults={"name": name, "short_name": short_name}
    )
    network.name, network.short_name, network.website, network.description = name, short_name, website, description
    network.full_clean()
    network.save()
    return network


@transaction.atomic
def partner_upsert(
    *,
    network: Network,
    name: str,
    short_name: str,
    kind: str,
    municipality: Municipality | None = None,
    website: str = "",
    source: str = "",
) -> PartnerOrganisation:
    if kind not in PartnerKind.values:
        raise ValueError(f"unknown partner kind {kind!r}")
    partner, _ = PartnerOrganisation.objects.get_or_create(network=network, name=name, defaults={"kind": kind})
    partner.short_name, partner.kind, partner.municipality = short_name, kind, municipality
    partner.website, partner.source = website, source
    partner.full_clean()
    partner.save()
    return partner
