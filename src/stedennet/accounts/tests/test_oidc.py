"""Sign-in through an organisation's OpenID Connect provider, against a real provider process
(``tests.oidc_provider``, Entra-shaped): the whole authorization code flow over HTTP, no mocks.

The test client plays the browser on our side; ``oidc.choose`` plays the person on the
provider's page. Every refusal shows its code on the error page and leaves no account, social
account or e-mail address behind.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from stedennet.accounts.constants import Role
from stedennet.accounts.models import IdentityProvider
from stedennet.governance.models import Person, PersonFunction
from stedennet.registry.models import Municipality
from tests.oidc_provider import config
from tests.oidc_provider.fixtures import callback_path

CALLBACK = "http://testserver/account/oidc/{slug}/login/callback/"
MY_GROUPS = "/mijn/groepen/"


def counts() -> tuple[int, int, int]:
    return get_user_model().objects.count(), SocialAccount.objects.count(), EmailAddress.objects.count()


def start(client, oidc, slug: str = "entra", **data) -> str:
    """Press the provider's button on our site: returns the provider's authorization address."""
    oidc.control(redirect_uri=CALLBACK.format(slug=slug))
    response = client.post(f"/account/oidc/{slug}/login/", data)
    assert response.status_code == 302, response.content[:500]
    assert response["Location"].startswith(oidc.base_url)
    return response["Location"]


def sign_in(client, oidc, user: str, *, slug: str = "entra", spoil: str | None = None):
    """The whole round trip for the provider's ``user``; returns our callback's response."""
    authorize = start(client, oidc, slug)
    if spoil:
        oidc.control(next_token=spoil)
    return client.get(callback_path(oidc.choose(authorize, user)))


def refusal_code(response) -> str:
    assert response.status_code == 401, (response.status_code, response.get("Location"))
    html = response.content.decode()
    marker = 'data-testid="refusal" data-code="'
    assert marker in html, html[:2000]
    return html.split(marker, 1)[1].split('"', 1)[0]


# --- the happy path -----------------------------------------------------------------------------


def test_the_start_sends_state_nonce_and_pkce_to_the_provider(client, entra, oidc):
    query = {k: v[0] for k, v in parse_qs(urlsplit(start(client, oidc)).query).items()}
    assert query["client_id"] == config.CLIENT_ID
    assert query["redirect_uri"] == CALLBACK.format(slug="entra")
    assert query["response_type"] == "code"
    assert "openid" in query["scope"].split()
    assert query["code_challenge_method"] == "S256"
    assert len(query["nonce"]) >= 32 and len(query["state"]) >= 8
    assert urlsplit(start(client, oidc)).query != urlsplit(start(client, oidc)).query  # fresh each time


def test_a_get_of_the_start_only_shows_a_button(client, entra, oidc):
    response = client.get("/account/oidc/entra/login/")
    assert response.status_code == 200
    assert b'method="post"' in response.content


def test_an_unknown_or_inactive_provider_is_not_found(client, entra, oidc):
    assert client.post("/account/oidc/nobody/login/").status_code == 404
    IdentityProvider.objects.filter(pk=entra.pk).update(active=False)
    assert client.post("/account/oidc/entra/login/").status_code == 404


def test_a_civil_servant_of_a_connected_tenant_signs_in_and_lands_on_my_groups(client, entra, oidc):
    response = sign_in(client, oidc, "civil-servant-amstelveen")
    assert response.status_code == 302
    assert response["Location"] == MY_GROUPS
    user = get_user_model().objects.get(email="anne.ambtenaar@amstelveen.example")
    assert client.get(MY_GROUPS).wsgi_request.user == user
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "entra"
    assert account.extra_data["id_token"]["tid"] == config.AMSTELVEEN
    assert EmailAddress.objects.get(user=user).verified is True
    assert not user.groups.exists()  # no person with that address: no rights until the bureau gives a role
    assert not user.has_usable_password()
    # The token was signed and checked: the provider issued it with our nonce.
    assert [claims["nonce"] for claims in oidc.issued()] == [account.extra_data["id_token"]["nonce"]]


def test_the_second_sign_in_finds_the_same_account(client, entra, oidc):
    sign_in(client, oidc, "civil-servant-amstelveen")
    client.post("/uitloggen/")
    response = sign_in(client, oidc, "civil-servant-amstelveen")
    assert response.status_code == 302
    assert get_user_model().objects.count() == 1
    assert SocialAccount.objects.count() == 1


def test_next_is_kept_through_the_provider(client, entra, oidc):
    oidc.control(redirect_uri=CALLBACK.format(slug="entra"))
    response = client.post("/account/oidc/entra/login/", {"next": "/bibliotheek/"})
    response = client.get(callback_path(oidc.choose(response["Location"], "civil-servant-amstelveen")))
    assert response["Location"] == "/bibliotheek/"


# --- linking to a person by verified e-mail ---------------------------------------------------------


def person(email: str, municipality: str = "GM0362") -> Person:
    return Person.objects.create(name="Anne Ambtenaar", email=email, function=PersonFunction.CIVIL_SERVANT,
                                 municipality=Municipality.objects.get(cbs_code=municipality))


def test_the_account_becomes_the_persons_with_that_verified_address(client, entra, oidc):
    anne = person("Anne.Ambtenaar@amstelveen.example")
    sign_in(client, oidc, "civil-servant-amstelveen")
    anne.refresh_from_db()
    assert anne.user is not None
    assert anne.user.email == "anne.ambtenaar@amstelveen.example"
    assert list(anne.user.groups.values_list("name", flat=True)) == [Role.CIVIL_SERVANT]


def test_an_unverified_address_is_not_linked(client, entra, oidc):
    ursula = person("ursula@amstelveen.example")
    sign_in(client, oidc, "unverified-amstelveen")
    ursula.refresh_from_db()
    assert ursula.user is None
    user = get_user_model().objects.get(email="ursula@amstelveen.example")
    assert not user.groups.exists()
    assert EmailAddress.objects.get(user=user).verified is False


def test_a_person_of_another_organisation_is_not_linked(client, entra, oidc):
    """Amstelveen's tenant vouches for its own people, not for someone of Almere."""
    someone = person("anne.ambtenaar@amstelveen.example", municipality="GM0034")
    sign_in(client, oidc, "civil-servant-amstelveen")
    someone.refresh_from_db()
    assert someone.user is None


