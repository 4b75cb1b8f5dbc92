"""Search: one box over everything the viewer may see."""

from django.urls import path

from stedennet.knowledge import views_search

urlpatterns = [
    path("zoeken/", views_search.search, name="search"),
]
