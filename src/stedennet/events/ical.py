"""iCalendar (RFC 5545) files of events, written with the ``icalendar`` package, as the meeting
feeds are (``stedennet.meetings.ical``).

The package writes the content lines (CRLF, folding at 75 octets without splitting a UTF-8
character, TEXT escaping); this module decides what goes in: one VEVENT per event (its programme
of sessions as lines of the DESCRIPTION, so a calendar gets one entry per day out, not one per
session), date-times in UTC with the "Z" suffix (no VTIMEZONE needed), control characters dropped
from text (3.3.11), UID stable from the event's creation, SEQUENCE from the event (raised by the
services when its time, place or status changes, 3.8.7.4), and a cancelled event kept with
STATUS:CANCELLED so that calendars remove it.
"""

import datetime
import re
from collections.abc import Callable, Iterable

import icalendar
from django.utils import timezone
from django.utils.translation import gettext

from stedennet.events.constants import EventStatus
from stedennet.events.models import Event

PRODID = "-//Stedennet//Evenementen//NL"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_NEWLINES = re.compile(r"\r\n|\r|\n")


def clean_text(value: str) -> str:
    """A TEXT value as it may be written: one kind of newline, no control characters."""
    return _CONTROL.sub("", _NEWLINES.sub("\n", str(value)))


def _uri(value: str) -> str:
    return _NEWLINES.sub("", _CONTROL.sub("", value)).strip()


def utc(moment: datetime.datetime) -> datetime.datetime:
    if timezone.is_naive(moment):
        raise ValueError("iCalendar date-times are written from aware datetimes")
    return moment.astimezone(datetime.UTC).replace(microsecond=0)


def location(event: Event) -> str:
    """Where: the venue and its address, else the online link."""
    place = ", ".join(part for part in (event.venue, event.address) if part)
    return place or event.online_url


def _when(moment: datetime.datetime, *, with_day: bool) -> str:
    local = timezone.localtime(moment)
    return local.strftime("%d-%m-%Y %H:%M") if with_day else local.strftime("%H:%M")


def description(event: Event, *, url: str = "") -> str:
    """The summary, the programme (one session a line: time, title, room, speakers), the online
    link and the event's page, as plain text."""
    lines = [event.summary] if event.summary else []
    sessions = list(event.sessions.all())
    if sessions:
        if lines:
            lines.append("")
        lines.append(f"{gettext('Programme')}:")
        multi_day = event.is_multi_day
        for session in sessions:
            extra = "; ".join(part for part in (session.room, session.speakers) if part)
            lines.append(f"{_when(session.starts_at, with_day=multi_day)}–{_when(session.ends_at, with_day=False)} "
                         f"{session.title}{f' ({extra})' if extra else ''}")
    if event.online_url:
        lines += ["", f"{gettext('Online')}: {event.online_url}"]
    if url:
        lines += ["", url]
    return "\n".join(lines).strip("\n")


def event_component(event: Event, *, url: str, stamp: datetime.datetime) -> icalendar.Event:
    component = icalendar.Event()
    component.add("uid", clean_text(event.uid))
    component.add("dtstamp", utc(stamp))
    component.add("sequence", event.sequence)
    component.add("dtstart", utc(event.starts_at))
    component.add("dtend", utc(event.ends_at))
    component.add("summary", clean_text(event.title))
    where = location(event)
    if where:
        component.add("location", clean_text(where))
    if url:
        component.add("url", icalendar.vUri(_uri(url)))
    text = description(event, url=url)
    if text:
        component.add("description", clean_text(text))
    component.add("status", "CANCELLED" if event.status == EventStatus.CANCELLED else "CONFIRMED")
    component.add("last-modified", utc(event.updated_at))
    return component


def events_calendar(events: Iterable[Event], *, name: str, url_for: Callable[[Event], str],
                    stamp: datetime.datetime | None = None) -> str:
    """A whole VCALENDAR object (METHOD:PUBLISH) of ``events`` (their sessions prefetched) as
    text with CRLF line endings."""
    stamp = stamp or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("version", "2.0")
    calendar.add("prodid", PRODID)
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", icalendar.vText(clean_text(name)))  # an X- property: escaped as TEXT
    calendar.add("x-published-ttl", icalendar.vDuration(datetime.timedelta(hours=1)))
    calendar.add("refresh-interval", icalendar.vDuration(datetime.timedelta(hours=1)),
                 parameters={"VALUE": "DURATION"})
    for event in events:
        calendar.add_component(event_component(event, url=url_for(event), stamp=stamp))
    return calendar.to_ical().decode("utf-8")
