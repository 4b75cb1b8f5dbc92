"""The lockout page in a real browser, in Dutch and in English: after five wrong passwords the
sign-in form answers with our page (status 429), which passes axe (WCAG 2.1 A/AA) and the Nu Html
Checker; even the right password then gets the same page. The bureau's "Locked sign-ins" in the
back office passes both too, and its "Unlock" lifts the account's lock."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

pytestmark = pytest.mark.browser


@pytest.fixture
def account(transactional_db, settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = get_user_model().objects.create_user(username="jan", email="jan@example.org",
                                                password="correct horse battery")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def submit(page, login, password):
    form = page.get_by_test_id("sign-in-form")
    form.locator("[name=login]").fill(login)
    form.locator("[name=password]").fill(password)
    with page.expect_response(lambda r: r.request.method == "POST" and "/inloggen/" in r.url) as answer:
        form.locator("button[type=submit]").click()
    return answer.value


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_lockout_page(account, page, check_page, vnu, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    check_page("/inloggen/")
    for _ in range(4):
        assert submit(page, "jan", "wrong").status == 200
    response = submit(page, "jan", "wrong")
    assert response.status == 429
    locked = page.get_by_test_id("locked-out")
    assert locked.get_attribute("data-code") == "locked_out"
    html = response.text()
    assert f'<html lang="{language}"' in html
    # check_page runs axe on the page shown (the lockout page); the Nu Html Checker gets the
    # answer to the POST itself, as a GET of the same address would show the sign-in form.
    check_page()
    assert vnu(html) == []

    page.goto("/inloggen/")
    response = submit(page, "jan", "correct horse battery")
    assert response.status == 429
    assert page.get_by_test_id("locked-out").is_visible()


def test_the_bureau_lifts_a_lock_in_the_back_office(account, page, check_page, make_user):
    from axes.models import AccessAttempt

    from stedennet.accounts.constants import Role
    from tests.browser.signing_in import sign_in_page

    # Five failures on jan from one address elsewhere, and five on others from there too.
    for username in ("jan", "piet"):
        AccessAttempt.objects.create(username=username, ip_address="192.0.2.1", user_agent="x",
                                     failures_since_start=5, get_data="", post_data="", http_accept="",
                                     path_info="/inloggen/")
    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")
    check_page("/admin/accounts/locked-sign-ins/")
    row = page.locator("[data-testid=lock][data-kind=account][data-value=jan]")
    assert row.get_attribute("data-account-exists") == "true"
    row.get_by_test_id("unlock").click()
    page.wait_for_url("**/admin/accounts/locked-sign-ins/")
    check_page()
    assert page.locator("[data-testid=lock][data-kind=account][data-value=jan]").count() == 0
    assert page.locator("[data-testid=lock][data-kind=address][data-value='192.0.2.1']").count() == 1
    assert not AccessAttempt.objects.filter(username="jan").exists()
