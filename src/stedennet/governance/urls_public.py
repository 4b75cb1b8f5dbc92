"""Public governance pages: the pillars and the strategic agenda."""

from django.urls import path

from stedennet.governance import views_public

urlpatterns = [
    path("pijlers/", views_public.pillar_list, name="pillar_list"),
    path("pijlers/<slug:slug>/", views_public.pillar, name="pillar"),
    path("strategische-agenda/", views_public.strategic_agenda, name="strategic_agenda"),
]
