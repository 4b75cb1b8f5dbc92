"""The member map: every municipality's outline as server-rendered SVG, members marked.

The outlines are static (see tools/build_reference_data.py), so the SVG for one set of
members and one language is built once and cached; a page only pays for a dictionary look-up.
"""

from functools import lru_cache

from django.utils.html import escape
from django.utils.translation import gettext

from stedennet.registry.selectors import map_outlines

MEMBER_FILL = "#1a4f8b"
OTHER_FILL = "#e3e6eb"


def map_attribution() -> str:
    """Where the outlines come from, in the reader's language (the data file says it in Dutch;
    "CBS Wijken en Buurten 2024" is the name of the data set and stays as it is)."""
    return gettext("CBS / Kadaster (PDOK), municipalities from CBS Wijken en Buurten 2024, simplified")


@lru_cache(maxsize=16)
def member_map_svg(*, member_codes: frozenset[str], title: str, description: str,
                   member_fill: str = MEMBER_FILL) -> str:
    """A standalone SVG document: colours as presentation attributes (no style sheet, so it
    renders the same as an image, in print and under any content security policy); members
    as one group, the other municipalities as another; members in the network's colour (which
    has at least 4.5:1 against white, so more than 3:1 against the grey of the others)."""
    outlines = map_outlines()
    width, height = outlines["width"], outlines["height"]
    members, others = [], []
    for code, d in outlines["paths"].items():
        (members if code in member_codes else others).append(f'<path data-cbs-code="{code}" d="{d}"/>')
    return "".join([
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:g} {height:g}" '
        f'role="img" aria-labelledby="member-map-title member-map-desc">',
        f'<title id="member-map-title">{escape(title)}</title>',
        f'<desc id="member-map-desc">{escape(description)}</desc>',
        f'<g stroke="#ffffff" stroke-width="0.4" fill="{OTHER_FILL}">{"".join(others)}</g>',
        f'<g stroke="#ffffff" stroke-width="0.4" fill="{escape(member_fill)}" class="members">{"".join(members)}</g>',
        "</svg>",
    ])
