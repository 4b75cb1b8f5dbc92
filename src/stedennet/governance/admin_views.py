"""The governance back office beyond the snippet listings: the election turnover (preview, then
confirm), the vacancies it leaves and filling one in one step, deciding requests to join closed
theme groups, and inviting a person to create an account. The bureau only (403 for anyone else);
every change goes through ``governance.services`` (or ``governance.invitations``)."""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from stedennet.governance import invitations, services
from stedennet.governance.forms_admin import (
    InviteForm,
    RequestDecideForm,
    TurnoverConfirmForm,
    TurnoverForm,
    VacancyFillForm,
)
from stedennet.governance.models import (
    ADMINISTRATOR_FUNCTIONS,
    Body,
    BodyKind,
    MembershipRequest,
    Person,
    Position,
)
from stedennet.governance.selectors import ROLE_ORDER, vacancies
from stedennet.registry.selectors import network_current
from stedennet.web.refusals import add_refusal  # a refusal on the form: its field, or the fallback

INVITATION_CREATED = invitations.INVITATION_CREATED


class GovernanceAdminView(WagtailAdminTemplateMixin):
    header_icon = "group"
    parent_label = None
    parent_url_name = None

    def get_breadcrumbs_items(self):
        items = list(self.breadcrumbs_items)
        if self.parent_url_name:
            items.append({"url": reverse(self.parent_url_name), "label": str(self.parent_label)})
        return [*items, {"url": "", "label": self.get_page_title()}]

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.network = network_current()


# --- the election turnover ------------------------------------------------------------------------

def turnover_preview(*, network, day: datetime.date) -> list[Position]:
    """The positions ``services.election_turnover`` would end on ``day``: administrators'
    positions in force that day, not already ending then. One query; nothing changes."""
    return list(
        Position.objects.on(day)
        .filter(body__network=network, person__function__in=sorted(ADMINISTRATOR_FUNCTIONS))
        .exclude(end_date=day)
        .select_related("person", "person__municipality", "on_behalf_of", "body", "body__parent")
        .annotate(role_order=ROLE_ORDER)
        .order_by("body__order", "body__name", "body_id", "role_order", "person__name", "pk")
    )


@dataclass
class BodyPositions:
    body: Body
    positions: list[Position] = field(default_factory=list)


def per_body(positions: list[Position]) -> list[BodyPositions]:
    groups: dict[int, BodyPositions] = {}
    for position in positions:
        groups.setdefault(position.body_id, BodyPositions(body=position.body)).positions.append(position)
    return list(groups.values())


class TurnoverView(GovernanceAdminView, TemplateView):
    """Step 1: the day and the reason (GET). Step 2: the preview of what ends (GET with the
    values; nothing changes). Step 3: confirm (POST): ``election_turnover`` in one transaction;
    if the positions changed since the preview, nothing is done and the new preview is shown."""

    template_name = "governance/admin/turnover.html"
    page_title = _("Election turnover")
    header_icon = "history"

    def get(self, request, *args, **kwargs):
        form = TurnoverForm(request.GET if "day" in request.GET else None)
        preview = form.is_valid() if form.is_bound else False
        return self.render_to_response(self.get_context_data(form=form, preview=preview))

    def post(self, request, *args, **kwargs):
        form = TurnoverConfirmForm(request.POST)
        if self.network is None:
            raise Http404("No network is configured.")
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, preview=False))
        day, reason = form.cleaned_data["day"], form.cleaned_data["reason"]
        with transaction.atomic():
            ended = services.election_turnover(network=self.network, day=day, reason=reason, by=request.user)
            changed = len(ended) != form.cleaned_data["expected"]
            if changed:  # the ended positions and their audit entries are undone together
                transaction.set_rollback(True)
        if changed:
            messages.warning(request, gettext(
                "The positions changed since the preview; nothing was ended. Check the new preview."))
            form = TurnoverForm(request.POST)
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form, preview=True))
        messages.success(request, gettext("%(count)s positions ended on %(date)s. They are listed below as vacancies.")
                         % {"count": len(ended), "date": date_format(day, "DATE_FORMAT")})
        return redirect("governance_vacancies")

    def get_context_data(self, *, form, preview: bool, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(form=form, preview=preview, media=form.media, network=self.network)
        if preview and self.network is not None:
            positions = turnover_preview(network=self.network, day=form.cleaned_data["day"])
            context.update(positions=positions, bodies=per_body(positions),
                           day=form.cleaned_data["day"], reason=form.cleaned_data["reason"])
        return context


# --- vacancies ---------------------------------------------------------------------------------------

@dataclass
class VacancyGroup:
    """A pillar (None: the bodies outside the pillars) and its vacancies, per body."""

    pillar: Body | None
    bodies: list[BodyPositions] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(item.positions) for item in self.bodies)


def pillar_of(body: Body) -> Body | None:
    parent = body.parent
    return parent if parent is not None and parent.kind == BodyKind.PILLAR else None


def vacancies_by_pillar(positions: list[Position]) -> list[VacancyGroup]:
    """Bodies outside the pillars first (AB, DB), then each pillar with its BO and theme groups."""
    groups: dict[int | None, VacancyGroup] = {}
    for item in per_body(positions):
        pillar = pillar_of(item.body)
        groups.setdefault(pillar.pk if pillar else None, VacancyGroup(pillar=pillar)).bodies.append(item)
    return sorted(groups.values(), key=lambda group: (group.pillar is not None, group.pillar.order if group.pillar
                                                      else 0, group.pillar.name if group.pillar else ""))


