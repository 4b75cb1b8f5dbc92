"""Filter choices, counts and suggestions are computed over what the viewer may see: for every
visibility level × every role (as in test_visibility_matrix.py), the library's topic filter
offers only the topics of items the role may see, and "similar questions while typing" suggests
only questions the role may see, with answer counts of those alone. And decisions of meetings
are found by site search, for those who may open the meeting, linking to the decision on it."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.meetings import AgendaEntry, DecisionEntry, decisions_replace, meeting_create
from stedennet.governance.models import Body, Position, Visibility
from stedennet.governance.services import position_assign, theme_group_join
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.knowledge import search_index
from stedennet.knowledge.models import Answer, LibraryItem, Question
from stedennet.knowledge.services import topics_from

ROLES = ["anonymous", "partner", "other_group_member", "group_member", "bureau"]
GROUP = "themagroep-armoede-en-schulden"
OTHER_GROUP = "ambtelijk-ondersteuningsteam"
SEES = {
    Visibility.PUBLIC: [True, True, True, True, True],
    Visibility.MEMBERS: [False, False, True, True, True],
    Visibility.MEMBERS_AND_PARTNERS: [False, True, True, True, True],
    Visibility.BODY: [False, False, False, True, True],
}
WORD = {Visibility.PUBLIC: "publiek", Visibility.MEMBERS: "leden", Visibility.MEMBERS_AND_PARTNERS: "partners",
        Visibility.BODY: "groep"}


@pytest.fixture(autouse=True)
def _index_at_once(monkeypatch):
    monkeypatch.setattr(search_index, "after_commit", lambda function: function())


@pytest.fixture
def users(g40_bodies, make_user):
    group = Body.objects.get(slug=GROUP)
    partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="partner")
    other = person_with_account(function="civil_servant", username="ander", cbs_code="GM0014")
    position_assign(person=other, body=Body.objects.get(slug=OTHER_GROUP), start_date=datetime.date(2024, 1, 1))
    member = person_with_account(function="civil_servant", username="groepslid", cbs_code="GM0014")
    theme_group_join(person=member, body=group, day=datetime.date(2024, 1, 1))
    return {"anonymous": None, "partner": partner.user, "other_group_member": other.user,
            "group_member": member.user, "bureau": make_user("bureau", AccountRole.BUREAU)}


def _as(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_the_topic_filter_offers_only_topics_of_items_the_viewer_may_see(client, users, role):
    group = Body.objects.get(slug=GROUP)
    for level, word in WORD.items():
        item = LibraryItem.objects.create(title=f"Stuk {word}", visibility=level,
                                          group=group if level == Visibility.BODY else None)
        item.topics.set(topics_from([f"thema{word}", "gedeeld thema"]))
    html = _as(client, users[role]).get(reverse("knowledge:library")).content.decode()
    select = html[html.index('id="filter-topic"'):]
    offered = set(re.findall(r'<option value="([^"]+)"', select[:select.index("</select>")]))
    index = ROLES.index(role)
    assert offered == {"gedeeld-thema"} | {f"thema{word}" for level, word in WORD.items() if SEES[level][index]}


@pytest.mark.parametrize("role", ["partner", "other_group_member", "group_member", "bureau"])
def test_similar_questions_while_typing_suggest_only_what_the_viewer_may_see(client, users, role):
    group = Body.objects.get(slug=GROUP)
    asker = PersonFactory(function="civil_servant")
    questions = {}
    for level, word in WORD.items():
        if level == Visibility.PUBLIC:
            continue  # questions are never public
        question = Question.objects.create(title=f"Hoe regelen jullie de energietoeslag ({word})?", asker=asker,
                                           visibility=level, group=group if level == Visibility.BODY else None)
        Answer.objects.create(question=question, author=asker, body="Zo.")
        questions[level] = question
    response = _as(client, users[role]).get(reverse("knowledge:question_similar"), {"q": "energietoeslag regelen"})
    assert response.status_code == 200
    shown = {int(pk) for pk in re.findall(r'data-testid="similar-question" data-pk="(\d+)"', response.content.decode())}
    index = ROLES.index(role)
    assert shown == {question.pk for level, question in questions.items() if SEES[level][index]}
    for level in questions:
        if not SEES[level][index]:
            assert f"({WORD[level]})" not in response.content.decode()


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
        link = reverse("governance:meeting", kwargs={"pk": meeting.pk}) + "#besluit-1"
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
