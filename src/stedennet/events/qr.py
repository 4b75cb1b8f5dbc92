"""The check-in code as a QR code (``segno``): inline SVG for the registrant's page, PNG for the
mail (mail clients do not all show SVG). The QR code holds the code alone, in upper case (the
QR alphanumeric mode: version 1, large modules, easy to scan from a phone screen); the check-in
page reads it as it reads a typed code."""

import io

import segno
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _make(code: str) -> segno.QRCode:
    return segno.make(code.upper(), error="m", micro=False)


def qr_svg(code: str, *, label: str, scale: int = 6) -> SafeString:
    """An inline ``<svg role="img">`` with ``label`` as its accessible name (and title), dark
    modules on white with the quiet zone, whatever the page's colours."""
    svg = _make(code).svg_inline(scale=scale, border=4, dark="#000", light="#fff", svgclass="events-qr",
                                 lineclass=None, title=label)
    return mark_safe(svg.replace("<svg ", f'<svg role="img" aria-label="{escape(label)}" ', 1))  # noqa: S308 (segno's markup; the label is escaped)


def qr_png(code: str, *, scale: int = 8) -> bytes:
    """The QR code as a PNG (with its quiet zone), for the mail."""
    buffer = io.BytesIO()
    _make(code).save(buffer, kind="png", scale=scale, border=4, dark="#000", light="#fff")
    return buffer.getvalue()
