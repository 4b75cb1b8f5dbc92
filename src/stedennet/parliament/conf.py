"""The mirror's settings, each with its default (``settings.py`` reads the first two from the
environment: ``STEDENNET_TK_FEED_URL`` and ``STEDENNET_TK_TIMEOUT``)."""

import datetime

from django.conf import settings

from stedennet.parliament.constants import DEFAULT_FEED_URL


def feed_url() -> str:
    """The SyncFeed's base URL, without query (default: the Tweede Kamer's own)."""
    return (getattr(settings, "STEDENNET_TK_FEED_URL", "") or DEFAULT_FEED_URL).split("?")[0]


def timeout() -> float:
    """Seconds for connecting and for each read; a whole response may take four times as long."""
    return float(getattr(settings, "STEDENNET_TK_TIMEOUT", 30))


def retries() -> int:
    """Attempts per page after the first one, for 5xx, timeouts, network errors and ``<Error>`` bodies."""
    return int(getattr(settings, "STEDENNET_TK_RETRIES", 3))


def backoff() -> float:
    """Seconds before the first retry; each next one waits twice as long (at most a minute)."""
    return float(getattr(settings, "STEDENNET_TK_BACKOFF", 2.0))


def max_page_bytes() -> int:
    return int(getattr(settings, "STEDENNET_TK_MAX_PAGE_BYTES", 32 * 1024 * 1024))


def max_file_bytes() -> int:
    return int(getattr(settings, "STEDENNET_TK_MAX_FILE_BYTES", 100 * 1024 * 1024))


def sync_interval() -> datetime.timedelta:
    """Between two periodic syncs."""
    return datetime.timedelta(minutes=float(getattr(settings, "STEDENNET_TK_SYNC_INTERVAL_MINUTES", 15)))


def pages_per_task() -> int:
    """Pages per category in one background run, so that a first full sync (millions of entries)
    does not hold the one worker for hours: a run that stops early is followed at once by the next."""
    return int(getattr(settings, "STEDENNET_TK_PAGES_PER_TASK", 20))


def stale_after() -> datetime.timedelta:
    """The back office warns when no category advanced for this long."""
    return datetime.timedelta(hours=float(getattr(settings, "STEDENNET_TK_STALE_HOURS", 24)))
