"""The base of the network's Atom feeds (news, member letters, lobby letters and dossiers, events):
each is an Atom 1.0 feed whose title names the network."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from stedennet.registry.selectors import network_current


def at_noon(day: datetime.date) -> datetime.datetime:
    """A day as a moment for a feed entry (Atom wants a time): noon of that day, local time."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


class NetworkFeed(Feed):
    """An Atom feed of the network; ``title_format`` (lazily translated, with ``%(network)s``) gives
    its title with the network's short name."""

    feed_type = Atom1Feed
    title_format = "%(network)s"

    def title(self) -> str:
        network = network_current()
        return str(self.title_format) % {"network": network.short_name if network else "Stedennet"}
