"""The member letter in the back office beyond the snippet listings, for the bureau only (403 for
anyone else; every view is wrapped in ``bureau_only`` in ``wagtail_hooks``):

- a new letter from the draft (GET: what it will be composed from; POST: ``letter_draft_create``,
  then its edit page, already under its number);
- the preview as mail (subject, the HTML part in a sandboxed frame that loads nothing, the text
  part) and as web page, and the test send to one's own address (``letter_test_send``);
- the send step: the plan (recipients counted by role, subscribers, the members without a
  griffie or college address, what refuses it), then ``letter_send``; pressing twice sends
  nothing twice;
- the progress page, whose ``<progress>`` bar and counts (``data-sent``, ``data-failed``,
  ``data-bounced``, ``data-to-go``, ``data-done``) are refreshed every second by htmx from the
  fragment until the mailing is done (the fragment then comes without its trigger, and answers
  286, htmx's "stop polling"); each poll lets ``letter_finish`` move a finished letter to sent;
- withdrawing a draft, and unsubscribing a subscriber.
Every change goes through ``letters.services``; a refusal is shown with its code."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from stedennet.letters import selectors, services
from stedennet.letters.compose import compose
from stedennet.letters.constants import PUBLISHED, AddressRole, LetterStatus, SubscriberStatus
from stedennet.letters.models import Letter, Subscriber
from stedennet.letters.rendering import letter_date, mail_parts, personalised, web_html
from stedennet.mail.constants import URL_MARKER
from stedennet.registry.selectors import network_current

LETTERS_URL = "wagtailsnippets_letters_letter:list"
SUBSCRIBERS_URL = "wagtailsnippets_letters_subscriber:list"
# The HTML part is shown as a document of its own that may load and run nothing.
HTML_PART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
STOP_POLLING = 286  # htmx stops polling on this status


def edit_url(letter: Letter) -> str:
    return reverse("wagtailsnippets_letters_letter:edit", args=[letter.pk])


def preview_url(letter: Letter) -> str:
    return reverse("letters_preview", args=[letter.pk])


def web_preview_url(letter: Letter) -> str:
    return reverse("letters_preview_web", args=[letter.pk])


def send_url(letter: Letter) -> str:
    return reverse("letters_send", args=[letter.pk])


def progress_url(letter: Letter) -> str:
    return reverse("letters_progress", args=[letter.pk])


def withdraw_url(letter: Letter) -> str:
    return reverse("letters_withdraw", args=[letter.pk])


def _refusal_message(request, error: ValidationError) -> None:
    code = getattr(error, "code", None) or "refused"
    messages.error(request, "; ".join(error.messages), extra_tags=f"refusal-{code}")


class LettersAdminView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "mail"
    parent_label = _("Member letters")
    parent_url_name = LETTERS_URL

    def get_breadcrumbs_items(self):
        items = [*self.breadcrumbs_items, {"url": reverse(self.parent_url_name), "label": str(self.parent_label)}]
        return [*items, {"url": "", "label": self.get_page_title()}]


class LetterView(LettersAdminView):
    """A page about one letter."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.letter = get_object_or_404(Letter.objects.select_related("mailing", "created_by", "sent_by"),
                                        pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.letter)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter = self.letter
        context.update(letter=letter, edit_url=edit_url(letter), preview_url=preview_url(letter),
                       web_preview_url=web_preview_url(letter), send_url=send_url(letter),
                       progress_url=progress_url(letter), withdraw_url=withdraw_url(letter),
                       history_url=reverse("wagtailsnippets_letters_letter:history", args=[letter.pk]),
                       is_draft=letter.status == LetterStatus.DRAFT)
        return context


# --- a new letter ---------------------------------------------------------------------------

class LetterNewView(LettersAdminView):
    """What a new draft will be composed from; POST makes it (numbered) and opens its edit page."""

    template_name = "letters/admin/new.html"
    page_title = _("New member letter from the draft")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        now = timezone.now()
        since = min(selectors.draft_since(now), now)
        context.update(since=since, previous=selectors.previous_letter(), sections=compose(since, now),
                       action_url=self.request.path)
        return context

    def post(self, request, *args, **kwargs):
        try:
            letter = services.letter_draft_create(by=request.user)
        except ValidationError as error:
            _refusal_message(request, error)
            return redirect(request.path)
        messages.success(request, gettext("%(reference)s is a draft now: edit it, preview it, then send it.")
                         % {"reference": letter.reference}, extra_tags="letter-created")
        return redirect(edit_url(letter))


# --- previews and the test send ---------------------------------------------------------------

class LetterPreviewView(LetterView):
    template_name = "letters/admin/preview.html"
    page_title = _("Preview as mail")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        parts = mail_parts(self.letter)
        text, _html = personalised(parts)
        context.update(subject=parts.subject, text=text,
                       subscriber_tail=parts.unsubscribe_text.replace(URL_MARKER, "…"),
                       html_url=reverse("letters_preview_html", args=[self.letter.pk]),
                       test_url=reverse("letters_test_send", args=[self.letter.pk]),
                       own_address=self.request.user.email)
        return context


