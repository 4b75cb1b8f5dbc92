"""Who may see a view. Every view of ours declares it with one of these decorators; the
middleware below refuses to serve a view of ours that declares nothing (deny unless allowed).

The Wagtail and Django back offices keep their own permission checks and are not ours.
"""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

ACCESS_ATTRIBUTE = "access_policy"
PUBLIC = "public"


def public(view: Callable) -> Callable:
    """Anyone, signed in or not."""
    setattr(view, ACCESS_ATTRIBUTE, PUBLIC)
    return view


class AccessPolicyMiddleware:
    """Deny any view in the ``stedennet`` package that does not declare who may see it."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs) -> None:
        module = getattr(view_func, "__module__", "") or ""
        if module.startswith("stedennet.") and not hasattr(view_func, ACCESS_ATTRIBUTE):
            raise PermissionDenied(f"{module}.{view_func.__name__} declares no access policy")
