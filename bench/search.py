"""How fast is search over a realistic corpus? A script that prints figures, not a test.

It builds a throw-away PostgreSQL database (``stedennet_bench_search``), migrates it, loads the G40
(``stedennet load-g40``: municipalities, members, partners, bodies) and generates a corpus of Dutch
text: by default 40,000 library items, 35,000 questions and 45,000 answers (120,000 findable
items) by 600 people of the member cities, with a mix of visibility levels (public, members,
members and partners, one theme group). Everything the script adds is INVENTED benchmark data:
flagged ``is_demo`` and marked "BENCHMARK DATA, invented" in its text.

It indexes the corpus in bulk (``search_index.rebuild``, not one task per row), then measures,
for a fixed set of ten Dutch queries (with inflections: the index holds other forms of the words),
the latency of ``search.selectors.search`` (hits, snippets, facets and total, as the page shows
them) for three viewers (anonymous, a member of one theme group, the bureau) and of the whole
page through Django's test client (in-process HTTP, no network), beside a bare ``SELECT 1`` round
trip measured in the same run on the same connection. At the end it drops the database.

    .venv/bin/python bench/search.py --items 120000 --runs 30

Needs a PostgreSQL server on 127.0.0.1:5432 that lets user ``postgres`` in without a password
(``--pg-port``/``--pg-user`` to change). Only 127.0.0.1 is ever contacted.
"""

import argparse
import datetime
import math
import os
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

REPO_DIR = Path(__file__).resolve().parent.parent
BIN_DIR = REPO_DIR / ".venv" / "bin"
HOST = "127.0.0.1"  # the only address this script ever talks to
DB_NAME = "stedennet_bench_search"
BENCH_NOTE = "BENCHMARK DATA, invented"
SEED = 40
PEOPLE = 600
TARGET_P95_MS = 100.0

# The fixed query set: what people of the cities would type, in other forms than the corpus has
# them (plural for singular, a verb's -t for its infinitive, a participle, -s plurals).
QUERIES = [
    "schuldhulpverleningen",
    "organiseert",
    "wachtlijst jeugdzorg",
    "huisvesting statushouders",
    "georganiseerd",
    "energietransitie wijken",
    "leegstand binnenstad",
    "vroegsignalering schulden",
    "arbeidsmarkt jongeren",
    "gemeente",
]

# --- the corpus: Dutch policy prose from parts, so words recur in many forms ------------------------

TOPICS = [
    ("schuldhulpverlening", "armoede"), ("armoedebestrijding", "armoede"), ("vroegsignalering", "armoede"),
    ("jeugdzorg", "jeugd"), ("jeugdhulp", "jeugd"), ("wachtlijsten", "jeugd"), ("pleegzorg", "jeugd"),
    ("woningbouw", "wonen"), ("huisvesting", "wonen"), ("statushouders", "wonen"), ("woningcorporaties", "wonen"),
    ("energietransitie", "wonen"), ("mobiliteit", "mobiliteit"), ("fietspaden", "mobiliteit"),
    ("openbaar vervoer", "mobiliteit"), ("binnensteden", "binnensteden"), ("leegstand", "binnensteden"),
    ("winkelgebieden", "binnensteden"), ("arbeidsmarkt", "arbeidsmarkt"), ("werkgelegenheid", "arbeidsmarkt"),
    ("laaggeletterdheid", "arbeidsmarkt"), ("participatie", "sociaal"), ("eenzaamheid", "sociaal"),
    ("mantelzorg", "sociaal"), ("wijkteams", "sociaal"), ("klimaatadaptatie", "fysiek"), ("hittestress", "fysiek"),
    ("ondermijning", "veiligheid"), ("digitalisering", "bestuur"), ("inburgering", "sociaal"),
]
SUBJECTS = ["De gemeente", "Het college", "Het wijkteam", "De wethouder", "Onze afdeling", "Het sociaal team",
            "De regio", "Een projectgroep", "De raad", "Het netwerk", "De coördinator", "Het programmateam"]
