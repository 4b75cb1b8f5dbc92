"""Lockout after repeated failed sign-ins (scaffolding: filled in by the lockout work)."""

from django.http import HttpResponse


def username_of(request, credentials) -> str | None:
    credentials = credentials or {}
    value = credentials.get("username") or credentials.get("login") or credentials.get("email")
    return value.casefold() if value else None


def locked_out(request, credentials, *args, **kwargs):
    return HttpResponse(status=429)
