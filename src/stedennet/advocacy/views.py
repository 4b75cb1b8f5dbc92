"""The public lobby pages (namespace "advocacy"): the dossiers a viewer may see (``/lobby/``),
one dossier with its ask, interventions, outcomes and parliamentary timeline
(``/lobby/<slug>/``), an intervention's documents, and the Atom feed of public letters.

Everyone may open them (``@public``); what they show depends on the viewer
(``advocacy.selectors``). A dossier the viewer may not see is a 404, for anonymous visitors and
signed-in people alike, as for one that does not exist: its address reveals nothing."""

import mimetypes

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from stedennet.advocacy import selectors
from stedennet.advocacy.constants import TimelineKind
from stedennet.advocacy.feeds import LettersFeed
from stedennet.governance.access import viewer_for
from stedennet.registry.selectors import network_current
from stedennet.web.access import public


@public
@require_GET
def dossier_list(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    return render(request, "advocacy/dossier_list.html", {
        "pillars": selectors.dossiers_by_pillar(viewer, network=network_current()),
    })


@public
@require_GET
def dossier(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = viewer_for(request.user)
    found = selectors.dossier_for(viewer, slug)
    if found is None:
        raise Http404("no such dossier, or not for this viewer")
    page = selectors.dossier_page(found, viewer, kinds=request.GET.getlist("soort"))
    return render(request, "advocacy/dossier_detail.html", {
        "dossier": found, "page": page, "kinds": TimelineKind.choices,
        "members_view": selectors.sees_all_interventions(viewer),
    })


def _attachment(document) -> HttpResponse:
    filename = document.filename
    with document.file.open("rb") as stored:
        response = HttpResponse(stored.read(),
                                content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@public
@require_GET
def intervention_document(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A document of an intervention, to whoever may see the dossier, the intervention and it."""
    document = selectors.intervention_document_for(viewer_for(request.user), slug, pk)
    if document is None:
        raise Http404
    return _attachment(document.document)


@public
@require_GET
def intervention_evidence(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The evidence document of an intervention's outcome, to whoever may see the intervention."""
    viewer = viewer_for(request.user)
    found = selectors.dossier_for(viewer, slug)
    if found is None:
        raise Http404
    intervention = next((i for i in selectors.interventions_visible(found, viewer) if i.pk == pk), None)
    if intervention is None or intervention.evidence_document is None:
        raise Http404
    return _attachment(intervention.evidence_document)


_letters = LettersFeed()


@public
@require_GET
def letters_feed(request: HttpRequest) -> HttpResponse:
    return _letters(request)


def body_page_dossiers(request, body, viewer) -> str:
    """For governance's ``BODY_PAGE_SECTIONS``: the dossiers a theme group owns (or of a pillar)
    that the viewer may see; nothing when there are none."""
    dossiers = selectors.body_dossiers(viewer, body)
    if not dossiers:
        return ""
    return render_to_string("advocacy/body_page_dossiers.html", {"request": request, "body": body,
                                                                 "dossiers": dossiers})