class VacanciesView(GovernanceAdminView, TemplateView):
    template_name = "governance/admin/vacancies.html"
    page_title = _("Vacancies")
    header_icon = "user"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        positions = vacancies(network=self.network) if self.network is not None else []
        context.update(groups=vacancies_by_pillar(positions), total=len(positions),
                       turnover_url=reverse("governance_turnover"))
        return context


class VacancyFillView(GovernanceAdminView, FormView):
    """One step: choose the successor and the start date; ``vacancy_fill`` does the rest."""

    template_name = "governance/admin/vacancy_fill.html"
    form_class = VacancyFillForm
    page_title = _("Fill a vacancy")
    header_icon = "user"
    parent_label = _("Vacancies")
    parent_url_name = "governance_vacancies"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.vacancy = get_object_or_404(
            Position.objects.select_related("person", "person__municipality", "on_behalf_of", "body"),
            pk=kwargs["pk"], end_date__isnull=False)

    def dispatch(self, request, *args, **kwargs):
        if self.vacancy.successors.exists():
            messages.warning(request, gettext("This vacancy has already been filled."))
            return redirect("governance_vacancies")
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{self.vacancy.body}: {self.vacancy.get_role_display()}"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "vacancy": self.vacancy}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(vacancy=self.vacancy, media=context["form"].media, action_url=self.request.get_full_path(),
                       submit_button_label=gettext("Fill the vacancy"))
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                vacancy = Position.objects.select_for_update().select_related("body").get(pk=self.vacancy.pk)
                position = services.vacancy_fill(vacancy=vacancy, person=form.cleaned_data["person"],
                                                 start_date=form.cleaned_data["start_date"], by=self.request.user)
        except ValidationError as error:  # GovernanceRefused among them
            add_refusal(form, error, "person")
            return self.form_invalid(form)
        message = gettext("%(person)s succeeds %(previous)s as %(role)s of %(body)s from %(date)s.")
        messages.success(self.request, message % {
            "person": position.person, "previous": self.vacancy.person, "role": position.get_role_display().lower(),
            "body": position.body, "date": date_format(position.start_date, "DATE_FORMAT")})
        return redirect("governance_vacancies")


# --- requests to join closed theme groups -------------------------------------------------------------

class RequestDecideView(GovernanceAdminView, FormView):
    template_name = "governance/admin/request_decide.html"
    form_class = RequestDecideForm
    page_title = _("Decide a request to join")
    header_icon = "tasks"
    parent_label = _("Requests to join")
    parent_url_name = "wagtailsnippets_governance_membershiprequest:list"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.membership_request = get_object_or_404(
            MembershipRequest.objects.select_related("person", "person__municipality", "body"), pk=kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if self.membership_request.status != MembershipRequest.Status.PENDING:
            messages.warning(request, gettext("This request was already decided."))
            return redirect(self.parent_url_name)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.membership_request)

    def get_initial(self):
        initial = super().get_initial()
        if self.request.GET.get("decision") in ("approve", "decline"):
            initial["decision"] = self.request.GET["decision"]
        return initial

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(membership_request=self.membership_request, media=context["form"].media,
                       action_url=self.request.get_full_path(), submit_button_label=gettext("Record the decision"))
        return context

    def form_valid(self, form):
        try:
            decided = services.theme_group_request_decide(
                request=self.membership_request, approve=form.cleaned_data["decision"], by=self.request.user,
                day=form.cleaned_data["day"])
        except ValidationError as error:
            add_refusal(form, error, "decision")
            return self.form_invalid(form)
        messages.success(self.request, gettext("The request of %(person)s to join %(body)s: %(status)s.") % {
            "person": decided.person, "body": decided.body, "status": decided.get_status_display().lower()})
        return redirect(self.parent_url_name)


# --- invitations ---------------------------------------------------------------------------------------

class PersonActionView(GovernanceAdminView, FormView):
    """A back-office action on one person (``<pk>`` in the address), under *People*."""

    parent_label = _("People")
    parent_url_name = "wagtailsnippets_governance_person:list"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.person = get_object_or_404(Person.objects.select_related("municipality", "partner"), pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.person)


class PersonInviteView(PersonActionView):
    """Create an invitation (``invitations.person_invite``) and send and/or show its link.
    The link carries a secret shown once, so the result page is the POST's response."""

    template_name = "governance/admin/person_invite.html"
    form_class = InviteForm
    page_title = _("Invite to create an account")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(person=self.person, action_url=self.request.get_full_path(),
                       submit_button_label=gettext("Create the invitation"))
        return context

    def form_valid(self, form):
        # The invitation, its mail and the audit entry together (``invitations.person_invite``): the
        # mail goes into the outbox and is delivered after the commit, retried when the server is down.
        try:
            invited = invitations.person_invite(person=self.person, send=form.cleaned_data["send"],
                                                by=self.request.user, request=self.request)
        except invitations.InvitationRefused as error:
            add_refusal(form, error, None)
            return self.form_invalid(form)
        mail = invited.mail
        return self.render_to_response(self.get_context_data(
            form=form, invitation=invited.invitation, url=invited.url, sent=invited.sent, mail=mail,
            mail_url=reverse("mail_outbox:inspect", args=[mail.pk]) if mail is not None else ""))
