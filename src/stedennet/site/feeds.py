"""The Atom feed of the site's news (``/nieuws/feed.atom``): the live news items everyone may
read, newest first; every link absolute on the site's public address (``STEDENNET_BASE_URL``),
every entry's id the page's lasting key (a new slug gives no new entry), demo items saying so."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stedennet.registry.feeds import NetworkFeed, at_noon
from stedennet.site.models import NewsPage
from stedennet.site.selectors import news_feed_items, news_index


def absolute(path: str) -> str:
    """``path`` on the site's public address."""
    base = (getattr(settings, "STEDENNET_BASE_URL", "") or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return f"{base}{path}"


def page_path(page) -> str:
    """A page's path on its site (whatever the number of sites, without their host)."""
    parts = page.get_url_parts()
    return parts[2] if parts else "/"



class NewsFeed(NetworkFeed):
    item_guid_is_permalink = False
    title_format = gettext_lazy("News of %(network)s")

    def subtitle(self) -> str:
        return _("News of the network on the public site.")

    def link(self) -> str:
        index = news_index()
        return absolute(page_path(index) if index else "/")

    def feed_url(self) -> str:
        return absolute(reverse("news_feed"))

    def feed_guid(self) -> str:
        return self.feed_url()

    def items(self) -> list[NewsPage]:
        return news_feed_items()

    def item_title(self, item: NewsPage) -> str:
        return f"{item.title} ({_('demo')})" if item.is_demo and "demo" not in item.title.lower() else item.title

    def item_link(self, item: NewsPage) -> str:
        return absolute(page_path(item))

    def item_guid(self, item: NewsPage) -> str:
        return f"urn:uuid:{item.translation_key}"

    def item_description(self, item: NewsPage) -> str:
        parts = [item.intro] if item.intro else []
        if item.pillar is not None:
            parts.append(_("Pillar: %(pillar)s.") % {"pillar": item.pillar.name})
        if item.is_demo:
            parts.append(_("Demo data: invented for demonstration."))
        # Atom's summary is HTML: every part is escaped, one paragraph each.
        return "".join(f"<p>{escape(part)}</p>" for part in parts)

    def item_pubdate(self, item: NewsPage) -> datetime.datetime:
        return at_noon(item.date)

    def item_updateddate(self, item: NewsPage) -> datetime.datetime:
        return max(filter(None, [at_noon(item.date), item.last_published_at]))

    def item_categories(self, item: NewsPage) -> list[str]:
        return [item.pillar.name] if item.pillar is not None else []
