"""Fixtures shared by every test: the G40 network loaded from its seed, users per role, media
files in a temporary directory."""

import io
import json
import os
import socket
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stedennet.accounts.constants import Role
from stedennet.accounts.services import roles_ensure
from stedennet.registry.models import Network
from stedennet.web.audit import audit_paused

# The local OpenID Connect provider, started as its own process by the tests that sign in through it.
pytest_plugins = ["tests.oidc_provider.fixtures"]

# --- The G40, loaded once per test database ---------------------------------------------------
#
# `load_g40` runs some 750 queries. It runs once per test database (once per xdist worker), right
# after the migrations, and stays committed there. A test that asks for `g40` (or a fixture built
# on it) finds it inside its own rolled-back transaction; every other test starts with the G40
# taken out again, inside that same transaction, so no test sees the G40 unless it asks for it,
# as before. Tests in transactions of their own (transactional_db, live_server) flush the
# database when they end; the next ordinary test gets the database back as it was.


def _serialized() -> dict[tuple[str, object], dict]:
    """Every object in the test database, as Django's test runner serializes it, by (model, pk)."""
    from django.db import connection

    return {(o["model"], o["pk"]): o for o in json.loads(connection.creation.serialize_db_to_string())}


TRIGGER_FILLED = {"wagtailsearch.sqliteftsindexentry"}


def _load_raw(objects: list[dict]) -> None:
    """Put serialized objects into the database as they are (like `loaddata`: raw, no save()
    logic, no signals), one INSERT per table. The content types go first: building a Wagtail
    page or task looks its content type up (and would create a missing one)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    content_types = [o for o in objects if o["model"] == "contenttypes.contenttype"]
    # Wagtail's SQLite full-text rows are written by a trigger on each index entry: not by us too.
    objects = [o for o in objects if o["model"] not in TRIGGER_FILLED]
    with transaction.atomic(), connection.constraint_checks_disabled():
        _insert_raw(content_types)
        ContentType.objects.clear_cache()
        _insert_raw([o for o in objects if o["model"] != "contenttypes.contenttype"])


def _insert_raw(objects: list[dict]) -> None:
    from django.core import serializers
    from django.db import connection

    by_model, links = defaultdict(list), defaultdict(list)
    for item in serializers.deserialize("python", objects):
        by_model[type(item.object)].append(item.object)
        for name, pks in (item.m2m_data or {}).items():
            field = item.object._meta.get_field(name)
            through = field.remote_field.through
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            links[through].extend(through(**{f"{source}_id": item.object.pk, f"{target}_id": pk}) for pk in pks)
    # QuerySet._insert(raw=True) writes the values as they are, as save_base(raw=True) does:
    # bulk_create would stamp auto_now_add fields anew and refuses multi-table inheritance.
    for model, instances in [*by_model.items(), *links.items()]:
        fields = [f for f in model._meta.local_concrete_fields if not (f.primary_key and model in links)]
        size = max(1, connection.ops.bulk_batch_size(fields, instances))
        for start in range(0, len(instances), size):
            model._base_manager._insert(instances[start:start + size], fields=fields, raw=True, using=connection.alias)


def _delete(model, pks: list | None) -> None:
    """Delete the rows of ``model`` with these primary keys (None: all), with their many-to-many
    links, in plain SQL: no signals, no cascades (the database checks the keys at the end)."""
    from django.db import connection

    quote = connection.ops.quote_name
    tables = [(model._meta.db_table, model._meta.pk.column)] + [
        (f.remote_field.through._meta.db_table, f.remote_field.through._meta.get_field(f.m2m_field_name()).column)
        for f in model._meta.local_many_to_many if f.remote_field.through._meta.auto_created
    ]
    with connection.cursor() as cursor:
        for table, column in reversed(tables):
            if pks is None:
                cursor.execute(f"DELETE FROM {quote(table)}")  # noqa: S608 (names from the models)
                continue
            for start in range(0, len(pks), 500):
                chunk = pks[start:start + 500]
                cursor.execute(f"DELETE FROM {quote(table)} WHERE {quote(column)} IN "  # noqa: S608
                               f"({', '.join(['%s'] * len(chunk))})", chunk)


class _SessionData:
    """What the session loaded into the test database, and how to take it out or put it back."""

    blocker = None  # pytest-django's database blocker, to reach the database between tests
    flushed = False  # a test in its own transactions has emptied the database since the last restore

    def load(self, blocker) -> None:
        self.blocker = blocker
        before = _serialized()
        # The trail records nothing of the session's own G40 (and on PostgreSQL its append-only
        # triggers would refuse the DELETEs of taking it out).
        with audit_paused():
            call_command("load_g40", stdout=io.StringIO(), stderr=io.StringIO())
        after = _serialized()
        self.snapshot = list(after.values())
        # What load_g40 added, per model (None: the model had no rows before: empty its table), and
        # the rows that were there before and that it changed or removed, as they were.
        from django.apps import apps

        added, replaced, had_rows = defaultdict(list), defaultdict(list), {model for model, _pk in before}
        for model, pk in after.keys() - before.keys():
            added[model].append(pk)
        self.changed = [o for key, o in before.items() if after.get(key) != o]
        for o in self.changed:
            if (o["model"], o["pk"]) in after:
                replaced[o["model"]].append(o["pk"])
        self.added = {apps.get_model(label): None if label not in had_rows else pks for label, pks in added.items()}
        self.replaced = {apps.get_model(label): pks for label, pks in replaced.items()}
        self._check(before)

    def _check(self, before: dict) -> None:
        """Taking the G40 out must give exactly the database of the migrations: fail loudly if not."""
        from django.db import transaction

        with transaction.atomic():
            self.take_out()
            remaining = _serialized()
            transaction.set_rollback(True)
        if remaining != before:
            differ = sorted(str(key) for key in remaining.keys() ^ before.keys()
                            or {k for k in before if remaining[k] != before[k]})
            raise RuntimeError(f"conftest: taking the G40 out again leaves the database different from "
                               f"its migrations: {differ[:10]}")

    def take_out(self) -> None:
        """Remove the G40: a database as its migrations leave it (in one transaction: the keys are
        checked at its end)."""
        from django.db import transaction

        with audit_paused(), transaction.atomic():
            for model, pks in [*self.added.items(), *self.replaced.items()]:
                _delete(model, pks)
            if self.changed:
                _load_raw(self.changed)

    def restore(self) -> None:
        """After a flush: the database exactly as the session left it (migrations and the G40)."""
        from django.contrib.contenttypes.models import ContentType

        with self.blocker.unblock(), audit_paused():
            call_command("flush", verbosity=0, interactive=False, inhibit_post_migrate=True, reset_sequences=False)
            _load_raw(self.snapshot)
            ContentType.objects.clear_cache()  # the flush gave content types new ids; the old ones are back
        self.flushed = False


_SESSION = _SessionData()
_OWN_TRANSACTIONS = {"transactional_db", "live_server", "django_db_reset_sequences"}


def _in_own_transactions(item) -> bool:
    from pytest_django.plugin import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_rest = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    return bool(_OWN_TRANSACTIONS & set(getattr(item, "fixturenames", ())))


def _uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in getattr(item, "fixturenames", ())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb):
    """The test database after its migrations, with the G40 loaded once and committed."""
    with django_db_blocker.unblock():
        _SESSION.load(django_db_blocker)
    yield
    if django_db_keepdb:  # --reuse-db: leave the database as the migrations made it
        from django.db import transaction

        with django_db_blocker.unblock(), transaction.atomic():
            _SESSION.take_out()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before an ordinary database test opens its transaction: undo a flush by an earlier test."""
    if _SESSION.flushed and _uses_database(item) and not _in_own_transactions(item):
        _SESSION.restore()


