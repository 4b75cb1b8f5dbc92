"""The public pages of events (namespace "events"); an event's slug never takes the names of the
fixed paths (``services.RESERVED_SLUGS``)."""

from django.urls import path, re_path

from stedennet.events import feeds, views

app_name = "events"

TOKEN = r"(?P<token>[A-Za-z0-9_-]{1,64})"  # noqa: S105 (a pattern, not a secret)

urlpatterns = [
    path("evenementen/", views.event_list, name="event_list"),
    path("evenementen/archief/", views.event_archive, name="archive"),
    path("evenementen/agenda.ics", views.agenda_ical, name="agenda_ical"),
    path("evenementen/feed.atom", feeds.events_feed, name="feed"),
    re_path(rf"^evenementen/agenda/{TOKEN}\.ics$", views.my_ical, name="my_ical"),
    re_path(rf"^evenementen/inschrijving/{TOKEN}/$", views.registration, name="registration"),
    re_path(rf"^evenementen/inschrijving/{TOKEN}/afmelden/$", views.registration_cancel, name="registration_cancel"),
    re_path(rf"^evenementen/inschrijving/{TOKEN}/evenement\.ics$", views.registration_ical,
            name="registration_ical"),
    path("evenementen/<slug:slug>.ics", views.event_ical, name="event_ical"),
    path("evenementen/<slug:slug>/", views.event_detail, name="event"),
]
