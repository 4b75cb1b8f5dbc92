"""The member data as CSV files (``membership.exports``), public as the pages they come from:
``/leden/leden.csv`` (the members today, as ``/leden/`` lists them) and
``/leden/<slug>/inwoners.csv`` (a member's population series, as on its page)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from stedennet.membership.exports import CSV_CONTENT_TYPE, members_csv, population_csv
from stedennet.membership.selectors import membership_history
from stedennet.registry.models import Municipality
from stedennet.registry.selectors import network_or_404
from stedennet.web.access import public


def _csv_response(content: str, filename: str) -> HttpResponse:
    response = HttpResponse(content.encode("utf-8"), content_type=CSV_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@public
@require_GET
def member_list_csv(request: HttpRequest) -> HttpResponse:
    network = network_or_404()
    today = timezone.localdate()
    page = request.build_absolute_uri(reverse("membership:member_detail", kwargs={"slug": "slug-placeholder"}))
    content = members_csv(network=network, day=today, url_for=lambda slug: page.replace("slug-placeholder", slug))
    return _csv_response(content, f"leden-{network.slug}-{today.isoformat()}.csv")


@public
@require_GET
def population_series_csv(request: HttpRequest, slug: str) -> HttpResponse:
    network = network_or_404()
    municipality = get_object_or_404(Municipality, slug=slug)
    if not membership_history(network=network, municipality=municipality).exists():
        raise Http404("not a member of this network")  # as its page
    return _csv_response(population_csv(municipality=municipality), f"inwoners-{municipality.slug}.csv")
