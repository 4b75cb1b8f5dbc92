from django.urls import path

from stedennet.registry import views

app_name = "registry"
urlpatterns = [
    path("leden/", views.member_list, name="member_list"),
    path("leden/<slug:slug>/", views.member_detail, name="member_detail"),
    path("partners/", views.partner_list, name="partner_list"),
]
