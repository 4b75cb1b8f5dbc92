"""The Atom feed of the network's public events (``/evenementen/feed.atom``): what the public
calendar feed holds (``events_for_feed`` for an anonymous viewer: published and cancelled events
open to everyone, from half a year ago on; never drafts, never events for members only), the
newest announcement first; each entry says when and where, and whether it was cancelled."""

import datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from stedennet.events.constants import EventStatus
from stedennet.events.models import Event
from stedennet.events.selectors import events_for_feed
from stedennet.governance.access import ANONYMOUS
from stedennet.registry.feeds import NetworkFeed
from stedennet.web.access import public

FEED_LENGTH = 50


def _when(event: Event) -> str:
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    if starts.date() == ends.date():
        return _("%(day)s, %(start)s–%(end)s") % {"day": formats.date_format(starts, "j F Y"),
                                                  "start": starts.strftime("%H:%M"), "end": ends.strftime("%H:%M")}
    return _("%(start)s to %(end)s") % {"start": formats.date_format(starts, "j F Y H:i"),
                                        "end": formats.date_format(ends, "j F Y H:i")}


class EventsFeed(NetworkFeed):
    title_format = gettext_lazy("Events of %(network)s")

    def subtitle(self) -> str:
        return _("Knowledge and network days, conferences and other public events of the network.")

    def link(self) -> str:
        return reverse("events:event_list")

    def feed_url(self) -> str:
        return reverse("events:feed")

    def items(self) -> list[Event]:
        # Newest announcement first, as feed readers expect; the same events as the public calendar.
        return sorted(events_for_feed(ANONYMOUS), key=lambda e: (e.updated_at, e.pk), reverse=True)[:FEED_LENGTH]

    def item_title(self, event: Event) -> str:
        if event.status == EventStatus.CANCELLED:
            return _("Cancelled: %(title)s") % {"title": event.title}
        return event.title

    def item_link(self, event: Event) -> str:
        return event.get_absolute_url()

    def item_description(self, event: Event) -> str:
        parts = [_("When: %(when)s.") % {"when": _when(event)}]
        place = ", ".join(part for part in (event.venue, event.address) if part)
        if place:
            parts.append(_("Where: %(place)s.") % {"place": place})
        if event.online_url:
            parts.append(_("Online: %(url)s") % {"url": event.online_url})
        if event.status == EventStatus.CANCELLED:
            parts.append(_("This event has been cancelled."))
        if event.summary:
            parts.append(event.summary)
        if event.is_demo:
            parts.append(_("Demo data: invented for demonstration."))
        # Atom's summary is HTML: every part is escaped, one paragraph each.
        return "".join(f"<p>{escape(part)}</p>" for part in parts)

    def item_pubdate(self, event: Event) -> datetime.datetime:
        return event.created_at

    def item_updateddate(self, event: Event) -> datetime.datetime:
        return event.updated_at

    def item_categories(self, event: Event) -> list[str]:
        # Atom category terms are identifiers: the kind and the status, as codes.
        return [event.kind, event.status]


_events = EventsFeed()


@public
@require_GET
def events_feed(request: HttpRequest) -> HttpResponse:
    return _events(request)
