"""The attendee export of an event, for the bureau: one row per registration (name, e-mail,
organisation, status, registered at, checked in at, remarks, demo) and one column per session of
the programme: ``x`` for a place in it, the waiting-list mark for a place on its waiting list,
empty otherwise. ``attendee_table`` builds the rows; ``attendees_csv`` and ``attendees_xlsx``
write the same rows as a file.

Order: the registrations with a place (by name), then the waiting list (in its order), then the
cancelled ones (by name). Times are local (Europe/Amsterdam).

The CSV is written for Excel as the bureau uses it (Dutch locale): UTF-8 **with a byte-order
mark** (without it Excel reads UTF-8 as Windows-1252 and "Súdwest-Fryslân" becomes mojibake),
**semicolons** between fields (Dutch Excel's list separator, as the decimal separator is a comma),
CRLF line ends (RFC 4180), fields quoted where needed. Python's ``csv`` module reads it with
``encoding="utf-8-sig"`` and ``delimiter=";"``. Text that a spreadsheet would run as a formula
(starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return: a registrant typed it) gets
a leading apostrophe in the CSV; in the XLSX every text cell is stored as text, never as a
formula. Times are ``YYYY-MM-DD HH:MM`` in the CSV and real date-times in the XLSX.
"""

import csv
import datetime
import io
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stedennet.events.constants import RegistrationStatus
from stedennet.events.models import Event, Registration, Session

PLACE_MARK = "x"
WAITLIST_MARK = _("waitlist")
DEMO_MARK = _("demo")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
STATUS_ORDER = {RegistrationStatus.CONFIRMED: 0, RegistrationStatus.WAITLISTED: 1, RegistrationStatus.CANCELLED: 2}


@dataclass
class AttendeeTable:
    header: list[str]
    rows: list[list] = field(default_factory=list)
    sessions: list[Session] = field(default_factory=list)
    datetime_columns: frozenset[int] = frozenset()


def session_label(session: Session, *, multi_day: bool) -> str:
    start = timezone.localtime(session.starts_at)
    when = start.strftime("%Y-%m-%d %H:%M") if multi_day else start.strftime("%H:%M")
    return f"{session.title} ({when})"


def _order(registration: Registration) -> tuple:
    if registration.status == RegistrationStatus.WAITLISTED:
        within = (registration.waitlisted_at or registration.created_at).isoformat()
    else:
        within = registration.name.casefold()
    return STATUS_ORDER.get(registration.status, 3), within, registration.pk


def attendee_table(event: Event) -> AttendeeTable:
    """The rows of the export (three queries: the sessions, the registrations, their places)."""
    sessions = list(Session.objects.filter(event=event).order_by("starts_at", "room", "pk"))
    registrations = sorted(Registration.objects.filter(event=event).prefetch_related("sessions"), key=_order)
    header = [gettext("Name"), gettext("E-mail"), gettext("Organisation"), gettext("Status"),
              gettext("Registered at"), gettext("Checked in at"), gettext("Remarks"), gettext("Demo data"),
              *[session_label(session, multi_day=event.is_multi_day) for session in sessions]]
    table = AttendeeTable(header=header, sessions=sessions, datetime_columns=frozenset({4, 5}))
    for registration in registrations:
        places = {place.session_id: place.status for place in registration.sessions.all()}
        marks = []
        for session in sessions:
            status = places.get(session.pk)
            marks.append(PLACE_MARK if status == RegistrationStatus.CONFIRMED
                         else str(WAITLIST_MARK) if status == RegistrationStatus.WAITLISTED else "")
        table.rows.append([
            registration.name, registration.email, registration.organisation, registration.get_status_display(),
            timezone.localtime(registration.created_at),
            timezone.localtime(registration.checked_in_at) if registration.checked_in_at else None,
            registration.remarks, str(DEMO_MARK) if registration.is_demo else "", *marks,
        ])
    return table


def export_filename(event: Event, extension: str) -> str:
    day = timezone.localdate(event.starts_at).isoformat()
    return f"{gettext('attendees')}-{slugify(event.slug)[:60] or event.pk}-{day}.{extension}"


# --- CSV ----------------------------------------------------------------------------------------

def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def attendees_csv(event: Event) -> bytes:
    table = attendee_table(event)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_csv_value(value) for value in table.header])
    for row in table.rows:
        writer.writerow([_csv_value(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


# --- XLSX ---------------------------------------------------------------------------------------

def attendees_xlsx(event: Event) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    table = attendee_table(event)
    book = Workbook()
    sheet = book.active
    sheet.title = gettext("Attendees")[:31]
    bold = Font(bold=True)

    def put(row: int, column: int, value):
        if isinstance(value, datetime.datetime):
            cell = sheet.cell(row=row, column=column, value=value.replace(tzinfo=None))
            cell.number_format = "yyyy-mm-dd hh:mm"
            return cell
        text = ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))
        cell = sheet.cell(row=row, column=column, value=text or None)
        if text:
            cell.data_type = "s"  # text, never a formula (openpyxl takes "=..." for one)
        return cell

    for column, title in enumerate(table.header, start=1):
        put(1, column, title).font = bold
    for number, row in enumerate(table.rows, start=2):
        for column, value in enumerate(row, start=1):
            put(number, column, value)
    widths = [28, 32, 28, 18, 17, 17, 40, 10] + [max(10, min(len(label), 40)) for label in table.header[8:]]
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{max(len(table.rows) + 1, 1)}"
    book.properties.title = str(event.title)[:200]
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
