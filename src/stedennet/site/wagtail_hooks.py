"""Documents are served only to those who may see them.

Wagtail serves every document at /documenten/<id>/<name> without asking who wants it. A
document attached to a meeting follows that meeting document's visibility, and is served here to
whoever that visibility admits (anonymous visitors too, for a public one: search links there);
a document of a membership procedure step is public (admission decisions are public records);
any other document is for staff with access to the back office only. A document the viewer may
not see answers exactly as one that does not exist or has another name: 404, the same page, so
its address reveals nothing."""

import mimetypes

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header
from wagtail import hooks


def _serve(document) -> HttpResponse:
    """The file itself (Wagtail takes only an ``HttpResponse`` from this hook, not a streamed one;
    uploads are at most ``stedennet.web.uploads.MAX_UPLOAD_BYTES``)."""
    filename = document.filename
    with document.file.open("rb") as stored:
        response = HttpResponse(stored.read(),
                                content_type=mimetypes.guess_type(filename)[0] or "application/octet-stream")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@hooks.register("before_serve_document", order=-100)  # before Wagtail's collection check
def documents_only_for_those_who_may_see_them(document, request):
    from stedennet.governance.access import viewer_for
    from stedennet.meetings.models import MeetingDocument
    from stedennet.membership.models import ProcedureStep

    user = request.user
    if user.is_authenticated and (user.is_superuser or user.has_perm("wagtailadmin.access_admin")):
        return None
    viewer = viewer_for(user)
    if viewer.is_bureau:
        return None
    attached = list(MeetingDocument.objects.filter(document=document).select_related("meeting"))
    if attached:
        if any(viewer.may_see(item.visibility, item.meeting.body_id) for item in attached):
            return _serve(document)  # past the collection's restriction, which admits the bureau only
        raise Http404("This document does not match the given filename.")
    if ProcedureStep.objects.filter(document=document).exists():
        return None
    raise Http404("This document does not match the given filename.")


# --- the bureau's dashboard on the back-office home ------------------------------------------------
# The site app is the roof: it knows invoices, governance and the outbox, so the panels live here.
# Each panel reads through its app's selectors in a fixed number of queries, whatever the data.

DASHBOARD_LIST_LENGTH = 5


def _url(name: str, args=()) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


class BureauPanel:
    """A dashboard panel for the bureau: figures with links, and a short list of items."""

    template_name = "site/admin/dashboard_panel.html"
    order = 50
    name = ""
    heading = ""

    def __init__(self, request):
        self.request = request

    @property
    def media(self):
        from django.forms import Media

        return Media()

    def get_context_data(self) -> dict:
        raise NotImplementedError

    def render_html(self, parent_context=None) -> str:
        from django.template.loader import render_to_string

        context = {"panel_id": f"stedennet-{self.name}", "heading": self.heading, "figures": [], "items": [],
                   "links": [], "empty": "", **self.get_context_data()}
        return render_to_string(self.template_name, context, request=self.request)


class InvoicesPanel(BureauPanel):
    name = "invoices"
    order = 10

    @property
    def heading(self):
        from django.utils.translation import gettext

        return gettext("Invoices")

    def get_context_data(self):
        from django.utils.translation import gettext

        from stedennet.invoices.selectors import invoice_figures
        from stedennet.registry.selectors import network_current
        from stedennet.web.formats import euro

        network = network_current()
        if network is None:
            return {"empty": gettext("No network loaded.")}
        figures = invoice_figures(network=network)
        listing = _url("wagtailsnippets_invoices_invoice:list")
        return {
            "figures": [
                {"key": "open", "label": gettext("Open (not paid in full)"), "count": figures.open_count,
                 "amount": euro(figures.open_amount), "url": listing},
                {"key": "overdue", "label": gettext("Overdue"), "count": figures.overdue_count,
                 "amount": euro(figures.overdue_amount), "url": listing, "warn": figures.overdue_count > 0},
                {"key": "overpaid", "label": gettext("Overpaid"), "count": figures.overpaid_count, "url": listing},
                {"key": "unsent", "label": gettext("Not sent by e-mail"), "count": figures.unsent_count,
                 "url": listing},
            ],
            "links": [{"label": gettext("All invoices"), "url": listing},
                      {"label": gettext("Contributions per year"), "url": _url("contributions_overview")}],
        }


