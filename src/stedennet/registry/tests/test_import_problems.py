"""`stedennet import-population` says exactly what is wrong: every kind of bad input is a
``FILE:LINE: reason`` with the physical line an editor shows (or the option it concerns), a code,
never a traceback, a bounded number of lines for a huge file, and nothing imported."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from stedennet.registry.models import Municipality, PopulationFigure, Province
from stedennet.registry.services import (
    IMPORT_MAX_BYTES,
    IMPORT_MAX_REPORTED,
    ImportOptionInvalid,
    ImportRejected,
    population_import,
)

JAN_2025 = datetime.date(2025, 1, 1)


@pytest.fixture
def registry(db):
    holland = Province.objects.create(code="PV27", name="Noord-Holland")
    for code, name in [("GM0361", "Alkmaar"), ("GM0362", "Amstelveen"), ("GM0363", "Amsterdam")]:
        Municipality.objects.create(cbs_code=code, name=name, slug=name.lower(), province=holland)


def command(path, *options: str) -> tuple[list[str], str]:
    """Run the command on a refused file: (stderr lines, the final error)."""
    err = StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("import_population", str(path), "--source", "cbs-final", "--date", "2025-01-01", *options,
                     stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines(), str(refused.value)


def problems(path) -> list[tuple[int | None, str]]:
    with pytest.raises(ImportRejected) as refused:
        population_import(path=path, source="cbs_final", reference_date=JAN_2025)
    return [(problem.line, problem.code) for problem in refused.value.errors]


CASES = {
    # name: (file bytes, [(line, code)], a word the message uses)
    "number too large for the column": (
        b"cbs_code,inhabitants\nGM0361,110000\nGM0362,99999999999999999999\nGM0363,2147483648\n",
        [(3, "too-large"), (4, "too-large")], "too large"),
    "a number with more digits than Python converts": (
        b"cbs_code,inhabitants\nGM0362," + b"9" * 5000 + b"\n", [(2, "too-large")], "too large"),
    "a negative number with more digits than Python converts": (
        b"cbs_code,inhabitants\nGM0362,-" + b"9" * 5000 + b"\nGM0363,0\n", [(2, "not-positive"), (3, "not-positive")],
        "positive"),
    "a bad byte on line 3": (
        b"cbs_code,inhabitants\nGM0361,110000\nGM0362,96\xff00\n", [(3, "not-utf8")], "0xFF"),
    "a quoted field spanning lines, then a bad row on physical line 5": (
        b'cbs_code,inhabitants\nGM0361,110000\nGM0362,"96\n000"\nGM036,1\n',
        [(3, "multiline"), (5, "malformed-code")], "3-4"),
    "a Unicode line separator inside a line, then a bad row on physical line 3": (
        "cbs_code,inhabitants\nGM0362,96000\u2028GM0363,5\nGM036,1\n".encode(),
        [(2, "invisible-character"), (3, "malformed-code")], "U+2028"),
    "Arabic-Indic digits": (
        "cbs_code,inhabitants\nGM0361,110000\nGM0362,٩٦٠٠٠\n".encode(), [(3, "non-ascii-digits")], "0-9"),
    "non-ASCII digits in the code": (
        "cbs_code,inhabitants\nGM٠٣٦٢,96000\n".encode(), [(2, "malformed-code")], "malformed"),
    "both inhabitants and inwoners": (
        b"cbs_code,inhabitants,inwoners\nGM0362,96000,97000\n", [(1, "ambiguous-column")], "inwoners"),
    "a column named twice": (
        b"cbs_code;inwoners;cbs_code\nGM0362;96000;GM0362\n", [(1, "duplicate-column")], "cbs_code"),
    "a stray quote": (
        b'cbs_code,inhabitants\nGM0361,110000\nGM0362,"96"000\n', [(3, "csv-syntax")], "CSV"),
    "a NUL byte": (
        b"cbs_code,inhabitants\nGM0361,110000\nGM0362,96\x00000\n", [(3, "invisible-character")], "U+0000"),
}


@pytest.mark.parametrize("name", CASES)
def test_each_kind_of_bad_file_names_the_physical_line_and_imports_nothing(registry, tmp_path, name):
    content, expected, word = CASES[name]
    path = tmp_path / "population.csv"
    path.write_bytes(content)
    assert problems(path) == expected
    lines, final = command(path)
    first_line, _code = expected[0]
    assert lines[0].startswith(f"{path}:{first_line}: ") and word in lines[0]
    assert len(lines) == len(expected) and "nothing was imported" in final
    assert not PopulationFigure.objects.exists()


def test_a_huge_file_prints_a_bounded_number_of_lines_and_counts_the_rest(registry, tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text("cbs_code,inhabitants\n" + "GM036,1\n" * 1000, encoding="utf-8")
    lines, final = command(path)
    assert len(lines) == IMPORT_MAX_REPORTED + 1
    assert lines[0].startswith(f"{path}:2: ") and lines[IMPORT_MAX_REPORTED - 1].startswith(f"{path}:51: ")
    assert lines[-1] == f"{path}: … and {1000 - IMPORT_MAX_REPORTED} more errors"
    assert "1000 error(s)" in final


def test_a_file_larger_than_the_bound_is_refused_unread(registry, tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"cbs_code,inhabitants\n" + b"x" * IMPORT_MAX_BYTES)
    assert problems(path) == [(None, "file-too-large")]
    lines, _ = command(path)
    assert lines[0].startswith(f"{path}: ") and "MB" in lines[0]


@pytest.mark.parametrize(("option", "value", "code"), [
    ("--date", "1200-01-01", "date-out-of-range"),
    ("--date", "2999-01-01", "date-out-of-range"),
    ("--url", "www cbs nl", "url-malformed"),
    ("--url", "javascript:alert(1)", "url-malformed"),
    ("--url", "https://", "url-malformed"),
    ("--url", "https://www.cbs.nl/" + "x" * 600, "url-too-long"),
    ("--note", "n" * 301, "note-too-long"),
])
def test_a_bad_option_is_named_before_the_file_is_read(registry, tmp_path, option, value, code):
    path = tmp_path / "good.csv"
    path.write_text("cbs_code,inhabitants\nGM0362,96000\n", encoding="utf-8")
    arguments = {"--date": "reference_date", "--url": "source_url", "--note": "source_note"}
    keyword = {arguments[option]: datetime.date.fromisoformat(value) if option == "--date" else value}
    with pytest.raises(ImportOptionInvalid) as refused:
        population_import(path=path, source="cbs_final", **{"reference_date": JAN_2025, **keyword})
    assert refused.value.code == code and refused.value.option == option.lstrip("-")
    err = StringIO()
    arguments = ["import_population", str(path), "--source", "cbs-final", "--date", "2025-01-01", option, value]
    with pytest.raises(CommandError, match=f"^{option} ") as failed:
        call_command(*arguments, stdout=StringIO(), stderr=err)
    assert "nothing was imported" in str(failed.value)
    assert not PopulationFigure.objects.exists()


def test_good_options_and_a_good_file_still_import(registry, tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes("\ufeffcbs_code;inwoners\r\nGM0362;96000\r\n\r\nGM0363;+931000\r\n".encode())
    out = StringIO()
    call_command("import_population", str(path), "--source", "cbs-final", "--date", "2025-01-01",
                 "--url", "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/03759ned", "--note", "tabel 03759",
                 stdout=out)
    assert "2 added" in out.getvalue()
    assert sorted(PopulationFigure.objects.values_list("inhabitants", flat=True)) == [96000, 931000]


def test_invoice_pdf_into_a_folder_that_does_not_exist_names_the_folder(g40, tmp_path):
    missing = tmp_path / "no-such-folder"
    with pytest.raises(CommandError, match=f"the folder {missing} does not exist"):
        call_command("invoices", "pdf", "2024-0001", "-o", str(missing / "invoice.pdf"))
    assert not missing.exists()
