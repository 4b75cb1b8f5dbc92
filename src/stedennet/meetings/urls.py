"""Meetings of bodies and their calendar feeds (namespace "meetings"). The addresses are those
they had under governance."""

from django.urls import path, re_path

from stedennet.meetings import views

app_name = "meetings"
urlpatterns = [
    path("vergaderingen/<int:pk>/", views.meeting_detail, name="meeting"),
    path("vergaderingen/<int:pk>/verslag/", views.meeting_record, name="meeting_record"),
    path("vergaderingen/<int:pk>/documenten/nieuw/", views.meeting_document_upload, name="meeting_document_upload"),
    path("vergaderingen/<int:pk>/documenten/<int:document_pk>/", views.meeting_document, name="meeting_document"),
    path("organen/<slug:slug>/vergaderingen/nieuw/", views.meeting_create, name="meeting_create"),
    path("organen/<slug:slug>/archief/", views.body_archive, name="body_archive"),
    path("organen/<slug:slug>/vergaderingen.ics", views.body_ical, name="body_ical"),
    re_path(r"^mijn/vergaderingen/(?P<token>[A-Za-z0-9_-]{1,64})\.ics$", views.my_ical, name="my_ical"),
]