def pytest_runtest_teardown(item, nextitem):
    if _in_own_transactions(item):
        _SESSION.flushed = True  # pytest-django flushes the database after such a test


@pytest.fixture(autouse=True)
def _g40_only_where_asked(request):
    """A test sees the G40 when it asks for it (`g40` or a fixture built on it); every other test
    starts with the database as its migrations leave it, as a fresh one."""
    if "g40" in request.fixturenames or not _uses_database(request.node):
        return
    request.getfixturevalue("_django_db_helper")  # the test's own (transactional or not), as it asked
    if not _SESSION.flushed:  # (a flushed database holds no G40)
        _SESSION.take_out()


@pytest.fixture
def g40(db) -> Network:
    """The G40 as `stedennet load-g40` loads it: 342 municipalities, 41 members, partners,
    Amstelveen's admission procedure, the membership and contribution rules, the bodies."""
    network = Network.objects.filter(slug="g40").first()
    if network is None:  # emptied by a test in its own transactions just before
        call_command("load_g40", stdout=io.StringIO(), stderr=io.StringIO())
        network = Network.objects.get(slug="g40")
        from django.db import connection

        if connection.in_atomic_block:  # rolled back with this test: put it back for the next one
            _SESSION.flushed = True
    return network


@pytest.fixture
def g40_billing(g40) -> Network:
    """The G40 with the demo billing details of `stedennet load-demo-billing` (placeholders, flagged demo)."""
    from stedennet.invoices.demo import demo_billing_load

    demo_billing_load(network=g40)
    return g40


@pytest.fixture
def g40_bodies(g40) -> Network:
    """The G40 with its bodies: AB, DB, AOT, coordinators, three pillars with BO/AO and (demo) theme groups."""
    from stedennet.governance.services import bodies_seed_load

    bodies_seed_load(network=g40)
    return g40


@pytest.fixture
def make_user(db):
    def make(username: str, role: Role | None = None, *, superuser: bool = False):
        groups = roles_ensure()
        user = get_user_model().objects.create_user(
            username=username, password="correct horse battery", is_superuser=superuser,
            is_staff=superuser or role == Role.BUREAU,
        )
        if role:
            user.groups.add(groups[role])
        return user

    return make


