"""Every view of ours declares who may see it, and undeclared views are refused."""

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from stedennet.web.access import ACCESS_ATTRIBUTE, AccessPolicyMiddleware


def our_views(patterns=None, prefix=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from our_views(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.callback.__module__.startswith("stedennet."):
            yield prefix + str(entry.pattern), entry.callback


def test_there_are_views_to_check():
    assert len(list(our_views())) >= 4


@pytest.mark.parametrize(("route", "view"), list(our_views()))
def test_every_view_declares_its_access(route, view):
    assert hasattr(view, ACCESS_ATTRIBUTE), f"{route} ({view.__module__}.{view.__name__}) declares no access policy"


def test_an_undeclared_view_is_refused():
    def secret(request):
        return HttpResponse("secret")

    secret.__module__ = "stedennet.somewhere.views"
    middleware = AccessPolicyMiddleware(lambda request: HttpResponse())
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        middleware.process_view(RequestFactory().get("/"), secret, (), {})


def test_security_headers_on_public_pages(g40, client):
    response = client.get("/leden/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_health(db, client):
    assert client.get("/gezondheid/").json() == {"status": "ok"}


def test_post_to_a_read_only_page_is_refused(g40, client):
    assert client.post("/leden/").status_code == 405


# --- the one decorator factory -------------------------------------------------------------

def _ok(request, **kwargs):
    return HttpResponse("ok")


def _request(user):
    request = RequestFactory().get("/geheim/?x=1")
    request.user = user
    return request


def test_access_sends_anonymous_visitors_to_sign_in_and_back(settings):
    from django.contrib.auth.models import AnonymousUser

    from stedennet.web.access import access

    settings.LOGIN_URL = "/aanmelden/"
    view = access("bureau", lambda user: True)(_ok)
    response = view(_request(AnonymousUser()))
    assert response.status_code == 302
    assert response["Location"] == "/aanmelden/?next=/geheim/%3Fx%3D1"
    assert getattr(view, ACCESS_ATTRIBUTE) == "bureau"

    back_to = access("bureau", lambda user: True, next_url=lambda slug: f"/organen/{slug}/")(_ok)
    assert back_to(_request(AnonymousUser()), slug="raad")["Location"] == "/aanmelden/?next=/organen/raad/"


def test_access_refuses_signed_in_users_it_does_not_allow(db, django_user_model):
    from django.core.exceptions import PermissionDenied

    from stedennet.web.access import access

    user = django_user_model.objects.create_user("lid", password="x")
    allowed = access("staff", lambda u: u.is_staff)(_ok)
    with pytest.raises(PermissionDenied):
        allowed(_request(user))
    user.is_staff = True
    assert allowed(_request(user)).content == b"ok"

    own_refusal = access("staff", lambda u: False, denied=lambda request: HttpResponse(status=418))(_ok)
    assert own_refusal(_request(user)).status_code == 418


def test_a_view_that_checks_itself_only_declares_its_policy():
    from django.contrib.auth.models import AnonymousUser

    from stedennet.web.access import access, public

    feed = access("calendar token", sign_in=False)(_ok)
    assert feed is _ok and getattr(feed, ACCESS_ATTRIBUTE) == "calendar token"
    assert getattr(public(lambda request: None), ACCESS_ATTRIBUTE) == "public"
    assert feed(_request(AnonymousUser())).content == b"ok"
