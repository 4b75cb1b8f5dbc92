from django.urls import path

from stedennet.site import views

urlpatterns = [
    path("gezondheid/", views.health, name="health"),
    path("leden/kaart.svg", views.member_map, name="member_map"),
]
