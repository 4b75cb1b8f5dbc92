"""The mirror in the back office, for the network bureau only: the sync's status per category
(cursor, last success, last error, item counts), a warning when no category advanced for a day,
the most recent failures, and "sync now" (POST, CSRF-protected), which enqueues a background sync.

Uses the shared bureau policy of ``accounts.backoffice``; nothing else of other apps.
"""

from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from stedennet.accounts.backoffice import BureauMenuItem, bureau_only
from stedennet.parliament.selectors import sync_status
from stedennet.parliament.services import SYNC_REQUESTED, sync_request

STATUS_URL_NAME = "parliament_sync_status"


class SyncStatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "parliament/admin/sync_status.html"
    page_title = _("Tweede Kamer sync")
    header_icon = "rotate"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_header_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = sync_status()
        hours = status.stale_after.total_seconds() / 3600
        context.update(status=status, now=timezone.now(), stale_hours=f"{hours:g}",
                       sync_now_url=reverse("parliament_sync_now"))
        return context


@bureau_only
@require_POST
def sync_now(request):
    sync_request(user=request.user)
    messages.success(request, gettext("A sync of the Tweede Kamer data has been started in the background."))
    return redirect(STATUS_URL_NAME)


@hooks.register("register_admin_urls")
def register_parliament_urls():
    return [
        path("parliament/sync/", bureau_only(SyncStatusView.as_view()), name=STATUS_URL_NAME),
        path("parliament/sync/now/", sync_now, name="parliament_sync_now"),
    ]


@hooks.register("register_admin_menu_item")
def register_parliament_menu_item():
    return BureauMenuItem(_("Tweede Kamer sync"), reverse(STATUS_URL_NAME), name="parliament-sync",
                          icon_name="rotate", order=270)


@hooks.register("register_log_actions")
def parliament_log_actions(actions):
    actions.register_action(SYNC_REQUESTED, _("Tweede Kamer sync requested"), _("Tweede Kamer sync requested"))
