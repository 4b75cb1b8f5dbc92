"""iCalendar feeds (written with the ``icalendar`` package), read back with a strict RFC 5545
parser written here and with the ``icalendar`` package: line endings, folding, escaping,
required properties, UTC times, cancelled meetings, SEQUENCE; and who may read which feed."""

import datetime
import re
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body
from stedennet.governance.services import position_assign, position_end
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.meetings import ical, services
from stedennet.meetings.services import AgendaEntry
from stedennet.registry.models import PartnerOrganisation

d = datetime.date.fromisoformat
TRICKY_TITLE = 'Coördinatorenoverleg, extra; met "quotes"\nen een tweede regel \\ backslash – één'


# --- a strict RFC 5545 reader ----------------------------------------------------------------

class Invalid(AssertionError):
    pass


NAME = r"[A-Za-z0-9-]+"
PARAM_VALUE = r'(?:"[^"\x00-\x08\x0a-\x1f\x7f]*"|[^";:,\x00-\x08\x0a-\x1f\x7f]*)'
PARAM = rf"{NAME}={PARAM_VALUE}(?:,{PARAM_VALUE})*"
CONTENT_LINE = re.compile(rf"^(?P<name>{NAME})(?P<params>(?:;{PARAM})*):(?P<value>[^\x00-\x08\x0a-\x1f\x7f]*)$")
UTC = re.compile(r"^\d{8}T\d{6}Z$")
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "UID", "X-WR-CALNAME", "COMMENT"}
REQUIRED = {"VCALENDAR": {"VERSION", "PRODID"}, "VEVENT": {"UID", "DTSTAMP", "DTSTART"}}
ONCE = {"VCALENDAR": {"VERSION", "PRODID", "CALSCALE", "METHOD"},
        "VEVENT": {"UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "LOCATION", "URL", "DESCRIPTION",
                   "STATUS", "LAST-MODIFIED"}}


@dataclass
class Component:
    name: str
    properties: list[tuple[str, str, str]] = field(default_factory=list)
    children: list["Component"] = field(default_factory=list)

    def values(self, name: str) -> list[str]:
        return [value for prop, _, value in self.properties if prop == name]

    def get(self, name: str) -> str:
        (value,) = self.values(name)
        return value

    def text(self, name: str) -> str:
        return unescape(self.get(name))


def unescape(value: str) -> str:
    """A TEXT value (3.3.11): only \\\\, \\;, \\, and \\n (or \\N) are escapes; a bare comma or semicolon
    is a list separator, which none of our single-valued properties may contain."""
    out, index = [], 0
    while index < len(value):
        char = value[index]
        if char == "\\":
            if index + 1 >= len(value):
                raise Invalid(f"dangling backslash in {value!r}")
            nxt = value[index + 1]
            if nxt in "\\;,":
                out.append(nxt)
            elif nxt in "nN":
                out.append("\n")
            else:
                raise Invalid(f"unknown escape \\{nxt} in {value!r}")
            index += 2
            continue
        if char in ";,":
            raise Invalid(f"unescaped {char!r} in TEXT value {value!r}")
        out.append(char)
        index += 1
    return "".join(out)


def physical_lines(data: bytes) -> list[bytes]:
    if not data.endswith(b"\r\n"):
        raise Invalid("the object does not end with CRLF")
    lines = data[:-2].split(b"\r\n")
    for number, line in enumerate(lines, start=1):
        if b"\r" in line or b"\n" in line:
            raise Invalid(f"line {number}: bare CR or LF")
        if len(line) > 75:
            raise Invalid(f"line {number}: {len(line)} octets, more than 75")
        line.decode("utf-8")  # every physical line is whole UTF-8: no character split by a fold
    return lines


def unfold(lines: list[bytes]) -> list[str]:
    logical: list[bytes] = []
    for line in lines:
        if line[:1] in (b" ", b"\t"):
            if not logical:
                raise Invalid("a continuation line before any content line")
            logical[-1] += line[1:]
        else:
            logical.append(line)
    return [line.decode("utf-8") for line in logical]


