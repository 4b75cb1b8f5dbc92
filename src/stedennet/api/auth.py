"""Who is asking: a personal API token (``Authorization: Bearer …``), or nobody.

Tokens are Wagtail's ``APIToken`` (only an HMAC of the token is stored; made and revoked by their
owner on ``/mijn/api-tokens/``). Unlike Wagtail's ``BearerTokenAuth`` + ``AllowAnonymous``, a
token that is sent but unknown, revoked or of an inactive account is refused with 401, never
served as anonymous. Without the header the request is anonymous, whatever session cookie it
carries: the API never acts on a browser session (no CSRF to worry about, and what a program sees
does not depend on who happens to be signed in in the same browser).
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security.http import HttpAuthBase
from wagtail.models import APIToken

ANONYMOUS = "anonymous"
LAST_USED_INTERVAL_SECONDS = 60


class TokenOrAnonymous(HttpAuthBase):
    """ninja's auth callback: the ``APIToken``, or ``ANONYMOUS`` (both truthy: ninja goes on);
    a bad token raises ``AuthenticationError`` (401 problem)."""

    openapi_type = "http"
    openapi_scheme = "bearer"

    def __call__(self, request: HttpRequest):
        request.user = AnonymousUser()
        header = request.headers.get("Authorization")
        if header is None:
            return ANONYMOUS
        scheme, _space, token = header.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthenticationError()
        api_token = None
        if APIToken.validate_token_format(token):
            api_token = (APIToken.objects.select_related("user")
                         .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
                         .first())
        if api_token is None or not api_token.user.is_active:
            raise AuthenticationError()
        request.user = api_token.user
        _touch(api_token)
        return api_token


def _touch(api_token: APIToken) -> None:
    interval = getattr(settings, "WAGTAILAPI_TOKEN_LAST_USED_INTERVAL", LAST_USED_INTERVAL_SECONDS)
    now = timezone.now()
    if interval is not None and (api_token.last_used_at is None
                                 or (now - api_token.last_used_at).total_seconds() >= interval):
        APIToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
