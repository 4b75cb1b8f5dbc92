"""The second factor for the back office (``accounts.second_factor``): every address under
``/admin/`` and ``/django-admin/`` stays shut for staff until a TOTP or passkey is set up and used
in this session; the MFA adapter keeps the last factor of staff and stores secrets encrypted."""

import functools
import re
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value, yield_hotp_counters_from_time
from cryptography.fernet import InvalidToken
from django.contrib.auth import SESSION_KEY
from django.test import override_settings
from django.urls import URLResolver, get_resolver, reverse
from django.urls.resolvers import RegexPattern, RoutePattern

from stedennet.accounts.adapters import MFAAdapter
from stedennet.accounts.constants import Role
from stedennet.accounts.services import DEMO_TOTP_SECRET

PASSWORD = "correct horse battery"
ROUTE_VALUES = {"int": "1", "str": "x", "slug": "x", "path": "x/y", "uuid": str(uuid.UUID(int=1))}


def _fill_route(route: str) -> str:
    def value(match):
        converter = match.group(1) or "str"
        return ROUTE_VALUES.get(converter, "1")
    return re.sub(r"<(?:(\w+):)?\w+>", value, route)


def _fill_regex(regex: str) -> str:
    def value(match):
        body = match.group(2)
        first = body.split("|")[0]
        if re.fullmatch(r"[\w-]+", first):
            return first
        return "1" if first.startswith("\\d") else "x"
    text = re.sub(r"\(\?P<(\w+)>((?:[^()]|\([^()]*\))*)\)", value, regex.lstrip("^").rstrip("$"))
    return text.replace(".*", "x").replace("\\.", ".")


def back_office_paths() -> list[str]:
    """One concrete path for every URL pattern under admin/ and django-admin/."""
    found = []

    def walk(resolver, prefix: str):
        for pattern in resolver.url_patterns:
            if isinstance(pattern.pattern, RoutePattern):
                part = _fill_route(str(pattern.pattern))
            elif isinstance(pattern.pattern, RegexPattern):
                part = _fill_regex(pattern.pattern._regex)
            else:
                part = str(pattern.pattern)
            path = prefix + part
            if not path.startswith(("admin/", "django-admin/")) and prefix:
                continue
            if isinstance(pattern, URLResolver):
                if prefix or path.startswith(("admin/", "django-admin/")):
                    walk(pattern, path)
            elif path.startswith(("admin/", "django-admin/")):
                found.append("/" + path)

    walk(get_resolver(), "")
    return sorted(set(found))


EXEMPT = {"/admin/logout/", "/admin/login/", "/django-admin/login/", "/django-admin/logout/"}


@functools.cache
def guarded_paths() -> list[str]:
    return [path for path in back_office_paths() if path not in EXEMPT]


