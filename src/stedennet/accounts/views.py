"""Sign-in doors: the site's own sign-in and sign-out for members and partners, accepting an
invitation, and the back office's logout that Wagtail leaves open.

Who may see what (every view declares it, see ``stedennet.web.access``): all of them anyone.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView, LogoutView
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from wagtail.admin.views.account import LogoutView as WagtailLogoutView

from stedennet.accounts.forms import InvitationAcceptForm, SignInForm
from stedennet.accounts.landing import landing_for, landing_url
from stedennet.accounts.services import InvitationRefused, invitation_accept, invitation_check
from stedennet.web.access import public
from stedennet.web.refusals import add_refusal

# --- sign in and out ---------------------------------------------------------------------------


class SignInView(LoginView):
    """The site's own sign-in for members and partners; afterwards ``?next`` (same site only) or
    the page the user lands on (``landing``: my groups, or for partners what is shared with them)."""

    template_name = "accounts/auth/login.html"
    form_class = SignInForm

    def get_default_redirect_url(self):
        return landing_url(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.is_authenticated:
            context["landing"] = landing_for(self.request.user)
        return context


class SignOutView(LogoutView):
    """GET shows a sign-out button (so a plain link can lead here); POST signs out."""

    http_method_names = ["get", "post", "options"]
    template_name = "accounts/auth/logout.html"
    next_page = "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("Sign out")
        return context


sign_in = public(SignInView.as_view())
sign_out = public(SignOutView.as_view())


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
