"""A body's archive: its past meetings, newest first, each with its numbered decision list;
paginated; a fixed number of queries whatever the number of meetings and decisions; open to
whoever may open the body's page and linked from it (and from a meeting's page)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body
from stedennet.governance.services import position_assign
from stedennet.governance.tests.factories import person_with_account
from stedennet.meetings import selectors, services
from stedennet.meetings.models import Meeting
from stedennet.meetings.services import AgendaEntry, DecisionEntry

AB = "algemeen-bestuur"


def archive_url(slug: str = AB) -> str:
    return reverse("meetings:body_archive", kwargs={"slug": slug})


def plan(body: Body, days: int, decisions: int = 2, title: str = "") -> Meeting:
    start = timezone.now() + datetime.timedelta(days=days)
    meeting = services.meeting_create(body=body, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                      title=title or f"Vergadering {days}",
                                      agenda=[AgendaEntry("Opening"), AgendaEntry("Begroting")])
    items = list(meeting.agenda_items.order_by("number"))
    services.decisions_replace(meeting=meeting, entries=[
        DecisionEntry(items[n % 2], f"Besluit {n + 1} van {days}") for n in range(decisions)])
    return meeting


@pytest.fixture
def member(g40_bodies):
    return person_with_account(function="alderman", username="wethouder")


def test_past_meetings_newest_first_with_their_numbered_decisions(client, member):
    ab = Body.objects.get(slug=AB)
    old = plan(ab, -60, decisions=1)
    recent = plan(ab, -10, decisions=3)
    plan(ab, 10)  # ahead: not in the archive
    plan(Body.objects.get(slug="dagelijks-bestuur"), -5)  # another body's
    client.force_login(member.user)
    response = client.get(archive_url())
    assert response.status_code == 200
    entries = response.context["entries"]
    assert [entry["meeting"].pk for entry in entries] == [recent.pk, old.pk]
    prefix = selectors.decision_prefix(recent)
    assert [(row["reference"], row["decision"].text, row["item"].number) for row in entries[0]["decisions"]] == [
        (f"{prefix}/1", "Besluit 1 van -10", 1), (f"{prefix}/2", "Besluit 2 van -10", 2),
        (f"{prefix}/3", "Besluit 3 van -10", 1)]
    html = response.content.decode()
    assert html.count('data-testid="archive-decision"') == 4
    assert f'href="{recent.get_absolute_url()}"' in html


def test_the_archive_is_paginated(client, member):
    ab = Body.objects.get(slug=AB)
    made = [plan(ab, -day, decisions=1) for day in range(1, 13)]  # 12 past meetings
    client.force_login(member.user)
    first = client.get(archive_url())
    second = client.get(archive_url() + "?pagina=2")
    assert [e["meeting"].pk for e in first.context["entries"]] == [m.pk for m in made[:10]]
    assert [e["meeting"].pk for e in second.context["entries"]] == [m.pk for m in made[10:]]
    assert 'rel="next" href="?pagina=2"' in first.content.decode()


def test_a_fixed_number_of_queries_whatever_the_number_of_meetings(client, member, django_assert_max_num_queries):
    ab = Body.objects.get(slug=AB)
    plan(ab, -3, decisions=1)
    client.force_login(member.user)
    client.get(archive_url())  # warm up: the session, content types
    with django_assert_max_num_queries(12) as few:
        assert client.get(archive_url()).status_code == 200
    for day in range(4, 14):
        plan(ab, -day, decisions=5)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(archive_url()).status_code == 200


def test_who_may_open_the_archive_and_where_it_is_linked(client, g40_bodies, member, make_user):
    ab = Body.objects.get(slug=AB)
    past = plan(ab, -7)
    partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="partner")
    bureau = make_user("bureau", AccountRole.BUREAU)

    assert client.get(archive_url()).url.startswith(reverse("accounts:login") + "?next=")
    client.force_login(partner.user)
    assert client.get(archive_url()).status_code == 403
    client.force_login(bureau)
    assert client.get(archive_url()).status_code == 200
    assert client.get(archive_url("sociale-pijler")).status_code == 404  # a pillar meets in its BO and AO

    client.force_login(member.user)
    body_page = client.get(reverse("governance:body", kwargs={"slug": AB})).content.decode()
    assert f'href="{archive_url()}"' in body_page
    meeting_page = client.get(past.get_absolute_url()).content.decode()
    assert f'href="{archive_url()}"' in meeting_page


def test_a_partner_seated_in_a_body_opens_its_page_and_archive(client, g40_bodies):
    """Whoever holds a position in a body may open its page, as its meeting pages already allowed."""
    partner = person_with_account(partner=g40_bodies.partners.first(), function="civil_servant", username="vng")
    aot = Body.objects.get(slug="ambtelijk-ondersteuningsteam")
    position_assign(person=partner, body=aot, start_date=datetime.date(2024, 1, 1))
    plan(aot, -3)
    client.force_login(partner.user)
    assert client.get(archive_url(aot.slug)).status_code == 200
    assert client.get(reverse("governance:body", kwargs={"slug": aot.slug})).status_code == 200
    assert client.get(reverse("governance:body", kwargs={"slug": AB})).status_code == 403
