"""Links to governance pages, shown only to a viewer who may open them.

Every link to a body or a theme group goes through these tags, so a page never offers a link that
answers 403: the tags ask the same ``Viewer`` rule (``may_open_body``) that the views check, and
render the plain text instead of a link when the rule says no. Links to meetings, their
documents and a body's archive: ``meetings_links`` (in ``stedennet.meetings``).

    {% load governance_links %}
    {% body_link body %}                     name of the body, linked when allowed
    {% may_open body as allowed %}           the rule itself, for other markup
"""

from django import template
from django.utils.html import format_html

from stedennet.governance.access import ANONYMOUS, Viewer, viewer_for
from stedennet.governance.models import Body

register = template.Library()


def viewer_in(context) -> Viewer:
    """Who is looking, from the template context (anonymous without a request)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return viewer_for(user) if user is not None else ANONYMOUS


def link(url: str, text, testid: str = "") -> str:
    """An NL Design System link (with a test id when given)."""
    if testid:
        return format_html('<a class="utrecht-link" href="{}" data-testid="{}">{}</a>', url, testid, text)
    return format_html('<a class="utrecht-link" href="{}">{}</a>', url, text)


@register.simple_tag(takes_context=True)
def may_open(context, body) -> bool:
    return isinstance(body, Body) and viewer_in(context).may_open_body(body)


@register.simple_tag(takes_context=True)
def body_link(context, body, text=None, testid=""):
    if body is None:
        return ""
    text = body.name if text is None else text
    if not viewer_in(context).may_open_body(body):
        return format_html("{}", text)
    return link(body.get_absolute_url(), text, testid)
