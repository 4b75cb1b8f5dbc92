"""Meetings of bodies: the reads. Each is a fixed number of queries whatever the number of rows.

- ``meeting_for_page`` (everything a meeting's page shows), ``decision_prefix``, ``meeting_day``;
- ``upcoming_meetings`` (not ended yet), ``meetings_ahead`` (a body's page: from now on),
  ``past_meetings`` (a body's archive with the decision lists);
- ``meetings_of_body``, ``meetings_for_person``, ``person_for_calendar_token`` (the feeds);
- ``position_holders``, ``expected_attendees``, ``holds_current_position``;
- ``body_documents``, ``visible_documents``: documents by the viewer's ``Viewer.visible_q`` /
  ``Viewer.may_see`` (``governance.access``), the one visibility rule.
"""

import datetime
from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from stedennet.governance.models import Body, Person, Position
from stedennet.meetings.models import AgendaItem, Attendance, Decision, Meeting, MeetingDocument


def meeting_day(meeting: Meeting) -> datetime.date:
    return timezone.localtime(meeting.starts_at).date()


def decision_prefix(meeting: Meeting) -> str:
    """What comes before a decision's number: "AB 2026-04-14" (as ``Decision.reference``)."""
    return f"{meeting.body.short_name or meeting.body.name} {meeting_day(meeting):%Y-%m-%d}"


def position_holders(body: Body, day: datetime.date | None = None) -> QuerySet[Person]:
    """The people holding a position in ``body`` on ``day`` (today by default), by name."""
    day = day or timezone.localdate()
    return Person.objects.filter(
        pk__in=Position.objects.on(day).filter(body=body).values("person_id")
    ).select_related("municipality").order_by("name", "pk")


def expected_attendees(meeting: Meeting) -> list[Person]:
    """Everyone holding a position in the meeting's body on the meeting date."""
    return list(position_holders(meeting.body, meeting_day(meeting)))


def meeting_for_page(pk: int) -> Meeting:
    """A meeting with everything its page shows, in a fixed number of queries."""
    return (
        Meeting.objects.select_related("body")
        .prefetch_related(
            Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter").order_by("number")),
            Prefetch("attendance", queryset=Attendance.objects.select_related("person", "substitute")
                     .order_by("person__name", "person_id")),
            Prefetch("decisions", queryset=Decision.objects.select_related("agenda_item").order_by("number")),
            Prefetch("documents", queryset=MeetingDocument.objects.select_related("document")
                     .order_by("title", "pk")),
        )
        .get(pk=pk)
    )


def _with_agenda(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return meetings.select_related("body").prefetch_related(
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("presenter").order_by("number"))
    )


def upcoming_meetings(*, body: Body | None = None, bodies: Iterable[Body] | None = None,
                      now: datetime.datetime | None = None, include_cancelled: bool = False) -> QuerySet[Meeting]:
    """Meetings of ``body`` (or of any of ``bodies``) that have not ended yet, soonest first."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(ends_at__gte=now)
    if body is not None:
        meetings = meetings.filter(body=body)
    if bodies is not None:
        meetings = meetings.filter(body__in=list(bodies))
    if not include_cancelled:
        meetings = meetings.filter(cancelled=False)
    return meetings.select_related("body").order_by("starts_at", "pk")


def past_meetings(body: Body, *, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The archive of ``body``: its meetings that have started before ``now``, newest first,
    cancelled ones included, each with its numbered decisions (and their agenda items)
    prefetched: two queries per page whatever the number of meetings and decisions."""
    decisions = Decision.objects.select_related("agenda_item").order_by("number")
    return (Meeting.objects.filter(body=body, starts_at__lt=now or timezone.now())
            .select_related("body")
            .prefetch_related(Prefetch("decisions", queryset=decisions))
            .order_by("-starts_at", "-pk"))


def meetings_of_body(body: Body, *, since: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """A body's meetings (cancelled ones too, a calendar must hear of those) with their agenda."""
    meetings = Meeting.objects.filter(body=body)
    if since is not None:
        meetings = meetings.filter(ends_at__gte=since)
    return _with_agenda(meetings).order_by("starts_at", "pk")


def meetings_for_person(person: Person, *, since: datetime.datetime | None = None,
                        day: datetime.date | None = None) -> QuerySet[Meeting]:
    """The meetings of every body where ``person`` holds a position on ``day`` (today), with their agenda."""
    day = day or timezone.localdate()
    body_ids = Position.objects.on(day).filter(person=person).values("body_id")
    meetings = Meeting.objects.filter(body_id__in=body_ids)
    if since is not None:
        meetings = meetings.filter(ends_at__gte=since)
    return _with_agenda(meetings).order_by("starts_at", "pk")


def person_for_calendar_token(token: str) -> Person | None:
    if not token:
        return None
    return Person.objects.filter(calendar_token=token).first()


def visible_documents(documents: Iterable[MeetingDocument], viewer, body_id: int) -> list[MeetingDocument]:
    return [document for document in documents if viewer.may_see(document.visibility, body_id)]


def may_see_meeting(viewer, meeting: Meeting) -> bool:
    """The meeting page: the bureau, members, and anyone holding a position in the body."""
    return viewer.may_open_meeting(meeting)


def holds_current_position(person: Person, body: Body) -> bool:
    return Position.objects.current().filter(person=person, body=body).exists()


def meetings_ahead(*, body: Body, now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The meetings of ``body`` that start from ``now`` on, soonest first, cancelled ones
    included (a body's page lists them, marked)."""
    return Meeting.objects.filter(body=body, starts_at__gte=now or timezone.now()).order_by("starts_at", "pk")


def body_documents(*, body: Body, viewer) -> QuerySet[MeetingDocument]:
    """The documents of ``body``'s meetings that ``viewer`` (``governance.access.Viewer``) may
    see, newest meeting first: ``Viewer.visible_q``, the rule of ``Viewer.may_see`` as a filter."""
    return (
        MeetingDocument.objects.filter(meeting__body=body)
        .filter(viewer.visible_q(body="meeting__body_id"))
        .select_related("meeting", "agenda_item", "document")
        .order_by("-meeting__starts_at", "meeting_id", "agenda_item__number", "title", "pk")
    )
