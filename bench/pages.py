"""How fast are the public pages at national scale? A script that prints figures, not a test.

It builds a throw-away PostgreSQL database (``stedennet_bench``), migrates it, loads the G40 and
then scales it up: all 342 municipalities become members and every municipality gets a CBS
population figure for each year 2000-2020 (about 8,000 figures in all). Everything the script
adds is INVENTED benchmark data, marked "BENCHMARK DATA, invented" in the database and in the output.

It then serves the site as ``make serve`` does (gunicorn, three workers) on a free loopback port,
sends every page a number of requests from eight concurrent keep-alive clients and prints the
latencies, the requests per second and the SQL queries per page. The pages are the public site's,
the sign-in page and the main list and detail operations of the open API (/api/v1/, anonymous) with
its OpenAPI document. Every page must answer 200: the script stops with an error naming each path
that did not. At the end it stops gunicorn and drops the database.

    .venv/bin/python bench/pages.py --requests 400

Needs a PostgreSQL server on 127.0.0.1:5432 that lets user ``postgres`` in without a password
(``--pg-port``/``--pg-user`` to change). Only 127.0.0.1 is ever contacted.
"""

import argparse
import datetime
import http.client
import math
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg import sql

REPO_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = REPO_DIR / ".venv" / "bin"
HOST = "127.0.0.1"  # the only address this script ever talks to
DB_NAME = "stedennet_bench"
PAGES = [
    "/", "/leden/kaart.svg", "/leden/", "/leden/?sort=population&order=desc", "/leden/amstelveen/", "/partners/",
    "/inloggen/",
    # The open API, anonymous; PV27 is Noord-Holland and GM0362 Amstelveen (registry/data/municipalities_2024.csv).
    "/api/v1/municipalities?pageSize=100", "/api/v1/municipalities/GM0362",
    "/api/v1/municipalities/GM0362/population-figures", "/api/v1/members", "/api/v1/members?province=PV27",
    "/api/v1/members/GM0362", "/api/v1/bodies", "/api/v1/events", "/api/v1/openapi.json",
]
PAGE_WIDTH = max(38, *(len(page) for page in PAGES))  # the table's first column
TARGET_P95_MS = 50.0
BENCH_NOTE = "BENCHMARK DATA, invented"
BENCH_YEARS = range(2000, 2021)  # one invented CBS figure per municipality per year
GUNICORN_WORKERS = 3  # as the Makefile's WORKERS default
START_TIMEOUT_S = 60.0
REQUEST_TIMEOUT_S = 30.0


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=400, help="measured requests per page (default 400)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients (default 8)")
    parser.add_argument("--warmup", type=int, default=40, help="unmeasured requests per page first (default 40)")
    parser.add_argument("--pg-port", type=int, default=5432, help="PostgreSQL port on 127.0.0.1 (default 5432)")
    parser.add_argument("--pg-user", default="postgres", help="PostgreSQL user (default postgres)")
    args = parser.parse_args()
    if args.requests < 1 or args.clients < 1 or args.warmup < 0:
        parser.error("--requests and --clients must be at least 1, --warmup at least 0")
    return args


# --- Database ------------------------------------------------------------------------------


def admin_connection(args: argparse.Namespace) -> psycopg.Connection:
    return psycopg.connect(host=HOST, port=args.pg_port, user=args.pg_user, dbname="postgres", autocommit=True,
                           connect_timeout=10)


def database_recreate(args: argparse.Namespace) -> str:
    """Drop and create the bench database; returns the server's version."""
    with admin_connection(args) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return version


def database_drop(args: argparse.Namespace) -> None:
    with admin_connection(args) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))


def stedennet(env: dict[str, str], *command: str) -> None:
    """Run one management command; its output is kept short and shown indented."""
    result = subprocess.run(  # noqa: S603 - our own venv's command with fixed arguments
        [str(BIN_DIR / "stedennet"), *command], env=env, cwd=REPO_DIR, capture_output=True, text=True,
        timeout=600, check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"stedennet {' '.join(command)} failed with exit code {result.returncode}")
    for line in result.stdout.strip().splitlines()[-3:]:
        print(f"    {line}")


