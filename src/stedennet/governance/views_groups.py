"""Member pages: my groups, a body's or theme group's page, opting in and out of theme groups, and
the bureau's list of requests to join closed groups (signing in and invitations: ``stedennet.accounts``).

Who may see what (every view declares it, see ``stedennet.web.access``):
- my groups: anyone signed in (a user without a person gets told so);
- a body's page: members (administrators, civil servants), the bureau and whoever holds a current
  position in the body (``Viewer.may_open_body``); others, partners among them, get 403;
- join / leave / request: signed-in administrators and civil servants of members, and only for
  theme groups (``services.self_service_check``: one rule, with refusal codes);
- requests to decide: the bureau.
Anonymous visitors of a member page are sent to the sign-in page (``/inloggen/``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail import hooks

from stedennet.governance.access import Viewer, viewer_for
from stedennet.governance.extension_points import BODY_PAGE_SECTIONS
from stedennet.governance.forms_groups import DecisionForm, JoinRequestForm
from stedennet.governance.models import Body, BodyKind, MembershipRequest, Position, Role
from stedennet.governance.selectors import (
    body_history,
    body_members,
    chairs_of,
    groups_of,
    pending_requests,
    theme_groups_by_pillar,
)
from stedennet.governance.services import (
    GovernanceRefused,
    theme_group_join,
    theme_group_leave,
    theme_group_request,
    theme_group_request_decide,
)
from stedennet.web.access import access

# --- who may see what ------------------------------------------------------------------------


def _may_opt_in(viewer: Viewer) -> bool:
    """Administrators and civil servants of member cities join theme groups of their kind."""
    person = viewer.person
    return bool(person is not None and person.track and person.partner_id is None
                and (viewer.is_member or viewer.is_bureau))


def _bureau(user) -> bool:
    return viewer_for(user).is_bureau


def _body_url(slug: str, **_kwargs) -> str:
    return reverse("governance:body", kwargs={"slug": slug})


def _requests_url(**_kwargs) -> str:
    return reverse("governance:requests")


# Anonymous visitors go to the sign-in page (back to ``next_url`` or this page); others the rule refuses get 403.
signed_in_required = access("signed-in")
opt_in_required = access("members-with-function", lambda user: _may_opt_in(viewer_for(user)), next_url=_body_url)
bureau_required = access("bureau", _bureau)
bureau_action_required = access("bureau", _bureau, next_url=_requests_url)


def _back(request: HttpRequest, body: Body | None = None) -> HttpResponseRedirect:
    """Back to the page the form was on (``next``, same site only), else the body's page."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = reverse("governance:body", kwargs={"slug": body.slug}) if body else reverse("governance:my_groups")
    return HttpResponseRedirect(target)


def _refused(request: HttpRequest, refused: ValidationError) -> None:
    """The refusal as an error message; its code rides along (``data-code`` on the page)."""
    messages.error(request, " ".join(refused.messages), extra_tags=getattr(refused, "code", None) or "")


# --- my groups -------------------------------------------------------------------------------


def _group_state(group: Body, positions: dict[int, Position], requested: set[int]) -> str:
    """What the person can do in a theme group: leave it (member), wait (requested), join (open)
    or ask (closed); "ending" when their membership ends today (left on the day they joined)."""
    position = positions.get(group.pk)
    if position is not None:
        return "ending" if position.end_date == timezone.localdate() else "member"
    if group.pk in requested:
        return "requested"
    return "open" if group.is_open else "closed"


