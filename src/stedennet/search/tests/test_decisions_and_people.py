"""Decisions of meetings are found by site search, for those who may open the meeting, linking to
the decision on it; a person hit opens their entry in the expertise directory. (Moved from
knowledge/tests/test_visibility_filters.py with site search.)"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, Position
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.meetings.services import AgendaEntry, DecisionEntry, decisions_replace, meeting_create
from stedennet.search import signals as search_signals

GROUP = "themagroep-armoede-en-schulden"


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    monkeypatch.setattr(search_signals, "after_commit", lambda function: function())


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


# --- decisions in site search --------------------------------------------------------------------

DECISION_ROLES = {  # who may open the meeting page, and so find its decisions
    "anonymous": False, "partner": False, "partner_in_body": True, "member": True, "bureau": True,
}


@pytest.mark.parametrize("role", DECISION_ROLES)
def test_decisions_are_found_by_those_who_may_open_their_meeting(client, g40_bodies, make_user, role):
    body = Body.objects.get(slug=GROUP)
    start = timezone.now() - datetime.timedelta(days=30)
    meeting = meeting_create(body=body, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                             agenda=[AgendaEntry("Opening"), AgendaEntry("Energiearmoede")])
    _first, second = meeting.agenda_items.order_by("number")
    decisions_replace(meeting=meeting, entries=[DecisionEntry(second, "Het bestuur stemt in met de aanpak van "
                                                                      "energiearmoede in de regio.")])
    partner = g40_bodies.partners.first()
    users = {
        "anonymous": None,
        "partner": person_with_account(partner=partner, function="other", username="partner").user,
        "member": person_with_account(function="civil_servant", username="lid").user,
        "bureau": make_user("bureau", AccountRole.BUREAU),
    }
    seated = person_with_account(partner=partner, function="other", username="partner-in-groep")
    Position.objects.create(person=seated, body=body, start_date=datetime.date(2024, 1, 1))
    users["partner_in_body"] = seated.user
    response = _as(client, users[role]).get("/zoeken/", {"q": "energiearmoede aanpak"})
    html = response.content.decode()
    decision = meeting.decisions.get()
    found = f'data-testid="result" data-kind="decision" data-id="{decision.pk}"' in html
    assert found is DECISION_ROLES[role]
    if found:
        link = reverse("meetings:meeting", kwargs={"pk": meeting.pk}) + "#besluit-1"
        assert f'href="{link}"' in html
        assert 'id="besluit-1"' in client.get(link.split("#")[0]).content.decode()
    else:
        assert "stemt in met" not in html


@pytest.mark.parametrize("name", ["Jo Ruïz", "Deskundige Émile Öztürk"])
def test_a_person_hit_opens_their_entry_in_the_expertise_directory(client, g40_bodies, name):
    """The link carries the person's name; short words and accents find them too."""
    person = PersonFactory(name=name, expertise="Woonwagenbeleid en standplaatsen")
    html = _as(client, person_with_account(function="civil_servant", username="lid").user).get(
        "/zoeken/", {"q": "woonwagenbeleid"}).content.decode()
    link = re.search(rf'data-kind="person" data-id="{person.pk}">\s*<h3[^>]*><a class="utrecht-link" href="([^"]+)"',
                     html)
    assert link, html
    url = link.group(1).replace("&amp;", "&")
    assert url.endswith(f"#expert-{person.pk}")
    assert f'id="expert-{person.pk}"' in client.get(url.split("#")[0]).content.decode()
