"""The member map: every municipality's outline as server-rendered SVG, members marked.

The outlines are static (see tools/build_reference_data.py), so the SVG for one set of
members and one language is built once and cached; a page only pays for a dictionary look-up.
"""

from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from stedennet.registry.selectors import map_outlines


@lru_cache(maxsize=16)
def member_map_svg(*, member_codes: frozenset[str], title: str, description: str) -> SafeString:
    outlines = map_outlines()
    width, height = outlines["width"], outlines["height"]
    parts = [
        f'<svg class="member-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'role="img" aria-labelledby="member-map-title member-map-desc" focusable="false">',
        f'<title id="member-map-title">{escape(title)}</title>',
        f'<desc id="member-map-desc">{escape(description)}</desc>',
    ]
    for code, d in outlines["paths"].items():
        css = "member-map__area member-map__area--member" if code in member_codes else "member-map__area"
        parts.append(f'<path class="{css}" data-cbs-code="{code}" d="{d}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - built from our own data, every text escaped
