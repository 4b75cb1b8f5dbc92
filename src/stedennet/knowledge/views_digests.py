"""Digest pages: choosing none, daily or weekly (``/mijn/samenvatting/``) and unsubscribing from
the link in a digest (``/samenvatting/afmelden/<token>/``).

Who may see what (every view declares it, see ``stedennet.web.access``):
- the settings page: signed-in members, partners and the bureau; anonymous visitors go to the
  sign-in page, other accounts get 403;
- the unsubscribe page: anyone holding the link; the token in it is the authentication. GET shows
  a confirmation with a button; POST stops the digest. The POST needs no CSRF token (the view is
  ``csrf_exempt``, this view only) so that mail programs can unsubscribe in one click (RFC 8058:
  ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``); an unknown token gives 404.
"""

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from stedennet.governance.access import viewer_for
from stedennet.governance.models import Body
from stedennet.knowledge.access import digest_readers
from stedennet.knowledge.digests import (
    subscription_by_token,
    subscription_for,
    subscription_set,
    unsubscribe,
)
from stedennet.knowledge.models import DigestFrequency
from stedennet.web.access import public


class DigestForm(forms.Form):
    frequency = forms.ChoiceField(
        label=gettext_lazy("Digest mail"), choices=DigestFrequency.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
        help_text=gettext_lazy("A mail with what is new in your groups and in the questions you follow. "
                               "Nothing new, no mail."),
    )


@digest_readers
@require_http_methods(["GET", "POST"])
def digest_settings(request: HttpRequest) -> HttpResponse:
    viewer = viewer_for(request.user)
    subscription = subscription_for(request.user)
    form = DigestForm(request.POST or None, initial={"frequency": subscription.frequency})
    if request.method == "POST" and form.is_valid():
        subscription_set(subscription=subscription, frequency=form.cleaned_data["frequency"])
        messages.success(request, _("Saved: %(choice)s.") % {"choice": subscription.get_frequency_display()})
        return redirect("knowledge:digest_settings")
    groups = list(Body.objects.filter(pk__in=list(viewer.body_ids)).order_by("name")) if viewer.body_ids else []
    return render(request, "knowledge/digests/settings.html", {
        "form": form,
        "subscription": subscription,
        "groups": groups,
        "has_person": viewer.person is not None,
    }, status=400 if form.is_bound else 200)


@public
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def digest_unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscription = subscription_by_token(token)
    if subscription is None:
        raise Http404("unknown unsubscribe link")
    done = request.method == "POST"
    if done:
        unsubscribe(subscription=subscription)
    response = render(request, "knowledge/digests/unsubscribe.html", {
        "subscription": subscription,
        "done": done,
        "stopped": subscription.frequency == DigestFrequency.NONE,
        "settings_url": reverse("knowledge:digest_settings"),
    })
    # The token is in the address: keep it out of Referer headers and search engines.
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
