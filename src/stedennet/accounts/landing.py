"""Where someone lands after signing in without ``?next``.

Higher apps know their own home pages; each registers a finder (in its ``AppConfig.ready``) that
answers a ``Landing`` for a user, or None when it has nothing for them. The first answer wins;
without one, ``settings.LOGIN_REDIRECT_URL``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.shortcuts import resolve_url


@dataclass(frozen=True)
class Landing:
    url: str
    label: str  # what a link to it says ("My groups")


LandingFinder = Callable[..., Landing | None]

_finders: list[LandingFinder] = []


def landing_register(finder: LandingFinder) -> LandingFinder:
    """Ask ``finder(user)`` where ``user`` lands; registering twice is harmless."""
    if finder not in _finders:
        _finders.append(finder)
    return finder


def landing_for(user) -> Landing | None:
    """The registered landing for ``user``, if any finder has one."""
    for finder in _finders:
        landing = finder(user)
        if landing is not None:
            return landing
    return None


def landing_url(user) -> str:
    """The address ``user`` lands on after signing in without ``?next``."""
    landing = landing_for(user)
    return landing.url if landing is not None else resolve_url(settings.LOGIN_REDIRECT_URL)
