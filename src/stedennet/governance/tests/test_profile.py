"""The person's own pages: the profile (/mijn/profiel/), their data (/mijn/gegevens/ and the JSON
download), and the person's address following the one confirmed for the account."""

import datetime
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.account.signals import email_changed, email_confirmed
from django.urls import reverse

from stedennet.governance.models import Body, Person, PersonFunction, Position
from stedennet.governance.tests.factories import person_with_account

PROFILE = reverse("governance:profile")
DATA = reverse("governance:my_data")
DATA_JSON = reverse("governance:my_data_json")


@pytest.fixture
def person(g40_bodies):
    return person_with_account(name="Pieter Profiel", email="pieter@example.org", username="pieter",
                               portfolio="", expertise="")


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    for url in (PROFILE, DATA, DATA_JSON):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), url


def test_the_person_edits_their_profile(client, person):
    client.force_login(person.user)
    page = client.get(PROFILE)
    assert page.status_code == 200
    assert 'value="Pieter Profiel"' in page.content.decode()
    response = client.post(PROFILE, {"name": "  Pieter  de Profiel ", "function": PersonFunction.CIVIL_SERVANT,
                                     "portfolio": "Wonen", "expertise": "Woningbouw en huisvesting"})
    assert response.status_code == 302 and response["Location"] == PROFILE
    person.refresh_from_db()
    assert (person.name, person.portfolio, person.expertise) == ("Pieter de Profiel", "Wonen",
                                                                   "Woningbouw en huisvesting")


def test_an_empty_name_is_refused(client, person):
    client.force_login(person.user)
    response = client.post(PROFILE, {"name": " ", "function": PersonFunction.CIVIL_SERVANT})
    assert response.status_code == 400
    assert 'data-testid="error-name"' in response.content.decode()
    person.refresh_from_db()
    assert person.name == "Pieter Profiel"


def test_a_function_that_conflicts_with_a_seat_is_refused(client, person):
    Position.objects.create(person=person, body=Body.objects.get(slug="sociale-pijler-ao"),
                            start_date=datetime.date(2024, 1, 1))
    client.force_login(person.user)
    response = client.post(PROFILE, {"name": "Pieter Profiel", "function": PersonFunction.ALDERMAN})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-testid="error-function"' in page and "Ambtelijk overleg Sociale Pijler" in page
    person.refresh_from_db()
    assert person.function == PersonFunction.CIVIL_SERVANT


def test_the_profile_links_to_choices_account_pages_and_data(client, person):
    client.force_login(person.user)
    page = client.get(PROFILE).content.decode()
    for url in ("/mijn/samenvatting/", "/mijn/lobby-meldingen/", "/account/email/", "/account/password/change/",
                "/account/2fa/", "/account/sessions/", DATA):
        assert f'href="{url}"' in page, url


def test_an_account_without_a_person_has_no_profile_form(client, make_user):
    client.force_login(make_user("los"))
    page = client.get(PROFILE)
    assert page.status_code == 200
    assert 'data-testid="no-person"' in page.content.decode()
    assert 'data-testid="profile-form"' not in page.content.decode()


def test_my_data_shows_what_the_apps_hold(client, person):
    Position.objects.create(person=person, body=Body.objects.get(slug="sociale-pijler-ao"),
                            start_date=datetime.date(2024, 1, 1))
    client.force_login(person.user)
    page = client.get(DATA)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    text = page.content.decode()
    for model in ("governance.Person", "governance.Position", "auth.User"):
        assert f'data-model="{model}"' in text, model
    assert "pieter@example.org" in text and "Ambtelijk overleg Sociale Pijler" in text


def test_my_data_downloads_as_json(client, person):
    other = person_with_account(name="Iemand Anders", email="anders@example.org", username="anders")
    client.force_login(person.user)
    response = client.get(DATA_JSON)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["format"] == "stedennet-privacy-export/1"
    assert data["subject"] == {"person_id": person.pk, "user_id": person.user_id}
    people = [record for app in data["apps"] for holding in app["holdings"] if holding["model"] == "governance.Person"
              for record in holding["records"]]
    assert [record["email"] for record in people] == ["pieter@example.org"]
    assert other.email not in response.content.decode()


def test_a_confirmed_new_address_becomes_the_persons(person, rf):
    old = EmailAddress.objects.create(user=person.user, email="pieter@example.org", verified=True, primary=False)
    new = EmailAddress.objects.create(user=person.user, email="pieter@nieuw.example.org", verified=True,
                                      primary=True)
    email_changed.send(sender=type(person.user), request=rf.get("/"), user=person.user,
                       from_email_address=old, to_email_address=new)
    person.refresh_from_db()
    assert person.email == "pieter@nieuw.example.org"


def test_a_confirmed_primary_address_becomes_the_persons_unless_another_person_has_it(person, rf):
    person_with_account(name="Bezet", email="bezet@example.org", username="bezet")
    taken = EmailAddress.objects.create(user=person.user, email="bezet@example.org", verified=True, primary=True)
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=taken)
    person.refresh_from_db()
    assert person.email == "pieter@example.org"
    EmailAddress.objects.filter(pk=taken.pk).update(primary=False)
    mine = EmailAddress.objects.create(user=person.user, email="pieter@elders.example.org", verified=True,
                                       primary=True)
    email_confirmed.send(sender=EmailAddress, request=rf.get("/"), email_address=mine)
    person.refresh_from_db()
    assert person.email == "pieter@elders.example.org"
    assert Person.objects.filter(email="bezet@example.org").count() == 1
