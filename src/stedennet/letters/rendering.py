"""A member letter as mail and as web page, from the same content.

The mail is multipart: a text part and an HTML part. The HTML part is a table-based layout with
inline styles only (what mail programs show alike), loads nothing from elsewhere (no images, no
style sheets), in the site's language; the letter's rich text is expanded (Wagtail's internal
links become addresses), every link made absolute (``STEDENNET_BASE_URL``) and every element of
it given its inline style. The text part is made from the same HTML by ``inscriptis`` (links
written out after their text, headings underlined) inside the text template's header and
footer. The subject names the number: "Member letter Lbr. 26/001: title" (translated).

Both parts end with the marker ``%%UNSUBSCRIBE%%`` of ``stedennet.mail``'s mass mailing: for a
subscriber it becomes the unsubscribe text (``unsubscribe_text``/``unsubscribe_html``, with
``%%URL%%`` their link); for the addresses of the distribution lists it disappears.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.html
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext as _
from inscriptis import get_text
from wagtail.rich_text import expand_db_html

from stedennet.letters.models import Letter
from stedennet.letters.selectors import absolute_url
from stedennet.mail.constants import UNSUBSCRIBE_MARKER, URL_MARKER
from stedennet.registry.selectors import network_current

FALLBACK_COLOUR = "#154273"
FONT = "Arial, Helvetica, sans-serif"
# The inline style of each element of the letter's text in the HTML part.
STYLES = {
    "p": "margin: 0 0 16px; font-family: {font}; font-size: 16px; line-height: 24px; color: #1a1a1a;",
    "h2": "margin: 28px 0 8px; font-family: {font}; font-size: 20px; line-height: 26px; color: #1a1a1a;",
    "h3": "margin: 20px 0 8px; font-family: {font}; font-size: 17px; line-height: 24px; color: #1a1a1a;",
    "ul": "margin: 0 0 16px; padding: 0 0 0 24px; font-family: {font}; font-size: 16px; line-height: 24px;",
    "ol": "margin: 0 0 16px; padding: 0 0 0 24px; font-family: {font}; font-size: 16px; line-height: 24px;",
    "li": "margin: 0 0 8px; color: #1a1a1a;",
    "a": "color: {colour}; text-decoration: underline;",
    "hr": "border: 0; border-top: 1px solid #cccccc; margin: 24px 0;",
}


# The NL Design System class of each element of the letter's text on the web page.
WEB_CLASSES = {
    "p": "utrecht-paragraph",
    "h2": "utrecht-heading-2",
    "h3": "utrecht-heading-3",
    "ul": "utrecht-unordered-list",
    "ol": "utrecht-ordered-list",
    "li": "utrecht-unordered-list__item",
    "a": "utrecht-link",
    "hr": "utrecht-separator",
}


@dataclass(frozen=True)
class MailParts:
    subject: str
    text: str
    html: str
    unsubscribe_text: str
    unsubscribe_html: str
    list_id: str


def _colour() -> str:
    network = network_current()
    return (network.primary_colour if network and network.primary_colour else "") or FALLBACK_COLOUR


def _fragment(html: str):
    return lxml.html.fragment_fromstring(html or "", create_parent="div")


def _serialise(root) -> str:
    inner = lxml.html.tostring(root, encoding="unicode", method="html")
    return re.sub(r"^<div>|</div>$", "", inner)


def letter_date(letter: Letter):
    """The letter's date: the day it was sent, or today for a draft (its previews)."""
    return timezone.localdate(letter.sent_at) if letter.sent_at else timezone.localdate()


def body_html(letter: Letter) -> str:
    """The letter's rich text as HTML with absolute links (the web page and the mail)."""
    root = _fragment(expand_db_html(letter.body or ""))
    for element in root.iter("img", "script", "style", "iframe", "embed", "object"):
        element.drop_tree()
    for link in root.iter("a"):
        href = (link.get("href") or "").strip()
        if href.startswith("/") and not href.startswith("//"):
            link.set("href", absolute_url(href))
        for attribute in ("id", "linktype", "data-id"):
            link.attrib.pop(attribute, None)
    for element in root.iter():
        element.attrib.pop("data-block-key", None)
    return _serialise(root)


