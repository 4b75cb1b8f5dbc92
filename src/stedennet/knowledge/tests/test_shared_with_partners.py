"""What is shared with partners: the page a partner lands on after signing in (and reaches from
the navigation): library items and questions marked "members and partners", and the bodies the
viewer sits in; nothing members-only; a fixed number of queries."""

import datetime

import pytest
from django.conf import settings as django_settings
from django.shortcuts import resolve_url
from django.urls import reverse

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.access import viewer_for
from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import position_assign
from stedennet.governance.tests.factories import person_with_account
from stedennet.knowledge.models import Question
from stedennet.knowledge.services import library_item_create, question_ask

SHARED = "/gedeeld/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def world(g40_bodies):
    member = person_with_account(username="almere", cbs_code="GM0034", name="Anna Almere")
    partner = person_with_account(partner=g40_bodies.partners.first(), function="civil_servant", username="vng",
                                  name="Vera VNG")
    viewer = viewer_for(member.user)
    for n, visibility in enumerate([Visibility.MEMBERS_AND_PARTNERS, Visibility.MEMBERS, Visibility.PUBLIC,
                                    Visibility.MEMBERS_AND_PARTNERS]):
        library_item_create(viewer=viewer, title=f"Stuk {n} {visibility}", visibility=visibility)
        if visibility != Visibility.PUBLIC:
            question_ask(viewer=viewer, title=f"Vraag {n} {visibility}", visibility=visibility)
    return {"member": member, "partner": partner}


def test_the_url_is_the_named_one():
    assert reverse("knowledge:shared") == SHARED


def test_a_partner_sees_what_is_shared_with_partners_and_nothing_else(client, world):
    client.force_login(world["partner"].user)
    response = client.get(SHARED)
    assert response.status_code == 200
    shared = response.context["shared"]
    assert [item.title for item in shared.items] == ["Stuk 3 members_partners", "Stuk 0 members_partners"]
    assert [question.title for question in shared.questions] == ["Vraag 3 members_partners",
                                                                 "Vraag 0 members_partners"]
    assert (shared.item_count, shared.question_count) == (2, 2)
    html = response.content.decode()
    assert "Stuk 1" not in html and "Vraag 1" not in html and "Stuk 2" not in html


def test_the_bodies_a_partner_sits_in_are_listed_and_linked(client, world):
    aot = Body.objects.get(slug="ambtelijk-ondersteuningsteam")
    position_assign(person=world["partner"], body=aot, start_date=datetime.date(2024, 1, 1))
    client.force_login(world["partner"].user)
    response = client.get(SHARED)
    assert [position.body.slug for position in response.context["shared"].positions] == [aot.slug]
    html = response.content.decode()
    assert f'href="{aot.get_absolute_url()}"' in html
    assert client.get(aot.get_absolute_url()).status_code == 200


def test_a_partner_lands_here_after_signing_in_and_others_on_my_groups(client, world, make_user):
    login = resolve_url(django_settings.LOGIN_URL)
    response = client.post(login, {"login": "vng", "password": "correct horse battery"})
    assert response.status_code == 302 and response["Location"] == SHARED
    client.logout()
    response = client.post(login, {"login": "almere", "password": "correct horse battery"})
    assert response["Location"] == reverse("governance:my_groups")
    client.logout()
    response = client.post(login + "?next=/vragen/", {"login": "vng", "password": "correct horse battery"})
    assert response["Location"] == "/vragen/"


def test_who_may_open_it(client, world, make_user):
    assert client.get(SHARED)["Location"].startswith(resolve_url(django_settings.LOGIN_URL) + "?next=")
    for user in (world["member"].user, make_user("bureau", AccountRole.BUREAU)):
        client.force_login(user)
        assert client.get(SHARED).status_code == 200
    client.force_login(make_user("nobody"))
    assert client.get(SHARED).status_code == 403


def test_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world["partner"].user)
    client.get(SHARED)
    with django_assert_max_num_queries(12) as few:
        client.get(SHARED)
    viewer = viewer_for(world["member"].user)
    for n in range(10):
        library_item_create(viewer=viewer, title=f"Meer {n}", visibility=Visibility.MEMBERS_AND_PARTNERS)
        question_ask(viewer=viewer, title=f"Meer vragen {n}", visibility=Visibility.MEMBERS_AND_PARTNERS)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(SHARED)
    assert response.context["shared"].question_count == Question.objects.filter(
        visibility=Visibility.MEMBERS_AND_PARTNERS).count() == 12


def test_the_navigation_leads_a_partner_here(client, world):
    client.force_login(world["partner"].user)
    for page in ("/", reverse("knowledge:library"), SHARED):
        html = client.get(page).content.decode()
        assert f'href="{SHARED}"' in html and 'data-testid="nav-shared"' in html, page
    client.force_login(world["member"].user)
    assert 'data-testid="nav-shared"' not in client.get(reverse("knowledge:library")).content.decode()
