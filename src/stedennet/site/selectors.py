"""Reads for the public site's shared parts (home page, header, member map)."""

import hashlib

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext

from stedennet.membership.selectors import member_codes
from stedennet.registry.maps import MEMBER_FILL, map_attribution
from stedennet.registry.selectors import map_outlines, network_current
from stedennet.web.cache import REGISTRY, cached


def member_map_context() -> dict | None:
    """What the map shows today: the member codes, its title and text alternative, and the
    address of its SVG (which changes whenever the members or the language change, so
    browsers may keep it for good)."""
    network = network_current()
    if network is None:
        return None
    today = timezone.localdate()
    codes = cached(REGISTRY, ("member-codes", today), lambda: frozenset(member_codes(network=network, day=today)))
    total = len(map_outlines()["paths"])
    title = gettext("Map of the Netherlands with the members of %(network)s") % {"network": network.short_name}
    description = ngettext(
        "%(count)d of the %(total)d Dutch municipalities is a member and is shown dark; "
        "the member list on this site gives the same information as text.",
        "%(count)d of the %(total)d Dutch municipalities are members and are shown dark; "
        "the member list on this site gives the same information as text.",
        len(codes),
    ) % {"count": len(codes), "total": total}
    fill = network.primary_colour or MEMBER_FILL
    fingerprint = hashlib.sha256(
        "\n".join([get_language() or "", title, description, fill, *sorted(codes)]).encode()
    ).hexdigest()[:16]
    return {
        "codes": codes,
        "title": title,
        "description": description,
        "fingerprint": fingerprint,
        "url": f"{reverse('member_map')}?v={fingerprint}",
        "source": map_attribution(),
        "fill": fill,
        "width": round(map_outlines()["width"]),
        "height": round(map_outlines()["height"]),
    }


def home_context() -> dict:
    member_map = member_map_context()
    if member_map is None:
        return {"member_count": 0, "member_map": None}
    return {"member_count": len(member_map["codes"]), "member_map": member_map}
