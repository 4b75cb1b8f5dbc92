"""Invented events for a demonstration: ``load_demo_events()`` (``stedennet load-demo-events``).

Three events of the network, every title saying "(demo)" and every row flagged ``is_demo`` (the
pages show the demo badge and a note): a knowledge day for members with a session per theme
group (each with its own places), a network day for members and partners (on site and online),
and a two-day conference that took place, with a few invented registrations. Their dates count
from the day of the first load (the coming ones weeks ahead, the conference months back); all are
published.

Idempotent: an event is found by its slug; one that exists is left as it is (with what the bureau
did to it since), so a second run adds and changes nothing.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from stedennet.events import services
from stedennet.events.constants import EventKind
from stedennet.events.models import Event
from stedennet.governance.models import Body, Visibility
from stedennet.registry.models import Network

VENUE = "DEMO: Stadhuis Voorbeeldstad"
ADDRESS = "Voorbeeldplein 1, 9999 ZZ Voorbeeldstad (demo)"


@dataclass(frozen=True)
class DemoSession:
    start: str  # "HH:MM"
    end: str
    title: str
    room: str = ""
    speakers: str = ""
    group: str = ""  # a theme group's slug
    capacity: int | None = None
    day: int = 0  # the day of the event it falls on (0: the first)


@dataclass(frozen=True)
class DemoEvent:
    slug: str
    title: str
    kind: str
    audience: str
    days_ahead: int  # from the day of loading; negative: in the past
    start: str
    end: str
    summary: str
    capacity: int | None
    sessions: tuple[DemoSession, ...] = ()
    days: int = 1
    venue: str = VENUE
    address: str = ADDRESS
    online_url: str = ""
    closes_days_before: int | None = None
    reminder_days: int = 2
    organiser: str = ""
    registrants: int = 0  # invented registrations (for an event that took place)


EVENTS = (
    DemoEvent(
        slug="demo-kennisdag-sociaal-domein",
        title="Kennisdag sociaal domein en leefbare steden (demo)",
        kind=EventKind.KNOWLEDGE_DAY, audience=Visibility.MEMBERS, days_ahead=42, start="09:30", end="16:30",
        summary="DEMO: een verzonnen kennisdag. Ambtenaren van de steden wisselen in sessies per themagroep "
                "uit wat werkt: van vroegsignalering van schulden tot betaalbaar wonen en levendige binnensteden.",
        capacity=120, closes_days_before=7, organiser="sociale-pijler",
        sessions=(
            DemoSession("09:30", "10:00", "Opening en welkom", room="Raadzaal",
                        speakers="DEMO: voorzitter van de pijler"),
            DemoSession("10:15", "11:30", "Vroegsignalering van schulden: wat werkt?", room="Zaal 1",
                        speakers="DEMO: schuldhulpverlener", group="themagroep-armoede-en-schulden", capacity=30),
            DemoSession("10:15", "11:30", "Jeugdhulp dichtbij huis", room="Zaal 2", speakers="DEMO: jeugdconsulent",
                        group="themagroep-jeugd", capacity=30),
            DemoSession("13:00", "14:15", "Iedereen aan het werk: de krappe arbeidsmarkt", room="Zaal 1",
                        speakers="DEMO: arbeidsmarktregisseur", group="themagroep-arbeidsmarkt", capacity=25),
            DemoSession("13:00", "14:15", "Betaalbaar wonen in middelgrote steden", room="Zaal 2",
                        speakers="DEMO: woningcorporatie", group="themagroep-wonen", capacity=25),
            DemoSession("14:30", "15:45", "Levendige binnensteden", room="Zaal 1",
                        speakers="DEMO: binnenstadsmanager", group="themagroep-binnensteden", capacity=25),
            DemoSession("14:30", "15:45", "Bereikbaarheid en mobiliteit", room="Zaal 2",
                        speakers="DEMO: verkeerskundige", group="themagroep-mobiliteit", capacity=25),
            DemoSession("16:00", "16:30", "Afsluiting en borrel", room="Raadzaal"),
        ),
    ),
    DemoEvent(
        slug="demo-netwerkdag",
        title="Netwerkdag van de steden (demo)",
        kind=EventKind.NETWORK_DAY, audience=Visibility.MEMBERS_AND_PARTNERS, days_ahead=70, start="13:00",
        end="17:30",
        summary="DEMO: een verzonnen netwerkdag voor bestuurders, ambtenaren en partners, in de zaal en online.",
        capacity=200, online_url="https://meet.example.org/netwerkdag-demo",
        sessions=(
            DemoSession("13:00", "13:30", "Ontvangst", room="Hal"),
            DemoSession("13:30", "15:00", "Gesprek met het Rijk over de opgaven van de steden", room="Raadzaal",
                        speakers="DEMO: directeur-generaal; DEMO: burgemeester"),
            DemoSession("15:30", "17:00", "Speeddaten tussen steden en partners", room="Foyer"),
        ),
    ),
    DemoEvent(
        slug="demo-conferentie",
        title="Jaarconferentie van de steden (demo)",
        kind=EventKind.CONFERENCE, audience=Visibility.PUBLIC, days_ahead=-120, start="10:00", end="16:00", days=2,
        summary="DEMO: een verzonnen tweedaagse conferentie die al heeft plaatsgevonden.",
        capacity=300, registrants=4,
        sessions=(
            DemoSession("10:00", "11:00", "Keynote: de kracht van middelgrote steden", room="Grote zaal",
                        speakers="DEMO: hoogleraar stedelijke ontwikkeling"),
            DemoSession("11:30", "12:30", "Werkprogramma's in de praktijk", room="Zaal A"),
            DemoSession("10:00", "12:00", "Excursie door de binnenstad", room="Verzamelen bij de ingang", day=1,
                        capacity=40),
            DemoSession("13:30", "15:30", "Slotdebat", room="Grote zaal", day=1),
        ),
    ),
)


def _moment(day: datetime.date, hhmm: str) -> datetime.datetime:
    hours, minutes = (int(part) for part in hhmm.split(":"))
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hours, minutes)))


def _body(network: Network | None, slug: str) -> Body | None:
    if not slug:
        return None
    bodies = Body.objects.filter(slug=slug)
    if network is not None:
        bodies = bodies.filter(network=network)
    return bodies.first()


@transaction.atomic
def load_demo_events(*, network: Network | None = None, today: datetime.date | None = None) -> dict[str, int]:
    """Add the demo events that are not there yet; returns how many events, sessions and
    registrations were added."""
    today = today or timezone.localdate()
    counts = {"events": 0, "sessions": 0, "registrations": 0}
    for demo in EVENTS:
        if Event.objects.filter(slug=demo.slug).exists():
            continue
        first = today + datetime.timedelta(days=demo.days_ahead)
        last = first + datetime.timedelta(days=demo.days - 1)
        starts_at, ends_at = _moment(first, demo.start), _moment(last, demo.end)
        sessions = [{
            "title": session.title, "room": session.room, "speakers": session.speakers,
            "group": _body(network, session.group), "capacity": session.capacity,
            "starts_at": _moment(first + datetime.timedelta(days=session.day), session.start),
            "ends_at": _moment(first + datetime.timedelta(days=session.day), session.end),
        } for session in demo.sessions]
        closes = (starts_at - datetime.timedelta(days=demo.closes_days_before)
                  if demo.closes_days_before is not None else None)
        event = services.event_create(
            title=demo.title, slug=demo.slug, starts_at=starts_at, ends_at=ends_at, sessions=sessions,
            kind=demo.kind, audience=demo.audience, summary=demo.summary, venue=demo.venue, address=demo.address,
            online_url=demo.online_url, capacity=demo.capacity, registration_closes_at=closes,
            reminder_days=demo.reminder_days, organiser=_body(network, demo.organiser), is_demo=True)
        services.event_publish(event)
        counts["events"] += 1
        counts["sessions"] += len(sessions)
        chosen = [session.pk for session in event.sessions.order_by("starts_at", "pk")[:2]]
        for number in range(1, demo.registrants + 1):
            services.registration_create(
                event, name=f"DEMO: deelnemer {number}", email=f"deelnemer{number}@{demo.slug}.example.invalid",
                organisation="DEMO: gemeente Voorbeeldstad", sessions=chosen,
                now=starts_at - datetime.timedelta(days=30 - number), is_demo=True)
            counts["registrations"] += 1
    return counts