class RequestsPanel(BureauPanel):
    name = "requests"
    order = 20

    @property
    def heading(self):
        from django.utils.translation import gettext

        return gettext("Requests to join")

    def get_context_data(self):
        from django.utils import timezone
        from django.utils.translation import gettext

        from stedennet.governance.selectors import pending_requests

        requests = pending_requests()
        count = requests.count()
        return {
            "figures": [{"key": "pending", "label": gettext("Waiting for a decision"), "count": count,
                         "url": _url("wagtailsnippets_governance_membershiprequest:list")}],
            "items": [{"label": f"{request.person} → {request.body}",
                       "detail": timezone.localtime(request.requested_at), "kind": "datetime",
                       "url": _url("governance_request_decide", args=[request.pk])}
                      for request in requests[:DASHBOARD_LIST_LENGTH]],
            "links": [{"label": gettext("All requests"),
                       "url": _url("wagtailsnippets_governance_membershiprequest:list")}],
            "empty": gettext("No request waits for a decision."),
        }


class VacanciesPanel(BureauPanel):
    name = "vacancies"
    order = 30

    @property
    def heading(self):
        from django.utils.translation import gettext

        return gettext("Vacancies")

    def get_context_data(self):
        from django.utils.translation import gettext

        from stedennet.governance.selectors import vacancies
        from stedennet.registry.selectors import network_current

        network = network_current()
        positions = vacancies(network=network) if network is not None else []
        url = _url("governance_vacancies")
        return {
            "figures": [{"key": "vacancies", "label": gettext("Open seats"), "count": len(positions), "url": url}],
            "items": [{"label": f"{position.body}: {position.get_role_display()}", "detail": position.end_date,
                       "kind": "date", "url": _url("governance_vacancy_fill", args=[position.pk])}
                      for position in positions[:DASHBOARD_LIST_LENGTH]],
            "links": [{"label": gettext("All vacancies"), "url": url}],
            "empty": gettext("No seat is vacant."),
        }


class MeetingsPanel(BureauPanel):
    name = "meetings"
    order = 40

    @property
    def heading(self):
        from django.utils.translation import gettext

        return gettext("Upcoming meetings")

    def get_context_data(self):
        from django.utils import timezone
        from django.utils.translation import gettext

        from stedennet.meetings.models import Meeting

        meetings = list(Meeting.objects.filter(starts_at__gte=timezone.now(), cancelled=False)
                        .select_related("body").order_by("starts_at", "pk")[:DASHBOARD_LIST_LENGTH])
        return {
            "items": [{"label": meeting.title or str(meeting.body), "detail": timezone.localtime(meeting.starts_at),
                       "kind": "datetime", "url": _url("wagtailsnippets_meetings_meeting:inspect",
                                                       args=[meeting.pk])}
                      for meeting in meetings],
            "links": [{"label": gettext("All meetings"), "url": _url("wagtailsnippets_meetings_meeting:list")}],
            "empty": gettext("No meeting is planned."),
        }


class MailPanel(BureauPanel):
    name = "mail"
    order = 50

    @property
    def heading(self):
        from django.utils.translation import gettext

        return gettext("Mail that failed")

    def get_context_data(self):
        from django.utils.translation import gettext

        from stedennet.mail.selectors import failed_mails, mail_counts

        counts = mail_counts()
        outbox = _url("mail_outbox:index")
        failed = list(failed_mails()[:DASHBOARD_LIST_LENGTH])
        failing = sum(n for status, n in counts.items() if status in ("failed", "given_up"))
        return {
            "figures": [
                {"key": "failed", "label": gettext("Failed, will be retried"), "count": counts.get("failed", 0),
                 "url": outbox, "warn": counts.get("failed", 0) > 0},
                {"key": "given_up", "label": gettext("Given up"), "count": counts.get("given_up", 0), "url": outbox,
                 "warn": counts.get("given_up", 0) > 0},
                {"key": "queued", "label": gettext("Waiting to be sent"), "count": counts.get("queued", 0),
                 "url": outbox},
            ],
            "items": [{"label": f"{mail.to}: {mail.subject}", "detail_text": mail.last_error[:200],
                       "url": _url("mail_outbox:inspect", args=[mail.pk])} for mail in failed],
            "links": [{"label": gettext("The outbox"), "url": outbox}] if outbox else [],
            "empty": "" if failing else gettext("No mail failed."),
        }


DASHBOARD_PANELS = (InvoicesPanel, RequestsPanel, VacanciesPanel, MeetingsPanel, MailPanel)


@hooks.register("construct_homepage_panels")
def bureau_dashboard(request, panels):
    """The bureau sees its work first: invoices, requests, vacancies, meetings, failed mail."""
    from stedennet.accounts.backoffice import is_bureau

    if not is_bureau(request.user):
        return
    panels[:0] = [panel(request) for panel in DASHBOARD_PANELS]
