"""The library and what is shared with partners (namespace "knowledge")."""

from django.urls import path

from stedennet.knowledge import views_library as views
from stedennet.knowledge import views_shared

urlpatterns = [
    path("bibliotheek/", views.library_list, name="library"),
    path("bibliotheek/nieuw/", views.library_create, name="library_create"),
    path("bibliotheek/<int:pk>/", views.library_item, name="item"),
    path("bibliotheek/<int:pk>/bestanden/<int:file_pk>/", views.library_file, name="item_file"),
    path("gedeeld/", views_shared.shared, name="shared"),
]
