"""What meetings hold on a person (see ``accounts.privacy``): their attendance (and whom they stood
in for) and the agenda items they presented. The record of a meeting stays: it points to the
person, who is shown as "former member of …" once erased."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import ANONYMISE, holding_register, records
from stedennet.meetings.models import AgendaItem, Attendance


def _attendance(subject):
    if subject.person_id is None:
        return []
    rows = Attendance.objects.filter(Q(person_id=subject.person_id) | Q(substitute_id=subject.person_id))
    return records(rows.select_related("meeting", "substitute"), ["meeting", "meeting__starts_at", "status",
                                                                   "substitute"])


def _presented(subject):
    if subject.person_id is None:
        return []
    return records(AgendaItem.objects.filter(presenter_id=subject.person_id).select_related("meeting"),
                   ["meeting", "number", "title"])


holding_register(
    Attendance, basis=ANONYMISE, export=_attendance,
    what=_("Your attendance at meetings, and whom you stood in for. It stays in the record, without your name."))
holding_register(
    AgendaItem, basis=ANONYMISE, export=_presented,
    what=_("Agenda items you presented. They stay in the record, without your name."))
