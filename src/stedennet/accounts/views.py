"""Sign-in doors: the site's own sign-in and sign-out for members and partners, accepting an
invitation, and the back office's logout that Wagtail leaves open.

Who may see what (every view declares it, see ``stedennet.web.access``): all of them anyone, but
removing a passkey (signed in). The sign-in and sign-out pages are allauth's views with our
templates, so the second factor is a step of the same flow; the admins' own sign-in doors lead to
``/inloggen/``.
"""

from urllib.parse import urlencode

from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import LogoutView as AllauthLogoutView
from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.webauthn.views import RemoveWebAuthnView
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from stedennet.accounts.forms import InvitationAcceptForm, SignInForm
from stedennet.accounts.landing import landing_for, landing_url
from stedennet.accounts.services import InvitationRefused, invitation_accept, invitation_check
from stedennet.web.access import access, public
from stedennet.web.refusals import add_refusal

# --- sign in and out ---------------------------------------------------------------------------


class SignInView(AllauthLoginView):
    """The one sign-in page, for members, partners and staff: allauth's flow (so a second factor,
    where the account has one, is asked as the next step); afterwards ``?next`` (same site only)
    or the page the user lands on (``landing``: my groups, or for partners what is shared with
    them). Someone already signed in sees who and may sign in as someone else."""

    template_name = "accounts/auth/login.html"
    form_class = SignInForm

    def get_form_class(self):
        return self.form_class

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["next"] = self.request.POST.get("next") or self.request.GET.get("next", "")
        if self.request.user.is_authenticated:
            context["landing"] = landing_for(self.request.user)
        return context


class SignOutView(AllauthLogoutView):
    """GET shows a sign-out button (so a plain link can lead here); POST signs out."""

    template_name = "accounts/auth/logout.html"

    def get(self, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_redirect_url(self) -> str:
        return self.get_next_url() or "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Sign out")
        return context


sign_in = public(SignInView.as_view())
sign_out = public(SignOutView.as_view())


@public
def back_office_sign_in(request: HttpRequest) -> HttpResponse:
    """The old sign-in doors of the Wagtail and Django admins: both lead to the one sign-in page."""
    next_url = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        next_url = "/django-admin/" if request.path.startswith("/django-admin/") else "/admin/"
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{urlencode({'next': next_url})}")


class RemovePasskeyView(RemoveWebAuthnView):
    """allauth's passkey removal asks the MFA adapter nothing; ours does, so that staff keep their
    last factor (``MFAAdapter.can_delete_authenticator``), as TOTP deactivation already does."""

    def form_valid(self, form):
        if not get_mfa_adapter().can_delete_authenticator(self.get_object()):
            messages.error(self.request, _("The back office needs a second factor: add another before removing this "
                                           "one."), extra_tags="cannot_delete_authenticator")
            return HttpResponseRedirect(reverse("mfa_list_webauthn"))
        return super().form_valid(form)


remove_passkey = access("signed_in")(RemovePasskeyView.as_view())


# --- invitations -------------------------------------------------------------------------------


@public
@sensitive_post_parameters("password1", "password2")
@never_cache
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """Accept an invitation: choose a username and a password, then you are signed in."""
    try:
        invite = invitation_check(token)
    except InvitationRefused as refused:
        status = 404 if refused.code == "unknown" else 410
        return render(request, "accounts/auth/invitation_invalid.html",
                      {"reason": " ".join(refused.messages)}, status=status)
    form = InvitationAcceptForm(request.POST or None, invitation=invite)
    if request.method == "POST" and form.is_valid():
        try:
            user = invitation_accept(token=token, username=form.cleaned_data["username"],
                                     password=form.cleaned_data["password1"])
        except InvitationRefused as refused:
            add_refusal(form, refused)
        except ValidationError as invalid:  # the password validators, checked again at the last moment
            form.add_error("password1", invalid)
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[-1])
            messages.success(request, _("Welcome, %(name)s. Your account is ready.") % {"name": invite.name})
            return HttpResponseRedirect(landing_url(user))
    subject = invite.subject
    return render(request, "accounts/auth/invitation.html", {
        "form": form, "invitation": invite, "name": invite.name,
        "organisation": getattr(subject, "organisation", None) if subject is not None else None,
    })


# --- the back office ------------------------------------------------------------------------------


class BackOfficeLogoutView(WagtailLogoutView):
    """Wagtail's logout answers a GET with 405 but still deletes the session cookie, so a link or
    an image on any page could sign a person out. Only a POST (with its CSRF token) signs out."""

    http_method_names = ["post", "options"]

    def dispatch(self, request, *args, **kwargs):
        if request.method.lower() not in self.http_method_names:
            return self.http_method_not_allowed(request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)


back_office_logout = public(BackOfficeLogoutView.as_view())
