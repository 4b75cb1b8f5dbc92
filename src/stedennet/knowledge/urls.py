"""Knowledge exchange pages; each part keeps its own URL module."""

from django.urls import include, path

from stedennet.knowledge import urls_digests, urls_library, urls_questions

app_name = "knowledge"
urlpatterns = [
    path("", include(urls_library)),
    path("", include(urls_questions)),
    path("", include(urls_digests)),
]
