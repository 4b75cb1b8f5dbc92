"""The Atom feed of the member letters (``/ledenbrieven/feed.atom``): the letters sent (or being
sent), newest first; each entry is the letter's number and title with its whole text."""

import datetime

from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from stedennet.letters.models import Letter
from stedennet.letters.rendering import body_html
from stedennet.letters.selectors import published_letters
from stedennet.registry.feeds import NetworkFeed

FEED_LENGTH = 30


class LettersFeed(NetworkFeed):
    title_format = gettext_lazy("Member letters of %(network)s")

    def subtitle(self) -> str:
        return _("The numbered letters to the colleges and councils of the members.")

    def link(self) -> str:
        return reverse("letters:archive")

    def feed_url(self) -> str:
        return reverse("letters:feed")

    def items(self) -> list[Letter]:
        return list(published_letters()[:FEED_LENGTH])

    def item_title(self, letter: Letter) -> str:
        return f"{letter.reference}: {letter.title}"

    def item_link(self, letter: Letter) -> str:
        return letter.get_absolute_url()

    def item_description(self, letter: Letter) -> str:
        text = body_html(letter)
        if letter.is_demo:
            text = f"<p>{escape(_('Demo data: invented for demonstration.'))}</p>{text}"
        return text

    def item_pubdate(self, letter: Letter) -> datetime.datetime:
        return letter.sent_at

    def item_updateddate(self, letter: Letter) -> datetime.datetime:
        return letter.finished_at or letter.sent_at

    def item_categories(self, letter: Letter) -> list[str]:
        return [_("Member letter")]
