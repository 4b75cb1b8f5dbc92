"""The attendee export: the same rows as CSV (UTF-8 with a byte-order mark, semicolons, for Dutch
Excel) and XLSX, each parsed back here (csv, openpyxl): one row per registration, the sessions as
columns, places first, then the waiting list in its order, then cancellations; nothing a
spreadsheet would run as a formula; a download with its filename, for the bureau only."""

import csv
import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from stedennet.accounts.constants import Role
from stedennet.events import exports
from stedennet.events.checkin import check_in
from stedennet.events.constants import RegistrationStatus
from stedennet.events.tests.test_checkin import DAY, make_event, register


@pytest.fixture
def bureau_user(make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def event(db, bureau_user):
    event = make_event("Kennisdag Wonen", slug="kennisdag-wonen")
    woningbouw, betaalbaarheid = event.sessions.order_by("starts_at")
    start = DAY - datetime.timedelta(days=20)
    register(event, "Zoë Ångström", organisation="Súdwest-Fryslân", sessions=[woningbouw, betaalbaarheid],
             session_status={"Betaalbaarheid": RegistrationStatus.WAITLISTED}, at=start,
             remarks="Vegetarisch; graag een\nrolstoelplek")
    anna = register(event, "Anna de Vries", sessions=[woningbouw], at=start + datetime.timedelta(hours=1))
    register(event, "Wachtende Twee", status=RegistrationStatus.WAITLISTED, at=start + datetime.timedelta(days=3))
    register(event, "Wachtende Een", status=RegistrationStatus.WAITLISTED, at=start + datetime.timedelta(days=2))
    register(event, "Afgemeld", status=RegistrationStatus.CANCELLED, sessions=[woningbouw], at=start)
    register(event, "=HYPERLINK(\"https://evil.example\")", organisation="+31 6 1234", at=start, is_demo=True)
    check_in(event, anna.code, by=bureau_user, now=DAY + datetime.timedelta(minutes=3))
    return event


def parse_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def local(value: datetime.datetime) -> datetime.datetime:
    return timezone.localtime(value).replace(tzinfo=None)


def test_the_csv_is_for_dutch_excel(event):
    data = exports.attendees_csv(event)
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    header, *rows = parse_csv(data)
    assert len(header) == 8 + 2 and header[8].startswith("Woningbouw (") and header[9].startswith("Betaalbaarheid (")
    assert [row[0] for row in rows] == ["'=HYPERLINK(\"https://evil.example\")", "Anna de Vries", "Zoë Ångström",
                                        "Wachtende Een", "Wachtende Twee", "Afgemeld"]
    by_name = {row[0]: row for row in rows}
    zoe = by_name["Zoë Ångström"]
    assert zoe[1] == "zoë.ångström@zwolle.example" and zoe[2] == "Súdwest-Fryslân"
    assert zoe[3] == str(RegistrationStatus.CONFIRMED.label)
    assert zoe[6] == "Vegetarisch; graag een\nrolstoelplek"  # quoted, the semicolon and line break kept
    assert zoe[8:] == [exports.PLACE_MARK, str(exports.WAITLIST_MARK)]
    anna = by_name["Anna de Vries"]
    assert anna[5] == timezone.localtime(DAY + datetime.timedelta(minutes=3)).strftime("%Y-%m-%d %H:%M")
    assert anna[4] == local(DAY - datetime.timedelta(days=19, hours=23)).strftime("%Y-%m-%d %H:%M")
    assert anna[8:] == [exports.PLACE_MARK, ""] and zoe[5] == ""
    assert by_name["Afgemeld"][3] == str(RegistrationStatus.CANCELLED.label) and by_name["Afgemeld"][8:] == ["", ""]
    formula = by_name["'=HYPERLINK(\"https://evil.example\")"]
    assert formula[2] == "'+31 6 1234" and formula[7] == str(exports.DEMO_MARK)


def test_the_xlsx_has_the_same_rows(event):
    book = load_workbook(io.BytesIO(exports.attendees_xlsx(event)))
    sheet = book.active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, *rows = values
    assert header == exports.attendee_table(event).header
    by_name = {row[0]: row for row in rows}
    assert list(by_name) == ["=HYPERLINK(\"https://evil.example\")", "Anna de Vries", "Zoë Ångström",
                             "Wachtende Een", "Wachtende Twee", "Afgemeld"]
    # Stored as text, never as a formula.
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert by_name["Zoë Ångström"][8:] == [exports.PLACE_MARK, str(exports.WAITLIST_MARK)]
    anna = by_name["Anna de Vries"]
    assert anna[5] == local(DAY + datetime.timedelta(minutes=3))  # a real date-time, local
    assert isinstance(anna[4], datetime.datetime) and anna[8:] == [exports.PLACE_MARK, None]
    assert by_name["Zoë Ångström"][6] == "Vegetarisch; graag een\nrolstoelplek"
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == "A1:J7"


def test_an_event_without_sessions_or_registrations(db):
    event = make_event("Lege dag", sessions=())
    header, *rows = parse_csv(exports.attendees_csv(event))
    assert len(header) == 8 and rows == []
    sheet = load_workbook(io.BytesIO(exports.attendees_xlsx(event))).active
    assert sheet.max_row == 1


def test_the_downloads_have_their_filename(back_office_login, client, bureau_user, event,
                                           django_assert_max_num_queries):
    back_office_login(client, bureau_user)
    day = timezone.localdate(event.starts_at).isoformat()
    with django_assert_max_num_queries(12):
        response = client.get(f"/admin/events/{event.pk}/attendees.csv")
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename=") and f"kennisdag-wonen-{day}.csv" in disposition
    assert len(parse_csv(response.content)) == 7
    response = client.get(f"/admin/events/{event.pk}/attendees.xlsx")
    assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
    assert f"kennisdag-wonen-{day}.xlsx" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 7


def test_the_export_takes_a_fixed_number_of_queries(event, django_assert_num_queries):
    for number in range(20):
        register(event, f"Deelnemer {number}", sessions=["Woningbouw", "Betaalbaarheid"])
    with django_assert_num_queries(3):  # the sessions, the registrations, their places
        table = exports.attendee_table(event)
    assert len(table.rows) == 26
