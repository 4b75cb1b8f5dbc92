"""The alert choice of a signed-in person."""

from django.urls import path

from stedennet.advocacy import views_alerts

app_name = "advocacy_alerts"
urlpatterns = [
    path("mijn/lobby-meldingen/", views_alerts.alert_settings, name="settings"),
]
