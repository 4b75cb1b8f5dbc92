"""The public pillar pages and the strategic agenda (namespace "programmes"). The addresses are
those they had under governance."""

from django.urls import path

from stedennet.programmes import views

app_name = "programmes"
urlpatterns = [
    path("pijlers/", views.pillar_list, name="pillar_list"),
    path("pijlers/<slug:slug>/", views.pillar, name="pillar"),
    path("strategische-agenda/", views.strategic_agenda, name="strategic_agenda"),
]