def scale_to_national() -> dict[str, int]:
    """Make every municipality a member and add invented yearly population figures, through the
    project's own services. Runs in this process (django.setup() must have been called)."""
    from django.core.exceptions import ValidationError
    from django.db import transaction
    from django.utils import timezone

    from stedennet.membership.models import MembershipPeriod
    from stedennet.membership.services import membership_period_create
    from stedennet.registry import services as registry_services
    from stedennet.registry.constants import PopulationSource
    from stedennet.registry.models import Municipality, PopulationFigure
    from stedennet.registry.selectors import network_current

    network = network_current()
    if network is None:
        raise SystemExit("load-g40 loaded no network")
    today = timezone.localdate()
    periods: dict[int, list[MembershipPeriod]] = {}
    for period in MembershipPeriod.objects.filter(network=network):
        periods.setdefault(period.municipality_id, []).append(period)

    municipalities = list(Municipality.objects.order_by("cbs_code"))
    added_members = skipped = 0
    for municipality in municipalities:
        existing = periods.get(municipality.pk, [])
        if any(p.in_force_on(today) for p in existing):
            continue
        # A former member rejoins the day after its last period ended; the rest joined on 1 January 2024.
        ends = [p.end_date for p in existing if p.end_date]
        start = max(ends) + datetime.timedelta(days=1) if ends else datetime.date(2024, 1, 1)
        try:
            membership_period_create(network=network, municipality=municipality, start_date=min(start, today),
                                     note=BENCH_NOTE, source=BENCH_NOTE)
            added_members += 1
        except ValidationError:
            skipped += 1

    latest = {}
    for figure in PopulationFigure.objects.current().order_by("reference_date"):
        latest[figure.municipality_id] = figure.inhabitants
    current = {(f.municipality_id, f.reference_date, f.source): f for f in PopulationFigure.objects.current()}
    new_figures: list[PopulationFigure] = []
    with transaction.atomic():
        for municipality in municipalities:
            base = latest.get(municipality.pk, 20_000)
            for year in BENCH_YEARS:
                day = datetime.date(year, 1, 1)
                key = (municipality.pk, day, PopulationSource.CBS_FINAL)
                if key in current:  # a real figure for that date stays as it is
                    continue
                # Invented: half a percent fewer inhabitants for every year before 2023.
                inhabitants = max(1, round(base * (1 - 0.005 * (2023 - year))))
                registry_services.population_figure_record(
                    municipality=municipality, reference_date=day, inhabitants=inhabitants,
                    source=PopulationSource.CBS_FINAL, source_note=BENCH_NOTE, current=None, looked_up=True,
                    defer_new=new_figures,
                )
        PopulationFigure.objects.bulk_create(new_figures, batch_size=1000)

    return {
        "municipalities": len(municipalities),
        "members_added": added_members,
        "members_skipped": skipped,
        "members_today": MembershipPeriod.objects.on(today).filter(network=network).count(),
        "figures_added": len(new_figures),
        "figures_total": PopulationFigure.objects.count(),
    }


