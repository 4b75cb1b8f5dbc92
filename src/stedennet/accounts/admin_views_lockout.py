"""The back office's "Locked sign-ins", for the network bureau only: every account and every address
that too many failed sign-ins have locked, until when, and "Unlock" (POST, CSRF-protected), which
removes the recorded failures of that account or that address (``lockout.unlock``).

Registered in ``accounts.wagtail_hooks`` (``lockout_urls``, ``lockout_menu_item``).
"""

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from stedennet.accounts.backoffice import BureauMenuItem, bureau_only
from stedennet.accounts.lockout import ACCOUNT, ADDRESS, cool_off_minutes, locked_sign_ins, unlock

LIST_URL_NAME = "accounts_locked_sign_ins"
UNLOCK_URL_NAME = "accounts_unlock_sign_in"


class LockedSignInsView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "accounts/admin/locked_sign_ins.html"
    page_title = _("Locked sign-ins")
    header_icon = "lock"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_header_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locks = locked_sign_ins()
        context.update(
            accounts=[lock for lock in locks if lock.kind == ACCOUNT],
            addresses=[lock for lock in locks if lock.kind == ADDRESS],
            unlock_url=reverse(UNLOCK_URL_NAME),
            account=ACCOUNT,
            address=ADDRESS,
            limit=settings.AXES_FAILURE_LIMIT,
            cool_off_minutes=cool_off_minutes(),
        )
        return context


@bureau_only
@require_POST
def unlock_sign_in(request):
    kind, value = request.POST.get("kind", ""), request.POST.get("value", "").strip()
    if kind not in (ACCOUNT, ADDRESS) or not value:
        return HttpResponseBadRequest("kind (account or address) and value are required")
    if unlock(kind=kind, value=value, by=request.user):
        if kind == ACCOUNT:
            messages.success(request, gettext("The account %(name)s can sign in again.") % {"name": value})
        else:
            messages.success(request, gettext("Sign-ins from %(address)s are possible again.") % {"address": value})
    else:
        messages.warning(request, gettext("There was no lock to lift: it had already ended or been lifted."))
    return redirect(LIST_URL_NAME)


locked_sign_ins_view = bureau_only(LockedSignInsView.as_view())


def lockout_urls():
    return [
        path("accounts/locked-sign-ins/", locked_sign_ins_view, name=LIST_URL_NAME),
        path("accounts/locked-sign-ins/unlock/", unlock_sign_in, name=UNLOCK_URL_NAME),
    ]


def lockout_menu_item():
    return BureauMenuItem(_("Locked sign-ins"), reverse(LIST_URL_NAME), name="locked-sign-ins",
                          icon_name="lock", order=280)
