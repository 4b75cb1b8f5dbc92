"""Lockout after repeated failed sign-ins (django-axes).

Axes counts the failed sign-ins of the last ``AXES_COOLOFF_TIME`` in the database, per account
(whatever the address) and per address (whatever the account), each on its own: at
``AXES_FAILURE_LIMIT`` failures the account, or the address, is locked until enough of them are
older than the cool-off, or until the bureau unlocks it ("Locked sign-ins" in the back office).

- ``username_of``: the name axes counts under (``AXES_USERNAME_CALLABLE``): the username,
  casefolded; an e-mail address of exactly one account counts as that account's username, so
  signing in by e-mail or by name fills one count.
- ``locked_out``: our page (``AXES_LOCKOUT_CALLABLE``), status 429, saying when to try again or
  to ask the bureau. It is the same for an account that exists and one that does not: axes
  counts names that belong to no account just the same, and the page shows neither the name nor
  anything of an account.
- ``LockoutHandler`` (``AXES_HANDLER``): a successful sign-in clears the failures of that
  account only; failures from its address on *other* accounts keep counting (axes' own handler
  would clear those too, so one valid account would let an address try others without end).
- ``locked_sign_ins`` and ``unlock``: the locks in force and their removal, for the back office.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from stedennet.web.client import client_ip

logger = logging.getLogger(__name__)

REFUSAL_CODE = "locked_out"
ACCOUNT = "account"
ADDRESS = "address"


def username_of(request, credentials) -> str | None:
    """The name a sign-in counts under: what was typed, casefolded; an e-mail address that belongs
    to exactly one account counts as that account's username (one count for both ways in)."""
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("login") or credentials.get("email")
    if not value:
        return None
    value = str(value).strip()
    if "@" in value:
        usernames = list(get_user_model().objects.filter(email__iexact=value).values_list("username", flat=True)[:2])
        if len(usernames) == 1:
            value = usernames[0]
    return value.casefold()


def _cool_off() -> timedelta:
    return get_cool_off() or timedelta(minutes=15)


def cool_off_minutes() -> int:
    return int(_cool_off().total_seconds() // 60)


def _lock_ends(attempts: list[tuple[datetime, int]], limit: int, cool_off: timedelta) -> datetime | None:
    """When a count of these (last failure time, failures) rows falls below the limit; None: not locked.
    A row counts until its last failure is older than the cool-off (as axes counts them)."""
    total = sum(failures for _when, failures in attempts)
    if total < limit:
        return None
    for when, failures in sorted(attempts):
        total -= failures
        if total < limit:
            return when + cool_off
    return None  # not reached: the total falls to zero


@dataclass(frozen=True)
class Lock:
    kind: str  # ACCOUNT or ADDRESS
    value: str  # the username (casefolded) or the address
    failures: int
    last_failure_at: datetime
    ends_at: datetime
    account_exists: bool | None = None  # for an account lock: whether the name is an account's (bureau only)


def _recent_attempts(now: datetime, **filters):
    threshold = now - _cool_off()
    return AccessAttempt.objects.filter(attempt_time__gte=threshold, **filters).values_list(
        "username", "ip_address", "attempt_time", "failures_since_start")


def locked_sign_ins(*, now: datetime | None = None, limit: int | None = None) -> list[Lock]:
    """Every account and every address locked now, the soonest to end first (two queries: the
    attempts, and which locked names are accounts)."""
    now = now or timezone.now()
    limit = limit or settings.AXES_FAILURE_LIMIT
    cool_off = _cool_off()
    by_kind = {ACCOUNT: defaultdict(list), ADDRESS: defaultdict(list)}
    for username, ip_address, when, failures in _recent_attempts(now):
        if username:
            by_kind[ACCOUNT][username].append((when, failures))
        if ip_address:
            by_kind[ADDRESS][ip_address].append((when, failures))
    locks = []
    for kind, groups in by_kind.items():
        for value, attempts in groups.items():
            ends_at = _lock_ends(attempts, limit, cool_off)
            if ends_at is not None and ends_at > now:
                locks.append(Lock(kind=kind, value=value, failures=sum(n for _w, n in attempts),
                                  last_failure_at=max(w for w, _n in attempts), ends_at=ends_at))
    names = [lock.value for lock in locks if lock.kind == ACCOUNT]
    if names:
        matching = Q.create([("username__iexact", name) for name in names], connector=Q.OR)
        usernames = get_user_model().objects.filter(matching).values_list("username", flat=True)
        accounts = {name.casefold() for name in usernames}
        locks = [replace(lock, account_exists=lock.value in accounts) if lock.kind == ACCOUNT else lock
                 for lock in locks]
    return sorted(locks, key=lambda lock: (lock.ends_at, lock.kind, lock.value))


def unlock(*, kind: str, value: str, by=None) -> int:
    """Remove a lock: every recorded failure of that account, or of that address. Returns how many
    rows went; 0 when there was nothing (a second click, or the lock had ended)."""
    if kind == ACCOUNT:
        count = reset(username=value)
    elif kind == ADDRESS:
        count = reset(ip=value)
    else:
        raise ValueError(f"unknown kind of lock: {kind!r}")
    logger.info("sign-in lock of %s %s removed by %s (%d rows)", kind, value, getattr(by, "pk", None), count)
    return count


def lock_ends_for(request, credentials) -> datetime:
    """When this request's sign-in may be tried again: the later end of its account's and its
    address's lock (the cool-off from now when neither is counted any more, e.g. a race)."""
    now = timezone.now()
    limit = get_failure_limit(request, credentials)
    cool_off = _cool_off()
    username = username_of(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_ip(request)
    counted = ({"username": username} if username else None, {"ip_address": address} if address else None)
    ends = [
        _lock_ends([(when, n) for _u, _ip, when, n in _recent_attempts(now, **filters)], limit, cool_off)
        for filters in counted if filters
    ]
    ends = [end for end in ends if end is not None and end > now]
    return max(ends) if ends else now + cool_off


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """Our lockout page (axes calls it instead of the sign-in page's answer): status 429 with
    ``Retry-After``; the same page whether or not the account exists."""
    if credentials is None and isinstance(original_response, dict):  # axes' older two-argument call
        credentials = original_response
    ends_at = lock_ends_for(request, credentials or getattr(request, "axes_credentials", None))
    retry_after = max(60, int((ends_at - timezone.now()).total_seconds()))
    # Shown to the minute, rounded up: "from 10:05" is never a moment too early.
    retry_at = timezone.localtime(ends_at)
    if retry_at.second or retry_at.microsecond:
        retry_at = retry_at.replace(second=0, microsecond=0) + timedelta(minutes=1)
    response = render(request, "accounts/auth/locked_out.html", {
        "code": REFUSAL_CODE,
        "retry_at": retry_at,
        "minutes": cool_off_minutes(),
    }, status=429)
    response["Retry-After"] = str(retry_after)
    add_never_cache_headers(response)
    return response


class LockoutHandler(AxesDatabaseHandler):
    """Axes' database handler; a successful sign-in clears the failures of that account only."""

    def reset_user_attempts(self, request, credentials=None) -> int:
        username = username_of(request, credentials)
        if not username:
            return 0
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count
