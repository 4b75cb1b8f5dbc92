"""What the network shares with its partners: the page a partner lands on after signing in.

Who may see it (see ``stedennet.web.access`` and ``knowledge.access``): partners, members and the bureau (everyone who
may see what is marked "members and partners"); anonymous visitors go to the sign-in page.
It lists the newest library items and questions with that visibility and the bodies the viewer
sits in; every link on it leads to a page the viewer may open.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stedennet.governance.access import viewer_for
from stedennet.knowledge import selectors
from stedennet.knowledge.access import partners_members_and_bureau


@partners_members_and_bureau
@require_GET
def shared(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    return render(request, "knowledge/shared/shared.html", {
        "shared": selectors.shared_with_partners(viewer=viewer), "limit": selectors.SHARED_LIMIT,
        "viewer_person": viewer.person,
    })