@xframe_options_sameorigin
def letter_preview_html(request, pk: int):
    """The HTML part alone, for the sandboxed frame of the preview: no scripts, nothing loaded."""
    letter = get_object_or_404(Letter, pk=pk)
    _text, html = personalised(mail_parts(letter))
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_PART_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


def letter_preview_web(request, pk: int):
    """The letter as the public site will show it once sent."""
    letter = get_object_or_404(Letter, pk=pk)
    return render(request, "letters/letter.html", {"letter": letter, "body": web_html(letter),
                                                   "date": letter_date(letter), "preview": True})


def letter_test_send(request, pk: int):
    """POST: the letter's mail to the signed-in user's own address (``services.letter_test_send``)."""
    letter = get_object_or_404(Letter, pk=pk)
    try:
        services.letter_test_send(letter, to=request.user.email, by=request.user)
    except ValidationError as error:
        _refusal_message(request, error)
    else:
        messages.success(request, gettext("A test of %(reference)s is on its way to %(address)s.")
                         % {"reference": letter.reference, "address": request.user.email}, extra_tags="test-sent")
    return redirect(preview_url(letter))


# --- sending ------------------------------------------------------------------------------------

class LetterSendView(LetterView):
    """The plan before sending, and the send button (POST: ``services.letter_send``)."""

    template_name = "letters/admin/send.html"
    page_title = _("Send the member letter")

    def get(self, request, *args, **kwargs):
        if self.letter.status in PUBLISHED:
            return redirect(progress_url(self.letter))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        network = network_current()
        plan = selectors.send_plan(network=network) if network else None
        context.update(plan=plan, roles=[(role, label, plan.by_role.get(role, 0) if plan else 0)
                                         for role, label in AddressRole.choices],
                       refusal=plan.refusal if plan else "no_network",
                       addresses_url=reverse("wagtailsnippets_letters_distributionaddress:list"))
        return context

    def post(self, request, *args, **kwargs):
        try:
            letter = services.letter_send(self.letter, by=request.user)
        except ValidationError as error:
            _refusal_message(request, error)
            return redirect(request.path)
        messages.success(request, gettext("%(reference)s is being sent.") % {"reference": letter.reference},
                         extra_tags="letter-sending")
        return redirect(progress_url(letter))


def _progress_context(letter: Letter) -> dict:
    if letter.status == LetterStatus.SENDING:
        letter = services.letter_finish(letter)
    progress = selectors.letter_progress(letter)
    return {"letter": letter, "progress": progress,
            "fragment_url": reverse("letters_progress_fragment", args=[letter.pk])}


class LetterProgressView(LetterView):
    template_name = "letters/admin/progress.html"
    page_title = _("Sending progress")

    def get(self, request, *args, **kwargs):
        if self.letter.status not in PUBLISHED:
            draft = self.letter.status == LetterStatus.DRAFT
            return redirect(send_url(self.letter) if draft else preview_url(self.letter))
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_progress_context(self.letter))
        context.update(archive_url=self.letter.get_absolute_url())
        return context


def letter_progress_fragment(request, pk: int):
    """The bar and the counts, for htmx's polling; 286 (stop polling) once done."""
    letter = get_object_or_404(Letter.objects.select_related("mailing"), pk=pk)
    if letter.status not in PUBLISHED:
        raise Http404("this letter is not being sent")
    context = _progress_context(letter)
    response = render(request, "letters/admin/_progress.html", context)
    if context["progress"].done:
        response.status_code = STOP_POLLING
    response["Cache-Control"] = "no-store"
    return response


# --- withdrawing, unsubscribing ---------------------------------------------------------------

class LetterWithdrawView(LetterView):
    template_name = "letters/admin/withdraw.html"
    page_title = _("Withdraw the draft")

    def post(self, request, *args, **kwargs):
        try:
            letter = services.letter_withdraw(self.letter, by=request.user)
        except ValidationError as error:
            _refusal_message(request, error)
            return redirect(request.path)
        messages.success(request, gettext("%(reference)s is withdrawn; its number is not used again.")
                         % {"reference": letter.reference}, extra_tags="letter-withdrawn")
        return redirect(reverse(LETTERS_URL))


class SubscriberUnsubscribeView(LettersAdminView):
    template_name = "letters/admin/unsubscribe.html"
    page_title = _("Stop the member letter for a subscriber")
    parent_label = _("Subscribers")
    parent_url_name = SUBSCRIBERS_URL

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.subscriber = get_object_or_404(Subscriber, pk=kwargs["pk"])

    def get_page_subtitle(self):
        return str(self.subscriber)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(subscriber=self.subscriber,
                       stopped=self.subscriber.status == SubscriberStatus.UNSUBSCRIBED)
        return context

    def post(self, request, *args, **kwargs):
        subscriber = services.subscriber_unsubscribe(self.subscriber)
        messages.success(request, gettext("%(address)s receives no more member letters.")
                         % {"address": subscriber.email}, extra_tags="subscriber-unsubscribed")
        return redirect(reverse(SUBSCRIBERS_URL))
