"""OpenID Connect with the municipality's own account (scaffolding: filled in by the OIDC work)."""

from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider


class MunicipalOIDCProvider(OpenIDConnectProvider):
    pass