def parse(data: bytes) -> Component:
    """Parse one VCALENDAR strictly; raise ``Invalid`` on anything RFC 5545 does not allow."""
    stack: list[Component] = []
    root: Component | None = None
    for line in unfold(physical_lines(data)):
        match = CONTENT_LINE.match(line)
        if not match:
            raise Invalid(f"not a content line: {line!r}")
        name, params, value = match["name"].upper(), match["params"], match["value"]
        if name == "BEGIN":
            component = Component(value.upper())
            if stack:
                stack[-1].children.append(component)
            elif root is not None:
                raise Invalid("a second object after the VCALENDAR")
            else:
                root = component
            stack.append(component)
        elif name == "END":
            if not stack or stack[-1].name != value.upper():
                raise Invalid(f"END:{value} does not close {stack[-1].name if stack else 'anything'}")
            component = stack.pop()
            for required in REQUIRED.get(component.name, ()):
                if not component.values(required):
                    raise Invalid(f"{component.name} without {required}")
            for once in ONCE.get(component.name, ()):
                if len(component.values(once)) > 1:
                    raise Invalid(f"{component.name} has {once} more than once")
        else:
            if not stack:
                raise Invalid(f"{name} outside any component")
            if name in TEXT_PROPERTIES:
                unescape(value)
            if name in {"DTSTART", "DTEND", "DTSTAMP", "LAST-MODIFIED"} and not UTC.match(value):
                raise Invalid(f"{name}:{value} is not a UTC date-time")
            stack[-1].properties.append((name, params, value))
    if stack or root is None:
        raise Invalid("unbalanced BEGIN/END")
    if root.name != "VCALENDAR" or root.get("VERSION") != "2.0":
        raise Invalid("not an iCalendar 2.0 object")
    return root


def events(calendar: Component) -> list[Component]:
    return [child for child in calendar.children if child.name == "VEVENT"]


