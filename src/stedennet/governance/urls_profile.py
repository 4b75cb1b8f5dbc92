"""The person's own pages: the profile and their data (download included)."""

from django.urls import path

from stedennet.governance import views_privacy, views_profile

urlpatterns = [
    path("mijn/profiel/", views_profile.profile, name="profile"),
    path("mijn/gegevens/", views_privacy.my_data, name="my_data"),
    path("mijn/gegevens.json", views_privacy.my_data_json, name="my_data_json"),
]
