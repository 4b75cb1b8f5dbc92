"""The site's own sign-in and sign-out (``accounts.views``): back to ``?next`` (same site only) or
to my groups; a wrong password is shown; sign-out asks first (GET) and signs out on POST."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from stedennet.governance.tests.factories import PersonFactory, person_with_account

PASSWORD = "correct horse battery"
ARMOEDE = "themagroep-armoede-en-schulden"  # civil service, open


def url(name: str, **kwargs) -> str:
    namespace = "accounts" if name in {"login", "logout", "invitation"} else "governance"
    return reverse(f"{namespace}:{name}", kwargs=kwargs)


@pytest.fixture
def civil_servant(g40_bodies):
    person = person_with_account(function="civil_servant", username="ambtenaar", name="Ambtenaar Een")
    # As an accepted invitation leaves it: the address is confirmed.
    EmailAddress.objects.create(user=person.user, email=person.email, verified=True, primary=True)
    return person


def signed_in(client, person_or_user):
    user = getattr(person_or_user, "user", person_or_user)
    client.force_login(user)
    return client


class TestSignIn:
    def test_sign_in_goes_to_my_groups(self, client, civil_servant):
        assert client.get(url("login")).status_code == 200
        response = client.post(url("login"), {"login": "ambtenaar", "password": PASSWORD})
        assert response.status_code == 302 and response.url == url("my_groups")
        assert client.get(url("my_groups")).status_code == 200

    def test_the_e_mail_address_signs_in_too(self, client, civil_servant):
        response = client.post(url("login"), {"login": civil_servant.email.upper(), "password": PASSWORD})
        assert response.status_code == 302 and response.url == url("my_groups")
        assert client.session["_auth_user_id"] == str(civil_servant.user.pk)

    def test_an_unconfirmed_address_is_asked_to_confirm_first(self, client, civil_servant):
        EmailAddress.objects.filter(user=civil_servant.user).update(verified=False)
        response = client.post(url("login"), {"login": "ambtenaar", "password": PASSWORD})
        assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
        assert "_auth_user_id" not in client.session

    def test_sign_in_goes_back_to_next(self, client, civil_servant):
        response = client.get(url("body", slug=ARMOEDE))
        assert response.status_code == 302 and response.url.startswith(url("login") + "?next=")
        response = client.post(response.url, {"login": "ambtenaar", "password": PASSWORD})
        assert response.url == url("body", slug=ARMOEDE)

    def test_an_outside_next_is_ignored(self, client, civil_servant):
        response = client.post(url("login") + "?next=https://evil.example/",
                               {"login": "ambtenaar", "password": PASSWORD})
        assert response.url == url("my_groups")

    def test_a_wrong_password_is_refused_and_shown(self, client, civil_servant):
        response = client.post(url("login"), {"login": "ambtenaar", "password": "wrong"})
        assert response.status_code == 200
        assert 'data-testid="form-errors"' in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_sign_out_asks_then_signs_out(self, client, civil_servant):
        signed_in(client, civil_servant)
        assert client.get(url("logout")).status_code == 200
        assert "_auth_user_id" in client.session
        response = client.post(url("logout"))
        assert response.status_code == 302 and response.url == "/"
        assert "_auth_user_id" not in client.session
        assert 'data-testid="signed-out"' in client.get(url("logout")).content.decode()


def test_an_accepted_invitation_confirms_the_address_and_signs_in_by_it(client, g40_bodies):
    from stedennet.accounts.services import invitation_accept
    from stedennet.governance.invitations import person_invite
    from stedennet.registry.models import Municipality

    person = PersonFactory(function="civil_servant", email="nieuw@gemeente.example.nl",
                           municipality=Municipality.objects.get(cbs_code="GM0362"))
    token = person_invite(person=person, send=False).token
    user = invitation_accept(token=token, username="nieuw", password=PASSWORD)
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("nieuw@gemeente.example.nl", True, True)]
    response = client.post(url("login"), {"login": "nieuw@gemeente.example.nl", "password": PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(user.pk)
