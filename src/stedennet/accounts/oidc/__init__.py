"""Sign-in with the organisation's own account: OpenID Connect through django-allauth.

The bureau connects providers in the back office (``models.IdentityProvider``: issuer, client
id, secret, multi-tenant or not); ``SocialAccountAdapter.list_apps`` gives allauth an unsaved
``SocialApp`` per active one, so no ``SocialApp`` rows and no ``django.contrib.sites``.

The flow (``POST /account/oidc/<slug>/login/`` → the provider → ``…/login/callback/``):

1. ``MunicipalOIDCProvider.redirect``: allauth's state (single use, bound to the session) and
   PKCE, plus a fresh ``nonce`` sent to the provider and kept in that state.
2. The callback (``views.callback``, allauth's view with ``MunicipalOIDCAdapter``): the code is
   exchanged; ``id_token_verify`` always verifies the ID token's signature against the
   provider's JWKS (allauth skips it for tokens from the token endpoint), its audience, expiry and
   issuer. A multi-tenant provider (Entra's ``/organizations/v2.0``, whose discovery publishes
   the issuer as ``…/{tenantid}/v2.0``) lets in only tenants that a higher app connects
   (``sso.tenant_find``); the expected issuer is the template with the token's ``tid``. All of
   this happens before allauth looks up or creates anything, so a refusal leaves nothing behind.
3. ``SocialAccountAdapter.pre_social_login``: the token's nonce must be the one sent.
4. allauth signs the person in (a new account has no role); ``sso.sso_signed_in`` tells the
   apps above (governance links the account to the person with that verified e-mail address).

A refusal is a ``SignInRefused`` (a ``Refused`` and allauth's ``OAuth2Error``) with a code; the
page ``socialaccount/authentication_error.html`` shows it (``data-code``), also for allauth's
own failures (``state_unknown``: a replayed or expired state; ``provider_error`` …).
"""

import logging
import secrets
import uuid

import jwt
import requests
from allauth.account.models import EmailAddress
from allauth.account.signals import user_logged_in
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.internal import jwtkit
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.base.constants import AuthError
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from stedennet.accounts import sso
from stedennet.accounts.models import IdentityProvider
from stedennet.web.refusals import Refused

logger = logging.getLogger(__name__)

PROVIDER = "openid_connect"  # allauth's provider; each IdentityProvider is an app of it (its slug the provider id)
TENANT_PLACEHOLDER = "{tenantid}"
# Asymmetric algorithms only: never "none", never a shared secret the token could name itself.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")
LEEWAY_SECONDS = 60  # clock skew between us and the provider
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat"]

# Refusal codes (the page shows them as data-code; the tests assert them).
TENANT_NOT_CONNECTED = "tenant_not_connected"
ISSUER_NOT_ALLOWED = "issuer_not_allowed"
TOKEN_EXPIRED = "token_expired"  # noqa: S105 (a code, not a secret)
SIGNATURE_INVALID = "signature_invalid"
AUDIENCE_NOT_ALLOWED = "audience_not_allowed"
TOKEN_INVALID = "token_invalid"  # noqa: S105
NONCE_MISMATCH = "nonce_mismatch"
STATE_UNKNOWN = "state_unknown"  # allauth found no state: replayed, expired or from another browser
PROVIDER_ERROR = "provider_error"  # the provider answered with an error (or no code)
PROVIDER_UNREACHABLE = "provider_unreachable"
TOKEN_REFUSED = "token_refused"  # noqa: S105 (the token endpoint refused the code)
EMAIL_IN_USE = "email_in_use"  # a first sign-in with the address of an account it may not join


class SignInRefused(Refused, OAuth2Error):
    """A sign-in through a provider refused by our rules; ``tenant_id``/``issuer`` name what came."""

    default_code = TOKEN_INVALID

    def __init__(self, message, code: str, *, tenant_id: str = "", issuer: str = "", email: str = ""):
        super().__init__(message, code)
        self.tenant_id = tenant_id
        self.issuer = issuer
        self.email = email


