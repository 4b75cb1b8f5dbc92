"""The public pillar pages and the strategic agenda. Everyone may open them (``@public``); what
they show depends on the viewer: members-only programmes and actions appear only for members
of the network and the bureau, in their own section. Links to the bodies and theme groups on
them are shown only to viewers who may open those pages (``governance_links``)."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from stedennet.governance.access import viewer_for
from stedennet.programmes.selectors import (
    agenda_is_demo,
    key_messages_grouped,
    pillar_by_slug,
    pillar_page,
    pillars_of,
    strategic_agenda_current,
)
from stedennet.registry.selectors import network_or_404
from stedennet.web.access import public


@public
@require_GET
def pillar_list(request: HttpRequest) -> HttpResponse:
    network = network_or_404()
    return render(request, "programmes/pillar_list.html", {"pillars": list(pillars_of(network=network))})


@public
@require_GET
def pillar(request: HttpRequest, slug: str) -> HttpResponse:
    body = pillar_by_slug(slug)
    if body is None:
        raise Http404("not a pillar, or archived")
    viewer = viewer_for(request.user)
    members = viewer.is_member or viewer.is_bureau
    data = pillar_page(pillar=body, include_members_only=members, day=timezone.localdate())
    return render(request, "programmes/pillar_detail.html", {
        "pillar": body, "page": data, "show_members_only": members,
    })


@public
@require_GET
def strategic_agenda(request: HttpRequest) -> HttpResponse:
    network = network_or_404()
    agenda = strategic_agenda_current(network=network, day=timezone.localdate())
    return render(request, "programmes/strategic_agenda.html", {
        "agenda": agenda,
        "agenda_is_demo": agenda_is_demo(agenda),
        "groups": key_messages_grouped(agenda=agenda) if agenda else [],
    })
