"""Who may see a view. Every view of ours declares it with a decorator made by :func:`access`
(or :data:`public`); the middleware below refuses to serve a view of ours that declares nothing
(deny unless allowed).

The Wagtail and Django back offices keep their own permission checks and are not ours.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import resolve_url

ACCESS_ATTRIBUTE = "access_policy"
PUBLIC = "public"


def access(policy: str, allowed: Callable[..., bool] | None = None, *, sign_in: bool = True,
           next_url: Callable[..., str] | None = None,
           denied: Callable[[HttpRequest], HttpResponse] | None = None) -> Callable[[Callable], Callable]:
    """The one decorator factory for who may see a view.

    - ``policy``: what the view declares (shown by the access-matrix tests and the middleware);
    - ``sign_in``: anonymous visitors are sent to ``settings.LOGIN_URL`` and come back to
      ``next_url(**view_kwargs)`` or to this page; without it the view itself decides
      (public pages, calendar feeds with a token);
    - ``allowed(user)``: signed-in users for whom it is false get ``denied(request)`` or 403.
    """

    def decorator(view: Callable) -> Callable:
        if not sign_in and allowed is None:
            setattr(view, ACCESS_ATTRIBUTE, policy)
            return view

        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if sign_in and not user.is_authenticated:
                target = next_url(**kwargs) if next_url else request.get_full_path()
                return redirect_to_login(target, login_url=resolve_url(settings.LOGIN_URL))
            if allowed is not None and not allowed(user):
                if denied is not None:
                    return denied(request)
                raise PermissionDenied
            return view(request, *args, **kwargs)

        setattr(wrapped, ACCESS_ATTRIBUTE, policy)
        return wrapped

    return decorator


public = access(PUBLIC, sign_in=False)
public.__doc__ = "Anyone, signed in or not."


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
