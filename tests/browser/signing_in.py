"""Signing in, in the browser, as a person does: the one sign-in page (/inloggen/), then
allauth's second step with the TOTP code where the account has an authenticator."""

from urllib.parse import quote

from django.contrib.auth import get_user_model


def totp_code(user) -> str:
    """A valid TOTP code of ``user``'s authenticator that allauth has not seen used yet (it
    refuses a code twice), read from the stored (encrypted) secret."""
    from allauth.mfa.adapter import get_adapter
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
    from django.core.cache import cache

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    secret = get_adapter().decrypt(authenticator.data["secret"])
    for counter in yield_hotp_counters_from_time():
        code = format_hotp_value(hotp_value(secret, counter))
        if cache.get(TOTP(authenticator)._get_used_cache_key(code)) is None:
            return code
    raise AssertionError("every TOTP code of this moment was used already")


def sign_in_page(page, username: str, password: str, next: str = "/") -> None:
    """Sign in as ``username`` and wait until the browser has left the sign-in pages.

    Staff (who may open the back office) without a factor get a TOTP authenticator
    with the demo secret first, so that the back office opens after signing in; the code is
    typed on allauth's second step."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from stedennet.accounts.adapters import may_open_back_office
    from stedennet.accounts.services import DEMO_TOTP_SECRET

    user = get_user_model().objects.get(username=username)
    factors = Authenticator.objects.filter(user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN])
    if may_open_back_office(user) and not factors.exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
    page.goto(f"/inloggen/?next={quote(next)}")
    page.locator("#id_login").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("form.accounts-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/inloggen/" not in url)
    if "/account/2fa/authenticate/" in page.url:
        page.locator("#id_code").fill(totp_code(user))
        page.locator("#id_code").press("Enter")
        page.wait_for_url(lambda url: "/account/2fa/authenticate/" not in url)
