"""Two factors for the back office in a real browser: a bureau user cannot open the back office
before setting up and using an authenticator app. Signing in, the activation page (the secret is
read from the page, as someone without a phone camera would), the recovery codes, then the
dashboard; and a second sign-in that asks the code. Every page of ours passes axe (WCAG 2.1 A/AA)
and the Nu Html Checker (Wagtail's own back-office pages are not checked)."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time

from stedennet.accounts.constants import Role
from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import totp_code

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


def code_now(secret: str) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


@pytest.fixture
def bureau(transactional_db, make_user):
    home_page_ensure()
    return make_user("bureau", Role.BUREAU)


def test_the_back_office_opens_only_after_setting_up_and_using_totp(bureau, page, check_page):
    page.goto("/admin/")
    page.wait_for_url("**/inloggen/?next=**")
    check_page(page.url)
    page.locator("#id_login").fill("bureau")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()

    # Signed in, but the back office sends the bureau to set up an authenticator app first.
    page.wait_for_url("**/account/2fa/totp/activate/?next=%2Fadmin%2F")
    assert page.locator("[data-testid=message][data-code=second_factor_required]").count() == 1
    check_page(page.url)
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) == 32
    page.goto("/admin/")  # still shut
    page.wait_for_url("**/account/2fa/totp/activate/**")
    secret = page.locator("#authenticator_secret").input_value()  # a new page, a new secret
    page.locator("#id_code").fill(code_now(secret))
    page.locator("#id_code").press("Enter")

    # The recovery codes, and the way back to where the bureau was going.
    page.wait_for_url("**/account/2fa/recovery-codes/")
    check_page()
    assert len(page.locator("#recovery_codes").input_value().split()) == 10
    assert Authenticator.objects.filter(user=bureau, type=Authenticator.Type.TOTP).exists()
    page.get_by_test_id("continue-back-office").get_by_role("link").click()
    page.wait_for_url("**/admin/")
    assert page.url.endswith("/admin/")

    # Next time (another browser session): the password, then the code, then the back office.
    page.context.clear_cookies()
    page.goto("/admin/")
    page.wait_for_url("**/inloggen/?next=**")
    page.locator("#id_login").fill("bureau")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url("**/account/2fa/authenticate/**")
    check_page()
    page.locator("#id_code").fill(totp_code(bureau))
    page.locator("#id_code").press("Enter")
    page.wait_for_url("**/admin/")
