"""Governance pages (the member part: my groups, a body's page, theme groups, requests). The
meetings of bodies have their own app (``stedennet.meetings``), as have the pillars' public
pages (``stedennet.programmes``)."""

from django.urls import include, path

from stedennet.governance import urls_groups, urls_profile

app_name = "governance"
urlpatterns = [
    path("", include(urls_groups)),
    path("", include(urls_profile)),
]
