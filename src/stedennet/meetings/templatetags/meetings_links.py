"""Links to meeting pages, shown only to a viewer who may open them.

As ``governance_links`` does for bodies: every link to a meeting, a meeting document or a body's
archive goes through these tags, so a page never offers a link that answers 403. The tags ask
the ``Viewer`` rules (``may_open_meeting``, ``may_open_document``, ``may_open_body``) that the
views check, and render the plain text instead of a link when the rule says no.

    {% load meetings_links %}
    {% meeting_link meeting "text" %}        text, linked to the meeting page when allowed
    {% document_link document "text" %}      text, linked to the download when allowed
    {% archive_link body "text" %}           a link to the archive, or nothing
"""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from stedennet.governance.models import BodyKind
from stedennet.governance.templatetags.governance_links import link, viewer_in

register = template.Library()


@register.simple_tag(takes_context=True)
def meeting_link(context, meeting, text=None, testid=""):
    text = str(meeting) if text is None else text
    if not viewer_in(context).may_open_meeting(meeting):
        return format_html("{}", text)
    return link(meeting.get_absolute_url(), text, testid)


@register.simple_tag(takes_context=True)
def document_link(context, document, text=None, testid=""):
    text = document.title if text is None else text
    if not viewer_in(context).may_open_document(document):
        return format_html("{}", text)
    url = reverse("meetings:meeting_document", kwargs={"pk": document.meeting_id, "document_pk": document.pk})
    return link(url, text, testid)


@register.simple_tag(takes_context=True)
def archive_link(context, body, text, testid="archive-link"):
    """A link to the body's past meetings and decisions, or nothing when the viewer may not open it."""
    if body is None or body.kind == BodyKind.PILLAR or not viewer_in(context).may_open_body(body):
        return ""
    return link(reverse("meetings:body_archive", kwargs={"slug": body.slug}), text, testid)
