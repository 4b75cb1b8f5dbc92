"""/api/v1/ (included by ``stedennet.urls``): the operations of ``api.api`` and its OpenAPI
document; any other path under it is a 404 problem here (not a redirect to the same path with a
slash, which Django's ``APPEND_SLASH`` would make of a path Wagtail's catch-all would serve)."""

from django.http import HttpRequest, HttpResponse
from django.urls import path, re_path

from stedennet.api.api import api
from stedennet.api.problems import instance_of, problem_response
from stedennet.web.access import public


@public
def no_such_path(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(404, "No such resource. Paths have no trailing slash.", instance=instance_of(request))


urlpatterns = [
    path("", api.urls),
    re_path(r"^(?P<rest>.*)$", no_such_path),
]
