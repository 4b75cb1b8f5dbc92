"""The site's sign-in pages (Dutch paths): sign in, sign out, accept an invitation."""

from django.urls import path

from stedennet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("inloggen/", views.sign_in, name="login"),
    path("uitloggen/", views.sign_out, name="logout"),
    path("uitnodiging/<str:token>/", views.invitation, name="invitation"),
]
