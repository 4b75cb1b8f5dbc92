"""Rich text typed in the simple editor (bold, italic, lists, links) or, without JavaScript, as
plain text in the same textarea. ``rich_text_clean`` turns either into the allowed HTML, always
through ``services.sanitize_html`` (nh3): the editor helps people, it is not trusted.

- ``rich_text_clean(text)``: plain text (no tags) becomes paragraphs (an empty line between
  them, a single newline a line break), escaped; HTML keeps only what ``sanitize_html`` allows,
  after the editor's ``<b>``/``<i>`` became ``<strong>``/``<em>``.
- ``rich_text_html(text)``: what a page shows: the same cleaning, so text stored before the
  editor (plain text) and HTML both render safely.
- ``rich_text_plain(text)``: plain text for mails (tags gone, entities decoded, paragraphs kept).
"""

import html
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import linebreaks, strip_tags
from django.utils.translation import gettext_lazy as _

from stedennet.knowledge.services import sanitize_html

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_RENAME = [(re.compile(r"<(/?)b(\s[^>]*)?>", re.IGNORECASE), r"<\1strong>"),
           (re.compile(r"<(/?)i(\s[^>]*)?>", re.IGNORECASE), r"<\1em>"),
           (re.compile(r"<(/?)div(\s[^>]*)?>", re.IGNORECASE), r"<\1p>")]
_EMPTY_BLOCK = re.compile(r"<(p|h2|h3|blockquote|li)>(?:\s|&nbsp;|<br\s*/?>)*</\1>", re.IGNORECASE)
_TRAILING_BREAK = re.compile(r"(?:<br\s*/?>\s*)+(</(?:p|li|h2|h3|blockquote)>)", re.IGNORECASE)
_BLOCK_END = re.compile(r"</(p|li|h2|h3|blockquote)>|<br\s*/?>", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    return bool(_TAG.search(text or ""))


def rich_text_clean(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    if not looks_like_html(text):
        return sanitize_html(linebreaks(text, autoescape=True))
    for pattern, replacement in _RENAME:
        text = pattern.sub(replacement, text)
    # The editor ends blocks with a <br> and leaves empty paragraphs: neither carries anything.
    cleaned = _EMPTY_BLOCK.sub("", _TRAILING_BREAK.sub(r"\1", sanitize_html(text))).strip()
    return "" if not strip_tags(cleaned).strip() else cleaned


def rich_text_html(text: str) -> str:
    return rich_text_clean(text)


def rich_text_plain(text: str) -> str:
    if not looks_like_html(text):
        return (text or "").strip()
    spaced = _BLOCK_END.sub(lambda match: match.group(0) + "\n", text)
    lines = [" ".join(line.split()) for line in html.unescape(strip_tags(spaced)).splitlines()]
    return "\n".join(line for line in lines if line).strip()


# --- the form field and its editor ----------------------------------------------------------------


class RichTextarea(forms.Textarea):
    """A textarea that ``knowledge/rich-text.js`` turns into the simple editor (Squire) with a
    toolbar of real buttons; the button names come from here, translated. Without JavaScript it
    stays a textarea for plain text."""

    def __init__(self, attrs=None):
        defaults = {
            "data-rich-text": "true",
            "data-label-toolbar": _("Text formatting"),
            "data-label-bold": _("Bold"),
            "data-label-italic": _("Italic"),
            "data-label-bullets": _("Bulleted list"),
            "data-label-numbers": _("Numbered list"),
            "data-label-link": _("Link"),
            "data-label-unlink": _("Remove link"),
            "data-prompt-link": _("Web address of the link (https://…)"),
        }
        super().__init__({**defaults, **(attrs or {})})


class RichTextField(forms.CharField):
    """Rich text: cleaned into the allowed HTML (``rich_text_clean``)."""

    widget = RichTextarea
    default_help = _("Use the buttons for bold, italic, lists and links. Without them, type plain text: "
                     "an empty line starts a new paragraph.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("help_text", self.default_help)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        cleaned = rich_text_clean(value)
        if self.required and not cleaned:
            raise ValidationError(self.error_messages["required"], code="required")
        return cleaned
