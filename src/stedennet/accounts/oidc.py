"""OpenID Connect with the municipality's own account (scaffolding: filled in by the OIDC work)."""

from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.openid_connect.provider import OpenIDConnectProvider


class MunicipalOIDCProvider(OpenIDConnectProvider):
    pass




class SocialAccountAdapter(DefaultSocialAccountAdapter):
    pass
