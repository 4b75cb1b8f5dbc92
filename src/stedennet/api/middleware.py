"""The API's response rules for every path under /api/:

- ``API-Version`` on every response (``/core/version-header``);
- ``Access-Control-Allow-Origin: *`` (reading from any site; no credentials: the API never acts on
  cookies) and ``Cache-Control: no-store`` (a token's answer is not for shared caches);
- every error without a problem body (Django's 404 for an unknown path or a trailing slash,
  a 405, a CSRF refusal, a server error) rewritten as ``application/problem+json``.
"""

import json

from django.http import HttpRequest, HttpResponse

from stedennet.api.constants import VERSION
from stedennet.api.problems import PROBLEM_JSON, instance_of, problem_body

PREFIX = "/api/"
DETAILS = {
    404: "No such resource. Paths have no trailing slash.",
    405: "This method is not allowed here; the API is read-only.",
}


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        response = self.get_response(request)
        return self.finish(request, response)

    def finish(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_JSON):
            status = response.status_code
            allow = response.get("Allow")
            detail = DETAILS.get(status, "The request could not be served.")
            problem = HttpResponse(json.dumps(problem_body(status, detail, instance=instance_of(request))),
                                   status=status, content_type=PROBLEM_JSON)
            if allow:
                problem["Allow"] = allow
            for name in ("WWW-Authenticate", "Retry-After"):
                if name in response:
                    problem[name] = response[name]
            response = problem
        response["API-Version"] = VERSION
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "API-Version"
        response.setdefault("Cache-Control", "no-store")
        return response
