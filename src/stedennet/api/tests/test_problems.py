"""Bad input and the rules every response of /api/ follows: a 400 problem naming the parameter
(unknown key, malformed date, page out of range), 401 for a refused token, problem+json for
Django's own errors, the API-Version header everywhere."""

import datetime

import pytest
from django.utils import timezone
from wagtail.models import APIToken

from stedennet.api.constants import VERSION
from stedennet.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db


def problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == VERSION
    body = response.json()
    assert body["status"] == status
    assert body["title"] and "detail" in body
    return body


def names(body: dict) -> dict[str, str]:
    return {param["name"]: param["code"] for param in body.get("invalidParams", [])}


def test_an_unknown_query_key_is_refused_by_name(client, g40):
    body = problem(client.get("/api/v1/members?provence=PV27"), 400)
    assert names(body) == {"provence": "unknown_parameter"}


def test_an_unknown_key_is_refused_beside_known_ones(client, g40):
    body = problem(client.get("/api/v1/municipalities?province=PV27&pagesize=5&sort=name"), 400)
    assert names(body) == {"pagesize": "unknown_parameter", "sort": "unknown_parameter"}


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30", "1-1-2024", "gisteren", "2024-01-01T00:00"])
def test_a_malformed_date_is_refused_by_name(client, g40, value):
    body = problem(client.get("/api/v1/members", {"memberOn": value}), 400)
    assert list(names(body)) == ["memberOn"]


def test_a_page_beyond_the_last_is_refused(client, g40):
    last = client.get("/api/v1/members?pageSize=20").json()["pageCount"]
    assert client.get(f"/api/v1/members?pageSize=20&page={last}").status_code == 200
    body = problem(client.get(f"/api/v1/members?pageSize=20&page={last + 1}"), 400)
    assert names(body) == {"page": "page_out_of_range"}


@pytest.mark.parametrize("query", ["page=0", "page=x", "pageSize=101", "pageSize=0"])
def test_page_parameters_out_of_bounds_are_400_not_422(client, g40, query):
    body = problem(client.get(f"/api/v1/municipalities?{query}"), 400)
    assert list(names(body)) == [query.split("=")[0]]


def test_a_malformed_province_is_refused_by_name(client, g40):
    assert list(names(problem(client.get("/api/v1/members?province=Utrecht"), 400))) == ["province"]


def test_a_well_formed_filter_that_matches_nothing_is_an_empty_list(client, g40):
    response = client.get("/api/v1/members?province=PV99")
    assert response.status_code == 200 and response.json()["count"] == 0


def test_an_unknown_choice_is_refused(client, g40):
    assert list(names(problem(client.get("/api/v1/bodies?kind=club"), 400))) == ["kind"]


def test_a_revoked_token_is_401(client, g40, make_user):
    user = make_user("lezer")
    token, plaintext = APIToken.create_token(user=user, name="script")
    assert client.get("/api/v1/members", **bearer(plaintext)).status_code == 200
    token.revoke()
    response = client.get("/api/v1/members", **bearer(plaintext))
    problem(response, 401)
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("header", ["Bearer wagtail_nonsense", "Bearer ", "Basic dXNlcjpwdw==", "Token abc"])
def test_an_unknown_or_malformed_token_is_401_not_anonymous(client, g40, header):
    problem(client.get("/api/v1/members", HTTP_AUTHORIZATION=header), 401)


def test_the_token_of_an_inactive_account_is_401(client, g40, make_user):
    user = make_user("weg")
    _token, plaintext = APIToken.create_token(user=user, name="script")
    user.is_active = False
    user.save()
    problem(client.get("/api/v1/members", **bearer(plaintext)), 401)


def test_using_a_token_records_when(client, g40, make_user):
    token, plaintext = APIToken.create_token(user=make_user("lezer"), name="script")
    client.get("/api/v1/members", **bearer(plaintext))
    token.refresh_from_db()
    assert token.last_used_at is not None and timezone.now() - token.last_used_at < datetime.timedelta(minutes=1)


def test_a_trailing_slash_is_a_404_problem(client, g40):
    problem(client.get("/api/v1/members/"), 404)


def test_an_unknown_path_is_a_404_problem(client, g40):
    problem(client.get("/api/v1/leden"), 404)


def test_an_unknown_thing_is_a_404_problem(client, g40):
    problem(client.get("/api/v1/municipalities/GM9999"), 404)
    problem(client.get("/api/v1/members/GM0344"), 404)  # Utrecht: a municipality, not a member of the G40


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_writing_is_a_405_problem(client, g40, method):
    response = getattr(client, method)("/api/v1/members")
    problem(response, 405)
    assert "GET" in response["Allow"]


def test_every_answer_allows_any_origin_and_is_not_cached(client, g40):
    response = client.get("/api/v1/municipalities/GM0362")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "no-store"
    assert response["API-Version"] == VERSION
