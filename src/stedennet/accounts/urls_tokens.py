"""My API tokens: ``/mijn/api-tokens/`` (list and make) and ``/mijn/api-tokens/<pk>/intrekken/`` (revoke)."""

from django.urls import path

from stedennet.accounts import views_tokens

app_name = "api_tokens"
urlpatterns = [
    path("mijn/api-tokens/", views_tokens.token_list, name="list"),
    path("mijn/api-tokens/<int:pk>/intrekken/", views_tokens.token_revoke_view, name="revoke"),
]
