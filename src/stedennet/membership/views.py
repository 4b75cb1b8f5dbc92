"""The public member pages: the member list and a page per member (membership in force on a day,
with the latest population and the membership history)."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from stedennet.membership.selectors import MEMBER_SORTS, member_timeline, members_on, membership_history
from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality
from stedennet.registry.selectors import network_current, population_series
from stedennet.web.access import public
from stedennet.web.cache import REGISTRY, cached


def _network_or_404():
    network = network_current()
    if network is None:
        raise Http404("no network loaded")
    return network


def _member_rows(periods) -> list[dict]:
    """The member table as ready-made strings: formatting 342 rows in the template engine
    (a filter, an include and a URL reversal per cell) costs more than the query itself."""
    url_pattern = reverse("membership:member_detail", kwargs={"slug": "slug-placeholder"})
    labels = {
        PopulationSource.CBS_FINAL: gettext("CBS, final"),
        PopulationSource.CBS_PROVISIONAL: gettext("CBS, provisional"),
        PopulationSource.MUNICIPAL: gettext("municipality's own count"),
    }
    dates: dict[datetime.date, str] = {}

    def long_date(day: datetime.date) -> str:
        if day not in dates:
            dates[day] = date_format(day, "j F Y")
        return dates[day]

    rows = []
    for period in periods:
        municipality = period.municipality
        rows.append({
            "cbs_code": municipality.cbs_code,
            "name": municipality.display_name,
            "url": url_pattern.replace("slug-placeholder", municipality.slug),
            "province": municipality.province.name if municipality.province_id else "",
            "population": number_format(period.population, force_grouping=True) if period.population else None,
            "population_date": long_date(period.population_date) if period.population_date else None,
            "population_source": labels.get(period.population_source, period.population_source),
            "member_since": long_date(period.start_date) if period.start_date else None,
        })
    return rows


# Columns whose first click sorts from the top: the largest city first, not the smallest.
DESCENDING_FIRST = frozenset({"population"})


def _next_order(key: str, *, active: bool, descending: bool) -> str:
    """The order a click on a column heading asks for: the other direction for the sorted
    column; otherwise the column's natural first order (population: largest first)."""
    if active:
        return "asc" if descending else "desc"
    return "desc" if key in DESCENDING_FIRST else "asc"


@public
@require_GET
def member_list(request: HttpRequest) -> HttpResponse:
    network = _network_or_404()
    sort = request.GET.get("sort", "name")
    if sort not in MEMBER_SORTS:
        sort = "name"
    order = request.GET.get("order")
    descending = order == "desc" if order in ("asc", "desc") else sort in DESCENDING_FIRST
    today = timezone.localdate()

    def build() -> tuple[int, str]:
        rows = _member_rows(members_on(network=network, day=today, sort=sort, descending=descending))
        return len(rows), render_to_string("membership/member_rows.html", {"members": rows})

    member_count, member_rows = cached(REGISTRY, ("member-rows", get_language(), today, sort, descending), build)
    columns = [
        {"key": key, "active": key == sort, "descending": descending and key == sort,
         "next_order": _next_order(key, active=key == sort, descending=descending)}
        for key in ("name", "population", "member_since")
    ]
    return render(request, "membership/member_list.html", {
        "member_count": member_count, "member_rows": mark_safe(member_rows),  # noqa: S308 - rendered by our template
        "columns": {c["key"]: c for c in columns}, "sort": sort, "descending": descending,
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
    return render(request, "membership/member_detail.html", {
        "municipality": municipality,
        "periods": periods,
        "current_period": current,
        "figures": list(population_series(municipality=municipality)),
        "timeline": member_timeline(network=network, municipality=municipality),
    })
