"""The back office (Wagtail) for every domain app: who may do what, and the parts our listings share.

- ``is_bureau``: an active superuser, or an active user in the Netwerkbureau group with access
  to the admin (cached on the user object for the request).
- ``BureauPolicy``: Django's model permissions or membership of the bureau, limited to the
  ``actions`` a model allows at all (an issued invoice is never edited, a position never deleted).
- ``bureau_only``: our own admin views; anyone else gets 403.
- ``PolicyChecked``: our subclasses of Wagtail's model views, declared for AccessPolicyMiddleware.
- ``ReadOnlyViewSet``: a listing and an inspect view only (issued invoices, meetings, requests).
- Columns: ``LinkColumn``, ``MoneyColumn``, ``RateColumn``, ``demo_column``, ``yes_no_column``.
- ``BureauMenuItem``: a menu item only the bureau sees.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import MediaContainer
from wagtail.admin.ui.tables import Column, StatusFlagColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.snippets.views.snippets import CreateView, EditView, IndexView, SnippetViewSet

from stedennet.accounts.constants import Role
from stedennet.web.access import access
from stedennet.web.formats import euro, rate_display
from stedennet.web.refusals import add_refusal

ALL_ACTIONS = frozenset({"add", "change", "delete", "view"})
READ_ONLY = frozenset({"view"})


def is_bureau(user) -> bool:
    if user is None or isinstance(user, AnonymousUser) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not hasattr(user, "_stedennet_is_bureau"):
        user._stedennet_is_bureau = (
            user.has_perm("wagtailadmin.access_admin") and user.groups.filter(name=Role.BUREAU).exists()
        )
    return user._stedennet_is_bureau


class BureauPolicy(ModelPermissionPolicy):
    def __init__(self, model, actions=ALL_ACTIONS):
        super().__init__(model)
        self.actions = frozenset(actions)

    def user_has_permission(self, user, action):
        if action not in self.actions:
            return False
        return super().user_has_permission(user, action) or is_bureau(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        actions = [action for action in actions if action in self.actions]
        users = get_user_model().objects
        if not actions:
            return users.none()
        permitted = super().users_with_any_permission(actions).values("pk")
        return users.filter(Q(pk__in=permitted) | Q(is_active=True, groups__name=Role.BUREAU)).distinct()


def _refuse(request):
    return permission_denied(request, PermissionDenied())


# Wagtail's own wrapper has already sent visitors without admin access to the login page.
bureau_only = access(f"roles:{Role.BUREAU}", is_bureau, sign_in=False, denied=_refuse)
bureau_only.__doc__ = "Our own admin views: the bureau (and superusers); anyone else gets 403."


class PolicyChecked:
    """Wagtail's admin check and the model's permission policy decide, as for Wagtail's own views."""

    @classmethod
    def as_view(cls, **initkwargs):
        return access("wagtail-permission-policy", sign_in=False)(super().as_view(**initkwargs))


# --- listings --------------------------------------------------------------------------------

@access("wagtail-admin", sign_in=False)  # answers 404 to everyone Wagtail lets in
def not_here(request, *args, **kwargs):
    raise Http404("Not added, changed or deleted in the back office.")


class WithoutEditing:
    """For a Wagtail view set: no add, edit or delete view behind its URLs (each answers 404)."""

    copy_view_enabled = False

    @cached_property
    def add_view(self):
        return not_here

    @cached_property
    def edit_view(self):
        return not_here

    @cached_property
    def delete_view(self):
        return not_here


class ReadOnlyViewSet(WithoutEditing, SnippetViewSet):
    """A listing and an inspect view; no add, edit, copy or delete view behind the URLs. Links to
    an object from elsewhere in the admin (history, search) go to its inspect view."""

    inspect_view_enabled = True

    @property
    def url_finder_class(self):
        inspect_name = self.get_url_name("inspect")
        model = self.model

        class InspectURLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                return reverse(inspect_name, args=[instance.pk])

            def get_edit_url(self, instance):
                if self.user and not BureauPolicy(model, READ_ONLY).user_has_permission(self.user, "view"):
                    return None
                return self.construct_edit_url(instance)

        return InspectURLFinder


