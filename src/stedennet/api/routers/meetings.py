"""/meetings: meetings of bodies with their agenda and numbered decisions.

A meeting is for the bureau, members and the people seated in its body
(``Viewer.may_open_meeting``, as its page): an anonymous request sees none, a token sees what its
person may open.
"""


from django.db.models import Q
from django.http import HttpRequest
from ninja import Router

from stedennet.api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from stedennet.api.query import date_query, parse_date, slug_query
from stedennet.api.routers.common import body_ref, not_found, viewer
from stedennet.api.schemas import DecisionPage, MeetingDetail, MeetingPage
from stedennet.governance.access import Viewer
from stedennet.meetings.models import AgendaItem, Decision, Meeting

router = Router(tags=["meetings"])

BodyFilter = slug_query("Only the meetings of this body (slug).")
StartsFrom = date_query("Only meetings starting on or after this day.", alias="startsFrom")


def visible_meetings(who: Viewer):
    meetings = Meeting.objects.select_related("body")
    if who.is_bureau or who.is_member:
        return meetings
    return meetings.filter(Q(body_id__in=sorted(who.body_ids)))


def meeting_json(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk, "body": body_ref(meeting.body), "title": meeting.title, "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at, "location": meeting.location, "cancelled": meeting.cancelled,
        "minutes_approved_on": meeting.minutes_approved_on,
    }


def decision_json(decision: Decision) -> dict:
    return {"reference": decision.reference, "number": decision.number, "text": decision.text,
            "agenda_item": {"number": decision.agenda_item.number, "title": decision.agenda_item.title}}


@router.get("/meetings", response=MeetingPage, by_alias=True, operation_id="listMeetings", summary="Meetings")
def list_meetings(request: HttpRequest,
                  body: BodyFilter = None, starts_from: StartsFrom = None,
                  page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """The meetings the asker may open, the latest first."""
    meetings = visible_meetings(viewer(request))
    if body:
        meetings = meetings.filter(body__slug=body)
    day = parse_date("startsFrom", starts_from)
    if day is not None:
        meetings = meetings.filter(starts_at__date__gte=day)
    return paginate(meetings.order_by("-starts_at", "-pk"), page=page, page_size=page_size, serialise=meeting_json)


def _meeting_or_404(request: HttpRequest, meeting_id: int) -> Meeting:
    meeting = visible_meetings(viewer(request)).filter(pk=meeting_id).first()
    if meeting is None:
        raise not_found("meeting")
    return meeting


@router.get("/meetings/{id}", response=MeetingDetail, by_alias=True, operation_id="getMeeting",
            summary="One meeting")
def get_meeting(request: HttpRequest, id: int):
    meeting = _meeting_or_404(request, id)
    agenda = AgendaItem.objects.filter(meeting=meeting).order_by("number")
    decisions = (Decision.objects.filter(meeting=meeting).select_related("agenda_item", "meeting__body")
                 .order_by("number"))
    return {**meeting_json(meeting),
            "agenda": [{"number": item.number, "title": item.title} for item in agenda],
            "decisions": [decision_json(decision) for decision in decisions]}


@router.get("/meetings/{id}/decisions", response=DecisionPage, by_alias=True, operation_id="listMeetingDecisions",
            summary="Decisions of a meeting")
def list_decisions(request: HttpRequest, id: int,
                   page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    meeting = _meeting_or_404(request, id)
    decisions = (Decision.objects.filter(meeting=meeting).select_related("agenda_item", "meeting__body")
                 .order_by("number"))
    return paginate(decisions, page=page, page_size=page_size, serialise=decision_json)