VERBS = [  # (third person, infinitive, participle)
    ("organiseert", "organiseren", "georganiseerd"), ("ontwikkelt", "ontwikkelen", "ontwikkeld"),
    ("investeert", "investeren", "geïnvesteerd"), ("onderzoekt", "onderzoeken", "onderzocht"),
    ("evalueert", "evalueren", "geëvalueerd"), ("versterkt", "versterken", "versterkt"),
    ("financiert", "financieren", "gefinancierd"), ("begeleidt", "begeleiden", "begeleid"),
    ("verbetert", "verbeteren", "verbeterd"), ("monitort", "monitoren", "gemonitord"),
    ("deelt", "delen", "gedeeld"), ("bundelt", "bundelen", "gebundeld"),
]
OBJECTS = ["de aanpak", "een pilot", "nieuwe afspraken", "de samenwerking met partners", "een regionale werkgroep",
           "de dienstverlening aan inwoners", "extra capaciteit", "een kennissessie", "de uitvoering",
           "een plan van aanpak", "de inzet van ervaringsdeskundigen", "het beleid", "een wijkgerichte aanpak"]
PEOPLE_WORDS = ["inwoners", "jongeren", "ouderen", "gezinnen", "ondernemers", "statushouders", "huurders",
                "werkzoekenden", "kinderen", "mantelzorgers", "vrijwilligers", "bewoners"]
PLACES_WORDS = ["in de wijk", "in de binnenstad", "in de regio", "op het platteland", "in kwetsbare buurten",
                "bij het stadhuis", "rond het station", "in nieuwbouwwijken", "in de hele gemeente"]
EXTRA = [
    "De resultaten worden na een jaar geëvalueerd.", "Wij delen graag onze ervaringen met andere steden.",
    "De wachtlijst is in twee jaar gehalveerd.", "Er is structureel geld nodig van het Rijk.",
    "Het gemeentefonds schiet tekort voor deze taak.", "Samenwerking met woningcorporaties bleek essentieel.",
    "De doelgroep is moeilijk te bereiken.", "Een monitor laat zien waar de knelpunten zitten.",
    "We werken met vaste contactpersonen per wijk.", "De kosten vallen lager uit dan verwacht.",
    "Schulden worden eerder gesignaleerd door samenwerking met energieleveranciers.",
    "Jongeren vinden sneller een baan via leerwerktrajecten.", "Leegstaande winkels krijgen een nieuwe functie.",
]
QUESTION_OPENINGS = ["Wie heeft ervaring met", "Hoe pakken jullie", "Welke gemeente heeft een goed voorbeeld van",
                     "Heeft iemand een evaluatie van", "Wat kost", "Hoe organiseren jullie",
                     "Wie werkt samen met het Rijk aan"]


def sentence(rng: random.Random, topic: str, city: str) -> str:
    third, infinitive, participle = rng.choice(VERBS)
    form = rng.random()
    if form < 0.4:
        return f"{rng.choice(SUBJECTS)} {third} {rng.choice(OBJECTS)} voor {rng.choice(PEOPLE_WORDS)} " \
               f"{rng.choice(PLACES_WORDS)}, gericht op {topic}."
    if form < 0.7:
        return f"In {city} is {rng.choice(OBJECTS)} rond {topic} {participle} samen met {rng.choice(PEOPLE_WORDS)}."
    if form < 0.85:
        return f"We willen {rng.choice(OBJECTS)} voor {topic} {infinitive} {rng.choice(PLACES_WORDS)}."
    return rng.choice(EXTRA)


def text(rng: random.Random, topic: str, city: str, sentences: int) -> str:
    return " ".join(sentence(rng, topic, city) for _ in range(sentences))


# --- database ---------------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=120_000,
                        help="findable items to generate: library items, questions and answers (default 120000)")
    parser.add_argument("--runs", type=int, default=30, help="measured runs per query and viewer (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="unmeasured runs per query and viewer first (default 3)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the database afterwards, to look into it (drop it yourself)")
    parser.add_argument("--pg-port", type=int, default=5432, help="PostgreSQL port on 127.0.0.1 (default 5432)")
    parser.add_argument("--pg-user", default="postgres", help="PostgreSQL user (default postgres)")
    args = parser.parse_args()
    if args.items < 100 or args.runs < 1 or args.warmup < 0:
        parser.error("--items must be at least 100, --runs at least 1, --warmup at least 0")
    return args


def admin_connection(args: argparse.Namespace) -> psycopg.Connection:
    return psycopg.connect(host=HOST, port=args.pg_port, user=args.pg_user, dbname="postgres", autocommit=True,
                           connect_timeout=10)


def database_recreate(args: argparse.Namespace) -> str:
    with admin_connection(args) as conn:
        version = conn.execute("SHOW server_version").fetchone()[0]
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return version


def database_drop(args: argparse.Namespace) -> None:
    with admin_connection(args) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME)))


