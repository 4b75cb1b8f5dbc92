from django.urls import path

from stedennet.registry import views

app_name = "registry"
urlpatterns = [
    path("partners/", views.partner_list, name="partner_list"),
    path("thema.css", views.theme_css, name="theme_css"),
    path("favicon.svg", views.favicon_svg, name="favicon_svg"),
    path("favicon.ico", views.favicon_ico, name="favicon_ico"),
    path("netwerk/logo", views.network_logo, name="network_logo"),
]
