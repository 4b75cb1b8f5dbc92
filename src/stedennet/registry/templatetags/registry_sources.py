"""Sources written as text with addresses in them ("Gemeente Amstelveen, persbericht 1 juni 2022
(https://…); https://…") shown as styled links with a readable title instead of bare URLs."""

import re
from urllib.parse import urlsplit

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

URL = r"https?://[^\s()<>;,]+[^\s()<>;,.]"
# "Title (https://address)": the title becomes the link text.
TITLED = re.compile(rf"(?P<title>[^();]+?)\s*\((?P<url>{URL})\)")
BARE = re.compile(rf"(?P<url>{URL})")


def _host(url: str) -> str:
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


def _link(url: str, title: str) -> str:
    return format_html('<a class="utrecht-link" href="{}" title="{}">{}</a>', url, url, title)


@register.filter(needs_autoescape=False)
def source_links(text: str) -> SafeString:
    """The source text, escaped, with each address as a link titled by the words before it in
    "title (address)", or else by the site's name."""
    if not text:
        return mark_safe("")
    out, position = [], 0
    for match in TITLED.finditer(text):
        out.append(_linkify_bare(text[position:match.start()]))
        title = match["title"].strip()
        leading = match["title"][: len(match["title"]) - len(match["title"].lstrip())]
        out.append(escape(leading) + _link(match["url"], title))
        position = match.end()
    out.append(_linkify_bare(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every part escaped above


def _linkify_bare(text: str) -> str:
    out, position = [], 0
    for match in BARE.finditer(text):
        out.append(escape(text[position:match.start()]))
        out.append(_link(match["url"], _host(match["url"])))
        position = match.end()
    out.append(escape(text[position:]))
    return "".join(out)
