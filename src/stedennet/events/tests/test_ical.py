"""iCalendar files of events, read back with the strict RFC 5545 reader of the meeting feeds
(``stedennet.meetings.tests.test_ical``: line endings, folding within 75 octets, escaping,
required properties, UTC times) and with the ``icalendar`` package: one event's file, the public
feed, a person's feed (what they may see), a registrant's file; UID stable, SEQUENCE from the
event, a cancelled event kept as CANCELLED, drafts never in a feed."""

import datetime

import pytest
from django.urls import reverse

from stedennet.events import ical, services
from stedennet.events.constants import EventStatus
from stedennet.events.tests.factories import body, event, register, session, soon, viewers
from stedennet.governance.models import Visibility
from stedennet.governance.tests.factories import PersonFactory
from stedennet.meetings.tests.test_ical import Invalid, events, parse

__all__ = ["Invalid", "events", "parse"]

TRICKY = 'Kennisdag "wonen", zorg; werk\nen een tweede regel \\ één – 😀'


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def by_uid(response) -> dict:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return {vevent.get("UID"): vevent for vevent in events(parse(response.content))}


@pytest.fixture
def day(g40_bodies):
    start = soon(20, 9, 30)
    return event(TRICKY, starts_at=start, ends_at=start + datetime.timedelta(hours=7), venue="Stadhuis Zwolle",
                 address="Grote Kerkplein 15, 8011 PK Zwolle", online_url="https://meet.example.org/a?b=1,2",
                 summary="Een dag vol kennis; met \"quotes\".", sessions=[
                     session(start, "Opening", room="Raadzaal", speakers="Voorzitter"),
                     session(start + datetime.timedelta(hours=1), "Wonen, en meer", room="Zaal 1",
                             group=body("themagroep-wonen"))])


def test_one_events_file_is_strict_icalendar(client, day):
    (vevent,) = by_uid(client.get(reverse("events:event_ical", kwargs={"slug": day.slug}))).values()
    assert vevent.get("UID") == day.uid and vevent.get("SEQUENCE") == str(day.sequence)
    assert vevent.text("SUMMARY") == TRICKY
    assert vevent.get("DTSTART") == utc(day.starts_at) and vevent.get("DTEND") == utc(day.ends_at)
    assert vevent.text("LOCATION") == "Stadhuis Zwolle, Grote Kerkplein 15, 8011 PK Zwolle"
    assert vevent.get("STATUS") == "CONFIRMED"
    url = "http://testserver" + day.get_absolute_url()
    assert vevent.get("URL") == url
    description = vevent.text("DESCRIPTION").split("\n")
    assert description[0] == 'Een dag vol kennis; met "quotes".'
    assert "09:30–10:30 Opening (Raadzaal; Voorzitter)" in description
    assert "10:30–11:30 Wonen, en meer (Zaal 1)" in description
    assert any("https://meet.example.org/a?b=1,2" in line for line in description)
    assert description[-1] == url


def test_the_icalendar_package_reads_it_too(client, day):
    import icalendar

    calendar = icalendar.Calendar.from_ical(client.get(reverse("events:event_ical", kwargs={"slug": day.slug})).content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == TRICKY and vevent.decoded("DTSTART").tzinfo is not None


def test_head_has_the_headers_and_no_body(client, day):
    url = reverse("events:event_ical", kwargs={"slug": day.slug})
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.content == b""
    assert head["Content-Length"] == get["Content-Length"] and head["Content-Type"] == get["Content-Type"]


def test_a_change_raises_the_sequence_with_the_same_uid_and_cancelling_keeps_it(client, day):
    url = reverse("events:agenda_ical")
    day.starts_at += datetime.timedelta(hours=1)
    services.event_update(day)
    vevent = by_uid(client.get(url))[day.uid]
    assert vevent.get("SEQUENCE") == str(day.sequence) == "2"
    assert vevent.get("DTSTART") == utc(day.starts_at)
    services.event_status_set(day, EventStatus.CANCELLED)
    vevent = by_uid(client.get(url))[day.uid]
    assert vevent.get("STATUS") == "CANCELLED" and vevent.get("SEQUENCE") == "3"


def test_the_public_feed_has_public_events_only_and_no_drafts(client, day):
    members = event("Voor leden", audience=Visibility.MEMBERS)
    draft = event("Concept", status=EventStatus.DRAFT)
    long_ago = event("Lang geleden", days=-400)
    uids = set(by_uid(client.get(reverse("events:agenda_ical"))))
    assert day.uid in uids
    assert not uids & {members.uid, draft.uid, long_ago.uid}
    calendar = parse(client.get(reverse("events:agenda_ical")).content)
    assert calendar.get("METHOD") == "PUBLISH" and calendar.get("PRODID") == ical.PRODID


def test_a_persons_feed_has_what_they_may_see(client, day, make_user):
    users = viewers(make_user)
    members = event("Voor leden", audience=Visibility.MEMBERS)
    jeugd = event("Voor de themagroep", audience=Visibility.BODY, body=body("themagroep-jeugd"))
    partners = event("Met partners", audience=Visibility.MEMBERS_AND_PARTNERS)
    expected = {
        "member": {day.uid, members.uid, partners.uid},
        "partner": {day.uid, partners.uid},
        "body_member": {day.uid, members.uid, partners.uid, jeugd.uid},
        "body_partner": {day.uid, partners.uid, jeugd.uid},
    }
    for role, uids in expected.items():
        token = users[role].person.calendar_token
        assert set(by_uid(client.get(reverse("events:my_ical", kwargs={"token": token})))) == uids, role


def test_a_person_without_an_account_sees_public_and_their_bodys_events(client, day):
    from django.utils import timezone

    from stedennet.governance.models import Position

    person = PersonFactory()
    jeugd = event("Voor de themagroep", audience=Visibility.BODY, body=body("themagroep-jeugd"))
    event("Voor leden", audience=Visibility.MEMBERS)
    Position.objects.create(person=person, body=body("themagroep-jeugd"),
                            start_date=timezone.localdate() - datetime.timedelta(days=1))
    uids = set(by_uid(client.get(reverse("events:my_ical", kwargs={"token": person.calendar_token}))))
    assert uids == {day.uid, jeugd.uid}


@pytest.mark.parametrize("token", ["unknown", "a" * 43])
def test_an_unknown_calendar_token_is_404(client, day, token):
    assert client.get(reverse("events:my_ical", kwargs={"token": token})).status_code == 404


def test_a_registrants_file(client, day):
    registration = register(day)
    url = reverse("events:registration_ical", kwargs={"token": registration.token})
    response = client.get(url)
    assert list(by_uid(response)) == [day.uid]
    assert response["Cache-Control"] == "private, no-store"
    services.registration_cancel(registration)
    assert client.get(url).status_code == 404


def test_the_file_of_an_event_one_may_not_see(client, g40):
    members = event("Voor leden", audience=Visibility.MEMBERS)
    response = client.get(reverse("events:event_ical", kwargs={"slug": members.slug}))
    assert response.status_code == 302 and "next=" in response["Location"]
