"""My API tokens in a real browser: the empty page, a token made (shown once) and used against the
API, the list, the revocation (after which the API refuses the token with 401). Every page passes
axe (WCAG 2.1 A/AA) and the Nu Html Checker, in Dutch and in English."""

import pytest
from allauth.account.models import EmailAddress

from stedennet.accounts.constants import Role
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def member(transactional_db, make_user):
    home_page_ensure()
    user = make_user("lid", Role.CIVIL_SERVANT)
    user.email = "lid@gemeente.example.nl"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("language", ["nl", "en"])
def test_make_use_and_revoke_a_token(member, page, check_page, sign_in, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    sign_in("lid", PASSWORD, next="/mijn/api-tokens/")
    check_page("/mijn/api-tokens/")
    assert page.get_by_test_id("no-tokens").is_visible()

    page.get_by_test_id("create-token").click()  # without a name: refused, the error by its field
    page.get_by_test_id("form-errors").wait_for()
    check_page()

    page.locator("#id_name").fill("Mijn script")
    page.get_by_test_id("create-token").click()
    token = page.get_by_test_id("new-token").inner_text()
    assert token.startswith("wagtail_")
    check_page()
    answer = page.request.get(f"{live_server.url}/api/v1/municipalities", headers={"Authorization": f"Bearer {token}"})
    assert answer.status == 200 and answer.headers["api-version"] == "1.0.0"

    page.goto("/mijn/api-tokens/")
    row = page.get_by_test_id("token")
    assert row.get_attribute("data-state") == "active"
    assert token not in page.content()  # shown only once
    row.get_by_test_id("revoke").click()
    page.get_by_test_id("message").wait_for()
    assert page.get_by_test_id("token").get_attribute("data-state") == "revoked"
    check_page()
    refused = page.request.get(f"{live_server.url}/api/v1/municipalities", headers={"Authorization": f"Bearer {token}"})
    assert refused.status == 401 and refused.headers["content-type"] == "application/problem+json"
