"""Passkeys in a real browser, with Chromium's virtual authenticator (a platform authenticator
that keeps resident keys and verifies its user): a member adds a passkey on the two-factor pages
after signing in with a password, then signs in with it alone; a bureau user whose only factor is
a passkey opens the back office after signing in with it. Every page of ours passes axe (WCAG 2.1
A/AA) and the Nu Html Checker.

WebAuthn needs a secure context: the browser talks to the live server as ``localhost`` (http on
localhost is one), which is then also the relying party's id (allauth takes the request's host).
"""

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from stedennet.accounts.constants import Role
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser
PASSWORD = "correct horse battery"


@pytest.fixture
def page(browser, live_server, settings):
    """The ``page`` of tests/browser/conftest.py (so ``check_page`` and ``sign_in`` use it), on
    ``localhost``, with a virtual authenticator in the browser."""
    settings.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True  # http, not https: only the origin check
    base_url = live_server.url.replace("127.0.0.1", "localhost")
    context = browser.new_context(base_url=base_url, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    cdp = context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    authenticator = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True, "automaticPresenceSimulation": True,
    }})
    page.authenticator = (cdp, authenticator["authenticatorId"])
    yield page
    context.close()


def resident_credentials(page) -> list[dict]:
    cdp, authenticator_id = page.authenticator
    return cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator_id})["credentials"]


def sign_in_with_password(page, username: str) -> None:
    page.goto("/inloggen/")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def add_passkey(page, check_page, user, name: str) -> None:
    """On the two-factor pages: add a passwordless key (a passkey), then see the recovery codes."""
    check_page("/account/2fa/")
    page.locator("a[href='/account/2fa/webauthn/add/']").click()
    page.wait_for_url("**/account/2fa/webauthn/add/")
    # Opened again by check_page (not re-fetched): every rendering of the page starts a new
    # registration, and only the last one's challenge is accepted.
    check_page("/account/2fa/webauthn/add/")
    page.locator("#id_name").fill(name)
    page.locator("#id_passwordless").check()
    page.locator("#mfa_webauthn_add").click()
    # The first factor comes with recovery codes.
    page.wait_for_url("**/account/2fa/recovery-codes/")
    check_page()
    passkey = Authenticator.objects.get(user=user, type=Authenticator.Type.WEBAUTHN)
    assert passkey.wrap().name == name
    assert passkey.wrap().is_passwordless is True
    assert passkey.last_used_at is None  # until it signs someone in
    credentials = resident_credentials(page)
    assert len(credentials) == 1 and credentials[0]["isResidentCredential"] is True
    assert credentials[0]["rpId"] == "localhost"


def sign_out(page, check_page) -> None:
    check_page("/uitloggen/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/uitloggen/" not in url)
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}


def sign_in_with_passkey(page, check_page, next: str = "") -> None:
    check_page(f"/inloggen/?next={next}" if next else "/inloggen/")
    page.get_by_test_id("passkey-login").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)


def with_confirmed_address(user):
    """As an invitation leaves an account: its e-mail address confirmed."""
    user.email = f"{user.username}@example.org"
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.fixture
def member(transactional_db, make_user):
    home_page_ensure()
    return with_confirmed_address(make_user("lid", Role.CIVIL_SERVANT))


@pytest.fixture
def bureau(transactional_db, make_user):
    home_page_ensure()
    return with_confirmed_address(make_user("bureau", Role.BUREAU))


def test_a_member_adds_a_passkey_and_signs_in_with_it_without_a_password(member, page, check_page):
    sign_in_with_password(page, "lid")
    add_passkey(page, check_page, member, "Laptop")
    check_page("/account/2fa/webauthn/")
    assert page.get_by_text("Laptop").count() == 1
    sign_out(page, check_page)

    sign_in_with_passkey(page, check_page)
    check_page("/inloggen/")
    assert page.locator("main").get_by_test_id("signed-in-as").count() == 1
    response = page.goto("/account/2fa/")  # a page for those signed in
    assert response.status == 200 and page.url.endswith("/account/2fa/")
    passkey = Authenticator.objects.get(user=member, type=Authenticator.Type.WEBAUTHN)
    assert passkey.last_used_at is not None
    assert resident_credentials(page)[0]["signCount"] >= 2  # registered, then signed with


def test_a_bureau_user_with_only_a_passkey_opens_the_back_office_after_using_it(bureau, page, check_page):
    sign_in_with_password(page, "bureau")
    add_passkey(page, check_page, bureau, "Werklaptop")
    assert not Authenticator.objects.filter(user=bureau, type=Authenticator.Type.TOTP).exists()
    sign_out(page, check_page)

    # Signed out, the back office sends to the sign-in page; the passkey alone signs in and opens it.
    page.goto("/admin/")
    page.wait_for_url("**/inloggen/?next=**")
    sign_in_with_passkey(page, check_page, next="/admin/")
    page.wait_for_url("**/admin/")
    # The dashboard itself, again: no step of the second factor in between (no TOTP to set up,
    # no reauthentication), as the passkey counts as the second factor used in this session.
    response = page.goto("/admin/")
    assert response.status == 200 and page.url.endswith("/admin/")
    passkey = Authenticator.objects.get(user=bureau, type=Authenticator.Type.WEBAUTHN)
    assert passkey.last_used_at is not None
