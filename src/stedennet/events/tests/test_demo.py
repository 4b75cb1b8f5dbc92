"""The demo events: a knowledge day with a session per theme group, a network day and a past
conference with registrations; all flagged demo and shown as demo; a second load adds nothing."""

import io

from django.core import mail
from django.core.management import call_command
from django.test import Client

from stedennet.events.constants import EventKind, EventStatus
from stedennet.events.demo import EVENTS, load_demo_events
from stedennet.events.models import Event, Registration, Session
from stedennet.governance.models import BodyKind


def test_the_demo_loads_once_and_is_flagged(g40_bodies, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        counts = load_demo_events(network=g40_bodies)
    assert counts == {"events": 3, "sessions": sum(len(demo.sessions) for demo in EVENTS), "registrations": 4}
    assert mail.outbox == []  # invented registrants get no mail
    assert load_demo_events(network=g40_bodies) == {"events": 0, "sessions": 0, "registrations": 0}
    events = Event.objects.all()
    assert {event.kind for event in events} == {EventKind.KNOWLEDGE_DAY, EventKind.NETWORK_DAY, EventKind.CONFERENCE}
    assert all(event.is_demo and "(demo)" in event.title and event.status == EventStatus.PUBLISHED for event in events)
    assert all(registration.is_demo for registration in Registration.objects.all())

    knowledge_day = Event.objects.get(kind=EventKind.KNOWLEDGE_DAY)
    groups = Session.objects.filter(event=knowledge_day, group__isnull=False)
    assert groups.count() == 6 and {s.group.kind for s in groups} == {BodyKind.THEME_GROUP}
    assert all(s.capacity for s in groups)
    conference = Event.objects.get(kind=EventKind.CONFERENCE)
    assert conference.is_multi_day and conference.registrations.count() == 4


def test_the_demo_is_shown_as_demo(g40_bodies):
    load_demo_events(network=g40_bodies)
    conference = Event.objects.get(kind=EventKind.CONFERENCE)
    page = Client().get(conference.get_absolute_url()).content.decode()
    assert 'data-testid="demo-badge"' in page and 'data-testid="demo-note"' in page
    archive = Client().get("/evenementen/archief/").content.decode()
    assert 'data-testid="demo-badge"' in archive


def test_the_command(g40_bodies):
    out = io.StringIO()
    call_command("load_demo_events", stdout=out)
    assert "3 events" in out.getvalue()
    call_command("load_demo_events", stdout=out)
    assert "0 events" in out.getvalue()
