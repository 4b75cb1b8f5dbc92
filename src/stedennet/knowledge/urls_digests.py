"""Digest pages: the choice of digest and the unsubscribe link of a digest mail."""

from django.urls import path

from stedennet.knowledge import views_digests as views

urlpatterns = [
    path("mijn/samenvatting/", views.digest_settings, name="digest_settings"),
    path("samenvatting/afmelden/<str:token>/", views.digest_unsubscribe, name="digest_unsubscribe"),
]
