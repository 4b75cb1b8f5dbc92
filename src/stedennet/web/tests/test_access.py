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