class TestTheReader:
    """The reader itself refuses what it must, or passing tests would prove nothing."""

    @pytest.mark.parametrize("data, message", [
        (b"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nEND:VCALENDAR\n", "CRLF"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n", "unbalanced"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n", "without PRODID"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nX-WR-CALNAME:" + b"a" * 70 + b"\r\nEND:VCALENDAR\r\n",
         "more than 75"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n"
         b"DTSTART:20260101T000000Z\r\nSUMMARY:a, b\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "unescaped"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20260101T000000Z\r\n"
         b"DTSTART:20260101T000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n", "not a UTC"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20260101T000000Z\r\n"
         b"END:VEVENT\r\nEND:VCALENDAR\r\n", "without DTSTAMP"),
        (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nEND:VCALENDAR\r\n", "does not close"),
    ])
    def test_it_refuses_broken_objects(self, data, message):
        with pytest.raises(Invalid, match=message):
            parse(data)


# --- the builder -------------------------------------------------------------------------------

def one_event(summary: str, **extra) -> Component:
    start = datetime.datetime(2026, 4, 14, 14, tzinfo=datetime.UTC)
    event = ical.Event(uid="u-1@stedennet", sequence=0, start=start, end=start + datetime.timedelta(hours=2),
                       summary=summary, **extra)
    (parsed,) = events(parse(ical.calendar(name="Proef", events=[event]).encode("utf-8")))
    return parsed


class TestBuilder:
    @pytest.mark.parametrize("text", [
        "X" * 200,
        "ö" * 100,
        "a" + "ö" * 100,
        "Coördinatorenoverleg " * 10 + "€ – 😀" * 10,
    ])
    def test_long_text_is_folded_within_75_octets_and_unfolds_to_the_original(self, text):
        # parse() refuses a physical line over 75 octets and a UTF-8 character split by a fold.
        assert one_event(text).text("SUMMARY") == text

    def test_escaping_round_trips(self):
        event = one_event(TRICKY_TITLE, description="a,b;c\\d\r\ne", location="Zaal 1; 2e verdieping")
        assert event.text("SUMMARY") == TRICKY_TITLE
        assert event.get("DESCRIPTION") == "a\\,b\\;c\\\\d\\ne"
        assert event.text("LOCATION") == "Zaal 1; 2e verdieping"

    def test_control_characters_are_dropped(self):
        assert one_event("a\x00b\x07c\td").text("SUMMARY") == "abc\td"

    def test_naive_datetimes_are_refused(self):
        with pytest.raises(ValueError):
            ical.utc(datetime.datetime(2026, 4, 14, 14))

    def test_an_empty_calendar_is_valid(self):
        calendar = parse(ical.calendar(name="Leeg", events=[]).encode("utf-8"))
        assert calendar.get("PRODID") == ical.PRODID and calendar.get("METHOD") == "PUBLISH"
        assert calendar.get("CALSCALE") == "GREGORIAN" and calendar.text("X-WR-CALNAME") == "Leeg"
        assert calendar.get("REFRESH-INTERVAL") == "PT1H" and calendar.get("X-PUBLISHED-TTL") == "PT1H"
        assert events(calendar) == []


# --- feeds of meetings ------------------------------------------------------------------------

def soon(days: int, hour: int = 14) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def co(g40_bodies) -> Body:
    return Body.objects.get(slug="coordinatorenoverleg")


@pytest.fixture
def coordinator(co):
    person = person_with_account(function="civil_servant", username="coordinator", name="Coördinator Één")
    position_assign(person=person, body=co, start_date=d("2022-06-01"))
    return person


@pytest.fixture
def co_meetings(co, coordinator):
    tricky = services.meeting_create(
        body=co, starts_at=soon(10), ends_at=soon(10, 16), title=TRICKY_TITLE,
        location="Stadhuis Zwolle, zaal 1; ingang B", online_url="https://meet.example.org/co?x=1,2",
        agenda=[AgendaEntry("Opening, mededelingen"), AgendaEntry("Jeugdzorg; stand van zaken", presenter=coordinator),
                AgendaEntry("Rondvraag")])
    cancelled = services.meeting_cancel(meeting=services.meeting_create(
        body=co, starts_at=soon(20), ends_at=soon(20, 16), location="Online"))
    long_ago = services.meeting_create(body=co, starts_at=soon(-400), ends_at=soon(-400, 16), location="Archief")
    return {"tricky": tricky, "cancelled": cancelled, "long_ago": long_ago}


def feed_url(slug="coordinatorenoverleg", token=None):
    url = reverse("meetings:body_ical", kwargs={"slug": slug})
    return f"{url}?token={token}" if token else url


class TestBodyFeed:
    def test_the_feed_is_strict_icalendar_with_every_meeting(self, client, coordinator, co_meetings):
        response = client.get(feed_url(token=coordinator.calendar_token))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = parse(response.content)
        assert calendar.text("X-WR-CALNAME") == "G40 – Coördinatorenoverleg"
        by_uid = {event.get("UID"): event for event in events(calendar)}
        assert set(by_uid) == {co_meetings["tricky"].uid, co_meetings["cancelled"].uid}  # not the one of long ago

        event = by_uid[co_meetings["tricky"].uid]
        assert event.text("SUMMARY") == f"Coördinatorenoverleg: {TRICKY_TITLE}"
        assert event.text("LOCATION") == "Stadhuis Zwolle, zaal 1; ingang B"
        start = co_meetings["tricky"].starts_at.astimezone(datetime.UTC)
        assert event.get("DTSTART") == start.strftime("%Y%m%dT%H%M%SZ")
        assert event.get("DTEND") == (start + datetime.timedelta(hours=2)).strftime("%Y%m%dT%H%M%SZ")
        assert event.get("SEQUENCE") == "0" and event.get("STATUS") == "CONFIRMED"
        meeting_url = "http://testserver" + co_meetings["tricky"].get_absolute_url()
        assert event.get("URL") == meeting_url
        description = event.text("DESCRIPTION").split("\n")
        assert description[1:4] == ["1. Opening, mededelingen",
                                    "2. Jeugdzorg; stand van zaken (Coördinator Één)", "3. Rondvraag"]
        assert "https://meet.example.org/co?x=1,2" in event.text("DESCRIPTION")
        assert description[-1] == meeting_url

        assert by_uid[co_meetings["cancelled"].uid].get("STATUS") == "CANCELLED"
        assert by_uid[co_meetings["cancelled"].uid].get("SEQUENCE") == "1"

    def test_a_rescheduled_meeting_has_a_higher_sequence_and_the_same_uid(self, client, coordinator, co_meetings):
        meeting = services.meeting_update(meeting=co_meetings["tricky"], starts_at=soon(11), ends_at=soon(11, 16))
        calendar = parse(client.get(feed_url(token=coordinator.calendar_token)).content)
        (event,) = [e for e in events(calendar) if e.get("UID") == meeting.uid]
        assert event.get("SEQUENCE") == "1"
        assert event.get("DTSTART") == soon(11).astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")

    def test_the_icalendar_package_reads_it_too(self, client, coordinator, co_meetings):
        import icalendar

        response = client.get(feed_url(token=coordinator.calendar_token))
        calendar = icalendar.Calendar.from_ical(response.content)
        summaries = {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
        assert f"Coördinatorenoverleg: {TRICKY_TITLE}" in summaries
        statuses = {str(event["UID"]): str(event["STATUS"]) for event in calendar.walk("VEVENT")}
        assert statuses[co_meetings["cancelled"].uid] == "CANCELLED"
        for event in calendar.walk("VEVENT"):
            assert event.decoded("DTSTART").tzinfo is not None


@pytest.fixture
def users(g40_bodies, make_user):
    partner = PartnerOrganisation.objects.filter(network=g40_bodies).first()
    return {
        "partner": person_with_account(function="other", partner=partner, username="partner").user,
        "civil_servant": person_with_account(function="civil_servant", username="ambtenaar").user,
        "bureau": make_user("bureau", AccountRole.BUREAU),
    }


class TestFeedAccess:
    def test_anonymous_without_a_token_is_sent_to_the_login(self, client, co_meetings):
        response = client.get(feed_url())
        assert response.status_code == 302 and "next=" in response["Location"]

    @pytest.mark.parametrize("role, status", [("partner", 403), ("civil_servant", 200), ("bureau", 200)])
    def test_sessions(self, client, users, co_meetings, role, status):
        client.force_login(users[role])
        response = client.get(feed_url())
        assert response.status_code == status
        if status == 200:
            assert len(events(parse(response.content))) == 2

    def test_a_body_member_by_session(self, client, coordinator, co_meetings):
        client.force_login(coordinator.user)
        assert client.get(feed_url()).status_code == 200

    def test_the_token_of_someone_without_a_position_in_the_body_is_refused(self, client, co_meetings):
        outsider = PersonFactory(function="civil_servant")
        assert client.get(feed_url(token=outsider.calendar_token)).status_code == 403

    def test_the_token_of_a_position_holder_of_another_body_is_refused(self, client, coordinator, co_meetings):
        assert client.get(feed_url("ambtelijk-ondersteuningsteam", coordinator.calendar_token)).status_code == 403

    def test_a_token_stops_working_when_the_position_ends(self, client, coordinator, co_meetings):
        position_end(position=coordinator.positions.get(), day=timezone.localdate() - datetime.timedelta(days=1))
        assert client.get(feed_url(token=coordinator.calendar_token)).status_code == 403

    def test_an_unknown_token_is_404(self, client, co_meetings):
        assert client.get(feed_url(token="not-a-token")).status_code == 404

    def test_an_unknown_body_is_404(self, client, users):
        client.force_login(users["bureau"])
        assert client.get(feed_url("geen-orgaan")).status_code == 404


class TestPersonalFeed:
    def url(self, token):
        return reverse("meetings:my_ical", kwargs={"token": token})

    def test_it_has_the_meetings_of_the_persons_current_bodies(self, client, coordinator, co_meetings, co):
        aot = Body.objects.get(slug="ambtelijk-ondersteuningsteam")
        ao = Body.objects.get(slug="sociale-pijler-ao")
        position_assign(person=coordinator, body=aot, start_date=d("2022-06-01"))
        left = position_assign(person=coordinator, body=ao, start_date=d("2022-06-01"))
        aot_meeting = services.meeting_create(body=aot, starts_at=soon(3), ends_at=soon(3, 16))
        services.meeting_create(body=ao, starts_at=soon(4), ends_at=soon(4, 16))
        position_end(position=left, day=timezone.localdate() - datetime.timedelta(days=1))
        response = client.get(self.url(coordinator.calendar_token))
        assert response.status_code == 200 and response["Content-Type"] == "text/calendar; charset=utf-8"
        calendar = parse(response.content)
        assert [e.get("UID") for e in events(calendar)] == [
            aot_meeting.uid, co_meetings["tricky"].uid, co_meetings["cancelled"].uid]
        assert "Coördinator Één" in calendar.text("X-WR-CALNAME")

    def test_a_person_without_positions_gets_an_empty_valid_calendar(self, client, co_meetings):
        person = PersonFactory(function="civil_servant")
        assert events(parse(client.get(self.url(person.calendar_token)).content)) == []

    @pytest.mark.parametrize("token", ["unknown", "a" * 43])
    def test_an_unknown_token_is_404(self, client, co_meetings, token):
        assert client.get(self.url(token)).status_code == 404

    def test_a_session_does_not_replace_the_token(self, client, users, co_meetings):
        client.force_login(users["bureau"])
        assert client.get(self.url("unknown")).status_code == 404
