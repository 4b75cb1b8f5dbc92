from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from stedennet.membership.selectors import MEMBER_SORTS, members_on, membership_history
from stedennet.registry.models import Municipality
from stedennet.registry.selectors import network_current, partners_of, population_series
from stedennet.site.access import public


def _network_or_404():
    network = network_current()
    if network is None:
        raise Http404("no network loaded")
    return network


@public
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    network = _network_or_404()
    sort = request.GET.get("sort", "name")
    if sort not in MEMBER_SORTS:
        sort = "name"
    descending = request.GET.get("order") == "desc"
    members = list(members_on(network=network, day=timezone.localdate(), sort=sort, descending=descending))
    columns = [
        {"key": key, "active": key == sort, "descending": descending and key == sort,
         "next_order": "asc" if (key == sort and descending) else ("desc" if key == sort else "asc")}
        for key in ("name", "population", "member_since")
    ]
    return render(request, "registry/member_list.html", {
        "members": members, "columns": {c["key"]: c for c in columns}, "sort": sort, "descending": descending,
    })


@public
@require_GET
def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    network = _network_or_404()
    municipality = get_object_or_404(Municipality.objects.select_related("province"), slug=slug)
    periods = list(membership_history(network=network, municipality=municipality))
    if not periods:
        raise Http404("not a member of this network")
    today = timezone.localdate()
    current = next((p for p in periods if p.in_force_on(today)), None)
    return render(request, "registry/member_detail.html", {
        "municipality": municipality,
        "periods": periods,
        "current_period": current,
        "figures": list(population_series(municipality=municipality)),
    })


@public
@require_GET
def partner_list(request: HttpRequest) -> HttpResponse:
    network = _network_or_404()
    return render(request, "registry/partner_list.html", {"partners": list(partners_of(network=network))})
