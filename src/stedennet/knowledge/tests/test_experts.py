"""The expertise directory: "who knows about X" finds people by expertise, portfolio and what they
wrote or answered (only what the viewer may see), shows their city and current groups, is for
members and the bureau only, and runs a constant number of queries."""

import re

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.access import viewer_for
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import theme_group_join
from stedennet.governance.tests.factories import PersonFactory, person_with_account
from stedennet.knowledge.selectors import expertise_directory
from stedennet.knowledge.services import answer_post, library_item_create, question_ask

ARMOEDE = "themagroep-armoede-en-schulden"


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


@pytest.fixture
def people(g40_bodies):
    asker = person_with_account(username="almere", cbs_code="GM0034", name="Anna Almere")
    theme_group_join(person=asker, body=body(ARMOEDE))
    answerer = person_with_account(username="groningen", cbs_code="GM0014", name="Gert Groningen",
                                   expertise="Armoedebeleid")
    theme_group_join(person=answerer, body=body(ARMOEDE))
    theme_group_join(person=answerer, body=body("themagroep-arbeidsmarkt"))
    writer = person_with_account(username="zwolle", cbs_code="GM0193", name="Zoe Zwolle")
    alderman = PersonFactory(name="Wim Wethouder", function="alderman", portfolio="Wonen en ruimtelijke ordening",
                             municipality=answerer.municipality)
    return {"asker": asker, "answerer": answerer, "writer": writer, "alderman": alderman}


def found(client, query: str) -> list[str]:
    html = client.get(reverse("knowledge:experts"), {"q": query}).content.decode()
    pattern = r'data-testid="expert" data-pk="\d+" aria-labelledby="expert-\d+">\s*<h3[^>]*>([^<{]+?)\s*(?:<|$)'
    return re.findall(pattern, html)


def signed_in(client, person):
    client.force_login(person.user)
    return client


class TestDirectory:
    def test_a_person_is_found_by_a_word_from_an_answer_they_gave(self, client, people):
        question = question_ask(viewer=viewer_for(people["asker"].user), title="Wie kent een goede aanpak?")
        answer_post(viewer=viewer_for(people["answerer"].user), question=question,
                    body="Wij werken met een budgetcoach op elke middelbare school.")
        signed_in(client, people["writer"])
        assert found(client, "budgetcoach") == ["Gert Groningen"]
        html = client.get(reverse("knowledge:experts"), {"q": "budgetcoach"}).content.decode()
        assert "Groningen" in html.split('data-testid="expert-city"')[1][:60]
        groups = html.split('data-testid="expert-groups"')[1].split("</dd>")[0]
        assert body(ARMOEDE).name in groups and body("themagroep-arbeidsmarkt").name in groups
        assert question.get_absolute_url() in html.split('data-testid="expert-answers"')[1]

    def test_found_by_expertise_portfolio_and_what_they_wrote(self, client, people):
        library_item_create(viewer=viewer_for(people["writer"].user), title="Handreiking energiearmoede",
                            summary="Ervaringen uit Zwolle")
        signed_in(client, people["asker"])
        assert found(client, "armoedebeleid") == ["Gert Groningen"]
        assert found(client, "ruimtelijke ordening") == ["Wim Wethouder"]
        assert found(client, "energiearmoede") == ["Zoe Zwolle"]
        assert found(client, "niemandweetditwoord") == []

    def test_what_the_viewer_may_not_see_does_not_count(self, client, people):
        hidden = question_ask(viewer=viewer_for(people["asker"].user), title="Alleen voor de groep",
                              group=body(ARMOEDE), visibility=Visibility.BODY)
        answer_post(viewer=viewer_for(people["answerer"].user), question=hidden, body="Het geheime kasboekje.")
        library_item_create(viewer=viewer_for(people["answerer"].user), title="Kasboekje voor de groep",
                            visibility=Visibility.BODY, group=body(ARMOEDE))
        assert found(signed_in(client, people["writer"]), "kasboekje") == []
        assert found(signed_in(client, people["asker"]), "kasboekje") == ["Gert Groningen"]
        assert expertise_directory("kasboekje", viewer_for(people["writer"].user)) == []

    def test_members_and_the_bureau_only(self, client, people, g40_bodies, make_user):
        response = client.get(reverse("knowledge:experts"), {"q": "armoede"})
        assert response.status_code == 302 and response["Location"].startswith(resolve_url(django_settings.LOGIN_URL))
        partner = person_with_account(partner=g40_bodies.partners.first(), function="other", username="vng")
        assert signed_in(client, partner).get(reverse("knowledge:experts")).status_code == 403
        assert expertise_directory("armoedebeleid", viewer_for(partner.user)) == []
        client.force_login(make_user("bureau", AccountRole.BUREAU))
        assert found(client, "armoedebeleid") == ["Gert Groningen"]

    def test_demo_people_are_flagged(self, client, people):
        html = signed_in(client, people["asker"]).get(reverse("knowledge:experts"), {"q": "armoedebeleid"})
        assert 'data-testid="demo-badge"' in html.content.decode()  # the factory's people are demo people


def test_the_directory_runs_a_constant_number_of_queries(client, people, django_assert_max_num_queries):
    asker = people["asker"]
    signed_in(client, asker)
    question = question_ask(viewer=viewer_for(asker.user), title="Schulden bij jongeren")
    answer_post(viewer=viewer_for(people["answerer"].user), question=question, body="Schulden: de budgetcoach.")
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("knowledge:experts"), {"q": "schulden"}).status_code == 200
    for number in range(10):
        person = person_with_account(username=f"p{number}", cbs_code="GM0034", expertise="Schulden en armoede")
        theme_group_join(person=person, body=body(ARMOEDE))
        answer_post(viewer=viewer_for(person.user), question=question, body=f"Schulden aanpak {number}")
        library_item_create(viewer=viewer_for(person.user), title=f"Schulden notitie {number}")
    with django_assert_max_num_queries(len(few)):
        html = client.get(reverse("knowledge:experts"), {"q": "schulden"}).content.decode()
    assert html.count('data-testid="expert"') == 11  # the answerer and the ten
