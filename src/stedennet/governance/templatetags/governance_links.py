"""Links to governance pages, shown only to a viewer who may open them.

Every link to a body, a theme group, a body's archive, a meeting or a meeting document goes
through these tags, so a page never offers a link that answers 403: the tags ask the same
``Viewer`` rules (``may_open_body``, ``may_open_meeting``, ``may_open_document``) that the views
check, and render the plain text instead of a link when the rule says no.

    {% load governance_links %}
    {% body_link body %}                     name of the body, linked when allowed
    {% meeting_link meeting "text" %}        text, linked to the meeting page when allowed
    {% document_link document "text" %}      text, linked to the download when allowed
    {% archive_link body "text" %}           a link to the archive, or nothing
    {% may_open thing as allowed %}          the rule itself, for other markup
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from stedennet.governance.access import ANONYMOUS, Viewer, viewer_for
from stedennet.governance.models import Body, BodyKind, Meeting, MeetingDocument

register = template.Library()


def _viewer(context) -> Viewer:
    request = context.get("request")
    user = getattr(request, "user", None)
    return viewer_for(user) if user is not None else ANONYMOUS


def allowed(viewer: Viewer, thing) -> bool:
    if isinstance(thing, Body):
        return viewer.may_open_body(thing)
    if isinstance(thing, Meeting):
        return viewer.may_open_meeting(thing)
    if isinstance(thing, MeetingDocument):
        return viewer.may_open_document(thing)
    return False


def _link(url: str, text, testid: str = "") -> str:
    if testid:
        return format_html('<a class="utrecht-link" href="{}" data-testid="{}">{}</a>', url, testid, text)
    return format_html('<a class="utrecht-link" href="{}">{}</a>', url, text)


@register.simple_tag(takes_context=True)
def may_open(context, thing) -> bool:
    return allowed(_viewer(context), thing)


@register.simple_tag(takes_context=True)
def body_link(context, body, text=None, testid=""):
    if body is None:
        return ""
    text = body.name if text is None else text
    if not allowed(_viewer(context), body):
        return format_html("{}", text)
    return _link(body.get_absolute_url(), text, testid)


@register.simple_tag(takes_context=True)
def meeting_link(context, meeting, text=None, testid=""):
    text = str(meeting) if text is None else text
    if not allowed(_viewer(context), meeting):
        return format_html("{}", text)
    return _link(meeting.get_absolute_url(), text, testid)


@register.simple_tag(takes_context=True)
def document_link(context, document, text=None, testid=""):
    text = document.title if text is None else text
    if not allowed(_viewer(context), document):
        return format_html("{}", text)
    url = reverse("governance:meeting_document", kwargs={"pk": document.meeting_id, "document_pk": document.pk})
    return _link(url, text, testid)


@register.simple_tag(takes_context=True)
def archive_link(context, body, text, testid="archive-link"):
    """A link to the body's past meetings and decisions, or nothing when the viewer may not open it."""
    if body is None or body.kind == BodyKind.PILLAR or not _viewer(context).may_open_body(body):
        return ""
    return _link(reverse("governance:body_archive", kwargs={"slug": body.slug}), text, testid)
