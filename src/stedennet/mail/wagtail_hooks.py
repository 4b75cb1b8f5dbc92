"""The outbox in the back office ("Uitgaande mail"), for the network bureau only: every mail the
platform sent or tries to send, with its status, attempts and the last error; a mail's page shows
the message (text, the HTML part in a sandboxed frame that loads nothing, the attachments) and,
for a mail that failed, "retry now". Read-only: a mail is never added, changed or deleted here.

The back-office glue is the only module of ``stedennet.mail`` that uses another of our apps above
the ground floor: the shared bureau policy in ``accounts.backoffice``. The "retry now" is in the
audit trail, written by ``mail_retry_now``.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from stedennet.accounts.backoffice import READ_ONLY, BureauPolicy, PolicyChecked, WithoutEditing, bureau_only, not_here
from stedennet.mail.constants import LOG_MAILING_CREATED, LOG_MAILING_STARTED, LOG_RETRIED, MailStatus
from stedennet.mail.models import OutgoingMail
from stedennet.mail.selectors import mail_content, outbox
from stedennet.mail.services import MailRefused, in_flight, mail_retry_now

# The HTML part is shown as a document of its own that may load and run nothing.
HTML_PART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"

register_permission_policy(OutgoingMail, BureauPolicy(OutgoingMail, actions=READ_ONLY))


class ErrorColumn(Column):
    def get_value(self, instance):
        error = instance.last_error
        return error if len(error) <= 80 else error[:79] + "…"


class WholeSecondsDateColumn(DateColumn):
    """Wagtail's date cell writes ``datetime="…"`` with microseconds, which HTML does not allow."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return value.replace(microsecond=0) if value else value


class OutboxIndexView(PolicyChecked, IndexView):
    """Every mail, newest first; ``?status=failed`` (or another status) shows only those."""

    def get_base_queryset(self):
        mails = outbox()
        status = self.request.GET.get("status")
        if status in MailStatus.values:
            mails = mails.filter(status=status)
        return mails


class OutboxInspectView(PolicyChecked, InspectView):
    template_name = "mail/admin/outgoingmail_inspect.html"

    def get_fields(self):
        return ["status", "to", "subject", "from_email", "recipients", "created_at", "attempts", "next_attempt_at",
                "sent_at", "last_error", "message_id"]

    def get_recipients_display_value(self):
        return ", ".join(self.object.recipients)

    @cached_property
    def content(self):
        return mail_content(self.object)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        mail = self.object
        retry = mail.status in (MailStatus.FAILED, MailStatus.GIVEN_UP) and not in_flight(mail)
        context.update(
            mail=mail,
            content=self.content,
            attempts=list(mail.delivery_attempts.all()),
            html_url=reverse("mail_outbox_html", args=[mail.pk]) if self.content.html else "",
            retry_url=reverse("mail_outbox_retry", args=[mail.pk]) if retry else "",
        )
        return context


# The outbox is a model view set of its own (its URLs are /admin/mail/outbox/), not a snippet:
# it closes its history and usage views too.
class OutboxViewSet(WithoutEditing, ModelViewSet):
    model = OutgoingMail
    name = "mail_outbox"
    url_prefix = "mail/outbox"
    icon = "mail"
    menu_label = _("Outbox")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = OutboxIndexView
    inspect_view_enabled = True
    inspect_view_class = OutboxInspectView
    form_fields = []
    search_fields = ["to", "subject"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    list_per_page = 50

    @property
    def list_display(self):
        return [
            Column("status", label=_("Status"), accessor="get_status_display"),
            "to",
            TitleColumn("subject", label=_("Subject"), url_name="mail_outbox:inspect"),
            Column("attempts", label=_("Attempts")),
            ErrorColumn("last_error", label=_("Last error")),
            WholeSecondsDateColumn("created_at", label=_("Created")),
            WholeSecondsDateColumn("sent_at", label=_("Sent")),
        ]

    @cached_property
    def history_view(self):
        return not_here

    @cached_property
    def history_results_view(self):
        return not_here

    @cached_property
    def usage_view(self):
        return not_here


outbox_viewset = OutboxViewSet()


@hooks.register("register_admin_viewset")
def register_outbox():
    return outbox_viewset


@bureau_only
@xframe_options_sameorigin
def outbox_html_part(request, pk):
    """The HTML part alone, for the sandboxed frame on the mail's page: no scripts, nothing loaded."""
    content = mail_content(get_object_or_404(OutgoingMail, pk=pk))
    if not content.html:
        raise Http404("This mail has no HTML part.")
    response = HttpResponse(content.html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = HTML_PART_POLICY
    response["X-Content-Type-Options"] = "nosniff"
    return response


@bureau_only
@require_POST
def outbox_retry(request, pk):
    mail = get_object_or_404(OutgoingMail.objects.only("pk", "status"), pk=pk)
    try:
        mail = mail_retry_now(mail=mail, user=request.user)
    except MailRefused as refused:
        messages.error(request, " ".join(refused.messages))
    else:
        messages.success(request, gettext("The mail is being sent again."))
    return redirect("mail_outbox:inspect", mail.pk)


@hooks.register("register_admin_urls")
def outbox_urls():
    return [
        path("mail/outbox/html/<int:pk>/", outbox_html_part, name="mail_outbox_html"),
        path("mail/outbox/retry/<int:pk>/", outbox_retry, name="mail_outbox_retry"),
    ]


@hooks.register("register_log_actions")
def outbox_log_actions(actions):
    actions.register_action(LOG_RETRIED, _("Mail retried"), _("Mail retried"))
    actions.register_action(LOG_MAILING_CREATED, _("Mailing created"), _("Mailing created"))
    actions.register_action(LOG_MAILING_STARTED, _("Mailing started"), _("Mailing started"))