def stedennet(env: dict[str, str], *command: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own venv's command with fixed arguments
        [str(BIN_DIR / "stedennet"), *command], env=env, cwd=REPO_DIR, capture_output=True, text=True,
        timeout=600, check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"stedennet {' '.join(command)} failed with exit code {result.returncode}")
    for line in result.stdout.strip().splitlines()[-2:]:
        print(f"    {line}")


# --- generating and indexing (in this process, after django.setup()) ---------------------------------


def corpus_generate(total: int) -> dict[str, int]:
    """Library items, questions and answers (1 : 0.875 : 1.125), bulk-created without signals."""
    from django.db import transaction
    from django.utils import timezone

    from stedennet.governance.models import Body, BodyKind, Person, PersonFunction, Visibility
    from stedennet.knowledge.models import Answer, LibraryItem, Question
    from stedennet.membership.selectors import member_codes
    from stedennet.registry.models import Municipality
    from stedennet.registry.selectors import network_current

    rng = random.Random(SEED)
    network = network_current()
    codes = member_codes(network=network, day=timezone.localdate()) if network else []
    cities = list(Municipality.objects.filter(cbs_code__in=codes)) or list(Municipality.objects.all()[:40])
    groups = list(Body.objects.filter(kind=BodyKind.THEME_GROUP))
    pillars = {b.pk: b for b in Body.objects.filter(kind=BodyKind.PILLAR)}
    if not groups:
        raise SystemExit("load-g40 loaded no theme groups")
    now = timezone.now()

    def when() -> datetime.datetime:
        return now - datetime.timedelta(days=rng.randint(0, 5 * 365), minutes=rng.randint(0, 1440))

    def visibility() -> tuple[str, Body | None]:
        roll = rng.random()
        if roll < 0.2:
            return Visibility.PUBLIC, None
        if roll < 0.7:
            return Visibility.MEMBERS, None
        if roll < 0.85:
            return Visibility.MEMBERS_AND_PARTNERS, None
        return Visibility.BODY, rng.choice(groups)

    with transaction.atomic():
        people = Person.objects.bulk_create([
            Person(name=f"Benchmark Persoon {n}", email=f"benchmark{n}@example.invalid",
                   function=rng.choice([PersonFunction.CIVIL_SERVANT] * 3 + [PersonFunction.ALDERMAN]),
                   municipality=rng.choice(cities), portfolio=rng.choice(TOPICS)[0],
                   expertise=f"{rng.choice(TOPICS)[0]}, {rng.choice(TOPICS)[0]} ({BENCH_NOTE})", is_demo=True)
            for n in range(PEOPLE)
        ])

    n_library = round(total * 8 / 24)
    n_questions = round(total * 7 / 24)
    n_answers = total - n_library - n_questions
    batch = 5000

    library: list[LibraryItem] = []
    created_at: list[datetime.datetime] = []
    for n in range(n_library):
        topic, _theme = rng.choice(TOPICS)
        city = rng.choice(cities)
        level, group = visibility()
        theme_group = group or rng.choice(groups)
        library.append(LibraryItem(
            title=f"{topic.capitalize()} in {city.display_name}: {rng.choice(OBJECTS)}"[:300],
            summary=f"{text(rng, topic, city.display_name, 2)} ({BENCH_NOTE})",
            body="".join(f"<p>{text(rng, topic, city.display_name, rng.randint(3, 6))}</p>" for _ in range(3)),
            municipality=city, pillar=pillars.get(theme_group.parent_id), theme_group=theme_group,
            visibility=level, group=group, author=rng.choice(people), is_demo=True,
        ))
        created_at.append(when())
        if len(library) >= batch or n == n_library - 1:
            with transaction.atomic():
                made = LibraryItem.objects.bulk_create(library)
                for item, moment in zip(made, created_at, strict=True):
                    item.created_at = moment
                LibraryItem.objects.bulk_update(made, ["created_at"], batch_size=1000)
            library, created_at = [], []

    question_ids: list[int] = []
    questions: list[Question] = []
    for n in range(n_questions):
        topic, _theme = rng.choice(TOPICS)
        asker = rng.choice(people)
        level, group = visibility()
        questions.append(Question(
            title=f"{rng.choice(QUESTION_OPENINGS)} {topic}?"[:200],
            body=f"{text(rng, topic, asker.municipality.display_name, rng.randint(2, 4))} ({BENCH_NOTE})",
            asker=asker, municipality=asker.municipality, group=group or (rng.choice(groups) if rng.random() < 0.3
                                                                          else None),
            visibility=level, is_demo=True,
        ))
        if len(questions) >= batch or n == n_questions - 1:
            with transaction.atomic():
                made = Question.objects.bulk_create(questions)
                for question in made:
                    question.created_at = when()
                Question.objects.bulk_update(made, ["created_at"], batch_size=1000)
                question_ids.extend(q.pk for q in made)
            questions = []

    answers: list[Answer] = []
    for n in range(n_answers):
        topic, _theme = rng.choice(TOPICS)
        author = rng.choice(people)
        answers.append(Answer(question_id=rng.choice(question_ids), author=author,
                              body=f"{text(rng, topic, author.municipality.display_name, rng.randint(2, 5))} "
                                   f"({BENCH_NOTE})"))
        if len(answers) >= batch or n == n_answers - 1:
            with transaction.atomic():
                Answer.objects.bulk_create(answers)
            answers = []
    return {"library items": n_library, "questions": n_questions, "answers": n_answers, "people": PEOPLE}


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    return sorted_values[max(1, math.ceil(len(sorted_values) * pct / 100)) - 1]


