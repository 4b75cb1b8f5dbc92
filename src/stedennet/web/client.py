"""The client's address: one rule for the lockout (django-axes), allauth's rate limits and the audit trail.

Behind our TLS proxy (``STEDENNET_BEHIND_TLS_PROXY``) the peer is the proxy; the client is the
address the proxy appended to ``X-Forwarded-For``. Each trusted proxy appends one entry at the
right, so the client is the entry ``STEDENNET_TRUSTED_PROXY_COUNT`` from the right. Everything
to the left of it was sent by the client itself and can be anything: it is never used.
Without the proxy, ``X-Forwarded-For`` is ignored and the peer address (``REMOTE_ADDR``) counts.
"""

import ipaddress

from django.conf import settings


def _valid(value: str | None) -> str | None:
    """The address in its normal form (IPv4-mapped IPv6 as IPv4), or None when it is none."""
    if not value:
        return None
    try:
        address = ipaddress.ip_address(value.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return str(address)


def forwarded_for(request, trusted: int) -> str | None:
    """The entry ``trusted`` places from the right of X-Forwarded-For (all its headers joined), if valid."""
    header = request.META.get("HTTP_X_FORWARDED_FOR", "")
    entries = [entry.strip() for entry in header.split(",") if entry.strip()]
    if trusted < 1 or len(entries) < trusted:
        return None
    return _valid(entries[-trusted])


def client_ip(request) -> str | None:
    """The client's address; None only when not even the peer's address is a valid one.

    Behind the proxy, a missing, too short or invalid X-Forwarded-For falls back to the peer (the
    proxy itself): such requests then share one address, which locks out sooner, never later."""
    peer = _valid(request.META.get("REMOTE_ADDR"))
    if not getattr(settings, "STEDENNET_BEHIND_TLS_PROXY", False):
        return peer
    return forwarded_for(request, getattr(settings, "STEDENNET_TRUSTED_PROXY_COUNT", 1)) or peer
