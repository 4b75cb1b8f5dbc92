"""Governance in the back office (menu group "Governance"): bodies, people, positions, requests to
join closed theme groups; and, for the bureau only, the election turnover and the vacancies it
leaves (``admin_views``). The apps built on governance put their listings in the same menu group
through its ``submenu_hook`` (``extension_points.ADMIN_MENU``): meetings, work programmes,
actions and the strategic agenda.

Positions are history: a new one is made by ``position_assign`` (so the track rule holds and a
refusal shows on the form), an existing one only gets its end, reason, note or predecessor, and
none is deleted. A body that has positions, meetings or sub-bodies cannot be deleted; it is
archived (its "archived on" date).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter, ChoiceFilter, ModelChoiceFilter
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.menus import MenuItem as ListingMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import (
    CreateView,
    DeleteView,
    EditView,
    IndexView,
    SnippetViewSet,
    SnippetViewSetGroup,
)

from stedennet.accounts.backoffice import (
    READ_ONLY,
    BureauMenuItem,
    BureauPolicy,
    LinkColumn,
    PlainSnippetViewSet,
    PolicyChecked,
    ReadOnlyViewSet,
    bureau_only,
    demo_column,
    yes_no_column,
)
from stedennet.accounts.sso import ADMIN_MENU as SIGN_IN_MENU
from stedennet.governance import admin_views, services
from stedennet.governance.extension_points import ADMIN_MENU
from stedennet.governance.forms_admin import BodyForm, PersonForm, PositionCreateForm, PositionEditForm
from stedennet.governance.models import Body, MembershipRequest, Person, Position, TenantLink
from stedennet.governance.views_privacy import PersonEraseView
from stedennet.registry.models import Municipality
from stedennet.registry.selectors import network_current
from stedennet.web.refusals import add_refusal

KEEP = frozenset({"add", "change", "view"})


register_permission_policy(Body, BureauPolicy(Body))
register_permission_policy(Person, BureauPolicy(Person, actions=KEEP))
register_permission_policy(Position, BureauPolicy(Position, actions=KEEP))
register_permission_policy(MembershipRequest, BureauPolicy(MembershipRequest, actions=READ_ONLY))
register_permission_policy(TenantLink, BureauPolicy(TenantLink))


# --- columns -----------------------------------------------------------------------------------

def person_or_body_is_demo(row) -> bool:
    return row.person.is_demo or row.body.is_demo


# --- bodies ---------------------------------------------------------------------------------------

def protected_by(instance) -> list[tuple[str, int]]:
    """What keeps ``instance`` from being deleted (on_delete=PROTECT), as (what, how many)."""
    try:
        Collector(using="default").collect([instance])
    except (ProtectedError, RestrictedError) as error:
        objects = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
        counts: dict[str, int] = {}
        for obj in objects:
            label = capfirst(obj._meta.verbose_name_plural)
            counts[label] = counts.get(label, 0) + 1
        return sorted(counts.items())
    return []


class BodyCreateView(PolicyChecked, CreateView):
    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or Body()
        instance.network = network_current()
        return instance


class BodyDeleteView(PolicyChecked, DeleteView):
    """Refuses, with the reason, to delete a body that positions, meetings or sub-bodies point to."""

    @cached_property
    def protected(self):
        return protected_by(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(protected=self.protected, is_protected=bool(self.protected) or context.get("is_protected"))
        return context

    def form_valid(self, form):
        if self.protected:
            messages.error(self.request, gettext("%(body)s cannot be deleted; archive it instead.")
                           % {"body": self.object})
            return redirect(self.get_delete_url())
        try:
            return super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, gettext("%(body)s cannot be deleted; archive it instead.")
                           % {"body": self.object})
            return redirect(self.get_delete_url())


class BodyFilterSet(WagtailFilterSet):
    archived = BooleanFilter(label=_("Archived"), method="filter_archived")

    class Meta:
        model = Body
        fields = ["kind", "track", "is_demo"]

    def filter_archived(self, queryset, name, value):
        return queryset if value is None else queryset.filter(archived_at__isnull=not value)


class BodyViewSet(SnippetViewSet):
    model = Body
    icon = "group"
    menu_label = _("Bodies")
    add_view_class = BodyCreateView
    delete_view_class = BodyDeleteView
    delete_template_name = "governance/admin/body_confirm_delete.html"
    copy_view_enabled = False
    list_display = ["name", "kind", "track", Column("parent", label=_("Pillar")),
                    yes_no_column("is_open", _("Open to join")), "archived_at", demo_column()]
    filterset_class = BodyFilterSet
    list_export = ["name", "short_name", "slug", "kind", "track", "parent", "is_open", "archived_at", "is_demo"]
    search_fields = ["name", "short_name"]
    search_backend_name = None
    ordering = ["order", "name"]
    edit_handler = ObjectList([
        HelpPanel(content=_("A body that is no longer used is archived (fill in \"archived on\"), not deleted: "
                            "its positions and meetings stay in the history.")),
        FieldPanel("name"), FieldPanel("short_name"), FieldPanel("slug"), FieldPanel("kind"), FieldPanel("track"),
        FieldPanel("parent"), FieldPanel("description"), FieldPanel("is_open"), FieldPanel("order"),
        FieldPanel("archived_at"), FieldPanel("is_demo"),
    ], base_form_class=BodyForm)

    def get_queryset(self, request):
        return Body.objects.select_related("parent")


# --- people ---------------------------------------------------------------------------------------

def invite_url(person: Person) -> str | None:
    if person.user_id:
        return None
    return reverse("governance_person_invite", args=[person.pk])


class PersonIndexView(PolicyChecked, IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if url := invite_url(instance):
            buttons.append(ListingMenuItem(gettext("Invite"), url, icon_name="mail", priority=15))
        if instance.erased_at is None:
            buttons.append(ListingMenuItem(gettext("Erase person"), reverse("governance_person_erase",
                                                                            args=[instance.pk]),
                                           icon_name="bin", priority=40))
        return buttons


class PersonEditView(PolicyChecked, EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if url := invite_url(self.object):
            buttons.append(Button(gettext("Invite to create an account"), url=url, icon_name="mail", priority=15))
        if self.object.erased_at is None:
            buttons.append(Button(gettext("Erase person"), icon_name="bin", priority=40,
                                  url=reverse("governance_person_erase", args=[self.object.pk])))
        return buttons


class PersonFilterSet(WagtailFilterSet):
    municipality = ModelChoiceFilter(
        label=_("Municipality"), queryset=lambda request: Municipality.objects.filter(people__isnull=False)
        .distinct().order_by("name"))

    class Meta:
        model = Person
        fields = ["function", "municipality", "is_demo"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    index_view_class = PersonIndexView
    edit_view_class = PersonEditView
    copy_view_enabled = False
    list_display = ["name", "function", Column("organisation", label=_("Municipality or partner")),
                    yes_no_column("account", _("Account"), lambda person: person.user_id), demo_column()]
    filterset_class = PersonFilterSet
    list_export = ["name", "email", "function", "municipality", "partner", "portfolio", "is_demo"]
    search_fields = ["name", "email", "expertise"]
    search_backend_name = None
    ordering = ["name"]
    edit_handler = ObjectList([
        FieldPanel("name"), FieldPanel("email"), FieldPanel("function"), FieldPanel("municipality"),
        FieldPanel("partner"), FieldPanel("portfolio"), FieldPanel("expertise"), FieldPanel("user"),
        FieldPanel("is_demo"),
    ], base_form_class=PersonForm)

    def get_queryset(self, request):
        return Person.objects.select_related("municipality", "partner")


# --- positions ------------------------------------------------------------------------------------

POSITION_CREATE_PANELS = [
    HelpPanel(content=_("The position is checked before it is saved: administrators (mayors, aldermen) sit in "
                        "administrative bodies, civil servants in civil-service bodies; one position per person "
                        "and body at a time; one chair and one vice-chair at a time.")),
    FieldPanel("person"), FieldPanel("body"), FieldPanel("role"), FieldPanel("start_date"), FieldPanel("end_date"),
    FieldPanel("on_behalf_of"), FieldPanel("predecessor"), FieldPanel("note"),
]
POSITION_EDIT_PANELS = [
    HelpPanel(content=_("Person, body, role and start stay as they were: to give the seat to someone else, end "
                        "this position and fill the vacancy.")),
    FieldPanel("end_date"), FieldPanel("end_reason"), FieldPanel("predecessor"), FieldPanel("note"),
]


class PositionCreateView(PolicyChecked, CreateView):
    """Saving goes through ``position_assign``; its refusal is shown on the form."""

    def save_instance(self):
        data = self.form.cleaned_data
        position = services.position_assign(
            person=data["person"], body=data["body"], role=data["role"], start_date=data["start_date"],
            end_date=data.get("end_date"), on_behalf_of=data.get("on_behalf_of"),
            predecessor=data.get("predecessor"), note=data.get("note", ""), by=self.request.user)
        return position

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:  # GovernanceRefused among them
            add_refusal(form, error, "person")
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class PositionFilterSet(WagtailFilterSet):
    status = ChoiceFilter(
        label=_("Status"), method="filter_status", widget=forms.RadioSelect, empty_label=_("All"),
        choices=[("current", _("Current")), ("ended", _("Ended")), ("future", _("Not yet started"))])

    class Meta:
        model = Position
        fields = ["body", "role"]

    def filter_status(self, queryset, name, value):
        from django.utils import timezone

        today = timezone.localdate()
        if value == "current":
            return queryset.on(today)
        if value == "ended":
            return queryset.filter(end_date__lt=today)
        if value == "future":
            return queryset.filter(start_date__gt=today)
        return queryset


class PositionViewSet(SnippetViewSet):
    model = Position
    icon = "user"
    menu_label = _("Positions")
    add_view_class = PositionCreateView
    copy_view_enabled = False
    list_display = ["person", "body", "role", "start_date", "end_date", "on_behalf_of",
                    Column("predecessor", label=_("Succeeds"), accessor=lambda p: p.predecessor.person
                           if p.predecessor_id else ""),
                    demo_column("demo", accessor=person_or_body_is_demo)]
    filterset_class = PositionFilterSet
    list_export = ["person", "body", "role", "start_date", "end_date", "end_reason", "on_behalf_of", "predecessor",
                   "note"]
    edit_handler = ObjectList(POSITION_CREATE_PANELS, base_form_class=PositionCreateForm)
    search_fields = ["person__name", "body__name", "end_reason"]
    search_backend_name = None
    ordering = ["body__order", "body__name", "start_date"]

    def get_queryset(self, request):
        return Position.objects.select_related("person", "body", "on_behalf_of", "predecessor__person")

    @cached_property
    def _position_edit_handler(self):
        return ObjectList(POSITION_EDIT_PANELS, base_form_class=PositionEditForm).bind_to_model(Position)

    def get_edit_view_kwargs(self, **kwargs):
        handler = self._position_edit_handler
        return super().get_edit_view_kwargs(**{"panel": handler, "form_class": handler.get_form_class(), **kwargs})


# --- requests to join ----------------------------------------------------------------------------

class RequestIndexView(PolicyChecked, IndexView):
    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.status == MembershipRequest.Status.PENDING:
            url = reverse("governance_request_decide", args=[instance.pk])
            buttons += [ListingMenuItem(gettext("Approve"), f"{url}?decision=approve", icon_name="check", priority=5),
                        ListingMenuItem(gettext("Decline"), f"{url}?decision=decline", icon_name="cross", priority=6)]
        return buttons


class MembershipRequestViewSet(ReadOnlyViewSet):
    model = MembershipRequest
    icon = "tasks"
    menu_label = _("Requests to join")
    index_view_class = RequestIndexView
    list_display = ["person", "body", "status", "motivation", "requested_at", "decided_at",
                    LinkColumn("decide", label=_("Decide"), text=_("Decide"),
                               url=lambda r: reverse("governance_request_decide", args=[r.pk])
                               if r.status == MembershipRequest.Status.PENDING else ""),
                    demo_column("demo", accessor=person_or_body_is_demo)]
    list_filter = ["status", "body"]
    search_fields = ["person__name", "body__name"]
    search_backend_name = None
    ordering = ["-requested_at"]

    def get_queryset(self, request):
        return MembershipRequest.objects.select_related("person", "body")


# --- the menu group ------------------------------------------------------------------------------

class GovernanceGroup(SnippetViewSetGroup):
    menu_label = _("Governance")
    menu_icon = "group"
    menu_order = 240
    items = (BodyViewSet, PersonViewSet, PositionViewSet, MembershipRequestViewSet)
    submenu_hook = ADMIN_MENU  # meetings, work programmes, actions, strategic agenda (menu_order 5-8)

    def get_submenu_items(self):
        return [
            BureauMenuItem(_("Election turnover"), reverse("governance_turnover"), name="turnover",
                           icon_name="history", order=0),
            BureauMenuItem(_("Vacancies"), reverse("governance_vacancies"), name="vacancies", icon_name="user",
                           order=1),
            *super().get_submenu_items(),
        ]


register_snippet(GovernanceGroup)


# --- connected tenants (sign-in through a multi-tenant provider), in the menu group "Sign-in" ------

class TenantLinkViewSet(PlainSnippetViewSet):
    model = TenantLink
    icon = "site"
    menu_label = _("Connected tenants")
    menu_order = 1
    menu_hook = SIGN_IN_MENU
    copy_view_enabled = False
    list_display = ["tenant_id", Column("organisation", label=_("Organisation")), "provider"]
    list_filter = ["provider"]
    search_fields = ["municipality__name", "partner__name"]
    search_backend_name = None
    ordering = ["provider__name", "municipality__name", "partner__name"]
    edit_handler = ObjectList([
        HelpPanel(content=_("The tenant id (directory id) of an organisation in a multi-tenant provider, and the "
                            "member municipality or the partner it is: only connected tenants may sign in. Fill in "
                            "either the municipality or the partner.")),
        FieldPanel("provider", widget=forms.Select), FieldPanel("tenant_id"),
        FieldPanel("municipality", widget=forms.Select), FieldPanel("partner", widget=forms.Select),
    ])

    def get_queryset(self, request):
        return TenantLink.objects.select_related("provider", "municipality", "partner")


register_snippet(TenantLinkViewSet)


@hooks.register("register_admin_urls")
def register_governance_urls():
    return [
        path("governance/turnover/", bureau_only(admin_views.TurnoverView.as_view()), name="governance_turnover"),
        path("governance/vacancies/", bureau_only(admin_views.VacanciesView.as_view()), name="governance_vacancies"),
        path("governance/vacancies/<int:pk>/fill/", bureau_only(admin_views.VacancyFillView.as_view()),
             name="governance_vacancy_fill"),
        path("governance/requests/<int:pk>/decide/", bureau_only(admin_views.RequestDecideView.as_view()),
             name="governance_request_decide"),
        path("governance/people/<int:pk>/invite/", bureau_only(admin_views.PersonInviteView.as_view()),
             name="governance_person_invite"),
        path("governance/people/<int:pk>/erase/", bureau_only(PersonEraseView.as_view()),
             name="governance_person_erase"),
    ]


@hooks.register("register_log_actions")
def register_governance_log_actions(actions):
    actions.register_action(services.POSITION_ENDED, _("Term ended"), _("Term ended"))
    actions.register_action(admin_views.INVITATION_CREATED, _("Invitation created"), _("Invitation created"))