# --- refusals: nothing created --------------------------------------------------------------------


def test_a_tenant_that_is_not_connected_is_refused_by_name(client, entra, oidc):
    before = counts()
    response = sign_in(client, oidc, "civil-servant-elsewhere")
    assert refusal_code(response) == "tenant_not_connected"
    html = response.content.decode()
    assert config.ELSEWHERE in html and "elders.example" in html
    assert counts() == before
    assert client.get(MY_GROUPS).wsgi_request.user.is_anonymous


def test_a_single_tenant_provider_refuses_another_issuer(client, g40, oidc):
    IdentityProvider.objects.create(name="Amstelveen", slug="amstelveen",
                                    server_url=oidc.url(f"/{config.AMSTELVEEN}/v2.0"),
                                    client_id=config.CLIENT_ID, client_secret=config.CLIENT_SECRET)
    before = counts()
    response = sign_in(client, oidc, "civil-servant-elsewhere", slug="amstelveen")
    assert refusal_code(response) == "issuer_not_allowed"
    assert counts() == before
    # Its own tenant's people come in.
    assert sign_in(client, oidc, "civil-servant-amstelveen", slug="amstelveen").status_code == 302


@pytest.mark.parametrize(("spoil", "code"), [
    ("expired", "token_expired"),
    ("bad_signature", "signature_invalid"),
    ("tampered", "signature_invalid"),
    ("wrong_aud", "audience_not_allowed"),
    ("wrong_nonce", "nonce_mismatch"),
])
def test_a_bad_token_is_refused(client, entra, oidc, spoil, code):
    before = counts()
    response = sign_in(client, oidc, "civil-servant-amstelveen", spoil=spoil)
    assert refusal_code(response) == code
    assert counts() == before
    assert client.get(MY_GROUPS).wsgi_request.user.is_anonymous


def test_a_replayed_state_is_refused(client, entra, oidc):
    callback = callback_path(oidc.choose(start(client, oidc), "civil-servant-amstelveen"))
    assert client.get(callback).status_code == 302
    client.post("/uitloggen/")
    before = counts()
    assert refusal_code(client.get(callback)) == "state_unknown"
    assert counts() == before


def test_a_callback_from_another_browser_is_refused(client, entra, oidc):
    """The state belongs to the session that started the sign-in (login CSRF)."""
    from django.test import Client

    callback = callback_path(oidc.choose(start(client, oidc), "civil-servant-amstelveen"))
    assert refusal_code(Client().get(callback)) == "state_unknown"
    assert counts() == (0, 0, 0)


def test_a_cancelled_sign_in_creates_nothing(client, entra, oidc):
    import requests

    authorize = start(client, oidc)
    answer = requests.post(authorize, data={"cancel": "1"}, timeout=5, allow_redirects=False)
    response = client.get(callback_path(answer.headers["Location"]))
    assert response.status_code == 302
    assert counts() == (0, 0, 0)


def test_a_role_already_given_is_kept(client, entra, oidc):
    sign_in(client, oidc, "civil-servant-amstelveen")
    user = get_user_model().objects.get()
    user.groups.add(Group.objects.get_or_create(name=Role.ADMINISTRATOR)[0])
    client.post("/uitloggen/")
    person("anne.ambtenaar@amstelveen.example")
    sign_in(client, oidc, "civil-servant-amstelveen")
    assert list(user.groups.values_list("name", flat=True)) == [Role.ADMINISTRATOR]


# --- an address that an account has already ---------------------------------------------------------


