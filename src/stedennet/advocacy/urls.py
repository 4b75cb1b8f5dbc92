"""The public lobby pages (namespace "advocacy")."""

from django.urls import path

from stedennet.advocacy import feeds, views

app_name = "advocacy"
urlpatterns = [
    path("lobby/", views.dossier_list, name="dossier_list"),
    path("lobby/brieven.atom", views.letters_feed, name="letters_feed"),
    path("lobby/feed.atom", feeds.dossiers_feed, name="dossiers_feed"),
    path("lobby/<slug:slug>/", views.dossier, name="dossier"),
    path("lobby/<slug:slug>/documenten/<int:pk>/", views.intervention_document, name="document"),
    path("lobby/<slug:slug>/documenten/bewijs/<int:pk>/", views.intervention_evidence, name="evidence"),
]