@signed_in_required
@require_GET
def my_groups(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    person = viewer.person
    context: dict = {"person": person, "may_opt_in": _may_opt_in(viewer), "is_bureau": viewer.is_bureau}
    if person is not None:
        positions = list(groups_of(person=person))
        requests = list(pending_requests(person=person))
        pillars = theme_groups_by_pillar(track=person.track) if context["may_opt_in"] else []
        by_body = {position.body_id: position for position in positions}
        requested = {join_request.body_id for join_request in requests}
        for pillar in pillars:
            for group in pillar.groups:
                group.state = _group_state(group, by_body, requested)
                # A closed group's "ask to join" carries a motivation; ids per group keep the page valid.
                group.request_form = (JoinRequestForm(auto_id=f"id_{group.slug}_%s") if group.state == "closed"
                                      else None)
        context.update({"positions": positions, "requests": requests, "pillars": pillars,
                        "calendar_url": request.build_absolute_uri(
                            reverse("meetings:my_ical", kwargs={"token": person.calendar_token}))})
    if viewer.is_bureau:
        context["requests_url"] = reverse("governance:requests")
    return render(request, "governance/groups/my_groups.html", context)


# --- a body's page -------------------------------------------------------------------------------


@signed_in_required
@require_GET
def body_detail(request: HttpRequest, slug: str) -> HttpResponse:
    body = get_object_or_404(Body.objects.select_related("parent"), slug=slug)
    if body.kind == BodyKind.PILLAR:
        return redirect(body.get_absolute_url())  # its public pillar page
    viewer = viewer_for(request.user)
    if not viewer.may_open_body(body):
        raise PermissionDenied
    history = list(body_history(body=body))
    state = None
    if body.is_theme_group and not body.archived_at and _may_opt_in(viewer) and viewer.person.track == body.track:
        positions = {}
        if body.pk in viewer.body_ids:
            positions = {body.pk: groups_of(person=viewer.person).filter(body=body).first()}
        requested = {body.pk} if not positions and pending_requests(person=viewer.person, body=body).exists() else set()
        state = _group_state(body, positions, requested)
    return render(request, "governance/groups/body_detail.html", {
        "body": body,
        "pillar_url": body.parent.get_absolute_url() if body.parent else None,
        "members": list(body_members(body=body)),
        "history": history,
        "chairs": chairs_of(history),
        "chair_role": Role.CHAIR,
        "state": state,
        "request_form": JoinRequestForm() if state == "closed" else None,
        "today": timezone.localdate(),
        "sections": body_page_sections(request, body, viewer),
    })


def body_page_sections(request: HttpRequest, body: Body, viewer: Viewer) -> list[str]:
    """The parts the apps built on governance add to a body's page (its meetings and documents,
    the actions a theme group owns), as HTML, through the ``BODY_PAGE_SECTIONS`` hook."""
    return [html for section in hooks.get_hooks(BODY_PAGE_SECTIONS) if (html := section(request, body, viewer))]


# --- opting in and out ------------------------------------------------------------------------


def _theme_group_or_404(slug: str) -> Body:
    return get_object_or_404(Body, slug=slug)


@opt_in_required
@require_POST
def group_join(request: HttpRequest, slug: str) -> HttpResponse:
    body = _theme_group_or_404(slug)
    try:
        theme_group_join(person=viewer_for(request.user).person, body=body)
    except GovernanceRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("You joined %(body)s.") % {"body": body})
    return _back(request, body)


@opt_in_required
@require_POST
def group_leave(request: HttpRequest, slug: str) -> HttpResponse:
    body = _theme_group_or_404(slug)
    try:
        theme_group_leave(person=viewer_for(request.user).person, body=body)
    except GovernanceRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("You left %(body)s.") % {"body": body})
    return _back(request, body)


@opt_in_required
@require_POST
def group_request(request: HttpRequest, slug: str) -> HttpResponse:
    body = _theme_group_or_404(slug)
    form = JoinRequestForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return _back(request, body)
    try:
        theme_group_request(person=viewer_for(request.user).person, body=body,
                            motivation=form.cleaned_data["motivation"])
    except GovernanceRefused as refused:
        _refused(request, refused)
    else:
        messages.success(request, _("Your request to join %(body)s is waiting for the network bureau.")
                         % {"body": body})
    return _back(request, body)


# --- the bureau decides requests ---------------------------------------------------------------


@bureau_required
@require_GET
def requests_list(request: HttpRequest) -> HttpResponse:
    return render(request, "governance/groups/requests.html", {"requests": list(pending_requests())})


@bureau_action_required
@require_POST
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    join_request = get_object_or_404(MembershipRequest.objects.select_related("person", "body"), pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
        return redirect("governance:requests")
    approve = form.cleaned_data["decision"] == "approve"
    try:
        theme_group_request_decide(request=join_request, approve=approve, by=request.user)
    except GovernanceRefused as refused:
        _refused(request, refused)
    else:
        text = (_("%(person)s is now a member of %(body)s.") if approve
                else _("The request of %(person)s to join %(body)s was declined."))
        messages.success(request, text % {"person": join_request.person, "body": join_request.body})
    return redirect("governance:requests")