@pytest.fixture(autouse=True)
def _fresh_fragment_cache():
    """Each test starts with an empty fragment cache, as a freshly started server does, that has
    read no data version yet (the G40 of the session is not written again by each test)."""
    from django.core.cache import cache

    cache.clear()
    for name in ("stedennet.web.cache", "stedennet.web.cache"):  # wherever the fragment cache lives
        seen = getattr(sys.modules.get(name), "_seen", None)
        if seen is not None:
            seen.versions = {}
    yield
    cache.clear()


# --- Media files: in a directory of each test, never in the checkout ----------------------------

_CHECKOUT_MEDIA = tuple({
    os.path.abspath(Path(getattr(django_settings, "REPO_DIR", Path(__file__).parent)) / "var" / "media"),
    os.path.abspath(django_settings.MEDIA_ROOT),  # as configured (STEDENNET_DATA_DIR)
})
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_WRITING_EVENTS = {"open": 0, "os.mkdir": 0, "os.rename": 1, "os.link": 1, "os.symlink": 1, "shutil.copyfile": 1,
                   "os.truncate": 0, "os.utime": 0}
_checkout_media_writes: list[str] = []


def _refuse_writes_into_the_checkouts_media(event: str, args: tuple) -> None:
    """Audit hook (every thread of this process, so the live server's too): a write under the
    checkout's media directory is refused and noted; the test then fails, naming the file."""
    position = _WRITING_EVENTS.get(event)
    if position is None or (event == "open" and not (isinstance(args[2], int) and args[2] & _WRITE_FLAGS)):
        return
    target = args[position]
    if not isinstance(target, str | bytes | os.PathLike):
        return  # a file descriptor
    path = os.path.abspath(os.fsdecode(target))
    if any(path == root or path.startswith(root + os.sep) for root in _CHECKOUT_MEDIA):
        _checkout_media_writes.append(f"{event} {path}")
        raise PermissionError(f"a test may not write into the checkout's media directory: {path}")


sys.addaudithook(_refuse_writes_into_the_checkouts_media)


@pytest.fixture
def checkout_media_writes() -> list[str]:
    """The writes into the checkout's media directory refused during this test (clear it to pass)."""
    return _checkout_media_writes


@pytest.fixture(autouse=True)
def _media_in_a_temporary_directory(settings, tmp_path_factory):
    """Uploads, documents and generated files of a test go to a media directory of its own."""
    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    _checkout_media_writes.clear()
    yield
    if _checkout_media_writes:
        written = list(_checkout_media_writes)
        _checkout_media_writes.clear()
        pytest.fail(f"the test wrote into the checkout's media directory: {written}", pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def _mail_through_the_outbox(django_test_environment):
    """Django's test set-up points EMAIL_BACKEND at its own locmem backend; the tests send through
    the outbox as production does (it delivers to locmem, or to ``smtp_server``, after the commit)."""
    from django.conf import settings

    settings.EMAIL_BACKEND = "stedennet.mail.backends.OutboxBackend"


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server (aiosmtpd) on a free loopback port; Django sends to it over SMTP.
    Yields the list of received messages as ``email.message.EmailMessage`` objects."""
    import email
    import email.policy

    from aiosmtpd.controller import Controller

    received = []

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            message = email.message_from_bytes(envelope.content, policy=email.policy.default)
            message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
            received.append(message)
            return "250 Message accepted"

    with socket.socket() as probe:  # aiosmtpd's start-up check cannot use port 0: pick a free port first
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    # The outbox stays in the path (EMAIL_BACKEND): it delivers to this server over SMTP.
    settings.STEDENNET_MAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    try:
        yield received
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def _wagtail_root_collection(request):
    """Wagtail needs its root collection for every document. Browser tests run in transactions
    that are emptied afterwards, which removes it for the tests after them: put it back."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from wagtail.models import Collection

    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


# --- Signing in to the back office (two factors) -------------------------------------------------


@pytest.fixture
def back_office_login(db):
    """``back_office_login(client, user)``: ``client`` signed in as ``user`` as the back office
    requires it for staff (a second factor set up and used in this session). Returns the client.

    A user without a TOTP or passkey gets a TOTP authenticator with the published demo secret
    (``accounts.services.DEMO_TOTP_SECRET``); the session then holds allauth's records of a
    password sign-in and a TOTP use, just now, as after a real sign-in with both factors."""
    import time

    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.account.internal.userkit import user_id_to_str
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from stedennet.accounts.services import DEMO_TOTP_SECRET

    def login(client, user):
        factor = Authenticator.objects.filter(
            user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]).first()
        if factor is None:
            factor = TOTP.activate(user, DEMO_TOTP_SECRET).instance
        client.force_login(user)
        session = client.session
        now = time.time()
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": now, "username": user.get_username(), "reauthenticated": True},
            {"method": "mfa", "at": now, "type": factor.type, "id": factor.pk, "reauthenticated": True},
        ]
        session["account_authentication_methods_user"] = user_id_to_str(user)
        session.save()
        return client

    return login
