from django.urls import path

from stedennet.membership import views, views_exports

app_name = "membership"
urlpatterns = [
    path("leden/", views.member_list, name="member_list"),
    path("leden/leden.csv", views_exports.member_list_csv, name="member_list_csv"),
    path("leden/<slug:slug>/", views.member_detail, name="member_detail"),
    path("leden/<slug:slug>/inwoners.csv", views_exports.population_series_csv, name="population_csv"),
]
