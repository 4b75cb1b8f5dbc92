"""Documents are served only to those who may see them.

Wagtail serves every document at /documenten/<id>/<name> without asking who wants it. A
document attached to a meeting follows that meeting document's visibility; a document of a
membership procedure step is public (admission decisions are public records); any other
document is for staff with access to the back office only."""

from django.core.exceptions import PermissionDenied
from wagtail import hooks


@hooks.register("before_serve_document")
def documents_only_for_those_who_may_see_them(document, request):
    from stedennet.governance.access import viewer_for
    from stedennet.governance.models import MeetingDocument
    from stedennet.membership.models import ProcedureStep

    user = request.user
    if user.is_authenticated and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return None
    viewer = viewer_for(user)
    if viewer.is_bureau:
        return None
    attached = list(MeetingDocument.objects.filter(document=document).select_related("meeting"))
    if attached:
        if any(viewer.may_see(item.visibility, item.meeting.body_id) for item in attached):
            return None
        raise PermissionDenied
    if ProcedureStep.objects.filter(document=document).exists():
        return None
    raise PermissionDenied