def styled_html(html: str, *, colour: str) -> str:
    """``html`` with the inline style of each element (see ``STYLES``)."""
    root = _fragment(html)
    for element in root.iter(*STYLES):
        element.set("style", STYLES[element.tag].format(font=FONT, colour=colour))
    return _serialise(root)


def web_html(letter: Letter) -> str:
    """The letter's text for its web page: ``body_html`` with the NL Design System classes."""
    root = _fragment(body_html(letter))
    for element in root.iter(*WEB_CLASSES):
        classes = WEB_CLASSES[element.tag]
        if element.tag == "li" and element.getparent() is not None and element.getparent().tag == "ol":
            classes = "utrecht-ordered-list__item"
        element.set("class", classes)
    return _serialise(root)


def html_to_text(html: str) -> str:
    """Plain text of the letter's HTML: links written out as "text <address>", headings underlined."""
    root = _fragment(html)
    for link in root.iter("a"):
        href = link.get("href") or ""
        if href and href != link.text_content().strip():
            link.tail = f" <{href}>" + (link.tail or "")
    for heading in root.iter("h2", "h3"):
        title = " ".join(heading.text_content().split())
        for child in list(heading):
            heading.remove(child)
        heading.text = title
        rule = lxml.html.Element("br")
        rule.tail = ("=" if heading.tag == "h2" else "-") * len(title)
        heading.append(rule)
    text = get_text(_serialise(root))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def list_id_of() -> str:
    """The List-Id of the member letter (RFC 2919): plain ASCII, on the site's host."""
    host = (urlsplit(absolute_url("/")).hostname or "localhost").encode("idna").decode("ascii")
    network = network_current()
    label = (network.slug if network else "stedennet").encode("ascii", "ignore").decode() or "stedennet"
    return f"<ledenbrief.{label}.{host}>"


def subject_of(letter: Letter) -> str:
    return _("Member letter %(reference)s: %(title)s") % {"reference": letter.reference, "title": letter.title}


def _context(letter: Letter) -> dict:
    network = network_current()
    html = body_html(letter)
    return {
        "letter": letter,
        "subject": subject_of(letter),
        "network_name": network.name if network else settings.WAGTAIL_SITE_NAME,
        "date": date_format(letter_date(letter), "DATE_FORMAT"),
        "colour": _colour(),
        "font": FONT,
        "body_html": html,
        "web_url": absolute_url(letter.get_absolute_url()),
        "archive_url": absolute_url(reverse("letters:archive")),
        "subscribe_url": absolute_url(reverse("letters:subscribe")),
        "language": settings.LANGUAGE_CODE,
        "marker": UNSUBSCRIBE_MARKER,
        "url_marker": URL_MARKER,
    }


def mail_parts(letter: Letter) -> MailParts:
    """Subject, text and HTML of the letter's mail, in the site's language, with the unsubscribe
    marker; and the subscribers' unsubscribe text and HTML."""
    with translation.override(settings.LANGUAGE_CODE):
        context = _context(letter)
        colour = context["colour"]
        html = render_to_string("letters/mail/letter.html",
                                {**context, "body_html": styled_html(context["body_html"], colour=colour)})
        text = render_to_string("letters/mail/letter.txt", {**context, "body_text": html_to_text(context["body_html"])})
        unsubscribe_text = render_to_string("letters/mail/unsubscribe.txt", context).strip()
        unsubscribe_html = render_to_string("letters/mail/unsubscribe.html", context).strip()
        list_id = list_id_of()
        return MailParts(subject=context["subject"], text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
                         html=html, unsubscribe_text=unsubscribe_text, unsubscribe_html=unsubscribe_html,
                         list_id=list_id)


def personalised(parts: MailParts, *, unsubscribe_url: str = "") -> tuple[str, str]:
    """Text and HTML as one recipient receives them (the previews, the test send): the marker
    replaced by the unsubscribe text with ``unsubscribe_url``, or by nothing without one. The
    mass mailing does the same per recipient."""
    if unsubscribe_url:
        text_tail = parts.unsubscribe_text.replace(URL_MARKER, unsubscribe_url)
        html_tail = parts.unsubscribe_html.replace(URL_MARKER, escape(unsubscribe_url))
    else:
        text_tail = html_tail = ""
    return parts.text.replace(UNSUBSCRIBE_MARKER, text_tail), parts.html.replace(UNSUBSCRIBE_MARKER, html_tail)