def timed(function, runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        function()
    values = []
    for _ in range(runs):
        began = time.perf_counter()
        function()
        values.append((time.perf_counter() - began) * 1000)
    return sorted(values)


def measure(args: argparse.Namespace) -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from stedennet.accounts.constants import Role as AccountRole
    from stedennet.accounts.services import roles_ensure
    from stedennet.governance.access import ANONYMOUS, Viewer
    from stedennet.governance.models import Body, BodyKind, Person, Position
    from stedennet.search.selectors import search

    group = Body.objects.filter(kind=BodyKind.THEME_GROUP).order_by("pk").first()
    viewers = {
        "anonymous": ANONYMOUS,
        "member": Viewer(is_authenticated=True, is_member=True, body_ids=frozenset({group.pk})),
        "bureau": Viewer(is_authenticated=True, is_bureau=True),
    }

    def round_trip() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()

    select1 = timed(round_trip, max(1000, args.runs * 10), 50)
    print(f"# SELECT 1 round trip (same connection, {len(select1)} runs): median {statistics.median(select1):.3f} ms, "
          f"p95 {percentile(select1, 95):.3f} ms")

    header = f"{'query':<28} {'viewer':<10} {'hits':>7} {'queries':>7} {'median':>9} {'p95':>9} {'p95/SELECT1':>11}"
    print(header)
    print("-" * len(header))
    select1_p95 = percentile(select1, 95)
    overall: dict[str, list[float]] = {name: [] for name in viewers}
    for query in QUERIES:
        for name, viewer in viewers.items():
            with CaptureQueriesContext(connection) as context:
                results = search(viewer, query)
            values = timed(lambda q=query, v=viewer: search(v, q), args.runs, args.warmup)
            overall[name].extend(values)
            print(f"{query:<28} {name:<10} {results.total:>7} {len(context.captured_queries):>7} "
                  f"{statistics.median(values):>7.1f}ms {percentile(values, 95):>7.1f}ms "
                  f"{percentile(values, 95) / select1_p95:>10.0f}x")
    print("-" * len(header))
    for name, values in overall.items():
        values.sort()
        print(f"{'all ten queries':<28} {name:<10} {'':>7} {'':>7} {statistics.median(values):>7.1f}ms "
              f"{percentile(values, 95):>7.1f}ms {percentile(values, 95) / select1_p95:>10.0f}x")

    # The whole page through Django's test client (in-process: URL routing, middleware, session,
    # viewer, template), signed in as a member of one theme group.
    from django.contrib.auth import get_user_model

    groups = roles_ensure()
    user = get_user_model().objects.create_user(username="benchmark-member", password=secrets.token_urlsafe(16))
    user.groups.add(groups[AccountRole.CIVIL_SERVANT])
    person = Person.objects.filter(name__startswith="Benchmark Persoon").first()
    Person.objects.filter(pk=person.pk).update(user=user)
    Position.objects.create(person=person, body=group, start_date=datetime.date(2024, 1, 1))
    client = Client(HTTP_HOST=HOST)
    client.force_login(user)
    page_values: list[float] = []
    for query in QUERIES:
        page_values.extend(timed(lambda q=query: client.get("/zoeken/", {"q": q}), max(5, args.runs // 3), 1))
    page_values.sort()
    print(f"# /zoeken/?q=… whole page, member, test client: median {statistics.median(page_values):.1f} ms, "
          f"p95 {percentile(page_values, 95):.1f} ms ({len(page_values)} requests)")
    member_p95 = percentile(sorted(overall["member"]), 95)
    verdict = "ok" if member_p95 <= TARGET_P95_MS else "MISSES"
    print(f"# search p95 for a member over the ten queries: {member_p95:.1f} ms vs {TARGET_P95_MS:.0f} ms target: "
          f"{verdict} (invented benchmark data)")


def main() -> None:
    args = parse_args()
    work_dir = Path(tempfile.mkdtemp(prefix="stedennet-bench-search-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "stedennet.conf.settings",
        "STEDENNET_SECRET_KEY": secrets.token_urlsafe(50),
        "STEDENNET_ALLOWED_HOSTS": f"{HOST},localhost",
        "STEDENNET_SECURE_COOKIES": "false",
        "STEDENNET_DATA_DIR": str(work_dir),
        "STEDENNET_LOG_LEVEL": "WARNING",
        "DATABASE_URL": f"postgres://{args.pg_user}@{HOST}:{args.pg_port}/{DB_NAME}",
    }
    env.pop("STEDENNET_DEBUG", None)
    database_made = False
    try:
        pg_version = database_recreate(args)
        database_made = True
        print(f"# machine: nproc={os.cpu_count()} ({len(os.sched_getaffinity(0))} usable), "
              f"python {platform.python_version()}, PostgreSQL {pg_version}, {platform.machine()} {platform.system()}")
        print(f"# setup: database {DB_NAME} on {HOST}:{args.pg_port}: "
              "migrate, load-g40, collectstatic, generate, index")
        stedennet(env, "migrate", "--no-input")
        stedennet(env, "load-g40")
        stedennet(env, "collectstatic", "--no-input", "--verbosity", "0")

        os.environ.update(env)
        import django

        django.setup()
        from django.conf import settings
        from django.db import connection

        if settings.DEBUG:
            raise SystemExit("STEDENNET_DEBUG is on; measure with DEBUG off")
        began = time.perf_counter()
        made = corpus_generate(args.items)
        generated = time.perf_counter() - began
        print(f"# data: {', '.join(f'{count:,} {name}' for name, count in made.items())} generated in "
              f"{generated:.0f} s. ALL OF IT IS INVENTED ({BENCH_NOTE!r}, is_demo).")

        from stedennet.search.index import rebuild
        from stedennet.search.models import SearchDocument

        began = time.perf_counter()
        counts = rebuild()
        indexed = time.perf_counter() - began
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
            cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('search_searchdocument'))")
            size = cursor.fetchone()[0]
        findable = sum(counts.values())
        print(f"# index: {findable:,} rows ({', '.join(f'{k} {v:,}' for k, v in counts.items() if v)}) in "
              f"{indexed:.0f} s (bulk rebuild, dutch tsvector + GIN), {size} on disk; "
              f"{SearchDocument.objects.count():,} rows counted")
        measure(args)
    finally:
        if "django" in sys.modules:
            from django.db import connections

            connections.close_all()
        if database_made and args.keep:
            print(f"# kept database {DB_NAME}: DROP DATABASE {DB_NAME} when done")
        elif database_made:
            database_drop(args)
        shutil.rmtree(work_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
