"""Meetings of bodies: the writes.

Flows owned here:
- the bureau plans a meeting with its agenda (``meeting_create``: the meeting gets its iCalendar
  UID once, at creation; the agenda items are numbered 1..n);
- changes that calendar clients must see raise the iCalendar SEQUENCE (``meeting_update``,
  ``meeting_cancel``);
- the bureau records what happened (``meeting_record``: attendance, minutes and the decision
  list, in one transaction; nothing is saved when any part is refused). Decisions are numbered
  1..n per meeting and always belong to an agenda item of the same meeting
  (``decision_add``, ``decisions_replace``);
- meeting documents are Wagtail documents in a collection that only the bureau may download
  through Wagtail; everyone else downloads through the meeting's own view, which checks the
  document's visibility (``meeting_document_add``, ``meeting_documents_collection``).

Refusals are ``governance.services.GovernanceRefused`` (a ``web.refusals.Refused``). The reads
are in ``meetings.selectors``.
"""

import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stedennet.governance.models import Body, Person, Position, Visibility
from stedennet.governance.services import GovernanceRefused
from stedennet.meetings.models import AgendaItem, Attendance, Decision, Meeting, MeetingDocument
from stedennet.meetings.selectors import meeting_day
from stedennet.web.uploads import check_upload

__all__ = [
    "AgendaEntry",
    "AttendanceEntry",
    "DecisionEntry",
    "agenda_item_add",
    "attendance_record",
    "decision_add",
    "decisions_replace",
    "document_file_check",
    "meeting_cancel",
    "meeting_create",
    "meeting_document_add",
    "meeting_documents_collection",
    "meeting_record",
    "meeting_update",
    "new_uid",
]

DOCUMENTS_COLLECTION = "Vergaderstukken"
# Changes to these fields are changes a calendar must pick up: they raise the SEQUENCE.
SCHEDULE_FIELDS = ("title", "starts_at", "ends_at", "location", "online_url", "cancelled")


def new_uid() -> str:
    return f"meeting-{uuid.uuid4()}@stedennet"


@dataclass(frozen=True)
class AgendaEntry:
    title: str
    presenter: Person | None = None
    proposal: str = ""


@dataclass(frozen=True)
class AttendanceEntry:
    person: Person
    status: str
    substitute: Person | None = None


@dataclass(frozen=True)
class DecisionEntry:
    agenda_item: AgendaItem
    text: str


# --- meetings ------------------------------------------------------------------------------

def _check_times(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if ends_at <= starts_at:
        raise GovernanceRefused({"ends_at": _("A meeting ends after it starts.")})


@transaction.atomic
def meeting_create(*, body: Body, starts_at: datetime.datetime, ends_at: datetime.datetime, title: str = "",
                   location: str = "", online_url: str = "", agenda: Sequence[AgendaEntry] = ()) -> Meeting:
    """Plan a meeting of ``body`` with its agenda, numbered 1..n in the given order."""
    if body.archived_at:
        raise GovernanceRefused(_("%(body)s was archived on %(date)s.") % {"body": body, "date": body.archived_at})
    _check_times(starts_at, ends_at)
    meeting = Meeting(body=body, title=title, starts_at=starts_at, ends_at=ends_at, location=location,
                      online_url=online_url, uid=new_uid())
    meeting.full_clean()
    meeting.save()
    items = [AgendaItem(meeting=meeting, number=number, title=entry.title, presenter=entry.presenter,
                        proposal=entry.proposal)
             for number, entry in enumerate(agenda, start=1)]
    for item in items:
        item.full_clean(exclude=["meeting"])
    AgendaItem.objects.bulk_create(items)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, **changes) -> Meeting:
    """Change a meeting's schedule or title; a real change raises its iCalendar SEQUENCE."""
    unknown = set(changes) - set(SCHEDULE_FIELDS)
    if unknown:
        raise TypeError(f"meeting_update does not change {', '.join(sorted(unknown))}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    changed = [name for name, value in changes.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, changes[name])
    _check_times(meeting.starts_at, meeting.ends_at)
    meeting.sequence += 1
    meeting.full_clean()
    meeting.save(update_fields=[*changed, "sequence", "updated_at"])
    return meeting


def meeting_cancel(*, meeting: Meeting) -> Meeting:
    return meeting_update(meeting=meeting, cancelled=True)


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, title: str, presenter: Person | None = None,
                    proposal: str = "") -> AgendaItem:
    """Add an item at the end of the agenda (the next number)."""
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    number = (meeting.agenda_items.aggregate(top=Max("number"))["top"] or 0) + 1
    item = AgendaItem(meeting=meeting, number=number, title=title, presenter=presenter, proposal=proposal)
    item.full_clean()
    item.save()
    return item


# --- attendance, minutes and decisions -----------------------------------------------------

def _check_attendance(meeting: Meeting, entries: Sequence[AttendanceEntry]) -> None:
    seen: set[int] = set()
    holders = set(Position.objects.on(meeting_day(meeting)).filter(body_id=meeting.body_id)
                  .values_list("person_id", flat=True)) if entries else set()
    for entry in entries:
        if entry.person.pk not in holders:
            raise GovernanceRefused(_("%(person)s held no position in %(body)s on %(date)s.") % {
                "person": entry.person, "body": meeting.body, "date": meeting_day(meeting)})
        if entry.person.pk in seen:
            raise GovernanceRefused(_("%(person)s is listed twice.") % {"person": entry.person})
        seen.add(entry.person.pk)
        if entry.status not in Attendance.Status.values:
            raise GovernanceRefused(_("Unknown attendance: %(status)s.") % {"status": entry.status})
        if entry.status == Attendance.Status.SUBSTITUTED:
            if entry.substitute is None:
                raise GovernanceRefused(_("Who substituted for %(person)s?") % {"person": entry.person})
            if entry.substitute.pk == entry.person.pk:
                raise GovernanceRefused(_("%(person)s cannot substitute for themselves.")
                                        % {"person": entry.person})
        elif entry.substitute is not None:
            raise GovernanceRefused(_("Only someone who was substituted has a substitute: %(person)s.")
                                    % {"person": entry.person})


