"""The public pages of the member letter (namespace "letters"), all ``@public``: the letter goes
to colleges and councils and is public information once sent.

- ``/ledenbrieven/``: the sent letters by year; ``/ledenbrieven/<year>/<number>/``: one letter
  as a web page (a draft or withdrawn letter is a 404, as one that does not exist);
  ``/ledenbrieven/feed.atom``: the Atom feed;
- ``/ledenbrieven/aanmelden/``: subscribe (double opt-in): the form, then the page that says a
  mail is on its way, whatever the address (so the page tells nobody who subscribed);
  ``/ledenbrieven/aanmelden/<token>/``: the confirmation link (GET shows a button, POST confirms:
  mail programs that open links for a preview confirm nothing);
- ``/ledenbrieven/afmelden/<token>/``: unsubscribe. GET shows a confirmation with a button; POST
  unsubscribes. The POST needs no CSRF token and no sign-in (``csrf_exempt``, these two views
  only; the token is the authentication) so that mail programs can unsubscribe in one click
  (RFC 8058: ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``, sent as the POST's body).
  An unknown token gives 404.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from stedennet.letters import selectors, services
from stedennet.letters.constants import SubscriberStatus
from stedennet.letters.feeds import LettersFeed
from stedennet.letters.rendering import letter_date, web_html
from stedennet.web.access import public
from stedennet.web.forms import StyledForm
from stedennet.web.refusals import add_refusal


@public
@require_GET
def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "letters/archive.html", {"years": selectors.archive_by_year()})


@public
@require_GET
def letter(request: HttpRequest, year: str, number: str) -> HttpResponse:
    found = selectors.published_letter(int(year), int(number))
    if found is None:
        raise Http404("no such letter, or not sent")
    return render(request, "letters/letter.html", {"letter": found, "body": web_html(found),
                                                   "date": letter_date(found)})


_feed = LettersFeed()


@public
@require_GET
def feed(request: HttpRequest) -> HttpResponse:
    return _feed(request)


class SubscribeForm(StyledForm):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))


@public
@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    form = SubscribeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.subscriber_subscribe(email=form.cleaned_data["email"], name=form.cleaned_data["name"])
        except ValidationError as refused:
            add_refusal(form, refused, "email")
        else:
            return redirect("letters:subscribe_sent")
    return render(request, "letters/subscribe.html", {"form": form}, status=400 if form.is_bound else 200)


@public
@require_GET
def subscribe_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "letters/subscribe_sent.html")


def _private(response: HttpResponse) -> HttpResponse:
    # The token is in the address: keep it out of Referer headers to other sites and out of search
    # engines. (Not "no-referrer": the browser would then send "Origin: null" with the confirm
    # button's POST, which Django's CSRF check refuses.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@public
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = selectors.subscriber_by_token(token)
    if subscriber is None:
        raise Http404("unknown confirmation link")
    refusal = None
    if request.method == "POST":
        try:
            subscriber = services.subscriber_confirm(subscriber)
        except ValidationError as refused:
            refusal = refused
    return _private(render(request, "letters/confirm.html", {
        "subscriber": subscriber, "confirmed": subscriber.status == SubscriberStatus.CONFIRMED,
        "refusal": refusal, "refusal_code": getattr(refusal, "code", ""),
    }, status=409 if refusal else 200))


@public
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    subscriber = selectors.subscriber_by_token(token)
    if subscriber is None:
        raise Http404("unknown unsubscribe link")
    done = request.method == "POST"
    if done:
        subscriber = services.subscriber_unsubscribe(subscriber)
    return _private(render(request, "letters/unsubscribe.html", {
        "subscriber": subscriber, "done": done,
        "stopped": subscriber.status == SubscriberStatus.UNSUBSCRIBED,
    }))
