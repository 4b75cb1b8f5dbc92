"""The account pages of allauth in the site's frame, in a real browser: sign-in, password reset,
e-mail address, password change, two factors (overview, activation, recovery codes, passkeys),
reauthentication and sessions. Every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import pytest
from allauth.account.models import EmailAddress

from stedennet.accounts.constants import Role
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"

SIGNED_OUT = ["/inloggen/", "/inloggen/?next=/admin/", "/account/password/reset/", "/account/password/reset/done/"]
SIGNED_IN = ["/account/email/", "/account/password/change/", "/account/2fa/", "/account/2fa/totp/activate/",
             "/account/2fa/webauthn/", "/account/reauthenticate/", "/account/sessions/", "/uitloggen/"]


@pytest.fixture
def member(transactional_db, make_user, settings):
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
    home_page_ensure()
    user = make_user("lid", Role.CIVIL_SERVANT)
    user.email = "lid@gemeente.example.nl"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def test_every_account_page_is_accessible_and_valid(member, page, check_page, sign_in):
    for path in SIGNED_OUT:
        check_page(path)
    page.goto("/account/password/reset/")
    page.locator("#id_email").fill("lid@example.org")
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url("**/account/password/reset/done/")
    check_page()

    sign_in("lid", PASSWORD)
    for path in SIGNED_IN:
        check_page(path)
    # A wrong code on the activation page: the error is shown by its field.
    page.goto("/account/2fa/totp/activate/")
    page.locator("#id_code").fill("000000")
    page.locator("#id_code").press("Enter")
    page.wait_for_load_state()
    assert page.get_by_test_id("error-code").count() == 1
    check_page()