def queries_per_page() -> dict[str, tuple[int, int]]:
    """(SQL queries, status) per page for one warm request through Django's test client, in this process."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    counts = {}
    for page in PAGES:
        client.get(page)  # the first request fills per-process caches; count the second
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(page)
        counts[page] = (len(ctx.captured_queries), response.status_code)
    return counts


def require_200(statuses: dict[str, list[str]], where: str) -> None:
    """Stop loudly, naming every path that answered anything but 200."""
    if statuses:
        lines = "\n".join(f"    {page}: {', '.join(problems)}" for page, problems in statuses.items())
        raise SystemExit(f"not every page answered 200 ({where}):\n{lines}")


# --- Server --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_start(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    # The command line of the Makefile's `serve` target (its --forwarded-allow-ips="" is an empty
    # value once the shell has read it); the access log goes to a file here.
    command = [
        str(BIN_DIR / "gunicorn"), "stedennet.wsgi:application", "--bind", f"{HOST}:{port}",
        "--workers", str(GUNICORN_WORKERS), "--access-logfile", "-", "--forwarded-allow-ips=",
    ]
    log = log_path.open("wb")
    try:
        return subprocess.Popen(command, env=env, cwd=REPO_DIR, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    finally:
        log.close()  # the child has its own copy


def wait_until_healthy(process: subprocess.Popen, port: int, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
            raise SystemExit(f"gunicorn exited with code {process.returncode} before answering")
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            conn.request("GET", "/gezondheid/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    sys.stderr.write(log_path.read_text(errors="replace")[-4000:])
    raise SystemExit(f"/gezondheid/ did not answer 200 within {START_TIMEOUT_S:.0f} s")


def gunicorn_stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.terminate()  # SIGTERM: gunicorn stops its workers and exits
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


# --- Load ----------------------------------------------------------------------------------


@dataclass
class Run:
    latencies_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    bytes_last: int = 0
    seconds: float = 0.0


def hammer(port: int, page: str, total: int, clients: int) -> Run:
    """Send ``total`` GETs for ``page`` from ``clients`` threads, each with its own keep-alive
    connection (reopened by http.client whenever the server closes it)."""
    run = Run()
    lock = threading.Lock()
    remaining = [total]

    def take() -> bool:
        with lock:
            if remaining[0] <= 0:
                return False
            remaining[0] -= 1
            return True

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=REQUEST_TIMEOUT_S)
        mine: list[float] = []
        try:
            while take():
                began = time.perf_counter()
                try:
                    conn.request("GET", page, headers={"Host": f"{HOST}:{port}", "Connection": "keep-alive"})
                    response = conn.getresponse()
                    body = response.read()
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()
                    with lock:
                        run.errors.append(f"{type(exc).__name__}: {exc}")
                    continue
                mine.append((time.perf_counter() - began) * 1000)
                if response.status != 200:
                    with lock:
                        run.errors.append(f"HTTP {response.status}")
                run.bytes_last = len(body)
        finally:
            conn.close()
            with lock:
                run.latencies_ms.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(min(clients, total))]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=REQUEST_TIMEOUT_S * total)
    run.seconds = time.perf_counter() - began
    return run


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(1, math.ceil(len(sorted_values) * pct / 100)) - 1]


# --- Main ----------------------------------------------------------------------------------


def main() -> None:
    args = parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="stedennet-bench-"))
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings",
        "STEDENNET_SECRET_KEY": secrets.token_urlsafe(50),
        "STEDENNET_ALLOWED_HOSTS": f"{HOST},localhost",
        "STEDENNET_SECURE_COOKIES": "false",
        "STEDENNET_BASE_URL": f"http://{HOST}:{port}",
        "STEDENNET_DATA_DIR": str(work_dir),  # static files and media of this run only, not var/
        "STEDENNET_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://{args.pg_user}@{HOST}:{args.pg_port}/{DB_NAME}",
    }
    env.pop("STEDENNET_DEBUG", None)
    process = None
    database_made = False
    try:
        pg_version = database_recreate(args)
        database_made = True
        print(
            f"# machine: nproc={os.cpu_count()} ({len(os.sched_getaffinity(0))} usable), "
            f"python {platform.python_version()}, PostgreSQL {pg_version}, {platform.machine()} {platform.system()}; "
            f"gunicorn --workers {GUNICORN_WORKERS} (sync), {args.clients} concurrent clients on the same machine"
        )
        print(f"# setup: database {DB_NAME} on {HOST}:{args.pg_port}: migrate, load-g40, collectstatic, scale up")
        stedennet(env, "migrate", "--no-input")
        stedennet(env, "load-g40")
        stedennet(env, "collectstatic", "--no-input", "--verbosity", "0")

        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings

        if settings.DEBUG:
            raise SystemExit("STEDENNET_DEBUG is on; measure with DEBUG off")
        scaled = scale_to_national()
        print(
            f"# data: {scaled['members_today']} of {scaled['municipalities']} municipalities members today "
            f"({scaled['members_added']} added, {scaled['members_skipped']} skipped); "
            f"{scaled['figures_total']} population figures ({scaled['figures_added']} added). "
            f"ALL ADDED MEMBERSHIPS AND FIGURES ARE INVENTED ({BENCH_NOTE!r})."
        )
        queries = queries_per_page()
        require_200({page: [f"HTTP {status}"] for page, (_count, status) in queries.items() if status != 200},
                    "Django test client, before serving")
        from django.db import connections

        connections.close_all()

        log_path = work_dir / "gunicorn.log"
        process = gunicorn_start(env, port, log_path)
        wait_until_healthy(process, port, log_path)
        print(f"# server: http://{HOST}:{port}/ up; {args.warmup} warm-up + {args.requests} measured requests "
              f"per page, {args.clients} clients (http.client keep-alive threads)")

        header = f"{'page':<{PAGE_WIDTH}} {'requests':>8} {'errors':>6} {'median':>8} {'p95':>8} {'p99':>8} " \
                 f"{'req/s':>7} {'queries':>7} {'KiB':>6}"
        print(header)
        print("-" * len(header))
        p95s: dict[str, float] = {}
        failed: dict[str, list[str]] = {}
        for page in PAGES:
            if args.warmup:
                hammer(port, page, args.warmup, args.clients)
            run = hammer(port, page, args.requests, args.clients)
            values = sorted(run.latencies_ms)
            p95s[page] = percentile(values, 95)
            median = statistics.median(values) if values else math.nan
            count, _status = queries[page]  # all 200: require_200 above
            print(
                f"{page:<{PAGE_WIDTH}} {len(values):>8} {len(run.errors):>6} {median:>6.1f}ms "
                f"{p95s[page]:>6.1f}ms {percentile(values, 99):>6.1f}ms {len(values) / run.seconds:>7.1f} "
                f"{count:>7} {run.bytes_last / 1024:>6.1f}"
            )
            for error in sorted(set(run.errors))[:3]:
                print(f"    error: {error} ({run.errors.count(error)}x)")
            if run.errors:
                failed[page] = [f"{error} ({run.errors.count(error)}x)" for error in sorted(set(run.errors))]
        verdicts = [
            f"{page} {p95:.1f} ms {'ok' if p95 <= TARGET_P95_MS else 'MISSES'}" for page, p95 in p95s.items()
        ]
        missed = sum(p95 > TARGET_P95_MS for p95 in p95s.values())
        print(f"# p95 vs {TARGET_P95_MS:.0f} ms target: {'; '.join(verdicts)} "
              f"=> {len(p95s) - missed}/{len(p95s)} within target (invented benchmark data)")
        require_200(failed, "under load through gunicorn")
    finally:
        if process is not None:
            gunicorn_stop(process)
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if database_made:
            database_drop(args)
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
