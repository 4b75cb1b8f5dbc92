"""The client's address: behind the proxy the trusted entry of X-Forwarded-For, else the peer."""

import pytest
from django.test import RequestFactory

from stedennet.web.client import client_ip


def request_from(peer="10.0.0.1", forwarded=None):
    extra = {"REMOTE_ADDR": peer}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxy(settings):
    settings.STEDENNET_BEHIND_TLS_PROXY = True
    settings.STEDENNET_TRUSTED_PROXY_COUNT = 1
    return settings


def test_without_the_proxy_the_forwarded_header_is_ignored(settings):
    settings.STEDENNET_BEHIND_TLS_PROXY = False
    assert client_ip(request_from("192.0.2.7", forwarded="203.0.113.9")) == "192.0.2.7"


def test_behind_the_proxy_the_entry_it_appended_counts(behind_proxy):
    assert client_ip(request_from("10.0.0.1", forwarded="203.0.113.9")) == "203.0.113.9"


def test_a_spoofed_left_most_entry_is_ignored(behind_proxy):
    request = request_from("10.0.0.1", forwarded="198.51.100.66, 203.0.113.9")
    assert client_ip(request) == "203.0.113.9"


def test_two_trusted_proxies_count_the_second_entry_from_the_right(behind_proxy):
    behind_proxy.STEDENNET_TRUSTED_PROXY_COUNT = 2
    request = request_from("10.0.0.1", forwarded="198.51.100.66, 203.0.113.9, 10.0.0.2")
    assert client_ip(request) == "203.0.113.9"


@pytest.mark.parametrize("forwarded", [None, "", "not-an-address", " , "])
def test_a_missing_or_invalid_entry_falls_back_to_the_peer(behind_proxy, forwarded):
    assert client_ip(request_from("10.0.0.1", forwarded=forwarded)) == "10.0.0.1"


def test_fewer_entries_than_trusted_proxies_fall_back_to_the_peer(behind_proxy):
    behind_proxy.STEDENNET_TRUSTED_PROXY_COUNT = 2
    assert client_ip(request_from("10.0.0.1", forwarded="198.51.100.66")) == "10.0.0.1"


def test_addresses_come_in_their_normal_form(behind_proxy):
    assert client_ip(request_from("10.0.0.1", forwarded="2001:DB8:0:0::1")) == "2001:db8::1"
    assert client_ip(request_from("10.0.0.1", forwarded="::ffff:203.0.113.9")) == "203.0.113.9"


def test_an_invalid_peer_gives_no_address(settings):
    settings.STEDENNET_BEHIND_TLS_PROXY = False
    assert client_ip(request_from("garbage")) is None
