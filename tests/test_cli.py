"""The installed `stedennet` command, end to end on a fresh SQLite database in a subprocess:
hyphenated project commands, the members on a date, and a refused import that changes nothing."""

import json
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

STEDENNET = Path(sys.executable).parent / "stedennet"


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    if not STEDENNET.exists():
        pytest.skip(f"{STEDENNET} is not installed (run make install)")
    workdir = tmp_path_factory.mktemp("cli")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings",
        "DATABASE_URL": f"sqlite:///{workdir / 'cli.sqlite3'}",
        "STEDENNET_SECRET_KEY": "cli-test-secret",
        "STEDENNET_ALLOWED_HOSTS": "localhost",
        "STEDENNET_LOG_LEVEL": "WARNING",
    }

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(STEDENNET), *args], env=env, capture_output=True, text=True, timeout=300,
                              cwd=workdir)

    assert run("migrate", "--no-input", "-v0").returncode == 0
    loaded = run("load-g40")
    assert loaded.returncode == 0, loaded.stderr
    return run, workdir


def test_load_g40_twice_is_harmless(cli):
    run, _ = cli
    again = run("load-g40")
    assert again.returncode == 0
    assert "(0 membership periods new)" in again.stdout
    assert "population figures 0 new, 0 changed" in again.stdout


def test_members_on_either_side_of_amstelveens_admission(cli):
    run, _ = cli
    before = json.loads(run("members", "--json", "--on", "2022-06-30").stdout)
    after = json.loads(run("members", "--json", "--on", "2022-07-01").stdout)
    assert (len(before), len(after)) == (40, 41)
    assert set(after[0]) >= {"cbs_code", "name", "member_since", "population", "population_date",
                             "population_source"}


def test_a_bad_import_exits_non_zero_naming_file_and_line(cli):
    run, workdir = cli
    bad = workdir / "bad.csv"
    bad.write_text("cbs_code,inhabitants\nGM0362,96000\nGM036,1\nGM0363,veel\n", encoding="utf-8")
    result = run("import-population", str(bad), "--source", "cbs-final", "--date", "2025-01-01")
    assert result.returncode != 0
    assert f"{bad}:3: malformed CBS code" in result.stderr
    assert f"{bad}:4: inhabitants for GM0363 is not a whole number" in result.stderr
    members = json.loads(run("members", "--json", "--on", "2025-06-01").stdout)
    assert {m["population_date"] for m in members} == {"2024-01-01"}  # nothing was imported


def test_a_good_import_then_a_correction_says_what_changed(cli):
    run, workdir = cli
    good = workdir / "good.csv"
    good.write_text("cbs_code,inhabitants\nGM0362,96000\n", encoding="utf-8")
    first = run("import-population", str(good), "--source", "cbs-provisional", "--date", "2025-01-01")
    assert first.returncode == 0 and "1 added" in first.stdout
    good.write_text("cbs_code,inhabitants\nGM0362,96100\n", encoding="utf-8")
    second = run("import-population", str(good), "--source", "cbs-provisional", "--date", "2025-01-01")
    assert "changed GM0362 Amstelveen: 96.000 -> 96.100" in second.stdout


def test_django_commands_run_too(cli):
    run, _ = cli
    assert run("check").returncode == 0


def test_contributions_calculate_json_gives_amstelveens_half_year(cli):
    run, _ = cli
    result = run("contributions", "calculate", "2022", "--json")
    assert result.returncode == 0, result.stderr
    assessment = json.loads(result.stdout)
    rows = assessment["lines"]
    amstelveen = next(r for r in rows if r["cbs_code"] == "GM0362")
    assert (amstelveen["population"], amstelveen["rate"], amstelveen["months"], amstelveen["amount"]) == (
        92363, "0.21", 6, "9698.12")
    assert len(rows) == 41
    # The total and the budget come along, machine-readable (a dot, no thousands separator).
    assert Decimal(assessment["total"]) == sum(Decimal(r["amount"]) for r in rows)
    assert assessment["budget"] is None or Decimal(assessment["difference"]) == (
        Decimal(assessment["total"]) - Decimal(assessment["budget"]))


def test_contributions_for_a_year_without_a_rule_fail_with_the_reason(cli):
    run, _ = cli
    result = run("contributions", "calculate", "2031")
    assert result.returncode != 0
    assert "2031" in result.stderr


def test_invoices_issue_then_ubl_and_csv(cli):
    run, _ = cli
    refused = run("invoices", "issue", "2024")
    assert refused.returncode != 0 and "BR-NL-10" in refused.stderr  # no OIN/KvK recorded yet
    assert run("load-demo-billing").returncode == 0
    issued = run("invoices", "issue", "2024", "--date", "2024-02-01")
    assert issued.returncode == 0, issued.stderr
    assert "Issued 41 invoice(s)" in issued.stdout
    ubl = run("invoices", "ubl", "2024-0001")
    assert ubl.returncode == 0 and ubl.stdout.startswith("<?xml") and "<Invoice" in ubl.stdout
    export = run("invoices", "export", "2024", "--format", "csv")
    assert export.returncode == 0 and len(export.stdout.strip().splitlines()) == 42


def test_invoice_pdf_into_a_missing_folder_is_a_clear_error(cli):
    run, workdir = cli
    result = run("invoices", "pdf", "2024-0001", "-o", str(workdir / "missing" / "2024-0001.pdf"))
    assert result.returncode == 1
    assert f"the folder {workdir / 'missing'} does not exist" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(("content", "line", "word"), [
    (b"cbs_code,inhabitants\nGM0362,96000\nGM0363,9\xe9\n", 3, "not UTF-8"),
    ("cbs_code,inhabitants\nGM0362,96000\u2028GM0363,5\nGM036,1\n".encode(), 2, "U+2028"),
    (b'cbs_code,inhabitants\nGM0362,"96\n000"\n', 2, "runs over lines 2-3"),
    ("cbs_code,inwoners\nGM0362,\u0669\u0666\u0660\u0660\u0660\n".encode(), 2, "0-9"),
    (b"cbs_code,inhabitants\nGM0362,99999999999999999999\n", 2, "too large"),
])
def test_a_bad_import_is_one_line_per_problem_and_no_traceback(cli, content, line, word):
    run, workdir = cli
    path = workdir / "problem.csv"
    path.write_bytes(content)
    result = run("import-population", str(path), "--source", "municipal", "--date", "2026-01-01")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{path}:{line}: ") and word in result.stderr.splitlines()[0]
    members = json.loads(run("members", "--json", "--on", "2026-06-01").stdout)
    assert "2026-01-01" not in {m["population_date"] for m in members}


@pytest.mark.parametrize("option", [["--date", "1200-01-01"], ["--date", "2999-01-01"], ["--url", "cbs.nl tabel"]])
def test_a_bad_import_option_is_named(cli, option):
    run, workdir = cli
    path = workdir / "fine.csv"
    path.write_text("cbs_code,inhabitants\nGM0362,96000\n", encoding="utf-8")
    arguments = ["--source", "municipal", "--date", "2026-01-01"]
    result = run("import-population", str(path), *arguments, *option)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(f"CommandError: {option[0]} ") and "nothing was imported" in result.stderr
