"""Every `stedennet …` command that README.md shows works exactly as shown, typed in a shell as a
new user would after `make run`: in a second terminal (no STEDENNET_SECRET_KEY, no DATABASE_URL:
the key file and the SQLite database that `make` left in the data folder), from another directory.

The fixture does what `make run` does before it serves (the `serve` target's `stedennet` lines, read
from the Makefile), on a fresh temporary data folder. Synopses (`YEAR`, `[--json]`, `daily|weekly`)
run once without their optional parts and once with each, placeholders filled with real values and
real files."""

import datetime
import json
import os
import re
import secrets
import shlex
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
STEDENNET = VENV_BIN / "stedennet"
TODAY = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()  # the project's day
# `make run` steps that do not matter for the commands and cost minutes here.
SERVE_SKIPPED = {"collectstatic"}


def readme_commands() -> list[str]:
    """The `stedennet …` command lines of README.md, in order: code blocks and inline code."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    found: list[tuple[int, str]] = []
    for block in re.finditer(r"```[a-z]*\n(.*?)```", text, re.S):
        offset = block.start(1)
        for line in block.group(1).splitlines(keepends=True):
            command = line.split(" #")[0].strip()
            if re.match(r"((\w+=\S+) )*(\.venv/bin/)?stedennet\b", command):
                found.append((offset, command))
            offset += len(line)
    for span in re.finditer(r"`((?:\.venv/bin/)?stedennet [^`]+)`", text):
        if not any(block.start() <= span.start() < block.end() for block in re.finditer(r"```.*?```", text, re.S)):
            found.append((span.start(), span.group(1)))
    return [command for _, command in sorted(found)]


def variants(synopsis: str) -> list[str]:
    """The synopsis without its optional parts, then with each optional part (each alternative)."""
    synopsis = synopsis.replace("\\|", "|")
    groups = re.findall(r"\[([^\[\]]+)\]", synopsis)
    bare = re.sub(r"\s*\[[^\[\]]+\]", "", synopsis)
    result = [bare]
    for group in groups:
        option, _, choices = group.rpartition(" ")
        for choice in choices.split("|"):
            result.append(re.sub(r"\s*\[" + re.escape(group) + r"\]", f" {option} {choice}".rstrip(),
                                 re.sub(r"\s*\[(?!" + re.escape(group) + r"\])[^\[\]]+\]", "", synopsis)))
    return result


def filled(command: str, files: dict[str, Path]) -> str:
    """Placeholders (upper-case words, `…`) replaced by real values for that command."""
    words = shlex.split(command)
    action = " ".join(w for w in words[1:3] if not w.isupper())
    values = {
        "YEAR": "2024",
        "NUMBER": "2024-0002" if "credit" in action else "2024-0001",
        "AMOUNT": "100.00",
        "D": TODAY,
        "YYYY-MM-DD": "2025-01-01" if "import-population" in action else TODAY,
        "SOURCE": "cbs-final",
        "FILE": str(files["csv"] if "import-population" in action else files["pdf"]),
        "C": "Zaak",
        "ISO": f"{TODAY}T09:00:00+01:00",
    }
    out = []
    for index, word in enumerate(words):
        if word == "…":
            word = "https://www.cbs.nl/" if words[index - 1] == "--url" else "README test"
        out.append(values.get(word, word))
    return shlex.join(out)


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    if os.environ.get("DATABASE_URL"):
        # The README's second terminal has no DATABASE_URL: its commands run on the default SQLite
        # database whatever the suite's database is, so the run on SQLite has tried them already.
        pytest.skip("the README's commands run on the default SQLite database; the SQLite run covers them")
    if not STEDENNET.exists():
        pytest.skip(f"{STEDENNET} is not installed (run make install)")
    data = tmp_path_factory.mktemp("data")
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (data / "secret_key").write_text(secrets.token_urlsafe(50) + "\n", encoding="utf-8")  # as make does
    env = {key: value for key, value in os.environ.items()
           if key not in {"STEDENNET_SECRET_KEY", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    # The Tweede Kamer is not reachable from here: the SyncFeed is a local one with the documented shapes.
    from stedennet.parliament.tests.tkfeed import FeedServer, scenario

    feed = FeedServer().start()
    feed.publish(*scenario())
    env.update({"PATH": f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}", "STEDENNET_DATA_DIR": str(data),
                "STEDENNET_LOG_LEVEL": "WARNING", "STEDENNET_TK_FEED_URL": feed.url, "STEDENNET_TK_TIMEOUT": "5"})

    def run(command: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        cwd = cwd or (REPO if command.startswith(".venv/") else elsewhere)
        return subprocess.run(["sh", "-c", command], env=env, cwd=cwd, capture_output=True, text=True,
                              timeout=600, stdin=subprocess.DEVNULL)

    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    serve = re.search(r"^serve:\n((?:\t.*\n)+)", makefile, re.M).group(1)
    steps = [line.strip().replace("$(BIN)/", "") for line in serve.splitlines()
             if line.strip().startswith("$(BIN)/stedennet ") and "&" not in line]
    for step in steps:
        if step.split()[1] in SERVE_SKIPPED:
            continue
        done = run(step)
        assert done.returncode == 0, f"{step}: {done.stderr[-2000:]}"
    try:
        yield run, data, elsewhere
    finally:
        feed.stop()


def test_the_readme_shows_the_commands_a_user_needs():
    commands = readme_commands()
    assert ".venv/bin/stedennet members --json --on 2022-06-30" in commands
    shown = {shlex.split(c)[1] for c in commands}
    assert shown >= {"load-g40", "contributions", "invoices", "import-population", "members", "send-digests",
                     "load-demo-billing", "load-demo-governance", "load-demo-accounts", "migrate"}


def test_every_command_in_the_readme_works_as_shown(shell, tmp_path):
    run, _, _ = shell
    files = {"csv": tmp_path / "inwoners.csv", "pdf": tmp_path / "factuur.pdf"}
    files["csv"].write_text("cbs_code,inhabitants\nGM0362,96000\n", encoding="utf-8")
    outputs: dict[str, str] = {}
    for synopsis in readme_commands():
        for variant in variants(synopsis):
            command = filled(variant, files)
            result = run(command)
            assert result.returncode == 0, f"{command}\n{result.stderr[-3000:]}"
            assert "Traceback" not in result.stderr, command
            outputs[command] = result.stdout
            if shlex.split(command)[1] not in {"migrate", "createsuperuser", "shell"}:
                assert result.stdout.strip(), f"{command} printed nothing"
    # What the README promises, as it says.
    assert len(json.loads(outputs[".venv/bin/stedennet members --json --on 2022-06-30"])) == 40
    assert len(json.loads(outputs["stedennet members --json --on 2022-07-01"])) == 41
    assessment = json.loads(outputs["stedennet contributions calculate 2024 --json"])
    assert {"total", "budget", "difference"} <= set(assessment) and len(assessment["lines"]) == 41
    text = outputs["stedennet contributions calculate 2024"]
    assert re.search(r"Total 2024: € \d{1,3}(\.\d{3})+,\d{2} for 41 members", text)
    assert not re.search(r"€\s?\d+[ ,]\d{3}\.\d{2}", text)  # no English or mixed notation left
    issued = outputs["stedennet invoices issue 2024"]
    assert "Issued 41 invoice(s)" in issued
    assert re.search(r"^2024-0001 .* € \d{1,3}(\.\d{3})*,\d{2}", issued, re.M)  # Dutch, as on the invoice
    assert re.search(r"^GM0362 .* 9\d\.\d{3} \(", outputs["stedennet members"], re.M)  # 92.331 inhabitants
    assert outputs["stedennet invoices ubl 2024-0001"].startswith("<?xml")
    assert files["pdf"].read_bytes().startswith(b"%PDF")
    assert outputs["stedennet invoices export 2024 --format csv"].splitlines()[0].count(",") > 3
    paid = outputs[f"stedennet invoices pay 2024-0001 100.00 --date {TODAY}"]
    assert "payment of € 100,00 recorded on 2024-0001" in paid
    assert "1 added" in outputs[f"stedennet import-population {files['csv']} --source cbs-final --date 2025-01-01"]


def test_a_command_piped_into_head_ends_quietly(shell):
    run, _, _ = shell
    head = run("stedennet members | head -1")
    assert head.returncode == 0 and head.stderr == "" and head.stdout.startswith("Stedennetwerk G40: 41 members")
    # A reader that closes at once: the write fails for certain, and still nothing on stderr.
    closed = run("(stedennet members --json; echo status=$? >&2) | true")
    assert closed.stderr.strip() == "status=141"


def test_the_command_finds_the_data_folder_from_the_checkout_whatever_the_directory(shell, tmp_path):
    run, data, _ = shell
    relative = os.path.relpath(data, REPO)  # relative to the checkout, not to where it is typed
    result = run(f"STEDENNET_DATA_DIR={shlex.quote(relative)} stedennet members --json --on 2022-07-01", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 41


def test_without_a_key_or_key_file_the_command_says_what_to_set(shell, tmp_path):
    run, _, _ = shell
    result = run(f"STEDENNET_DATA_DIR={shlex.quote(str(tmp_path))} stedennet members")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "STEDENNET_SECRET_KEY" in result.stderr
    assert str(tmp_path / "secret_key") in result.stderr
