"""Search: one box over everything the viewer may see."""

from django.urls import path

from stedennet.search import views

app_name = "search"
urlpatterns = [
    path("zoeken/", views.search, name="search"),
]
