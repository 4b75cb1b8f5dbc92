from django.conf import settings
from django.urls import path

from stedennet.site import views

urlpatterns = [
    path("gezondheid/", views.health, name="health"),
    path("leden/kaart.svg", views.member_map, name="member_map"),
    path("nieuws/feed.atom", views.news_feed, name="news_feed"),
]

if settings.MEDIA_URL.startswith("/"):  # local media storage: its image renditions through the site
    urlpatterns.append(path(f"{settings.MEDIA_URL.lstrip('/')}images/<str:name>", views.image_rendition,
                            name="image_rendition"))
