"""How fast does the Tweede Kamer mirror apply its feed? A script that prints figures, not a test.

It generates feed entries of the documented SyncFeed shapes (by default 100,000, over seven
categories: Kamerstukdossier, Zaak, ZaakActor, Document, Besluit, Stemming, Toezegging; Toezegging
in ``ns1:`` with ``+0100`` offsets, some entities in no namespace, about 8% later versions of
earlier entities and 2% tombstones, references between them and to entities never delivered),
in pages of 250 entries as the real feed serves them. Everything is INVENTED benchmark data.

It then measures, in the same run and on the same pages:

- **lxml alone**: ``etree.fromstring`` of every page with the mirror's safe parser settings,
  walking every element (the floor: what reading the XML costs at all);
- **parse**: the mirror's own page parser (``feed.parse_page``: entries, GUIDs, cursors, times,
  fields and references);
- **parse + apply**: ``parse_page`` and ``services.page_apply`` per page, each page in one
  transaction with its cursor move, as ``stedennet parliament sync`` does (HTTP left out);

- **matching**: advocacy's ``matching.match_pending()`` over everything applied, against a few
  dossiers with rules of every kind (kamerstuk dossier numbers, lead committees, kinds of case,
  Dutch search terms with stemming, MPs), as after a sync (``--no-matching`` to leave it out);

and prints entries per second for each, and the number of suggestions matching made. The
parse + apply figure is the mirror's alone: advocacy's receiver (which matches after every page)
is disconnected while it is measured, and matching is measured by itself afterwards from the
start (``MatchProgress`` emptied), over every entity the pages left.

    .venv/bin/python bench/parliament_sync.py --entries 100000
    .venv/bin/python bench/parliament_sync.py --entries 5000      # a quick check

By default it runs on a throw-away SQLite file in a temporary directory. With ``DATABASE_URL``
naming a PostgreSQL server (``postgres://postgres@127.0.0.1:5432/anything``) it creates a
throw-away database ``stedennet_bench_parliament`` on that server instead, and drops it at the
end; the database named in the URL is never touched. Only 127.0.0.1 (or the server in
``DATABASE_URL``) is ever contacted.
"""

import argparse
import os
import platform
import secrets
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_DIR / "src"))
from scratch import admin_execute, postgres_server  # noqa: E402 (bench/ is the script's folder)

DB_NAME = "stedennet_bench_parliament"
PAGE_SIZE = 250  # entries per page, as the real SyncFeed serves them
BENCH_NOTE = "BENCHMARK DATA, invented"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=100_000, help="feed entries to generate (default 100000)")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help=f"entries per page (default {PAGE_SIZE})")
    parser.add_argument("--seed", type=int, default=40, help="of the generated feed (default 40)")
    parser.add_argument("--no-matching", action="store_true", help="leave out advocacy's matching")
    return parser.parse_args()


def generate_pages(args: argparse.Namespace) -> tuple[dict[str, list[bytes]], int, int]:
    """Pages per category (in feed order), the number of entries and of bytes."""
    from stedennet.parliament.tests.tkfeed import feed, generated

    entries = generated(args.entries, seed=args.seed)
    by_category = defaultdict(list)
    for entry in entries:
        by_category[entry.category].append(entry)
    del entries
    pages, size = {}, 0
    for category, items in by_category.items():
        pages[category] = [feed(items[start:start + args.page_size], category=category,
                                base="https://gegevensmagazijn.tweedekamer.nl")
                           for start in range(0, len(items), args.page_size)]
        size += sum(len(page) for page in pages[category])
    return pages, args.entries, size


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:>10,.0f} entries/s ({seconds:7.2f} s)"


def measure(args: argparse.Namespace) -> None:
    from django.db import connection
    from lxml import etree

    from stedennet.parliament.feed import _parser, parse_page
    from stedennet.parliament.models import ENTITY_MODELS, FeedCursor, RawEntry
    from stedennet.parliament.services import page_apply

    started = time.perf_counter()
    pages, count, size = generate_pages(args)
    page_count = sum(len(p) for p in pages.values())
    print(f"# {count:,} generated entries ({BENCH_NOTE}) in {page_count} pages of up to {args.page_size}, "
          f"{size / 1024 / 1024:.1f} MB of XML, made in {time.perf_counter() - started:.1f} s")
    print(f"# database: {connection.vendor} ({connection.settings_dict['NAME']}); Python {platform.python_version()}, "
          f"lxml {'.'.join(map(str, etree.LXML_VERSION))}, {platform.machine()}, {os.cpu_count()} CPUs")

    # 1. lxml alone: parse every page and walk every element.
    parser = _parser()
    started = time.perf_counter()
    elements = 0
    for category_pages in pages.values():
        for page in category_pages:
            root = etree.fromstring(page, parser)
            elements += sum(1 for _element in root.iter())
    lxml_seconds = time.perf_counter() - started

    # 2. The mirror's parser alone.
    started = time.perf_counter()
    parsed = 0
    for category, category_pages in pages.items():
        for page in category_pages:
            parsed += len(parse_page(page, category).entries)
    parse_seconds = time.perf_counter() - started
    assert parsed == count

    # 3. Parse + apply: each page in one transaction with its cursor, as the sync does; the mirror
    #    alone (advocacy's matching after each page is measured by itself below).
    from stedennet.parliament.signals import entities_applied

    entities_applied.disconnect(dispatch_uid="advocacy-match-applied")
    started = time.perf_counter()
    applied = 0
    for category, category_pages in pages.items():
        FeedCursor.objects.get_or_create(category=category)
        cursor = None
        for page in category_pages:
            result = page_apply(category, parse_page(page, category), expected_skiptoken=cursor)
            cursor = result.skiptoken
            applied += result.entries
    apply_seconds = time.perf_counter() - started
    assert applied == count == RawEntry.objects.count()

    print(f"{'lxml alone (parse, walk)':<34}{rate(count, lxml_seconds)}  {elements:,} elements")
    print(f"{'mirror parser (feed.parse_page)':<34}{rate(count, parse_seconds)}  "
          f"{parse_seconds / lxml_seconds:.1f}x lxml alone")
    print(f"{'parse + apply (one page per txn)':<34}{rate(count, apply_seconds)}  "
          f"{apply_seconds / lxml_seconds:.1f}x lxml alone")
    stored = {category: model.objects.count() for category, model in ENTITY_MODELS.items()}
    print("# stored: " + ", ".join(f"{category} {number:,}" for category, number in stored.items() if number))
    if not args.no_matching:
        measure_matching(count, stored)


