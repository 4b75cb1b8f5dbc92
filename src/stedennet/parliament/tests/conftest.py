"""Fixtures of the mirror's tests: the local feed server, pointed at by the settings."""

import pytest

from stedennet.parliament.tests.tkfeed import FeedServer


@pytest.fixture
def feed_server(settings):
    """A local SyncFeed on 127.0.0.1 (nothing leaves the machine); retries without waiting."""
    server = FeedServer().start()
    settings.STEDENNET_TK_FEED_URL = server.url
    settings.STEDENNET_TK_TIMEOUT = 2
    settings.STEDENNET_TK_BACKOFF = 0
    settings.STEDENNET_TK_RETRIES = 2
    try:
        yield server
    finally:
        server.stop()