def _check_decisions(meeting: Meeting, entries: Sequence[DecisionEntry]) -> None:
    for entry in entries:
        if entry.agenda_item.meeting_id != meeting.pk:
            raise GovernanceRefused(
                _("A decision belongs to an item on its own meeting's agenda; “%(item)s” is on another "
                  "meeting's agenda.") % {"item": entry.agenda_item.title})
        if not entry.text.strip():
            raise GovernanceRefused(_("A decision needs its text."))


@transaction.atomic
def attendance_record(*, meeting: Meeting, entries: Sequence[AttendanceEntry]) -> list[Attendance]:
    """Record who was present, absent or substituted (and by whom). Re-recording a person updates them."""
    _check_attendance(meeting, entries)
    existing = {row.person_id: row for row in Attendance.objects.select_for_update().filter(meeting=meeting)}
    rows = []
    for entry in entries:
        row = existing.get(entry.person.pk) or Attendance(meeting=meeting, person=entry.person)
        row.status = entry.status
        row.substitute = entry.substitute
        row.save()
        rows.append(row)
    return rows


@transaction.atomic
def decision_add(*, meeting: Meeting, agenda_item: AgendaItem, text: str) -> Decision:
    """Add a decision with the meeting's next number, on an item of the same meeting's agenda."""
    _check_decisions(meeting, [DecisionEntry(agenda_item, text)])
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    number = (Decision.objects.filter(meeting=meeting).aggregate(top=Max("number"))["top"] or 0) + 1
    return Decision.objects.create(meeting=meeting, agenda_item=agenda_item, number=number, text=text.strip())


@transaction.atomic
def decisions_replace(*, meeting: Meeting, entries: Sequence[DecisionEntry]) -> list[Decision]:
    """The meeting's decision list becomes ``entries``, numbered 1..n in order. A decision that
    keeps its number keeps its row; numbers beyond n are removed."""
    _check_decisions(meeting, entries)
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    existing = {decision.number: decision for decision in Decision.objects.filter(meeting=meeting)}
    decisions = []
    for number, entry in enumerate(entries, start=1):
        decision = existing.get(number) or Decision(meeting=meeting, number=number)
        decision.agenda_item = entry.agenda_item
        decision.text = entry.text.strip()
        decision.save()
        decisions.append(decision)
    Decision.objects.filter(meeting=meeting, number__gt=len(entries)).delete()
    return decisions


@transaction.atomic
def meeting_record(*, meeting: Meeting, attendance: Sequence[AttendanceEntry], minutes: str,
                   decisions: Sequence[DecisionEntry], minutes_approved_on: datetime.date | None = None) -> Meeting:
    """Record a meeting: attendance, minutes and the numbered decision list, all or nothing."""
    meeting = Meeting.objects.select_for_update().select_related("body").get(pk=meeting.pk)
    _check_attendance(meeting, attendance)
    _check_decisions(meeting, decisions)
    attendance_record(meeting=meeting, entries=attendance)
    meeting.minutes = minutes
    meeting.minutes_approved_on = minutes_approved_on
    meeting.save(update_fields=["minutes", "minutes_approved_on", "updated_at"])
    decisions_replace(meeting=meeting, entries=decisions)
    return meeting


# --- documents -----------------------------------------------------------------------------

def document_file_check(upload) -> str:
    """The platform's one upload check (``stedennet.web.uploads.check_upload``: type by name and
    content, size, archives read within fixed limits); refused with its code. Returns the extension."""
    return check_upload(upload).extension


def meeting_documents_collection():
    """The Wagtail collection of meeting documents. Wagtail serves its files to the bureau only
    (a group restriction); everyone else goes through the meeting's document view."""
    from django.contrib.auth.models import Group
    from wagtail.models import Collection, CollectionViewRestriction

    from stedennet.accounts.constants import Role

    collection = Collection.objects.filter(name=DOCUMENTS_COLLECTION, depth=2).first()
    if collection is None:
        collection = Collection.get_first_root_node().add_child(name=DOCUMENTS_COLLECTION)
    if not collection.view_restrictions.exists():
        restriction = CollectionViewRestriction.objects.create(
            collection=collection, restriction_type=CollectionViewRestriction.GROUPS)
        restriction.groups.set([Group.objects.get_or_create(name=Role.BUREAU)[0]])
    return collection


@transaction.atomic
def meeting_document_add(*, meeting: Meeting, title: str, file, visibility: str = Visibility.BODY,
                         agenda_item: AgendaItem | None = None, uploaded_by=None) -> MeetingDocument:
    """Store an uploaded file as a Wagtail document and attach it to the meeting."""
    from wagtail.documents import get_document_model

    try:
        document_file_check(file)
    except ValidationError as error:
        raise GovernanceRefused({"file": [error]}) from error  # with its code
    if visibility not in Visibility.values:
        raise GovernanceRefused({"visibility": _("Unknown visibility: %(value)s.") % {"value": visibility}})
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise GovernanceRefused({"agenda_item": _("This item is on another meeting's agenda.")})
    document = get_document_model()(title=title, file=file, collection=meeting_documents_collection(),
                                     uploaded_by_user=uploaded_by)
    document.file_size = file.size
    document._set_file_hash()
    document.save()
    attached = MeetingDocument(meeting=meeting, agenda_item=agenda_item, title=title, document=document,
                               visibility=visibility)
    attached.full_clean()
    attached.save()
    return attached
