"""Meetings in the back office (read there, in the menu group "Governance"; planned and
recorded on the meeting pages), and what this app adds to governance: the meetings and the
documents on a body's page, and the demo meetings (``governance.extension_points``)."""

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from stedennet.accounts.backoffice import (
    READ_ONLY,
    BureauPolicy,
    LinkColumn,
    ReadOnlyViewSet,
    demo_column,
    yes_no_column,
)
from stedennet.governance.extension_points import ADMIN_MENU, BODY_PAGE_SECTIONS, DEMO_LOADERS
from stedennet.meetings import selectors
from stedennet.meetings.demo import demo_meetings_load
from stedennet.meetings.models import Meeting

register_permission_policy(Meeting, BureauPolicy(Meeting, actions=READ_ONLY))


def meeting_page_url(meeting: Meeting) -> str:
    return reverse("meetings:meeting", args=[meeting.pk])


class MeetingViewSet(ReadOnlyViewSet):
    model = Meeting
    icon = "date"
    menu_label = _("Meetings")
    menu_hook = ADMIN_MENU  # in the menu group "Governance", after its own items
    menu_order = 5
    list_display = ["__str__", "title", "starts_at", "location", yes_no_column("cancelled", _("Cancelled")),
                    LinkColumn("page", label=_("Page"), text=_("Meeting page"), url=meeting_page_url),
                    demo_column("demo", accessor=lambda meeting: meeting.body.is_demo)]
    list_filter = ["body", "cancelled"]
    search_fields = ["title", "body__name", "location"]
    search_backend_name = None
    ordering = ["-starts_at"]

    def get_queryset(self, request):
        return Meeting.objects.select_related("body")


register_snippet(MeetingViewSet)


# --- on a body's page (governance) ---------------------------------------------------------
# Rendered without the context processors: the parts need only the request (for the links'
# viewer), not a second round of the page's context.

@hooks.register(BODY_PAGE_SECTIONS, order=10)
def body_page_meetings(request, body, viewer) -> str:
    """The upcoming meetings, the link to the archive, the calendar feed, and for the bureau "plan a meeting"."""
    return render_to_string("meetings/body_page/meetings.html", {
        "request": request,
        "body": body,
        "meetings": list(selectors.meetings_ahead(body=body)),
        "calendar_url": reverse("meetings:body_ical", kwargs={"slug": body.slug}),
        "may_plan_meetings": viewer.is_bureau and bool(body.track),
    })


@hooks.register(BODY_PAGE_SECTIONS, order=20)
def body_page_documents(request, body, viewer) -> str:
    """The documents of the body's meetings that the viewer may see."""
    return render_to_string("meetings/body_page/documents.html", {
        "request": request,
        "body": body,
        "documents": list(selectors.body_documents(body=body, viewer=viewer)),
    })


@hooks.register(DEMO_LOADERS, order=10)
def demo_meetings(network) -> dict[str, int]:
    return demo_meetings_load(network=network)
