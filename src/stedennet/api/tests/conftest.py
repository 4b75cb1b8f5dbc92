"""Fixtures of the API tests: people with personal API tokens, and a meeting, library items and an
event with each visibility level."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import APIToken

from stedennet.governance.models import Body, PersonFunction, Position, Visibility
from stedennet.governance.tests.factories import person_with_account
from stedennet.knowledge.tests.factories import LibraryItemFactory, TopicFactory
from stedennet.meetings.services import AgendaEntry, decision_add, meeting_create


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def member(g40_bodies):
    """A civil servant of Amstelveen (a member), seated in no body."""
    return person_with_account(function=PersonFunction.CIVIL_SERVANT, username="api-ambtenaar",
                               name="Api Ambtenaar", email="api-ambtenaar@gemeente.example.nl")


@pytest.fixture
def member_token(member) -> str:
    _token, plaintext = APIToken.create_token(user=member.user, name="test")
    return plaintext


@pytest.fixture
def content(g40_bodies):
    """A board meeting with a decision, library items (public, members only, one body's) and a
    public and a members-only event."""
    from stedennet.events.tests.factories import event

    board = Body.objects.get(slug="algemeen-bestuur")
    youth = Body.objects.get(slug="themagroep-jeugd")
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    meeting = meeting_create(body=board, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                             title="Vergadering AB", agenda=[AgendaEntry(title="Begroting 2027")])
    decision = decision_add(meeting=meeting, agenda_item=meeting.agenda_items.get(), text="Vastgesteld.")
    topic = TopicFactory(name="Wonen", slug="wonen")
    return {
        "meeting": meeting,
        "decision": decision,
        "public_item": LibraryItemFactory(title="Openbaar stuk", visibility=Visibility.PUBLIC, topics=[topic]),
        "members_item": LibraryItemFactory(title="Ledenstuk", visibility=Visibility.MEMBERS),
        "body_item": LibraryItemFactory(title="Jeugdstuk", visibility=Visibility.BODY, group=youth),
        "public_event": event("Openbare kennisdag", audience=Visibility.PUBLIC),
        "members_event": event("Ledendag", audience=Visibility.MEMBERS),
        "youth": youth,
    }


@pytest.fixture
def seat(g40_bodies):
    """``seat(person, slug, role)``: a current position."""
    def make(person, slug: str, role: str = "member") -> Position:
        return Position.objects.create(person=person, body=Body.objects.get(slug=slug), role=role,
                                       start_date=timezone.localdate() - datetime.timedelta(days=30),
                                       on_behalf_of=person.municipality)
    return make
