"""The accounts app in the back office: identity providers (OpenID Connect) and locked sign-ins."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, HelpPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from stedennet.accounts.admin_views_lockout import lockout_menu_item, lockout_urls
from stedennet.accounts.backoffice import BureauPolicy, PlainSnippetViewSet, yes_no_column
from stedennet.accounts.models import IdentityProvider
from stedennet.accounts.sso import ADMIN_MENU as SIGN_IN_MENU

# --- locked sign-ins (django-axes): the bureau lifts a lock -------------------------------------
hooks.register("register_admin_urls", lockout_urls)
hooks.register("register_admin_menu_item", lockout_menu_item)


# --- identity providers (OpenID Connect): the bureau connects an organisation's sign-in -----------
register_permission_policy(IdentityProvider, BureauPolicy(IdentityProvider))


class IdentityProviderForm(WagtailAdminModelForm):
    """The client secret is never shown again; left empty on an edit, the stored one stays."""

    class Meta:
        widgets = {"client_secret": forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "client_secret" in self.fields:
            self.fields["client_secret"].required = False
            self.fields["client_secret"].help_text = _("Leave empty to keep the stored secret.")

    def clean_client_secret(self):
        secret = self.cleaned_data.get("client_secret", "")
        if not secret and self.instance.pk:
            return IdentityProvider.objects.get(pk=self.instance.pk).client_secret
        return secret


def callback_address(provider: IdentityProvider) -> str:
    return reverse("openid_connect_callback", kwargs={"provider_id": provider.slug})


class IdentityProviderViewSet(PlainSnippetViewSet):
    model = IdentityProvider
    icon = "key"
    menu_label = _("Identity providers")
    menu_order = 0
    copy_view_enabled = False
    list_display = [
        "name", "slug", yes_no_column("multi_tenant", _("Multi-tenant")), yes_no_column("active", _("Active")),
        Column("callback", label=_("Redirect address"), accessor=callback_address),
    ]
    search_fields = ["name", "slug"]
    search_backend_name = None
    ordering = ["name"]
    edit_handler = ObjectList([
        HelpPanel(content=_(
            "Register the redirect address /account/oidc/<short name>/login/callback/ (after this site's address) "
            "with the provider. For a multi-tenant Microsoft Entra app only the connected tenants (each linked to a "
            "member or partner, under Connected tenants) may sign in; a single-tenant provider's issuer must match "
            "exactly. Accounts made by a sign-in get no role until a person with the same verified e-mail address "
            "is found or the bureau gives one.")),
        FieldPanel("name"), FieldPanel("slug"), FieldPanel("server_url"), FieldPanel("client_id"),
        FieldPanel("client_secret"), FieldPanel("multi_tenant"), FieldPanel("active"),
    ], base_form_class=IdentityProviderForm)


class SignInGroup(SnippetViewSetGroup):
    menu_label = _("Sign-in")
    menu_icon = "key"
    menu_order = 900
    items = (IdentityProviderViewSet,)
    submenu_hook = SIGN_IN_MENU  # governance: the connected tenants


register_snippet(SignInGroup)