def test_the_persons_existing_account_is_joined(client, entra, oidc, make_user):
    """Someone who came by invitation signs in through their organisation later: the same account."""
    user = make_user("anne", Role.CIVIL_SERVANT)
    user.email = "anne.ambtenaar@amstelveen.example"
    user.save()
    anne = person("anne.ambtenaar@amstelveen.example")
    anne.user = user
    anne.save()
    response = sign_in(client, oidc, "civil-servant-amstelveen")
    assert response.status_code == 302
    assert get_user_model().objects.count() == 1
    assert SocialAccount.objects.get().user == user
    assert client.get(MY_GROUPS).wsgi_request.user == user


@pytest.mark.parametrize("staff", [False, True])
def test_an_address_of_an_account_it_may_not_join_is_refused(client, entra, oidc, make_user, staff):
    """Not the person's account (or a back-office account): refused, nothing joined or created."""
    user = make_user("someone", Role.BUREAU if staff else None)
    user.email = "anne.ambtenaar@amstelveen.example"
    user.save()
    if staff:
        anne = person("anne.ambtenaar@amstelveen.example")
        anne.user = user
        anne.save()
    before = counts()
    assert refusal_code(sign_in(client, oidc, "civil-servant-amstelveen")) == "email_in_use"
    assert counts() == before


# --- the back office: the bureau connects providers and tenants ------------------------------------

PROVIDERS = "/admin/snippets/accounts/identityprovider/"
TENANTS = "/admin/snippets/governance/tenantlink/"


def provider_form(**changes) -> dict:
    data = {"name": "Entra", "slug": "entra", "server_url": "https://login.microsoftonline.com/organizations/v2.0",
            "client_id": "client", "client_secret": "s3cret", "multi_tenant": "on", "active": "on"}
    return {**data, **changes}


def test_the_bureau_connects_a_provider_and_its_tenants(client, g40, make_user, back_office_login):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    assert client.get(PROVIDERS).status_code == 200
    response = client.post(f"{PROVIDERS}add/", provider_form())
    assert response.status_code == 302, response.content[:3000]
    provider = IdentityProvider.objects.get(slug="entra")
    assert provider.client_secret == "s3cret" and provider.multi_tenant
    edit = client.get(f"{PROVIDERS}edit/{provider.pk}/")
    assert b"s3cret" not in edit.content  # the secret is never shown again
    client.post(f"{PROVIDERS}edit/{provider.pk}/", provider_form(name="Entra ID", client_secret=""))
    provider.refresh_from_db()
    assert (provider.name, provider.client_secret) == ("Entra ID", "s3cret")

    amstelveen = Municipality.objects.get(cbs_code="GM0362")
    response = client.post(f"{TENANTS}add/", {"provider": provider.pk, "tenant_id": config.AMSTELVEEN,
                                              "municipality": amstelveen.pk, "partner": ""})
    assert response.status_code == 302, response.content[:3000]
    assert provider.tenant_links.get().municipality == amstelveen
    listing = client.get(TENANTS)
    assert config.AMSTELVEEN in listing.content.decode() and "Amstelveen" in listing.content.decode()
    # One organisation per tenant: both or neither is refused.
    response = client.post(f"{TENANTS}add/", {"provider": provider.pk, "tenant_id": config.ELSEWHERE,
                                              "municipality": "", "partner": ""})
    assert response.status_code == 200
    assert provider.tenant_links.count() == 1


def test_only_the_bureau_sees_the_providers(client, g40, make_user, back_office_login):
    IdentityProvider.objects.create(name="Entra", slug="entra", server_url="https://example.org/v2.0",
                                    client_id="c", client_secret="s")
    client.force_login(make_user("anne", Role.CIVIL_SERVANT))
    assert client.get(PROVIDERS).status_code in {302, 403}


# --- the buttons on the sign-in page --------------------------------------------------------------


def test_the_buttons_of_the_active_providers_start_a_sign_in(client, entra, oidc, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    IdentityProvider.objects.create(name="Old provider", slug="old", server_url="https://old.example/v2.0",
                                    client_id="c", client_secret="s", active=False)
    request = rf.get("/inloggen/", {"next": "/bibliotheek/"})
    request.user = AnonymousUser()
    html = render_to_string("accounts/auth/identity_providers.html", {"next": "/bibliotheek/"}, request=request)
    assert html.count('data-testid="identity-provider"') == 1
    assert 'data-provider="entra"' in html
    assert 'action="/account/oidc/entra/login/?next=%2Fbibliotheek%2F"' in html
    assert 'method="post"' in html and "csrfmiddlewaretoken" in html
    # Pressed: the sign-in starts and comes back to ?next.
    oidc.control(redirect_uri=CALLBACK.format(slug="entra"))
    response = client.post("/account/oidc/entra/login/?next=%2Fbibliotheek%2F")
    response = client.get(callback_path(oidc.choose(response["Location"], "civil-servant-amstelveen")))
    assert response["Location"] == "/bibliotheek/"


def test_no_provider_no_buttons(db, rf):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    request = rf.get("/inloggen/")
    request.user = AnonymousUser()
    assert "identity-provider" not in render_to_string("accounts/auth/identity_providers.html", request=request)