def current_code(secret: str = DEMO_TOTP_SECRET) -> str:
    counters = list(yield_hotp_counters_from_time())
    counter = counters[len(counters) // 2]  # the middle of the tolerance window: now
    return format_hotp_value(hotp_value(secret, counter))


def target(response) -> tuple[str, dict]:
    location = urlsplit(response["Location"])
    return location.path, parse_qs(location.query)


@pytest.fixture
def bureau(db, make_user):
    return make_user("bureau", Role.BUREAU)


@pytest.fixture
def superuser(db, make_user):
    return make_user("beheer", superuser=True)


def test_the_walk_finds_every_back_office_address():
    assert len(guarded_paths()) > 500
    assert {"/admin/", "/admin/pages/1/edit/", "/django-admin/", "/django-admin/auth/user/"} <= set(guarded_paths())


@pytest.mark.parametrize("who", ["bureau", "superuser"])
def test_without_a_factor_every_back_office_address_leads_to_activation(client, request, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    activate = reverse("mfa_activate_totp")
    wrong = []
    for path in guarded_paths():
        response = client.get(path)
        if response.status_code != 302 or target(response) != (activate, {"next": [path]}):
            wrong.append((path, response.status_code, response.get("Location")))
    assert wrong == []
    assert client.session["second_factor_next"] == guarded_paths()[-1]


def test_with_a_factor_unused_in_this_session_every_address_leads_to_reauthentication(client, bureau):
    TOTP.activate(bureau, DEMO_TOTP_SECRET)
    client.force_login(bureau)
    reauthenticate = reverse("mfa_reauthenticate")
    wrong = []
    for path in guarded_paths():
        response = client.get(path)
        if response.status_code != 302 or target(response) != (reauthenticate, {"next": [path]}):
            wrong.append((path, response.status_code, response.get("Location")))
    assert wrong == []


@pytest.mark.parametrize("path", ["/admin/", "/admin/mail/outbox/"])
def test_after_the_factor_the_back_office_opens(client, bureau, back_office_login, path):
    back_office_login(client, bureau)
    assert client.get(path).status_code == 200


def test_after_the_factor_a_superuser_opens_the_django_admin(client, superuser, back_office_login):
    back_office_login(client, superuser)
    assert client.get("/django-admin/").status_code == 200
    assert client.get("/django-admin/auth/user/").status_code == 200


def test_reauthenticating_with_the_code_opens_the_back_office(client, bureau):
    TOTP.activate(bureau, DEMO_TOTP_SECRET)
    client.force_login(bureau)
    response = client.get("/admin/mail/outbox/")
    assert target(response) == (reverse("mfa_reauthenticate"), {"next": ["/admin/mail/outbox/"]})
    response = client.post(response["Location"], {"code": current_code()})
    assert response.status_code == 302 and response["Location"] == "/admin/mail/outbox/"
    assert client.get("/admin/mail/outbox/").status_code == 200


def test_signing_in_with_password_and_code_opens_the_back_office(client, bureau):
    TOTP.activate(bureau, DEMO_TOTP_SECRET)
    response = client.post("/inloggen/?next=/admin/", {"login": "bureau", "password": PASSWORD})
    assert response.status_code == 302 and target(response)[0] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session  # not signed in before the code
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_activating_totp_opens_the_back_office(client, bureau):
    response = client.post("/inloggen/?next=/admin/", {"login": "bureau", "password": PASSWORD})
    assert client.session[SESSION_KEY] == str(bureau.pk)
    response = client.get("/admin/")
    assert target(response) == (reverse("mfa_activate_totp"), {"next": ["/admin/"]})
    page = client.get(response["Location"])
    assert page.status_code == 200
    secret = page.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_view_recovery_codes")
    codes = client.get(response["Location"])
    assert 'data-testid="continue-back-office"' in codes.content.decode()
    assert client.get("/admin/").status_code == 200


def test_members_are_left_to_wagtail(client, make_user):
    member = make_user("lid", Role.CIVIL_SERVANT)
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302 and not response["Location"].startswith("/account/2fa/")


def test_anonymous_visitors_are_sent_to_the_one_sign_in_page(client, db):
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and target(response) == ("/inloggen/", {"next": ["/admin/pages/"]})


def test_a_member_may_add_totp_and_is_then_asked_for_the_code(client, make_user):
    member = make_user("lid", Role.CIVIL_SERVANT)
    TOTP.activate(member, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    response = client.post("/inloggen/", {"login": "lid", "password": PASSWORD})
    assert target(response)[0] == reverse("mfa_authenticate")
    assert SESSION_KEY not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")})
    assert client.session[SESSION_KEY] == str(member.pk)


class TestAdapter:
    def test_secrets_are_stored_encrypted(self, bureau):
        authenticator = TOTP.activate(bureau, DEMO_TOTP_SECRET).instance
        stored = Authenticator.objects.get(pk=authenticator.pk).data["secret"]
        assert DEMO_TOTP_SECRET not in stored and stored.startswith("fernet:")
        assert MFAAdapter().decrypt(stored) == DEMO_TOTP_SECRET

    def test_an_old_secret_key_still_decrypts(self, settings):
        stored = MFAAdapter().encrypt(DEMO_TOTP_SECRET)
        settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
        settings.SECRET_KEY = "a-new-secret-key-for-the-rotation-test"
        assert MFAAdapter().decrypt(stored) == DEMO_TOTP_SECRET
        with override_settings(SECRET_KEY_FALLBACKS=[]), pytest.raises(InvalidToken):
            MFAAdapter().decrypt(stored)

    def test_staff_cannot_remove_their_last_factor(self, client, bureau, back_office_login):
        back_office_login(client, bureau)
        totp = Authenticator.objects.get(user=bureau, type=Authenticator.Type.TOTP)
        assert MFAAdapter().can_delete_authenticator(totp) is False
        response = client.post(reverse("mfa_deactivate_totp"), {})
        assert Authenticator.objects.filter(pk=totp.pk).exists()
        assert response.status_code == 200

    def test_members_may_remove_theirs(self, make_user):
        member = make_user("lid", Role.CIVIL_SERVANT)
        totp = TOTP.activate(member, DEMO_TOTP_SECRET).instance
        assert MFAAdapter().can_delete_authenticator(totp) is True

    def test_staff_cannot_remove_their_last_passkey(self, client, bureau, back_office_login):
        passkey = Authenticator.objects.create(user=bureau, type=Authenticator.Type.WEBAUTHN,
                                               data={"name": "Sleutel", "credential": {}})
        back_office_login(client, bureau)
        response = client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))
        assert response.status_code == 302 and response["Location"] == reverse("mfa_list_webauthn")
        assert Authenticator.objects.filter(pk=passkey.pk).exists()
        TOTP.activate(bureau, DEMO_TOTP_SECRET)  # with another factor it may go
        client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))
        assert not Authenticator.objects.filter(pk=passkey.pk).exists()
