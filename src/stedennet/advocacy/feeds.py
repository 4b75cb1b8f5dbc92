"""The Atom feeds of the lobby.

- ``/lobby/brieven.atom``: the network's public letters: every intervention of kind letter that
  is public, in a public dossier, newest first; each entry says to whom it went and, once known,
  its outcome.
- ``/lobby/feed.atom``: the public dossiers (what an anonymous ``Viewer`` sees, never those for
  members, partners or one group), the latest change first (opened, new ask, closed); each entry
  gives the pillar, the status and the current ask."""

import datetime

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from stedennet.advocacy.models import AskVersion, Dossier, Intervention
from stedennet.advocacy.selectors import dossiers_visible, public_letters
from stedennet.governance.access import ANONYMOUS
from stedennet.registry.feeds import NetworkFeed, at_noon
from stedennet.registry.selectors import network_current
from stedennet.web.access import public

FEED_LENGTH = 50



def outcome_text(letter: Intervention) -> str:
    if not letter.has_outcome:
        return _("Outcome: pending.")
    text = _("Outcome: %(outcome)s on %(day)s.") % {"outcome": letter.get_outcome_display(),
                                                    "day": letter.outcome_on.isoformat() if letter.outcome_on else "?"}
    return f"{text} {letter.outcome_note}".strip()


class LettersFeed(NetworkFeed):
    title_format = gettext_lazy("Letters of %(network)s")

    def subtitle(self) -> str:
        return _("Public letters of the network to cabinet, ministries and parliament, with their outcome.")

    def link(self) -> str:
        return reverse("advocacy:dossier_list")

    def feed_url(self) -> str:
        return reverse("advocacy:letters_feed")

    def items(self) -> list[Intervention]:
        return public_letters(FEED_LENGTH)

    def item_title(self, letter: Intervention) -> str:
        return letter.title

    def item_link(self, letter: Intervention) -> str:
        return f"{letter.dossier.get_absolute_url()}#stap-{letter.pk}"

    def item_description(self, letter: Intervention) -> str:
        addressee = letter.get_addressee_display()
        if letter.addressee_name:
            addressee = f"{addressee}: {letter.addressee_name}"
        parts = [_("Dossier: %(dossier)s.") % {"dossier": letter.dossier.title},
                 _("To: %(addressee)s.") % {"addressee": addressee}]
        if letter.summary:
            parts.append(letter.summary)
        parts.append(outcome_text(letter))
        if letter.is_demo or letter.dossier.is_demo:
            parts.append(_("Demo data: invented for demonstration."))
        # Atom's summary is HTML: every part is escaped, one paragraph each.
        return "".join(f"<p>{escape(part)}</p>" for part in parts)

    def item_pubdate(self, letter: Intervention) -> datetime.datetime:
        return at_noon(letter.date)

    def item_updateddate(self, letter: Intervention) -> datetime.datetime:
        return at_noon(max(letter.date, letter.outcome_on or letter.date))

    def item_categories(self, letter: Intervention) -> list[str]:
        return [str(letter.get_outcome_display())]


# --- the public dossiers ---------------------------------------------------------------------------


def _dossier_changed_on(dossier: Dossier) -> datetime.date:
    latest_ask = dossier.asks_newest[0] if dossier.asks_newest else None
    return max(day for day in (dossier.opened_on, dossier.closed_on, latest_ask and latest_ask.adopted_on) if day)


def public_dossiers(limit: int = FEED_LENGTH) -> list[Dossier]:
    """The dossiers of the feed: what an anonymous visitor may see, of the current network, the
    latest change first; each with ``asks_newest`` (its ask versions, newest first). Two queries."""
    dossiers = dossiers_visible(ANONYMOUS).prefetch_related(
        Prefetch("asks", queryset=AskVersion.objects.order_by("dossier_id", "-number"), to_attr="asks_newest"))
    network = network_current()
    if network is not None:
        dossiers = dossiers.filter(network=network)
    return sorted(dossiers, key=lambda dossier: (_dossier_changed_on(dossier), dossier.pk), reverse=True)[:limit]


class DossiersFeed(NetworkFeed):
    title_format = gettext_lazy("Lobby dossiers of %(network)s")

    def subtitle(self) -> str:
        return _("What the network asks of cabinet, ministries and parliament, one dossier per subject.")

    def link(self) -> str:
        return reverse("advocacy:dossier_list")

    def feed_url(self) -> str:
        return reverse("advocacy:dossiers_feed")

    def items(self) -> list[Dossier]:
        return public_dossiers()

    def item_title(self, dossier: Dossier) -> str:
        return dossier.title

    def item_link(self, dossier: Dossier) -> str:
        return dossier.get_absolute_url()

    def item_description(self, dossier: Dossier) -> str:
        parts = [_("Pillar: %(pillar)s.") % {"pillar": dossier.pillar.name},
                 _("Status: %(status)s.") % {"status": dossier.get_status_display()}]
        latest_ask = dossier.asks_newest[0] if dossier.asks_newest else None
        if latest_ask is not None:
            parts.append(_("Our ask (version %(number)s, %(day)s): %(text)s") % {
                "number": latest_ask.number, "day": latest_ask.adopted_on.isoformat(), "text": latest_ask.text})
        if dossier.summary:
            parts.append(dossier.summary)
        if dossier.is_demo:
            parts.append(_("Demo data: invented for demonstration."))
        return "".join(f"<p>{escape(part)}</p>" for part in parts)

    def item_pubdate(self, dossier: Dossier) -> datetime.datetime:
        return at_noon(dossier.opened_on)

    def item_updateddate(self, dossier: Dossier) -> datetime.datetime:
        return at_noon(_dossier_changed_on(dossier))

    def item_categories(self, dossier: Dossier) -> list[str]:
        # Atom category terms are identifiers: the pillar's slug and the status, as codes.
        return [dossier.pillar.slug, dossier.status]


_dossiers = DossiersFeed()


@public
@require_GET
def dossiers_feed(request: HttpRequest) -> HttpResponse:
    return _dossiers(request)
