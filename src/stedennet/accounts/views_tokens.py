"""My API tokens (``/mijn/api-tokens/``): a signed-in person makes personal tokens for the open
API (``stedennet.api``), sees them listed by their first characters, and revokes them.

A token is Wagtail's ``APIToken``: only its HMAC is stored, so the token itself is shown once,
on the page that answers the POST that made it (never put in the session or a redirect). With
it, the API sees what its owner may see, nothing more; a revoked one is refused with 401.

Who may: anyone signed in (``access("signed-in")``), and only for their own tokens.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST
from wagtail.models import APIToken

from stedennet.accounts.selectors import tokens_of
from stedennet.accounts.services import TokenRefused, token_create, token_revoke
from stedennet.web.access import access
from stedennet.web.forms import style_widgets

signed_in = access("signed-in")


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100,
                           help_text=gettext_lazy("What the token is for, e.g. the script or program that uses it."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        style_widgets(self)


def _page(request: HttpRequest, form: TokenForm, *, new_token: str = "", new: APIToken | None = None,
          status: int = 200) -> HttpResponse:
    return render(request, "accounts/tokens/token_list.html", {
        "form": form, "tokens": list(tokens_of(request.user)), "new_token": new_token, "new": new,
        "schema_url": request.build_absolute_uri("/api/v1/openapi.json"),
    }, status=status)


@signed_in
@never_cache
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        token, plaintext = token_create(user=request.user, name=form.cleaned_data["name"])
    except TokenRefused as refused:
        form.add_error("name", refused)
        return _page(request, form, status=400)
    return _page(request, TokenForm(), new_token=plaintext, new=token)


@signed_in
@require_POST
def token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        token = token_revoke(user=request.user, pk=pk)
    except TokenRefused:
        raise Http404("no such token of yours") from None
    messages.success(request, _("The token “%(name)s” is revoked: programs using it are refused from now on.")
                     % {"name": token.name}, extra_tags="token_revoked")
    return HttpResponseRedirect(reverse("api_tokens:list"))
