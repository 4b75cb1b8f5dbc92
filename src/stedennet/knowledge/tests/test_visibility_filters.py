"""Filter choices, counts and suggestions are computed over what the viewer may see: for every
visibility level × every role (as in search/tests/test_visibility_matrix.py), the library's
topic filter offers only the topics of items the role may see, and "similar questions while
typing" suggests only questions the role may see, with answer counts of those alone. (Decisions
and people in site search: search/tests/test_decisions_and_people.py.)"""

import datetime
import re

import pytest
from django.urls import reverse

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import position_assign, theme_group_join
from stedennet.governance.tests.factories import PersonFactory, person_with_account
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