def identity_provider_of(app: SocialApp) -> IdentityProvider | None:
    """The ``IdentityProvider`` an (unsaved) app was made from."""
    pk = (app.settings or {}).get("identity_provider")
    return IdentityProvider.objects.filter(pk=pk).first() if pk else None


def _signing_key(header: dict, jwks_uri: str):
    """The provider's published key that the token's header names (``kid``)."""
    kid = header.get("kid")
    with DefaultSocialAccountAdapter().get_requests_session() as session:
        response = session.get(jwks_uri)
        response.raise_for_status()
        keys = response.json()
    published = keys.get("keys") if isinstance(keys, dict) else None
    if not isinstance(published, list):
        raise SignInRefused(_("The provider publishes no signing keys."), SIGNATURE_INVALID)
    if kid is None and len(published) == 1:
        kid = published[0].get("kid")
    try:
        key = jwtkit.lookup_kid_jwk({"keys": published}, kid) if kid is not None else None
    except (jwt.PyJWTError, KeyError, ValueError, OAuth2Error):
        key = None
    if key is None:
        raise SignInRefused(_("The provider's token was signed with a key it does not publish."), SIGNATURE_INVALID)
    return key


def id_token_verify(token: str, *, openid_config: dict, client_id: str, provider: IdentityProvider | None) -> dict:
    """The claims of an ID token, once its signature (JWKS), audience, expiry, tenant and issuer
    are all as they must be; else ``SignInRefused`` with the reason's code."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        raise SignInRefused(_("The provider's token could not be read."), TOKEN_INVALID) from error
    allowed = set(openid_config.get("id_token_signing_alg_values_supported") or ["RS256"]) & set(ALGORITHMS)
    algorithm = header.get("alg")
    if algorithm not in allowed:
        raise SignInRefused(_("The provider's token is not signed as it must be."), SIGNATURE_INVALID)
    key = _signing_key(header, openid_config["jwks_uri"])
    try:
        claims = jwt.decode(
            token, key=key, algorithms=[algorithm], audience=client_id, leeway=LEEWAY_SECONDS,
            options={"verify_signature": True, "verify_aud": True, "verify_exp": True, "verify_iat": True,
                     "verify_nbf": True, "verify_iss": False,  # checked below, per tenant
                     "require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as error:
        raise SignInRefused(_("The provider's token has expired. Please sign in again."), TOKEN_EXPIRED) from error
    except jwt.InvalidSignatureError as error:
        raise SignInRefused(_("The provider's token is not signed by the provider."), SIGNATURE_INVALID) from error
    except jwt.InvalidAudienceError as error:
        raise SignInRefused(_("The provider's token was not made for this site."), AUDIENCE_NOT_ALLOWED) from error
    except jwt.PyJWTError as error:
        raise SignInRefused(_("The provider's token could not be accepted."), TOKEN_INVALID) from error

    issuer_template = openid_config.get("issuer", "")
    multi_tenant = TENANT_PLACEHOLDER in issuer_template or bool(provider and provider.multi_tenant)
    tenant_id = str(claims.get("tid") or "")
    email = str(claims.get("email") or "")
    if multi_tenant:
        try:
            tenant_id = str(uuid.UUID(tenant_id))
        except ValueError:
            raise SignInRefused(_("The provider's token names no organisation (tenant)."), TENANT_NOT_CONNECTED,
                                email=email) from None
        if provider is None or sso.tenant_find(provider, tenant_id) is None:
            raise SignInRefused(_("Your organisation is not connected to this network."), TENANT_NOT_CONNECTED,
                                tenant_id=tenant_id, email=email)
    expected = issuer_template.replace(TENANT_PLACEHOLDER, tenant_id) if TENANT_PLACEHOLDER in issuer_template \
        else issuer_template
    if not expected or claims.get("iss") != expected:
        raise SignInRefused(_("The provider's token comes from an issuer this sign-in does not accept."),
                            ISSUER_NOT_ALLOWED, tenant_id=tenant_id, issuer=str(claims.get("iss", "")), email=email)
    try:
        jwtkit.verify_jti(claims)  # a token with a jti is accepted once
    except OAuth2Error as error:
        raise SignInRefused(_("The provider's token was used before."), TOKEN_INVALID) from error
    return claims


def email_is_verified(claims: dict) -> bool:
    """Whether the provider vouches for the e-mail address: ``email_verified``, or for Microsoft
    Entra ``xms_edov`` (the domain is the tenant's own). Entra's ``email`` alone can be typed by a
    tenant's administrator: never trust it for linking (the "nOAuth" takeover)."""
    return parse_bool_safely(claims.get("email_verified")) or parse_bool_safely(claims.get("xms_edov"))


class MunicipalOIDCAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter with our ID token check (always the signature, per tenant)."""

    def _decode_id_token(self, app: SocialApp, id_token: str) -> dict:
        return id_token_verify(id_token, openid_config=self.openid_config, client_id=app.client_id,
                               provider=identity_provider_of(app))


class MunicipalOIDCProvider(OpenIDConnectProvider):
    """allauth's OpenID Connect provider with a nonce, our adapter and our address patterns
    (``package``: allauth includes ``stedennet.accounts.oidc.urls`` at ``/account/oidc/``)."""

    package = "stedennet.accounts.oidc"
    oauth2_adapter_class = MunicipalOIDCAdapter

    def redirect(self, request, process, next_url=None, data=None, **kwargs):
        nonce = secrets.token_urlsafe(32)
        auth_params = kwargs.pop("auth_params", None)
        auth_params = {**(self.get_auth_params() if auth_params is None else auth_params), "nonce": nonce}
        # The nonce is stashed with allauth's state: single use, bound to this session.
        return super().redirect(request, process, next_url, data, auth_params=auth_params, nonce=nonce, **kwargs)

    def extract_email_addresses(self, data):
        addresses = super().extract_email_addresses(data)
        claims = data.get("id_token") or {}
        for address in addresses:
            address.verified = email_is_verified(claims)
        return addresses

    def verify_token(self, request, token):
        """A token handed to us directly (allauth's headless token sign-in): the same checks."""
        id_token = token.get("id_token")
        if not id_token:
            raise SignInRefused(_("No ID token."), TOKEN_INVALID)
        adapter = self.get_oauth2_adapter(request)
        claims = id_token_verify(id_token, openid_config=adapter.openid_config, client_id=self.app.client_id,
                                 provider=identity_provider_of(self.app))
        return self.sociallogin_from_response(request, {"id_token": claims})


def refusal_of(error, exception, extra_context: dict) -> dict:
    """What the error page says: a code, and the tenant, issuer and address it concerns."""
    if isinstance(exception, SignInRefused):
        return {"code": exception.code, "tenant_id": exception.tenant_id, "issuer": exception.issuer,
                "domain": exception.email.rpartition("@")[2], "message": str(exception)}
    if exception is None and "state_id" in extra_context:
        code = STATE_UNKNOWN
    elif isinstance(exception, requests.RequestException):
        code = PROVIDER_UNREACHABLE
    elif isinstance(exception, OAuth2Error):
        code = TOKEN_REFUSED
    elif isinstance(exception, PermissionDenied) or error == AuthError.DENIED:
        code = "permission_denied"
    else:
        code = PROVIDER_ERROR
    return {"code": code, "tenant_id": "", "issuer": "", "domain": "", "message": ""}


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """The network's rules for signing in through an organisation's provider."""

    def list_apps(self, request, provider=None, client_id=None) -> list[SocialApp]:
        """One unsaved ``SocialApp`` per active ``IdentityProvider`` (``provider``: allauth's
        provider or one provider id, i.e. slug)."""
        providers = IdentityProvider.objects.filter(active=True)
        if provider and provider != PROVIDER:
            providers = providers.filter(slug=provider)
        if client_id:
            providers = providers.filter(client_id=client_id)
        return [
            SocialApp(provider=PROVIDER, provider_id=idp.slug, name=idp.name, client_id=idp.client_id,
                      secret=idp.client_secret,
                      settings={"server_url": idp.server_url, "identity_provider": idp.pk,
                                # Everything comes from the verified ID token (Entra's userinfo is
                                # Microsoft Graph's and has no tenant).
                                "fetch_userinfo": False, "uid_field": "sub"})
            for idp in providers
        ]

    def is_open_for_signup(self, request, sociallogin) -> bool:
        """Someone of a connected organisation gets an account (with no role until the bureau
        gives one, or governance finds their person); no one else signs up."""
        return sociallogin.account.provider in {app.provider_id for app in self.list_apps(request)}

    def pre_social_login(self, request, sociallogin) -> None:
        """The ID token must carry the nonce this browser's sign-in sent (a token replayed into
        another sign-in carries another)."""
        sent = (sociallogin.state or {}).get("nonce")
        received = (sociallogin.account.extra_data or {}).get("id_token", {}).get("nonce")
        if not sent or not isinstance(received, str) or not secrets.compare_digest(sent, received):
            raise SignInRefused(_("The provider's answer does not belong to this sign-in. Please sign in again."),
                                NONCE_MISMATCH)
        if not sociallogin.is_existing:
            self._join_existing_account(request, sociallogin)

    def _join_existing_account(self, request, sociallogin) -> None:
        """A first sign-in whose address an account has already: it joins that account when an app
        above vouches for it (``sso.account_find``: the person's own, in the tenant's organisation,
        the address verified by the provider); otherwise refused, as allauth would show a sign-up
        form (or a "verification sent" page) for an address taken."""
        claims = (sociallogin.account.extra_data or {}).get("id_token") or {}
        email = str(claims.get("email") or "")
        if not email:
            return
        existing = get_user_model().objects.filter(email__iexact=email).first()
        if existing is None:
            address = EmailAddress.objects.filter(email__iexact=email).select_related("user").first()
            existing = address.user if address is not None else None
        if existing is None:
            return
        provider = IdentityProvider.objects.filter(slug=sociallogin.account.provider).first()
        tenant_id = str(claims.get("tid") or "")
        tenant = sso.tenant_find(provider, tenant_id) if provider is not None and tenant_id else None
        user = sso.account_find(provider, tenant, email) if email_is_verified(claims) and tenant is not None else None
        if user is None or user.pk != existing.pk:
            raise SignInRefused(_("An account with this e-mail address exists already. Sign in with it, or ask the "
                                  "network bureau to connect it to your organisation's sign-in."), EMAIL_IN_USE,
                                email=email)
        sociallogin.connect(request, user)
        # The provider vouches for the address (checked above): confirmed, as a sign-up would have it.
        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if address is None:
            EmailAddress.objects.create(user=user, email=email, verified=True,
                                        primary=not EmailAddress.objects.filter(user=user, primary=True).exists())
        elif not address.verified:
            address.verified = True
            address.save(update_fields=["verified"])

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        refusal = refusal_of(error, exception, extra_context if extra_context is not None else {})
        if extra_context is not None:
            extra_context["refusal"] = refusal
        logger.warning("sign-in through %s refused: %s %s", getattr(provider, "sub_id", provider),
                       refusal["code"], refusal["tenant_id"] or refusal["issuer"])


@receiver(user_logged_in, dispatch_uid="stedennet.accounts.oidc.signed_in")
def _signed_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    """After a sign-in through one of our providers: ``sso.sso_signed_in`` for the apps above."""
    if sociallogin is None:
        return
    provider = IdentityProvider.objects.filter(slug=sociallogin.account.provider).first()
    if provider is None:
        return
    claims = (sociallogin.account.extra_data or {}).get("id_token") or {}
    tenant_id = str(claims.get("tid") or "")
    sso.sso_signed_in.send(
        sender=IdentityProvider, provider=provider, request=request, user=user, claims=claims,
        email=str(claims.get("email") or ""), email_verified=email_is_verified(claims),
        tenant=sso.tenant_find(provider, tenant_id) if tenant_id else None,
    )
