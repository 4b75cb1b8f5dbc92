"""The Atom feed of the network's public letters (``/lobby/brieven.atom``): every intervention of
kind letter that is public, in a public dossier, newest first; each entry says to whom it went
and, once known, its outcome."""

import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from stedennet.advocacy.models import Intervention
from stedennet.advocacy.selectors import public_letters
from stedennet.registry.selectors import network_current

FEED_LENGTH = 50


def _moment(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


def outcome_text(letter: Intervention) -> str:
    if not letter.has_outcome:
        return _("Outcome: pending.")
    text = _("Outcome: %(outcome)s on %(day)s.") % {"outcome": letter.get_outcome_display(),
                                                    "day": letter.outcome_on.isoformat() if letter.outcome_on else "?"}
    return f"{text} {letter.outcome_note}".strip()


class LettersFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        network = network_current()
        name = network.short_name if network else "Stedennet"
        return _("Letters of %(network)s") % {"network": name}

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
        return _moment(letter.date)

    def item_updateddate(self, letter: Intervention) -> datetime.datetime:
        return _moment(max(letter.date, letter.outcome_on or letter.date))

    def item_categories(self, letter: Intervention) -> list[str]:
        return [str(letter.get_outcome_display())]
