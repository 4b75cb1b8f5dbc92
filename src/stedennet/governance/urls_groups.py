"""Member pages: my groups, a body's page, opting in and out, requests (sign-in: ``accounts.urls``)."""

from django.urls import path

from stedennet.governance import views_groups as views

urlpatterns = [
    path("mijn/groepen/", views.my_groups, name="my_groups"),
    # Before <slug>: "verzoeken" is not a body.
    path("organen/verzoeken/", views.requests_list, name="requests"),
    path("organen/verzoeken/<int:pk>/", views.request_decide, name="request_decide"),
    path("organen/<slug:slug>/", views.body_detail, name="body"),
    path("organen/<slug:slug>/aanmelden/", views.group_join, name="group_join"),
    path("organen/<slug:slug>/afmelden/", views.group_leave, name="group_leave"),
    path("organen/<slug:slug>/verzoek/", views.group_request, name="group_request"),
]
