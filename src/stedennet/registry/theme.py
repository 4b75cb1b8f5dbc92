"""The network's own look, as NL Design System design tokens.

The site's base theme is the NL Design System "Voorbeeld" theme (EUPL, meant to be re-branded);
the network's configuration (``Network.primary_colour``, logo, footer) is turned here into the
few tokens that carry a brand: the accent colour ramp (``--basis-color-accent-1-*``) that links,
buttons and focus rings use, and the page header and footer colours (``--utrecht-page-*``).
It also draws the favicon from the same colour, so every network has its own without a file.

Pure functions: no database, no request; the views in ``registry.views`` serve their output.
"""

import hashlib
import io
import re
from functools import lru_cache
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeElementTree
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Stedennet's own neutral colour, used when a network has configured none.
DEFAULT_PRIMARY = "#24527a"
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
MIN_CONTRAST = 4.5  # WCAG 2.1 AA for normal text: links in this colour on white, white text on it
LOGO_MAX_BYTES = 256 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{max(0, min(255, round(c))):02x}" for c in rgb)


def relative_luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, amount: float) -> str:
    """``colour`` moved ``amount`` (0..1) of the way towards ``other``."""
    a, b = _rgb(colour), _rgb(other)
    return _hex(tuple(x + (y - x) * amount for x, y in zip(a, b, strict=True)))


def validate_primary_colour(value: str) -> None:
    """A brand colour must be a #rrggbb colour that text can be read in and on (WCAG AA)."""
    if not value:
        return
    if not HEX_COLOUR.match(value):
        raise ValidationError(_("Give the colour as #rrggbb, for example #24527a."), code="colour_format")
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < MIN_CONTRAST:
        raise ValidationError(
            _("This colour has a contrast of %(ratio).1f:1 with white; links and buttons need at least "
              "%(minimum).1f:1. Choose a darker colour."),
            code="colour_contrast", params={"ratio": ratio, "minimum": MIN_CONTRAST},
        )


def accent_ramp(primary: str) -> dict[str, str]:
    """The eight steps of an accent colour ramp as the Voorbeeld theme names them (700 darkest
    text colour … 50 the lightest background), built around the brand colour at step 500."""
    return {
        "700": mix(primary, "#000000", 0.55),
        "600": mix(primary, "#000000", 0.25),
        "500": primary,
        "400": mix(primary, "#ffffff", 0.2),
        "300": mix(primary, "#ffffff", 0.6),
        "200": mix(primary, "#ffffff", 0.82),
        "100": mix(primary, "#ffffff", 0.9),
        "50": mix(primary, "#ffffff", 0.96),
    }


def theme_tokens(primary: str | None) -> dict[str, str]:
    """Design tokens (CSS custom properties) that carry the network's brand."""
    primary = primary or DEFAULT_PRIMARY
    ramp = accent_ramp(primary)
    tokens = {f"--stedennet-brand-{step}": value for step, value in ramp.items()}
    tokens.update({
        "--basis-color-accent-1-color-document": ramp["700"],
        "--basis-color-accent-1-color-subtle": ramp["400"],
        "--basis-color-accent-1-color-active": ramp["600"],
        "--basis-color-accent-1-color-hover": ramp["600"],
        "--basis-color-accent-1-color-default": ramp["500"],
        "--basis-color-accent-1-border-active": ramp["500"],
        "--basis-color-accent-1-border-hover": ramp["500"],
        "--basis-color-accent-1-border-default": ramp["400"],
        "--basis-color-accent-1-border-subtle": ramp["300"],
        "--basis-color-accent-1-bg-active": ramp["200"],
        "--basis-color-accent-1-bg-hover": ramp["200"],
        "--basis-color-accent-1-bg-default": ramp["100"],
        "--basis-color-accent-1-bg-subtle": ramp["50"],
        "--basis-color-action-1-inverse-bg-default": ramp["500"],
        "--basis-color-accent-1-inverse-bg-default": ramp["500"],
        "--basis-color-accent-1-inverse-bg-hover": ramp["600"],
        "--basis-color-accent-1-inverse-bg-active": ramp["600"],
        # Links and the primary button in the brand colour (validated for contrast with white).
        "--utrecht-link-color": ramp["500"],
        "--utrecht-link-hover-color": ramp["700"],
        "--utrecht-link-visited-color": ramp["600"],
        "--utrecht-button-primary-action-background-color": ramp["500"],
        "--utrecht-button-primary-action-hover-background-color": ramp["600"],
        "--utrecht-button-primary-action-active-background-color": ramp["700"],
        "--utrecht-button-primary-action-color": "#ffffff",
        "--utrecht-button-primary-action-hover-color": "#ffffff",
        # The page header: a thin band of the brand colour; the footer: the brand colour itself.
        "--utrecht-page-header-border-block-end-color": ramp["500"],
        "--utrecht-page-footer-background-color": ramp["500"],
        "--utrecht-page-footer-background-image": "none",
        "--utrecht-page-footer-color": "#ffffff",
    })
    return tokens


def theme_css(primary: str | None) -> str:
    """The stylesheet ``/thema.css``: the tokens on the theme class of ``<html>``."""
    body = "".join(f"  {name}: {value};\n" for name, value in theme_tokens(primary).items())
    return f"/* The network's theme, from its configuration (registry.theme). */\n.stedennet-theme {{\n{body}}}\n"


