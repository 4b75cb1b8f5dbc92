from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from stedennet.registry.maps import member_map_svg
from stedennet.site.selectors import member_map_context
from stedennet.web.access import public


@public
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`'s start check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public
@require_GET
def member_map(request: HttpRequest) -> HttpResponse:
    """The member map as an SVG image. Asked for with the current fingerprint, it may be kept
    for a year; any other address gets today's map, to be checked again after five minutes."""
    context = member_map_context()
    if context is None:
        raise Http404("no network loaded")
    svg = member_map_svg(member_codes=context["codes"], title=context["title"], description=context["description"],
                         member_fill=context["fill"])
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = f'"{context["fingerprint"]}"'
    if request.GET.get("v") == context["fingerprint"]:
        patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    response["Vary"] = "Accept-Language, Cookie"
    return response
