"""The second factor for the back office.

Whoever may open a back office (a superuser, or anyone with ``wagtailadmin.access_admin``: wider
than the bureau role, so a future editor role is covered too) opens no page under ``/admin/`` or
``/django-admin/`` before a second factor is set up *and* used in this session:

- no TOTP and no passkey yet → to the TOTP activation page (``?next=`` the page asked for);
- one, but this session shows no use of it → to allauth's reauthentication with the factor;
- used (allauth records every TOTP, recovery-code and passkey use in the session, also when
  reauthenticating; setting up a factor counts as using it, as activation takes a valid code) →
  the page opens.

It acts on the path, not on the view, so every back-office address is covered, including the
404s under ``/admin/``. allauth's own stage asks the code at sign-in for everyone who has a
factor (members may add one too); this middleware is only the rule that staff must.
"""

from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.webauthn import forms as webauthn_forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from stedennet.accounts.adapters import SECOND_FACTOR_TYPES, may_open_back_office

BACK_OFFICE_PREFIXES = ("/admin/", "/django-admin/")
# Doors out (and the old sign-in doors, which only lead to /inloggen/) stay open.
EXEMPT_PATHS = frozenset({"/admin/logout/", "/admin/login/", "/django-admin/login/", "/django-admin/logout/"})
# Where the back office was asked for: the pages of the second factor offer a way back to it.
NEXT_SESSION_KEY = "second_factor_next"


def has_second_factor(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type__in=SECOND_FACTOR_TYPES).exists()


def used_second_factor(request) -> bool:
    """Whether this session shows a use of a second factor by its user."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def is_back_office_path(path: str) -> bool:
    return path.startswith(BACK_OFFICE_PREFIXES) and path not in EXEMPT_PATHS


def second_factor_redirect(request) -> HttpResponseRedirect | None:
    """The redirect ``request`` needs before the back office opens, or None."""
    user = request.user
    if not is_back_office_path(request.path_info) or not may_open_back_office(user):
        return None
    if used_second_factor(request):  # staff cannot remove their last factor (MFAAdapter)
        if NEXT_SESSION_KEY in request.session:
            del request.session[NEXT_SESSION_KEY]
        return None
    next_url = request.get_full_path()
    request.session[NEXT_SESSION_KEY] = next_url
    if has_second_factor(user):
        target = reverse("mfa_reauthenticate")
    else:
        messages.info(request, _("The back office needs a second factor: set up an authenticator app first."),
                      extra_tags="second_factor_required")
        target = reverse("mfa_activate_totp")
    return HttpResponseRedirect(f"{target}?{urlencode({'next': next_url})}")


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return second_factor_redirect(request) or self.get_response(request)


def record_factor_added(request, user, factor_type: str) -> None:
    """Activating a TOTP or adding a passkey takes a valid code or signature: it counts as a use
    in this session (recorded as allauth records a use, so the one check above sees it)."""
    record_authentication(request, user, "mfa", type=factor_type, added=True, reauthenticated=True)


class ActivateTOTPForm(totp_forms.ActivateTOTPForm):
    """allauth's TOTP activation (``MFA_FORMS``); a valid code counts as used."""

    def clean_code(self) -> str:
        code = super().clean_code()
        record_factor_added(context.request, self.user, Authenticator.Type.TOTP)
        return code


class AddWebAuthnForm(webauthn_forms.AddWebAuthnForm):
    """allauth's passkey registration (``MFA_FORMS``); a valid signature counts as used."""

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("credential") and not self.errors:
            record_factor_added(context.request, self.user, Authenticator.Type.WEBAUTHN)
        return cleaned
