from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from stedennet.site.access import public


@public
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`'s start check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
