"""The addresses of sign-in through a provider, included by allauth (``MunicipalOIDCProvider.package``)
under ``/account/``: ``oidc/<slug>/login/`` and ``oidc/<slug>/login/callback/`` (the redirect
address to register at the provider). Names and prefix are allauth's own, so its links find them."""

from allauth.socialaccount import app_settings
from django.urls import include, path

from stedennet.accounts.oidc import views

urlpatterns = [
    path("<str:provider_id>/", include([
        path("login/", views.login, name="openid_connect_login"),
        path("login/callback/", views.callback, name="openid_connect_callback"),
    ])),
]

if app_settings.OPENID_CONNECT_URL_PREFIX:
    urlpatterns = [path(f"{app_settings.OPENID_CONNECT_URL_PREFIX}/", include(urlpatterns))]
