"""Fixtures shared by every test: the G40 network loaded from its seed, users per role."""

import pytest
from django.contrib.auth import get_user_model

from stedennet.accounts.constants import Role
from stedennet.accounts.services import roles_ensure
from stedennet.membership.services import network_seed_load
from stedennet.registry.models import Network


@pytest.fixture
def g40(db) -> Network:
    """The G40 as `stedennet load-g40` loads it: 342 municipalities, 41 members, partners."""
    network_seed_load()
    return Network.objects.get(slug="g40")


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
