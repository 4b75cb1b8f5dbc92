"""Account self-service through allauth: a forgotten password is reset through a link by mail
(through the outbox), a new e-mail address replaces the old one only once its link is followed,
and ending the other sessions signs out every other browser."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client
from django.urls import reverse

from stedennet.accounts.constants import Role

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a brand new passphrase 42"


@pytest.fixture
def member(db, make_user):
    user = make_user("lid", Role.CIVIL_SERVANT)
    user.email = "lid@gemeente.example.nl"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client, login: str, password: str):
    return client.post(reverse("accounts:login"), {"login": login, "password": password})


def link_in(message, path_start: str) -> str:
    match = re.search(rf"https?://[^/\s]+({re.escape(path_start)}\S+)", message.body)
    assert match, message.body
    return match.group(1)


def test_a_forgotten_password_is_reset_through_the_link_in_the_mail(client, member,
                                                                     django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "LID@gemeente.example.nl"})
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["lid@gemeente.example.nl"]
    link = link_in(message, "/account/password/reset/key/")
    response = client.get(link)  # allauth moves the key into the session and drops it from the address
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert SESSION_KEY not in client.session  # ACCOUNT_LOGIN_ON_PASSWORD_RESET is off

    sign_in(client, "lid", PASSWORD)
    assert SESSION_KEY not in client.session
    assert sign_in(client, "lid", NEW_PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)
    client.logout()
    again = client.get(link, follow=True)  # the link works once
    assert again.context["token_fail"] is True


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, member,
                                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302 and response["Location"] == reverse("account_reset_password_done")
    [message] = mail.outbox  # allauth says there is no account, to that address only
    assert message.to == ["nobody@example.org"] and "/account/password/reset/key/" not in message.body


def test_a_new_address_counts_only_after_its_link(client, member, django_capture_on_commit_callbacks):
    sign_in(client, "lid", PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": "nieuw@gemeente.example.nl"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "lid@gemeente.example.nl"  # not yet
    [message] = mail.outbox
    assert message.to == ["nieuw@gemeente.example.nl"]
    link = link_in(message, "/account/confirm-email/")
    assert client.get(link).status_code == 200  # the confirmation asks for a click (a POST)
    member.refresh_from_db()
    assert member.email == "lid@gemeente.example.nl"
    response = client.post(link)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "nieuw@gemeente.example.nl"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified", "primary")) == [
        ("nieuw@gemeente.example.nl", True, True)]
    client.logout()
    assert sign_in(client, "nieuw@gemeente.example.nl", PASSWORD).status_code == 302
    assert client.session[SESSION_KEY] == str(member.pk)


def test_staff_with_two_factors_may_change_their_address(client, make_user, back_office_login,
                                                         django_capture_on_commit_callbacks):
    bureau = make_user("bureau", Role.BUREAU)
    back_office_login(client, bureau)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": "bureau@g40.example.nl"})
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [["bureau@g40.example.nl"]]


def test_ending_the_other_sessions_signs_out_the_other_browser(member):
    laptop, phone = Client(), Client()
    sign_in(laptop, "lid", PASSWORD)
    sign_in(phone, "lid", PASSWORD)
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200 and page.context["session_count"] == 2
    assert laptop.post(reverse("usersessions_list")).status_code == 302
    assert SESSION_KEY not in phone.session
    response = phone.get(reverse("usersessions_list"))
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert laptop.get(reverse("usersessions_list")).context["session_count"] == 1