# Dossiers with rules of every kind, on the words, dossier numbers and names the generated feed
# holds (``tkfeed.generated``): (pillar, theme group, title, [rule criteria]). Some rules find many
# entities, some few, some none (committees the generated feed never names): all are evaluated.
BENCH_DOSSIERS = [
    ("sociale-pijler", "themagroep-jeugd", "Jeugdzorg (benchmark)", [
        {"terms": "jeugdzorg"},
        {"dossier_numbers": "36007-VII, 36014-XV, 36021-B, 36028", "case_kinds": "Motie, Amendement"},
    ]),
    ("sociale-pijler", "themagroep-armoede-en-schulden", "Armoede en schulden (benchmark)", [
        {"terms": "armoede, schuldhulpverlening"},
        {"mps": "Bakker", "terms": "gemeentefonds"},
        {"committees": "SZW, vaste commissie voor Sociale Zaken en Werkgelegenheid"},
    ]),
    ("fysieke-pijler", "themagroep-wonen", "Woningbouw en klimaatadaptatie (benchmark)", [
        {"terms": "woningbouw, klimaatadaptatie in binnensteden"},
        {"committees": "VRO, BiZa", "case_kinds": "Brief regering"},
        {"mps": "Jansen, Bakker", "case_kinds": "Toezegging", "terms": "woningbouw"},
    ]),
    ("pijler-economie-en-werk", "themagroep-arbeidsmarkt", "Arbeidsmarkt (benchmark)", [
        {"terms": "arbeidsmarkt", "case_kinds": "Motie, Schriftelijke vragen, Toezegging"},
        {"dossier_numbers": "36600-VII, 36035-XV, 36042", "terms": "ondermijning, mobiliteit"},
    ]),
]


def measure_matching(count: int, stored: dict[str, int]) -> None:
    """Advocacy's ``match_pending`` over everything the pages left, against the bench dossiers."""
    import datetime
    import io

    from django.core.management import call_command

    from stedennet.advocacy import matching, services
    from stedennet.advocacy.models import DossierItem, MatchProgress, MatchRule
    from stedennet.governance.models import Body

    started = time.perf_counter()
    call_command("load_g40", stdout=io.StringIO(), stderr=io.StringIO())  # the network, pillars, theme groups
    rules = 0
    for pillar, group, title, criteria in BENCH_DOSSIERS:
        pillar_body = Body.objects.get(slug=pillar)
        dossier = services.dossier_create(network=pillar_body.network, pillar=pillar_body, title=title,
                                          opened_on=datetime.date(2025, 1, 1), owners=[Body.objects.get(slug=group)],
                                          summary=BENCH_NOTE, is_demo=True)
        for criterion in criteria:
            rule = MatchRule(dossier=dossier, name=BENCH_NOTE, **criterion)
            matching.rule_check(rule)
            rule.save()
            rules += 1
    MatchProgress.objects.all().delete()  # match everything applied, from the start
    print(f"# matching: {len(BENCH_DOSSIERS)} dossiers with {rules} rules (G40 loaded in "
          f"{time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    suggestions = matching.match_pending()
    seconds = time.perf_counter() - started
    examined = sum(stored.get(category, 0) for category in matching.MATCHED)
    assert suggestions == DossierItem.objects.count()
    print(f"{'matching (match_pending)':<34}{rate(count, seconds)}  {suggestions:,} suggestions; "
          f"{examined / seconds:,.0f} matchable entities/s ({examined:,} cases, documents, activities, "
          f"commitments; actors and dossiers followed)")


def main() -> None:
    args = parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="stedennet-bench-parliament-"))
    url = os.environ.get("DATABASE_URL", "")
    server = postgres_server(url, DB_NAME) if url else None
    if server:
        admin_url, database_url = server
        admin_execute(admin_url, f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        admin_execute(admin_url, f'CREATE DATABASE "{DB_NAME}"')
    else:
        database_url = f"sqlite:///{work_dir / 'bench.sqlite3'}"
    os.environ.update({
        "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings",
        "DATABASE_URL": database_url,
        "STEDENNET_DATA_DIR": str(work_dir),
        "STEDENNET_SECRET_KEY": os.environ.get("STEDENNET_SECRET_KEY") or secrets.token_urlsafe(32),
        "STEDENNET_ALLOWED_HOSTS": "localhost",
        "STEDENNET_LOG_LEVEL": "WARNING",
        "STEDENNET_TASKS_BACKEND": "django_tasks.backends.dummy.DummyBackend",
    })
    try:
        import django
        from django.core.management import call_command

        django.setup()
        started = time.perf_counter()
        call_command("migrate", verbosity=0, interactive=False)
        print(f"# migrated a fresh database in {time.perf_counter() - started:.1f} s")
        measure(args)
    finally:
        from django.db import connections

        connections.close_all()
        if server:
            admin_execute(server[0], f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
