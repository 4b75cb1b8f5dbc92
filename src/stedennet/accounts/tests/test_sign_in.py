"""The site's own sign-in and sign-out (``accounts.views``): back to ``?next`` (same site only) or
to my groups; a wrong password is shown; sign-out asks first (GET) and signs out on POST."""

import pytest
from django.urls import reverse

from stedennet.governance.tests.factories import person_with_account

PASSWORD = "correct horse battery"
ARMOEDE = "themagroep-armoede-en-schulden"  # civil service, open


def url(name: str, **kwargs) -> str:
    namespace = "accounts" if name in {"login", "logout", "invitation"} else "governance"
    return reverse(f"{namespace}:{name}", kwargs=kwargs)


@pytest.fixture
def civil_servant(g40_bodies):
    return person_with_account(function="civil_servant", username="ambtenaar", name="Ambtenaar Een")


def signed_in(client, person_or_user):
    user = getattr(person_or_user, "user", person_or_user)
    client.force_login(user)
    return client


class TestSignIn:
    def test_sign_in_goes_to_my_groups(self, client, civil_servant):
        assert client.get(url("login")).status_code == 200
        response = client.post(url("login"), {"username": "ambtenaar", "password": PASSWORD})
        assert response.status_code == 302 and response.url == url("my_groups")
        assert client.get(url("my_groups")).status_code == 200

    def test_sign_in_goes_back_to_next(self, client, civil_servant):
        response = client.get(url("body", slug=ARMOEDE))
        assert response.status_code == 302 and response.url.startswith(url("login") + "?next=")
        response = client.post(response.url, {"username": "ambtenaar", "password": PASSWORD})
        assert response.url == url("body", slug=ARMOEDE)

    def test_an_outside_next_is_ignored(self, client, civil_servant):
        response = client.post(url("login") + "?next=https://evil.example/",
                               {"username": "ambtenaar", "password": PASSWORD})
        assert response.url == url("my_groups")

    def test_a_wrong_password_is_refused_and_shown(self, client, civil_servant):
        response = client.post(url("login"), {"username": "ambtenaar", "password": "wrong"})
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
