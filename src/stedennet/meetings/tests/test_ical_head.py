"""Every calendar feed (all ``.ics`` addresses) answers HEAD like GET: 200, the same headers
(type, disposition, caching, length), and no body."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stedennet.governance.models import Body
from stedennet.governance.services import position_assign
from stedennet.governance.tests.factories import person_with_account
from stedennet.meetings import services

HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Content-Length")


@pytest.fixture
def seated(g40_bodies):
    person = person_with_account(function="alderman", username="wethouder")
    ab = Body.objects.get(slug="algemeen-bestuur")
    position_assign(person=person, body=ab, start_date=datetime.date(2024, 1, 1))
    start = timezone.now() + datetime.timedelta(days=3)
    services.meeting_create(body=ab, starts_at=start, ends_at=start + datetime.timedelta(hours=1), title="AB")
    return person


def feeds(person) -> list[tuple[str, bool]]:
    """(address, needs a session) of every feed."""
    ab = reverse("meetings:body_ical", kwargs={"slug": "algemeen-bestuur"})
    return [(ab, True), (f"{ab}?token={person.calendar_token}", False),
            (reverse("meetings:my_ical", kwargs={"token": person.calendar_token}), False)]


def test_every_feed_answers_head_with_the_headers_of_get_and_no_body(client, seated):
    from stedennet.meetings import urls as urls_meetings

    assert {p.name for p in urls_meetings.urlpatterns if ".ics" in str(p.pattern)} == {"body_ical", "my_ical"}
    for address, needs_session in feeds(seated):
        client.logout()
        if needs_session:
            client.force_login(seated.user)
        got = client.get(address)
        head = client.head(address)
        assert (got.status_code, head.status_code) == (200, 200), address
        assert {h: head.headers.get(h) for h in HEADERS} == {h: got.headers.get(h) for h in HEADERS}, address
        assert int(head.headers["Content-Length"]) == len(got.content) > 0
        assert head.content == b""
        assert b"BEGIN:VCALENDAR" in got.content


def test_head_is_refused_like_get_where_get_is(client, seated):
    """HEAD gets no further than GET: an unknown token is a 404 for both."""
    bad = reverse("meetings:my_ical", kwargs={"token": "unknown"})
    assert (client.get(bad).status_code, client.head(bad).status_code) == (404, 404)
    assert client.post(bad).status_code == 405
