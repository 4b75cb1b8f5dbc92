"""The start and the callback of a sign-in through a provider: allauth's views, with our adapter
(``MunicipalOIDCAdapter``: the ID token checked as ``id_token_verify`` says). Anyone may start a
sign-in; the start is a POST (``SOCIALACCOUNT_LOGIN_ON_GET`` is off: a GET shows the button)."""

from allauth.account.internal.decorators import login_not_required
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from django.http import Http404, HttpRequest, HttpResponse

from stedennet.accounts.oidc import MunicipalOIDCAdapter
from stedennet.web.access import public


@public
@login_not_required
def login(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2LoginView.adapter_view(MunicipalOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@public
@login_not_required
def callback(request: HttpRequest, provider_id: str) -> HttpResponse:
    try:
        return OAuth2CallbackView.adapter_view(MunicipalOIDCAdapter(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
