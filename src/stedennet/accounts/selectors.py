"""Reads of the accounts app."""

from wagtail.models import APIToken


def tokens_of(user):
    """``user``'s personal API tokens (Wagtail's ``APIToken``), active ones first, then the newest."""
    return APIToken.objects.filter(user=user).order_by("revoked_at", "-created", "-pk")
