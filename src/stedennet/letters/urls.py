"""The public pages of the member letter (namespace "letters")."""

from django.urls import path, re_path

from stedennet.letters import views

app_name = "letters"
urlpatterns = [
    path("ledenbrieven/", views.archive, name="archive"),
    path("ledenbrieven/feed.atom", views.feed, name="feed"),
    path("ledenbrieven/aanmelden/", views.subscribe, name="subscribe"),
    path("ledenbrieven/aanmelden/verstuurd/", views.subscribe_sent, name="subscribe_sent"),
    path("ledenbrieven/aanmelden/<str:token>/", views.confirm, name="confirm"),
    path("ledenbrieven/afmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
    re_path(r"^ledenbrieven/(?P<year>[0-9]{4})/(?P<number>[0-9]{3})/$", views.letter, name="letter"),
]
