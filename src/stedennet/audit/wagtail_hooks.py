"""The audit trail in the back office: one read-only page for the bureau (``/admin/audit/``), its
menu item, and on every snippet listing of a tracked model (municipalities, population figures,
positions, ...) an "Audit trail" item per row, which opens that object's history. Nothing here
adds, changes or deletes an event."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button

from stedennet.accounts.backoffice import BureauMenuItem, bureau_only, is_bureau
from stedennet.audit.admin_views import HISTORY_URL_NAME, HistoryView, history_url
from stedennet.audit.tracking import BY_KIND


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [path("audit/", bureau_only(HistoryView.as_view()), name=HISTORY_URL_NAME)]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return BureauMenuItem(_("Audit trail"), reverse(HISTORY_URL_NAME), name="audit-trail", icon_name="history",
                          order=900)


@hooks.register("register_snippet_listing_buttons")
def audit_trail_button(snippet, user, next_url=None):
    kind = snippet._meta.concrete_model._meta.label_lower
    if kind in BY_KIND and is_bureau(user):
        yield Button(_("Audit trail"), url=history_url(object=f"{kind}:{snippet.pk}"), icon_name="history",
                     priority=90)
