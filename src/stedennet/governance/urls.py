"""Governance pages; each part keeps its own URL module."""

from django.urls import include, path

from stedennet.governance import urls_groups, urls_meetings, urls_public

app_name = "governance"
urlpatterns = [
    path("", include(urls_public)),
    path("", include(urls_meetings)),
    path("", include(urls_groups)),
]
