"""Errors of the API as RFC 9457 problem details (``application/problem+json``).

Every refusal of the API is a :class:`Problem` with ``status``, ``title``, ``detail`` and, for bad
input, ``invalidParams`` naming each parameter (as the VNG and Open Zaak APIs do). Input that does
not validate is 400, never ninja's 422. :func:`problem_response` writes one; the handlers
registered by :func:`register_handlers` turn ninja's and Django's exceptions into one; the
middleware (``api.middleware``) rewrites whatever else leaves /api/ as an error without one
(Django's 404 and 405, CSRF refusals, a server error).
"""

import json
from http import HTTPStatus

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

PROBLEM_JSON = "application/problem+json"
ABOUT_BLANK = "about:blank"


class InvalidParam(Schema):
    """One parameter that was refused: its name as sent, a stable code and the reason."""

    name: str
    code: str
    reason: str


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str = ABOUT_BLANK
    title: str
    status: int
    detail: str
    instance: str | None = None
    invalidParams: list[InvalidParam] | None = None  # the wire name, as in the NL API strategy


class ProblemError(HttpError):
    """Raised by an operation to answer with a problem (``invalid_params``: ``(name, code, reason)``)."""

    def __init__(self, status: int, detail: str, *, invalid_params: list[tuple[str, str, str]] | None = None,
                 title: str | None = None) -> None:
        super().__init__(status, detail)
        self.detail = detail
        self.title = title
        self.invalid_params = invalid_params or []


class InvalidInput(ProblemError):
    """400 for one or more parameters."""

    def __init__(self, invalid_params: list[tuple[str, str, str]], detail: str = "") -> None:
        names = ", ".join(name for name, _code, _reason in invalid_params)
        super().__init__(400, detail or f"Invalid parameter: {names}.", invalid_params=invalid_params)


def instance_of(request: HttpRequest) -> str:
    """The request's path as a URI reference (non-ASCII percent-encoded)."""
    return escape_uri_path(request.path)


def status_title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_body(status: int, detail: str, *, title: str | None = None, instance: str | None = None,
                 invalid_params: list[tuple[str, str, str]] | None = None) -> dict:
    body = {"type": ABOUT_BLANK, "title": title or status_title(status), "status": status, "detail": detail}
    if instance:
        body["instance"] = instance
    if invalid_params:
        body["invalidParams"] = [{"name": name, "code": code, "reason": reason}
                                 for name, code, reason in invalid_params]
    return body


def problem_response(status: int, detail: str, *, title: str | None = None, instance: str | None = None,
                     invalid_params: list[tuple[str, str, str]] | None = None) -> HttpResponse:
    body = problem_body(status, detail, title=title, instance=instance, invalid_params=invalid_params)
    response = HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_JSON)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


# --- from ninja's validation errors ----------------------------------------------------------------

_CODES = {
    "missing": "required",
    "int_parsing": "invalid_integer",
    "int_type": "invalid_integer",
    "greater_than_equal": "too_small",
    "greater_than": "too_small",
    "less_than_equal": "too_large",
    "less_than": "too_large",
    "date_from_datetime_parsing": "invalid_date",
    "date_parsing": "invalid_date",
    "date_type": "invalid_date",
    "date_from_datetime_inexact": "invalid_date",
    "string_too_long": "too_long",
    "string_too_short": "too_short",
    "string_pattern_mismatch": "invalid_format",
    "enum": "invalid_choice",
    "literal_error": "invalid_choice",
}


def invalid_params_of(errors: list[dict]) -> list[tuple[str, str, str]]:
    """ninja's errors (``loc`` = source, then the parameter's name) as ``(name, code, reason)``."""
    params = []
    for error in errors:
        location = [str(part) for part in error.get("loc", ())]
        name = location[1] if len(location) > 1 else (location[0] if location else "")
        code = _CODES.get(error.get("type", ""), error.get("type", "invalid"))
        params.append((name, code, str(error.get("msg", ""))))
    return params


def register_handlers(api) -> None:
    @api.exception_handler(NinjaValidationError)
    def validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        return problem_response(400, "The request has invalid parameters.", instance=instance_of(request),
                                invalid_params=invalid_params_of(exc.errors))

    @api.exception_handler(ProblemError)
    def problem_error(request: HttpRequest, exc: ProblemError) -> HttpResponse:
        return problem_response(exc.status_code, exc.detail, title=exc.title, instance=instance_of(request),
                                invalid_params=exc.invalid_params)

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return problem_response(401, "The API token is unknown, revoked or of an inactive account.",
                                instance=instance_of(request))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return problem_response(exc.status_code, str(exc), instance=instance_of(request))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return problem_response(404, "Not found.", instance=instance_of(request))

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(403, "Not allowed.", instance=instance_of(request))
