"""Fixtures shared by every test: the G40 network loaded from its seed, users per role."""

import io
import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stedennet.accounts.constants import Role
from stedennet.accounts.services import roles_ensure
from stedennet.registry.models import Network


@pytest.fixture
def g40(db) -> Network:
    """The G40 as `stedennet load-g40` loads it: 342 municipalities, 41 members, partners,
    Amstelveen's admission procedure, the membership and contribution rules."""
    call_command("load_g40", stdout=io.StringIO(), stderr=io.StringIO())
    return Network.objects.get(slug="g40")


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
    """Each test starts with an empty fragment cache, as a freshly started server does."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


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
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
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
