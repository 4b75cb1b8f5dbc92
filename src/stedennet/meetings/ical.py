"""iCalendar (RFC 5545) feeds of meetings, written with the ``icalendar`` package.

The package writes the content lines: CRLF endings, folding at 75 octets without splitting a
UTF-8 character, TEXT escaping. This module decides what goes in: date-times in UTC with the "Z"
suffix (so no VTIMEZONE is needed), control characters dropped from text (3.3.11 forbids them),
VCALENDAR with PRODID and VERSION, every VEVENT with UID, DTSTAMP and DTSTART, and SEQUENCE
raised by the services when a meeting changes (3.8.7.4). A cancelled meeting stays in the feed
with STATUS:CANCELLED so that calendar clients remove it from their users' calendars.
"""

import datetime
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import icalendar
from django.utils import timezone

from stedennet.meetings.models import Meeting

PRODID = "-//Stedennet//Vergaderingen//NL"
# Control characters other than horizontal tab may not appear in a TEXT value (3.3.11).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def clean_text(value: str) -> str:
    """A TEXT value as it may be written: one kind of newline, no control characters."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", str(value)))


def utc(moment: datetime.datetime) -> datetime.datetime:
    """A date-time for the feed, in UTC ("form #2": 20260414T120000Z)."""
    if timezone.is_naive(moment):
        raise ValueError("iCalendar date-times are written from aware datetimes")
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


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

    def component(self, *, stamp: datetime.datetime) -> icalendar.Event:
        event = icalendar.Event()
        event.add("uid", clean_text(self.uid))
        event.add("dtstamp", utc(stamp))
        event.add("sequence", self.sequence)
        event.add("dtstart", utc(self.start))
        event.add("dtend", utc(self.end))
        event.add("summary", clean_text(self.summary))
        if self.location:
            event.add("location", clean_text(self.location))
        if self.url:
            event.add("url", icalendar.vUri(_uri(self.url)))
        if self.description:
            event.add("description", clean_text(self.description))
        event.add("status", "CANCELLED" if self.cancelled else "CONFIRMED")
        if self.last_modified is not None:
            event.add("last-modified", utc(self.last_modified))
        return event


def calendar(*, name: str, events: Iterable[Event], stamp: datetime.datetime | None = None) -> str:
    """A whole VCALENDAR object (METHOD:PUBLISH) as text with CRLF line endings."""
    stamp = stamp or timezone.now()
    feed = icalendar.Calendar()
    feed.add("version", "2.0")
    feed.add("prodid", PRODID)
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", icalendar.vText(clean_text(name)))  # an X- property: escaped as TEXT
    feed.add("x-published-ttl", icalendar.vDuration(datetime.timedelta(hours=1)))
    feed.add("refresh-interval", icalendar.vDuration(datetime.timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    for event in events:
        feed.add_component(event.component(stamp=stamp))
    return feed.to_ical().decode("utf-8")


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
            presenter = f" ({item.presenter.display_name})" if item.presenter_id and item.presenter else ""
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