# --- columns ---------------------------------------------------------------------------------

class LinkColumn(Column):
    """A link per row (when there is one), its text followed by the row's name for screen readers."""

    cell_template_name = "accounts/backoffice/link_cell.html"

    def __init__(self, name, *, text, url: Callable, **kwargs):
        super().__init__(name, **kwargs)
        self.text = text
        self.url = url

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context.update(text=self.text, url=self.url(instance), row_name=str(instance))
        return context


class MoneyColumn(Column):
    """An amount in euros, Dutch notation."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = euro(context["raw_value"])
        return context


class RateColumn(Column):
    """A rate per inhabitant in euros, with as many decimals as it has (at least two)."""

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = rate_display(context["raw_value"])
        return context


def demo_column(name: str = "is_demo", accessor=None) -> StatusFlagColumn:
    """The demo flag; ``accessor`` for rows that show demo data of related rows (a demo person, a demo body)."""
    return StatusFlagColumn(name, label=_("Demo data"), true_label=_("Demo data"), accessor=accessor)


def yes_no_column(name: str, label, accessor=None) -> Column:
    def value(instance):
        raw = accessor(instance) if accessor else getattr(instance, name)
        return gettext("Yes") if raw else gettext("No")

    return Column(name, label=label, accessor=value)


# --- menus -----------------------------------------------------------------------------------

class BureauMenuItem(MenuItem):
    """A menu item only the bureau sees."""

    def is_shown(self, request):
        return is_bureau(request.user)


class PlainForm:
    """A create or edit page without the side panel and the header's dropdown (markup the HTML
    checker refuses); its links are header buttons: ``extra_header_buttons`` (label, URL, icon),
    then the object's history."""

    def get_side_panels(self):
        return MediaContainer([])

    @cached_property
    def header_more_buttons(self):
        return []

    def extra_header_buttons(self) -> list[tuple[str, str, str]]:
        return []

    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        for priority, (label, url, icon) in enumerate(self.extra_header_buttons(), start=15):
            buttons.append(HeaderButton(label, url=url, icon_name=icon, priority=priority))
        if getattr(self, "object", None) is not None and self.object.pk:
            buttons.append(HeaderButton(gettext("History"), url=self.get_history_url(), icon_name="history",
                                        priority=40))
        return buttons


class PlainListing:
    """A listing without Wagtail's dropdown menus, whose markup the HTML checker refuses (a
    ``type`` attribute on a ``div``, a ``div`` inside a ``button``): the actions are link columns
    and the add button; a listing is filtered by its query rather than Wagtail's drill-down."""

    @cached_property
    def header_more_buttons(self):
        return []

    def get_list_buttons(self, instance):
        return []


class PlainIndexView(PlainListing, PolicyChecked, IndexView):
    """A snippet listing with the plain markup, checked by the model's permission policy."""


class PlainCreateView(PlainForm, PolicyChecked, CreateView):
    """A snippet's create page with the plain markup, checked by the model's permission policy."""


class PlainEditView(PlainForm, PolicyChecked, EditView):
    """A snippet's edit page with the plain markup, checked by the model's permission policy."""


class PlainSnippetViewSet(SnippetViewSet):
    """A snippet kept in the back office with nothing but the plain listing, create and edit pages."""

    index_view_class = PlainIndexView
    add_view_class = PlainCreateView
    edit_view_class = PlainEditView


class RefusalShown:
    """A refusal of a service while saving (a ``ValidationError``, ``Refused`` among them) is shown
    on the form: on its own field, or on ``refused_field``."""

    refused_field: str | None = None

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            add_refusal(form, error, self.refused_field)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)
