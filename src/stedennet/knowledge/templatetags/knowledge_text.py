"""Showing rich text: ``{{ text|rich_text }}`` (sanitised HTML, also for text stored as plain
text before the editor) and ``{{ text|rich_text_plain }}`` (for mails)."""

from django import template
from django.utils.safestring import mark_safe

from stedennet.knowledge import rich_text as cleaning

register = template.Library()


@register.filter
def rich_text(value) -> str:
    return mark_safe(cleaning.rich_text_html(str(value or "")))  # noqa: S308 - sanitised by nh3 just now


@register.filter
def rich_text_plain(value) -> str:
    return cleaning.rich_text_plain(str(value or ""))
