"""The search page, /zoeken/?q=…: public; what is found depends on who asks (see ``search.selectors``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from stedennet.governance.access import viewer_for
from stedennet.search.selectors import MAX_QUERY, Filters
from stedennet.search.selectors import search as search_service
from stedennet.web.access import public

FACET_TITLES = {"type": _("Type"), "pillar": _("Pillar"), "city": _("City"), "year": _("Year")}


@public
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())
    page = request.GET.get("page", "1")
    viewer = viewer_for(request.user)
    results = search_service(viewer, query[:MAX_QUERY], filters=Filters.from_params(request.GET),
                             page=int(page) if page.isdigit() and len(page) < 6 else 1)
    facets = [(name, FACET_TITLES[name], values) for name, values in results.facets.items() if values]
    return render(request, "search/search.html", {
        "results": results,
        "query": results.query,
        "too_long": len(query) > MAX_QUERY,
        "max_query": MAX_QUERY,
        "facets": facets,
        "filtered": any(value.selected for _name, _title, values in facets for value in values),
    })
