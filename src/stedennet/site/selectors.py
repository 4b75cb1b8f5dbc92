"""Reads for the public site's shared parts (home page, header, member map) and its news."""

import hashlib

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext, ngettext
from wagtail.images import get_image_model

from stedennet.events.constants import EventStatus
from stedennet.events.models import Event
from stedennet.governance.access import Viewer
from stedennet.membership.selectors import member_codes
from stedennet.registry.maps import MEMBER_FILL, map_attribution
from stedennet.registry.selectors import map_outlines, network_current
from stedennet.site.models import NewsIndexPage, NewsPage
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


# --- news and coming events ----------------------------------------------------------------------

NEWS_PAGE_SIZE = 10
HOME_NEWS = 3
HOME_EVENTS = 3
FEED_LENGTH = 50
LIST_IMAGE = "fill-320x180"  # the rendition of a news item's image in lists (prefetched)
PAGE_IMAGE = "width-960"  # on the news item's own page


def news_items():
    """The news items everyone may read: live, without a view restriction, newest first; pillar
    and the list image's rendition fetched with them (a fixed number of queries however many)."""
    images = get_image_model().objects.prefetch_renditions(LIST_IMAGE)
    return (NewsPage.objects.live().public().select_related("pillar")
            .prefetch_related(Prefetch("image", queryset=images))
            .order_by("-date", "-first_published_at", "-pk"))


def news_index() -> NewsIndexPage | None:
    """The site's news index (there is one, under the home page), when it is live."""
    return NewsIndexPage.objects.live().public().order_by("path").first()


def news_list_page(index: NewsIndexPage, number) -> Page:
    """One page (``NEWS_PAGE_SIZE`` items) of the index's news; a page number out of range gives
    the last page, anything else that is not a number the first."""
    return Paginator(news_items().child_of(index), NEWS_PAGE_SIZE).get_page(number)


def news_feed_items(limit: int = FEED_LENGTH) -> list[NewsPage]:
    return list(news_items()[:limit])


def coming_events(viewer: Viewer, *, limit: int = HOME_EVENTS, now=None) -> list[Event]:
    """The next published events that the viewer may see, coming or under way, soonest first."""
    now = now or timezone.now()
    return list(
        Event.objects.filter(status=EventStatus.PUBLISHED, ends_at__gt=now)
        .filter(viewer.visible_q(visibility="audience", body="body_id"))
        .order_by("starts_at", "pk")[:limit]
    )


def home_news_and_events(viewer: Viewer) -> dict:
    """The home page's per-viewer part: the latest news and the coming events this viewer may
    see. Read per request, never cached: the events differ between viewers."""
    return {"latest_news": list(news_items()[:HOME_NEWS]), "news_index": news_index(),
            "coming_events": coming_events(viewer)}