def theme_fingerprint(network) -> str:
    """Changes whenever the look changes, so the theme, icon and logo may be kept for a year."""
    parts = [network.primary_colour, network.short_name, network.logo.name if network.logo else ""] if network else []
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def favicon_svg(*, primary: str | None, letters: str) -> str:
    """A square icon in the brand colour with the network's short name (up to 3 characters)."""
    primary = primary or DEFAULT_PRIMARY
    text = re.sub(r"[^0-9A-Za-z]", "", letters)[:3] or "S"
    size = {1: 40, 2: 34, 3: 26}[len(text)]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="12" fill="{primary}"/>'
        f'<text x="32" y="33" fill="#ffffff" font-family="Arial, Helvetica, sans-serif" font-weight="700" '
        f'font-size="{size}" text-anchor="middle" dominant-baseline="central">{text}</text></svg>'
    )


@lru_cache(maxsize=8)
def favicon_ico(*, primary: str | None, letters: str) -> bytes:
    """``/favicon.ico`` for browsers and tools that ask for it: the same icon as a 16/32/48 px ICO."""
    from PIL import Image, ImageDraw, ImageFont

    primary = primary or DEFAULT_PRIMARY
    text = re.sub(r"[^0-9A-Za-z]", "", letters)[:3] or "S"
    image = Image.new("RGBA", (48, 48), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, 47, 47), radius=9, fill=primary)
    font = ImageFont.load_default(size={1: 32, 2: 26, 3: 19}[len(text)])
    draw.text((24, 24), text, fill="#ffffff", font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="ICO", sizes=[(16, 16), (32, 32), (48, 48)])
    return buffer.getvalue()


# --- the logo file ---------------------------------------------------------------------------

_SVG_NS = "{http://www.w3.org/2000/svg}"
_FORBIDDEN_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video", "animate",
                       "set", "handler", "listener"}
_LINK_ATTRIBUTES = {"href", "{http://www.w3.org/1999/xlink}href"}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def logo_kind(content: bytes) -> str:
    """``"png"`` or ``"svg"`` for a logo that may be shown on every page; ValidationError otherwise.

    SVG may carry scripts and outside references: only plain drawing is accepted (no scripts,
    no event handlers, no embedded documents, no links or styles that load anything)."""
    if len(content) > LOGO_MAX_BYTES:
        raise ValidationError(_("The logo may be at most 256 KB."), code="logo_too_large")
    if content.startswith(PNG_SIGNATURE):
        return "png"
    try:
        root: Element = SafeElementTree.fromstring(content)
    except Exception as error:  # defusedxml raises several kinds for entities, DTDs, bad XML
        raise ValidationError(_("The logo must be a PNG or SVG image."), code="logo_format") from error
    if root.tag != f"{_SVG_NS}svg":
        raise ValidationError(_("The logo must be a PNG or SVG image."), code="logo_format")
    for element in root.iter():
        if _local(element.tag) in _FORBIDDEN_ELEMENTS:
            raise ValidationError(_("The SVG logo may not contain scripts, animations or embedded content."),
                                  code="logo_unsafe")
        for name, value in element.attrib.items():
            if _local(name).lower().startswith("on"):
                raise ValidationError(_("The SVG logo may not contain scripts, animations or embedded content."),
                                      code="logo_unsafe")
            if name in _LINK_ATTRIBUTES and not value.startswith("#"):
                raise ValidationError(_("The SVG logo may not refer to other files or addresses."),
                                      code="logo_external")
            if "url(" in value and "url(#" not in value.replace(" ", ""):
                raise ValidationError(_("The SVG logo may not refer to other files or addresses."),
                                      code="logo_external")
        if _local(element.tag) == "style" and ("@import" in (element.text or "") or "url(" in (element.text or "")):
            raise ValidationError(_("The SVG logo may not refer to other files or addresses."), code="logo_external")
    return "svg"


def validate_logo(file) -> None:
    """Model field validator: the uploaded logo is a PNG or a plain SVG."""
    file.seek(0)
    content = file.read()
    file.seek(0)
    logo_kind(content)


FOOTER_LINK = re.compile(r"^(?P<label>[^|]+?)\s*\|\s*(?P<url>\S+)$")


def footer_links_parse(text: str) -> list[dict]:
    """``label | https://address`` per line; ValidationError naming the line for anything else."""
    from django.core.validators import URLValidator

    validate_url = URLValidator(schemes=["https", "http", "mailto"])
    links, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        match = FOOTER_LINK.match(line.strip())
        if match is None:
            errors.append(ValidationError(_("Line %(line)d: write “label | https://address”."),
                                          code="footer_link_format", params={"line": number}))
            continue
        url = match["url"]
        try:
            if not url.startswith("mailto:"):
                validate_url(url)
        except ValidationError:
            errors.append(ValidationError(_("Line %(line)d: “%(url)s” is not a web address."),
                                          code="footer_link_url", params={"line": number, "url": url}))
            continue
        links.append({"label": match["label"], "url": url})
    if errors:
        raise ValidationError(errors)
    return links
