"""Caching of rendered fragments that stays correct across worker processes.

Each worker keeps fragments in its own memory (Django's cache, local memory by default), keyed
by the current version of the data they are made of. Reading the version costs one indexed
query per request; a write gives it a new random value (signals for single saves, an explicit
``data_changed`` after bulk writes), so the next request of every worker builds afresh.
"""

import secrets
import threading
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.core.signals import request_started
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

REGISTRY = "registry"
_TIMEOUT = 24 * 3600


_seen = threading.local()


def _forget(**kwargs) -> None:
    _seen.versions = {}


request_started.connect(_forget, dispatch_uid="data-version-forget")


def data_version(key: str) -> int:
    """The version of ``key``, read once per request (and again after a write)."""
    from stedennet.web.models import DataVersion

    versions = getattr(_seen, "versions", None)
    if versions is None:
        versions = _seen.versions = {}
    if key not in versions:
        versions[key] = DataVersion.objects.filter(key=key).values_list("version", flat=True).first() or 0
    return versions[key]


def data_changed(key: str) -> None:
    """Give ``key`` a new version: every fragment built from the old data is stale."""
    from stedennet.web.models import DataVersion

    # A random new version rather than +1: a restored backup or a rolled-back transaction can
    # never bring back a number whose fragments were built from other data.
    version = secrets.randbits(62) + 1
    if not DataVersion.objects.filter(key=key).update(version=version):
        DataVersion.objects.update_or_create(key=key, defaults={"version": version})
    getattr(_seen, "versions", {}).pop(key, None)


def cached(key: str, parts: tuple, build: Callable[[], T]) -> T:
    """The fragment named by ``parts`` for the current version of ``key``; built once per worker."""
    name = ":".join(["fragment", key, str(data_version(key)), *map(str, parts)])
    value = cache.get(name)
    if value is None:
        value = build()
        cache.set(name, value, _TIMEOUT)
    return value


def watch(key: str, *models) -> None:
    """Raise ``key`` whenever one of ``models`` is saved or deleted."""

    def changed(sender, **kwargs):
        data_changed(key)

    for model in models:
        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"data-version-{key}-{model.__name__}")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"data-version-del-{key}-{model.__name__}")
