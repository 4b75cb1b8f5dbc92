"""iCalendar (RFC 5545) feeds of meetings, written by hand: no third-party library at run time.

What the RFC asks and this module does: CRLF after every content line (3.1); lines folded so
that no line is longer than 75 octets, never inside a UTF-8 character, continuation lines
starting with one space (3.1); TEXT values with backslash, semicolon, comma and newlines
escaped (3.3.11); date-times in UTC with the "Z" suffix (3.3.5); VCALENDAR with PRODID and
VERSION (3.6, 3.7.3-4); every VEVENT with UID, DTSTAMP and DTSTART (3.6.1), and SEQUENCE
raised by the services when a meeting changes (3.8.7.4). A cancelled meeting stays in the feed
with STATUS:CANCELLED so that calendar clients remove it from their users' calendars.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils import timezone

from stedennet.meetings.models import Meeting

PRODID = "-//Stedennet//Vergaderingen//NL"
LINE_OCTETS = 75
CRLF = "\r\n"
# Control characters other than horizontal tab may not appear in a TEXT value (3.3.11).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, newlines as ``\\n``."""
    value = _NEWLINES.sub("\n", str(value))
    value = _CONTROL.sub("", value)
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n"))


def format_utc(moment: datetime.datetime) -> str:
    """A DATE-TIME in UTC ("form #2"): 20260414T120000Z."""
    if timezone.is_naive(moment):
        raise ValueError("iCalendar date-times are written from aware datetimes")
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold one content line so that no physical line exceeds 75 octets (without its CRLF).
    A break never falls inside a UTF-8 character; continuation lines start with one space."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    limit = LINE_OCTETS
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, LINE_OCTETS - 1
        current.append(char)
        size += octets
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def content_line(name: str, value: str, *, text: bool = True) -> str:
    return fold(f"{name}:{escape_text(value) if text else value}") + CRLF


def _uri(value: str) -> str:
    """A URI value is not TEXT (no escaping), but it may not break the line."""
    return _NEWLINES.sub("", _CONTROL.sub("", value)).strip()


@dataclass(frozen=True)
class Event:
    uid: str
    sequence: int
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str = ""
    url: str = ""
    description: str = ""
    cancelled: bool = False
    last_modified: datetime.datetime | None = None

    def lines(self, *, stamp: datetime.datetime) -> str:
        out = [
            "BEGIN:VEVENT" + CRLF,
            content_line("UID", self.uid),
            content_line("DTSTAMP", format_utc(stamp), text=False),
            content_line("SEQUENCE", str(self.sequence), text=False),
            content_line("DTSTART", format_utc(self.start), text=False),
            content_line("DTEND", format_utc(self.end), text=False),
            content_line("SUMMARY", self.summary),
        ]
        if self.location:
            out.append(content_line("LOCATION", self.location))
        if self.url:
            out.append(content_line("URL", _uri(self.url), text=False))
        if self.description:
            out.append(content_line("DESCRIPTION", self.description))
        out.append(content_line("STATUS", "CANCELLED" if self.cancelled else "CONFIRMED", text=False))
        if self.last_modified is not None:
            out.append(content_line("LAST-MODIFIED", format_utc(self.last_modified), text=False))
        out.append("END:VEVENT" + CRLF)
        return "".join(out)


def calendar(*, name: str, events: Iterable[Event], stamp: datetime.datetime | None = None) -> str:
    """A whole VCALENDAR object (METHOD:PUBLISH) as text with CRLF line endings."""
    stamp = stamp or timezone.now()
    head = [
        "BEGIN:VCALENDAR" + CRLF,
        content_line("VERSION", "2.0", text=False),
        content_line("PRODID", PRODID, text=False),
        content_line("CALSCALE", "GREGORIAN", text=False),
        content_line("METHOD", "PUBLISH", text=False),
        content_line("X-WR-CALNAME", name),
        content_line("X-PUBLISHED-TTL", "PT1H", text=False),
        content_line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H", text=False),
    ]
    body = [event.lines(stamp=stamp) for event in events]
    return "".join(head + body + ["END:VCALENDAR" + CRLF])


def meeting_summary(meeting: Meeting) -> str:
    return f"{meeting.body.name}: {meeting.title}" if meeting.title else meeting.body.name


def meeting_description(meeting: Meeting, *, url: str, agenda_heading: str = "Agenda",
                        online_heading: str = "Online") -> str:
    """The agenda as plain text (one item a line), the online link and the meeting page."""
    lines = []
    items = list(meeting.agenda_items.all())
    if items:
        lines.append(f"{agenda_heading}:")
        for item in items:
            presenter = f" ({item.presenter.name})" if item.presenter_id and item.presenter else ""
            lines.append(f"{item.number}. {item.title}{presenter}")
    if meeting.online_url:
        lines += ["", f"{online_heading}: {meeting.online_url}"]
    if url:
        lines += ["", url]
    return "\n".join(lines).strip("\n")


def meeting_event(meeting: Meeting, *, url: str, agenda_heading: str = "Agenda",
                  online_heading: str = "Online") -> Event:
    return Event(
        uid=meeting.uid,
        sequence=meeting.sequence,
        start=meeting.starts_at,
        end=meeting.ends_at,
        summary=meeting_summary(meeting),
        location=meeting.location or meeting.online_url,
        url=url,
        description=meeting_description(meeting, url=url, agenda_heading=agenda_heading,
                                        online_heading=online_heading),
        cancelled=meeting.cancelled,
        last_modified=meeting.updated_at,
    )


def meetings_calendar(meetings: Iterable[Meeting], *, name: str, url_for: Callable[[Meeting], str],
                      stamp: datetime.datetime | None = None, agenda_heading: str = "Agenda",
                      online_heading: str = "Online") -> str:
    """The feed of ``meetings`` (with their agenda items and presenters prefetched)."""
    return calendar(
        name=name,
        events=(meeting_event(meeting, url=url_for(meeting), agenda_heading=agenda_heading,
                              online_heading=online_heading) for meeting in meetings),
        stamp=stamp,
    )
