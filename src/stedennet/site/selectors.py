"""Reads for the public site's shared parts (home page, header)."""

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from stedennet.membership.selectors import member_codes
from stedennet.registry.maps import member_map_svg
from stedennet.registry.selectors import map_outlines, network_current


def home_context() -> dict:
    network = network_current()
    if network is None:
        return {"member_count": 0, "member_map": None}
    today = timezone.localdate()
    codes = frozenset(member_codes(network=network, day=today))
    total = len(map_outlines()["paths"])
    title = gettext("Map of the Netherlands with the members of %(network)s") % {"network": network.short_name}
    description = ngettext(
        "%(count)d of the %(total)d Dutch municipalities is a member and is shown dark; "
        "the member list on this site gives the same information as text.",
        "%(count)d of the %(total)d Dutch municipalities are members and are shown dark; "
        "the member list on this site gives the same information as text.",
        len(codes),
    ) % {"count": len(codes), "total": total}
    return {
        "member_count": len(codes),
        "member_map": member_map_svg(member_codes=codes, title=title, description=description),
        "member_map_description": description,
        "map_source": map_outlines()["source"],
    }
