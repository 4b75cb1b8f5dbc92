"""Personal API tokens on /mijn/api-tokens/: made (shown once), listed, revoked; each person only
their own; what a token then sees."""

import pytest
from wagtail.models import APIToken

from stedennet.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db

PAGE = "/mijn/api-tokens/"


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")


def test_a_token_is_shown_once_and_works(client, g40, make_user):
    user = make_user("lezer")
    client.force_login(user)
    response = client.post(PAGE, {"name": "mijn script"})
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    plaintext = response.context["new_token"]
    assert plaintext.startswith("wagtail_") and plaintext.encode() in response.content
    token = APIToken.objects.get(user=user)
    assert token.name == "mijn script" and token.key_hash != plaintext
    listed = client.get(PAGE)
    assert plaintext.encode() not in listed.content  # never again
    assert token.prefix.encode() in listed.content
    client.logout()
    assert client.get("/api/v1/members", **bearer(plaintext)).status_code == 200


def test_a_revoked_token_is_refused(client, g40, make_user):
    user = make_user("lezer")
    client.force_login(user)
    plaintext = client.post(PAGE, {"name": "script"}).context["new_token"]
    token = APIToken.objects.get(user=user)
    response = client.post(f"{PAGE}{token.pk}/intrekken/", follow=True)
    assert response.status_code == 200
    assert [m.extra_tags for m in response.context["messages"]] == ["token_revoked"]
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert b'data-state="revoked"' in response.content
    assert client.get("/api/v1/members", **bearer(plaintext)).status_code == 401


def test_nobody_revokes_another_persons_token(client, g40, make_user):
    owner, other = make_user("eigenaar"), make_user("ander")
    token, _plaintext = APIToken.create_token(user=owner, name="van de eigenaar")
    client.force_login(other)
    assert client.post(f"{PAGE}{token.pk}/intrekken/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert b"van de eigenaar" not in client.get(PAGE).content


def test_a_name_is_required(client, g40, make_user):
    client.force_login(make_user("lezer"))
    response = client.post(PAGE, {"name": "  "})
    assert response.status_code == 400
    assert not APIToken.objects.exists()


def test_at_most_ten_active_tokens(client, g40, make_user):
    user = make_user("lezer")
    for number in range(10):
        APIToken.create_token(user=user, name=f"t{number}")
    client.force_login(user)
    response = client.post(PAGE, {"name": "elfde"})
    assert response.status_code == 400
    assert [error.code for error in response.context["form"].errors.as_data()["name"]] == ["too_many_tokens"]
    assert APIToken.objects.filter(user=user).count() == 10


def test_revoking_twice_changes_nothing(client, g40, make_user):
    user = make_user("lezer")
    token, _plaintext = APIToken.create_token(user=user, name="script")
    client.force_login(user)
    client.post(f"{PAGE}{token.pk}/intrekken/")
    token.refresh_from_db()
    first = token.revoked_at
    client.post(f"{PAGE}{token.pk}/intrekken/")
    token.refresh_from_db()
    assert token.revoked_at == first
