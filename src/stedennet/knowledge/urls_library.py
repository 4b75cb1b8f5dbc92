"""The library (namespace "knowledge")."""

from django.urls import path

from stedennet.knowledge import views_library as views

urlpatterns = [
    path("bibliotheek/", views.library_list, name="library"),
    path("bibliotheek/nieuw/", views.library_create, name="library_create"),
    path("bibliotheek/<int:pk>/", views.library_item, name="item"),
    path("bibliotheek/<int:pk>/bestanden/<int:file_pk>/", views.library_file, name="item_file"),
]
