"""Registry writes.

Flows owned here:
- loading the reference list of municipalities and provinces (``municipalities_load``);
- recording population figures without ever overwriting one (``population_figure_record``);
- importing a CSV of population figures, all or nothing, with a report of what changed
  (``population_import``; parsing and validation in ``population_csv_parse``);
- keeping the network and its partner organisations up to date (``network_upsert``,
  ``partner_upsert``); the network's look from its seed where the bureau set none
  (``network_theme_seed``).
"""

import codecs
import csv
import datetime
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from stedennet.registry.constants import CBS_CODE_REGEX, PartnerKind, PopulationSource
from stedennet.registry.models import Municipality, Network, PartnerOrganisation, PopulationFigure, Province
from stedennet.web.cache import REGISTRY, data_changed
from stedennet.web.refusals import Refused

__all__ = [
    "ImportOptionInvalid",
    "ImportProblem",
    "ImportRejected",
    "PopulationChange",
    "PopulationImportReport",
    "municipalities_load",
    "municipality_set_common_name",
    "network_theme_seed",
    "network_upsert",
    "partner_upsert",
    "population_csv_parse",
    "population_figure_record",
    "population_import",
    "population_import_options_check",
]

_CBS_CODE = re.compile(CBS_CODE_REGEX)
_POPULATION_COLUMNS = ("inhabitants", "population", "inwoners", "inwonertal")


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an import file: its physical line (None: the file as a whole), a stable
    ``code`` and the reason in words."""

    line: int | None
    code: str
    reason: str


class ImportRejected(Refused):
    """A file was refused; ``errors`` holds the first ``IMPORT_MAX_REPORTED`` problems, ``more``
    counts the others; ``codes`` are their codes. The message names each as FILE:LINE: reason."""

    def __init__(self, path: Path, errors: list[ImportProblem], more: int = 0):
        self.path = path
        self.errors = errors
        self.more = more
        lines = [f"{path}:{e.line}: {e.reason}" if e.line is not None else f"{path}: {e.reason}" for e in errors]
        if more:
            lines.append(f"{path}: … and {more} more errors")
        super().__init__("\n".join(lines), "import_rejected")

    @property
    def codes(self) -> list[str]:
        return [e.code for e in self.errors]


class ImportOptionInvalid(Refused, ValueError):
    """An option of an import (``--date``, ``--url`` …) is refused before the file is read;
    ``field`` (and ``option``) names it."""

    def __init__(self, option: str, value: str, code: str, reason: str):
        super().__init__(reason, code, field=option)
        self.option, self.value, self.reason = option, value, reason


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


# Bounds of an import: a population table has one line per municipality (342 today).
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_REPORTED = 50  # error lines printed; the rest are counted
MAX_INHABITANTS = 20_000_000  # more than the whole country; also far inside the database column
_ASCII_DIGITS = re.compile(r"[+-]?[0-9]+", re.ASCII)
_CBS_CODE_ASCII = re.compile(r"GM[0-9]{4}", re.ASCII)
_INVISIBLE = {"Cc", "Cf", "Zl", "Zp"}  # control and format characters, line and paragraph separators


class _Problems:
    """Collects problems up to ``IMPORT_MAX_REPORTED`` and counts the rest."""

    def __init__(self) -> None:
        self.shown: list[ImportProblem] = []
        self.more = 0

    def add(self, line: int | None, code: str, reason: str) -> None:
        if len(self.shown) < IMPORT_MAX_REPORTED:
            self.shown.append(ImportProblem(line, code, reason))
        else:
            self.more += 1

    def __bool__(self) -> bool:
        return bool(self.shown)


def _invisible_character(cells: list[str]) -> str | None:
    for cell in cells:
        for char in cell:
            if char != "\t" and unicodedata.category(char) in _INVISIBLE:
                name = unicodedata.name(char, "control character")
                return f"U+{ord(char):04X} ({name})"
    return None


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ImportRejected(path, [ImportProblem(
            line, "not-utf8", f"not UTF-8 text: byte 0x{data[exc.start]:02X} at column {column} ({exc.reason}); "
            "save the file as UTF-8")]) from None


def population_csv_parse(*, path: Path) -> list[tuple[int, str, int]]:
    """Read and check a population CSV: a header with ``cbs_code`` and one of
    ``inhabitants``/``population``/``inwoners``/``inwonertal``, then one row per municipality, one
    line each. Returns ``(line, cbs_code, inhabitants)`` tuples, or raises ``ImportRejected`` naming
    the bad rows by their physical line (as an editor counts them: only CR and LF end a line)."""
    try:
        if path.stat().st_size > IMPORT_MAX_BYTES:
            raise ImportRejected(path, [ImportProblem(None, "file-too-large", (
                f"the file is larger than {IMPORT_MAX_BYTES // (1024 * 1024)} MB; a population table has one "
                "line per municipality"))])
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportRejected(path, [ImportProblem(None, "not-found", "file not found")]) from None
    except IsADirectoryError:
        raise ImportRejected(path, [ImportProblem(None, "not-a-file", "this is a folder, not a file")]) from None
    except OSError as exc:
        raise ImportRejected(path, [ImportProblem(None, "unreadable", f"cannot read the file: {exc.strerror}")]) \
            from None
    text = _decode(path, data)
    first_line = text.split("\n", 1)[0].rstrip("\r")
    if not first_line.strip():
        raise ImportRejected(path, [ImportProblem(1, "empty", "empty file: expected a header with cbs_code and "
                                                              "inhabitants")])
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    problems = _Problems()

    def records():
        """(first line, last line, cells) per record; CSV syntax errors become problems."""
        while True:
            before = reader.line_num
            try:
                record = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                problems.add(before + 1, "csv-syntax", f"not valid CSV: {exc}")
                continue
            yield before + 1, reader.line_num, record

    rows_iter = records()
    header_record = next(rows_iter, None)
    if header_record is None or problems:
        raise ImportRejected(path, problems.shown or [ImportProblem(1, "empty", "no header")], more=problems.more)
    first, last, raw_header = header_record
    header = [h.strip().lower() for h in raw_header]
    if last > first:
        problems.add(first, "multiline", f"the header runs over lines {first}-{last}: a quoted field holds a "
                                         "line break")
    if (invisible := _invisible_character(raw_header)) is not None:
        problems.add(first, "invisible-character", f"the header contains the invisible character {invisible}")
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        problems.add(1, "duplicate-column", f"the header names {', '.join(duplicates)} more than once")
    if "cbs_code" not in header:
        problems.add(1, "no-code-column", f"header has no cbs_code column (found: {', '.join(header)})")
    value_columns = [c for c in _POPULATION_COLUMNS if c in header]
    if not value_columns:
        problems.add(1, "no-inhabitants-column", f"header has no inhabitants column (found: {', '.join(header)})")
    elif len(value_columns) > 1:
        problems.add(1, "ambiguous-column", (
            f"header has more than one inhabitants column ({', '.join(value_columns)}): keep only one"))
    if problems:
        raise ImportRejected(path, problems.shown, more=problems.more)
    code_index = header.index("cbs_code")
    value_index = header.index(value_columns[0])
    known = set(Municipality.objects.values_list("cbs_code", flat=True))
    seen: dict[str, int] = {}
    rows: list[tuple[int, str, int]] = []
    for line_no, last, record in rows_iter:
        if not any(cell.strip() for cell in record):
            continue
        if last > line_no:
            problems.add(line_no, "multiline", (
                f"this row runs over lines {line_no}-{last}: a quoted field holds a line break; "
                "put each municipality on one line"))
            continue
        if (invisible := _invisible_character(record)) is not None:
            problems.add(line_no, "invisible-character", f"the row contains the invisible character {invisible}")
            continue
        if len(record) != len(header):
            problems.add(line_no, "column-count", f"expected {len(header)} columns, found {len(record)}")
            continue
        code = record[code_index].strip()
        raw = record[value_index].strip()
        if not _CBS_CODE_ASCII.fullmatch(code):
            problems.add(line_no, "malformed-code", f"malformed CBS code {code!r}: expected GM and four digits")
            continue
        if code not in known:
            problems.add(line_no, "unknown-code", f"unknown CBS code {code}: no such municipality in the registry")
            continue
        if code in seen:
            problems.add(line_no, "duplicate-code", f"duplicate CBS code {code}: already on line {seen[code]}")
            continue
        seen[code] = line_no
        if not _ASCII_DIGITS.fullmatch(raw):
            if raw and all(char.isdigit() for char in raw.lstrip("+-")):
                problems.add(line_no, "non-ascii-digits", (
                    f"inhabitants for {code} is written in digits other than 0-9: {raw!r}"))
            else:
                problems.add(line_no, "not-a-number", f"inhabitants for {code} is not a whole number: {raw!r}")
            continue
        digits = raw.lstrip("+-").lstrip("0") or "0"
        if raw.startswith("-") or digits == "0":
            problems.add(line_no, "not-positive", f"inhabitants for {code} must be positive, not {raw[:20]}")
            continue
        # Compare the length first: int() of thousands of digits is slow or refused outright.
        if len(digits) > len(str(MAX_INHABITANTS)) or int(digits) > MAX_INHABITANTS:
            problems.add(line_no, "too-large", (
                f"inhabitants for {code} is too large: {raw[:20]}{'…' if len(raw) > 20 else ''} "
                f"(at most {MAX_INHABITANTS}, more than the whole country)"))
            continue
        value = int(digits)
        rows.append((line_no, code, value))
    if problems:
        raise ImportRejected(path, problems.shown, more=problems.more)
    if not rows:
        raise ImportRejected(path, [ImportProblem(1, "no-rows", "no data rows")])
    return rows


def population_import_options_check(
    *, source: str, reference_date: datetime.date, source_note: str = "", source_url: str = ""
) -> None:
    """The options of an import, checked before the file is read; raises ``ImportOptionInvalid``."""
    if source not in PopulationSource.values:
        raise ImportOptionInvalid("source", source, "unknown-source", (
            f"unknown source {source!r}; choose one of {', '.join(PopulationSource.values)}"))
    earliest, latest = datetime.date(1900, 1, 1), datetime.date(timezone.localdate().year + 1, 1, 1)
    if not earliest <= reference_date <= latest:
        raise ImportOptionInvalid("date", reference_date.isoformat(), "date-out-of-range", (
            f"reference date {reference_date.isoformat()} is outside {earliest.isoformat()} to {latest.isoformat()}"))
    note_length = PopulationFigure._meta.get_field("source_note").max_length
    if len(source_note) > note_length:
        raise ImportOptionInvalid("note", source_note[:40] + "…", "note-too-long", (
            f"the note has {len(source_note)} characters; at most {note_length}"))
    url_length = PopulationFigure._meta.get_field("source_url").max_length
    if source_url:
        if len(source_url) > url_length:
            raise ImportOptionInvalid("url", source_url[:40] + "…", "url-too-long", (
                f"the link has {len(source_url)} characters; at most {url_length}"))
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            raise ImportOptionInvalid("url", source_url, "url-malformed", (
                "not a web address: give a full link starting with https:// or http://")) from None


def population_import(
    *, path: Path, source: str, reference_date: datetime.date, source_note: str = "", source_url: str = ""
) -> PopulationImportReport:
    """Import a population CSV for one source and reference date, all or nothing."""
    population_import_options_check(source=source, reference_date=reference_date, source_note=source_note,
                                    source_url=source_url)
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


THEME_FIELDS = ("primary_colour", "footer_text", "footer_links", "theme_source")


@transaction.atomic
def network_theme_seed(*, network: Network, theme: dict) -> list[str]:
    """Give the network the look from its seed where it has none yet: a field the bureau has
    filled in is never overwritten. ``theme["footer_links"]`` is a list of ``{"label", "url"}``.
    Returns the names of the fields that were set."""
    network = Network.objects.select_for_update().get(pk=network.pk)
    values = {
        "primary_colour": theme.get("primary_colour", ""),
        "footer_text": theme.get("footer_text", ""),
        "footer_links": "\n".join(f"{link['label']} | {link['url']}" for link in theme.get("footer_links", [])),
        "theme_source": theme.get("source", ""),
    }
    changed = [name for name in THEME_FIELDS if values[name] and not getattr(network, name)]
    for name in changed:
        setattr(network, name, values[name])
    if changed:
        network.full_clean()
        network.save(update_fields=changed)
    return changed


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
