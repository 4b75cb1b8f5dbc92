"""Invoices in the back office: the seller's billing profile, the members' buyer details, and
the issued invoices, payments and reminders.

An issued invoice never changes: the invoice, payment and reminder listings are read-only (their
add, edit and delete views answer 404 and the permission policy refuses those actions), an
invoice is inspected, its PDF and UBL e-invoice downloaded, a payment recorded through
``payment_record`` and a correction made with a credit note through ``credit_note_issue``.
"""


from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from stedennet.accounts.backoffice import (
    READ_ONLY,
    BureauPolicy,
    MoneyColumn,
    PolicyChecked,
    ReadOnlyViewSet,
    bureau_only,
    demo_column,
)
from stedennet.contributions.wagtail_hooks import INVOICE_COLUMN_HOOK
from stedennet.invoices import constants
from stedennet.invoices.constants import Action, PaymentStatus, allowed
from stedennet.invoices.models import (
    BillingProfile,
    BuyerDetails,
    Invoice,
    InvoiceKind,
    InvoiceMailing,
    Payment,
    Reminder,
)
from stedennet.invoices.selectors import (
    invoice_balance_of,
    invoice_history,
    invoice_mailings,
    invoices_issue_preview,
    invoices_unsent,
    invoices_with_status,
)
from stedennet.invoices.services import (
    IssueRefused,
    credit_note_issue,
    invoices_issue,
    invoices_send,
    payment_record,
)
from stedennet.registry.selectors import network_current
from stedennet.web.formats import euro
from stedennet.web.refusals import Refused, add_refusal

# --- who may do what -----------------------------------------------------------------------

register_permission_policy(BillingProfile, BureauPolicy(BillingProfile, actions={"add", "change", "view"}))
register_permission_policy(BuyerDetails, BureauPolicy(BuyerDetails, actions={"add", "change", "view"}))
register_permission_policy(Invoice, BureauPolicy(Invoice, actions=READ_ONLY))
register_permission_policy(Payment, BureauPolicy(Payment, actions=READ_ONLY))
register_permission_policy(Reminder, BureauPolicy(Reminder, actions=READ_ONLY))
register_permission_policy(InvoiceMailing, BureauPolicy(InvoiceMailing, actions=READ_ONLY))


def inspect_url(invoice: Invoice) -> str:
    return reverse("wagtailsnippets_invoices_invoice:inspect", args=[invoice.pk])


# --- seller and buyers ----------------------------------------------------------------------

class BillingProfileViewSet(SnippetViewSet):
    model = BillingProfile
    icon = "site"
    menu_label = _("Billing profile")
    copy_view_enabled = False
    list_display = ["legal_name", "network", "kvk", "oin", "iban", demo_column("identifiers_are_demo")]

    def get_queryset(self, request):
        return BillingProfile.objects.select_related("network")


class BuyerDetailsViewSet(SnippetViewSet):
    model = BuyerDetails
    icon = "group"
    menu_label = _("Buyer details")
    copy_view_enabled = False
    list_display = ["municipality", "oin", "kvk", "city", demo_column("identifiers_are_demo")]
    list_filter = ["identifiers_are_demo"]
    list_export = ["municipality", "legal_name", "oin", "kvk", "vat_number", "street", "postal_code", "city",
                   "email", "buyer_reference", "identifiers_are_demo"]
    search_fields = ["municipality__name", "municipality__cbs_code", "legal_name"]
    search_backend_name = None
    ordering = ["municipality__name"]

    def get_queryset(self, request):
        return BuyerDetails.objects.select_related("municipality")


# --- issued invoices ---------------------------------------------------------------------------

def invoice_actions(invoice: Invoice, *, status: str) -> list[dict]:
    """The buttons on an invoice's page: only what its status allows (``constants.ALLOWED``)."""
    actions = [
        {"label": gettext("Download PDF"), "url": reverse("invoices_pdf", args=[invoice.number]), "icon": "download"},
        {"label": gettext("Download e-invoice (UBL)"), "url": reverse("invoices_ubl", args=[invoice.number]),
         "icon": "download"},
    ]
    if allowed(status, Action.PAY):
        actions.append({"label": gettext("Record a payment"), "url": reverse("invoices_payment", args=[invoice.number]),
                        "icon": "plus", "action": Action.PAY})
    if allowed(status, Action.CREDIT):
        actions.append({"label": gettext("Credit this invoice"),
                        "url": reverse("invoices_credit", args=[invoice.number]), "icon": "rotate",
                        "action": Action.CREDIT})
    if allowed(status, Action.SEND):
        actions.append({"label": gettext("Send by e-mail"), "url": reverse("invoices_send", args=[invoice.number]),
                        "icon": "mail", "action": Action.SEND})
    actions.append({"label": gettext("Membership timeline"),
                    "url": reverse("membership_timeline", args=[invoice.municipality.cbs_code]), "icon": "history"})
    return actions


class InvoiceInspectView(PolicyChecked, InspectView):
    template_name = "invoices/admin/invoice_inspect.html"

    def get_object(self, queryset=None):
        return get_object_or_404(
            Invoice.objects.select_related("municipality", "credited_invoice", "network"), pk=self.pk)

    def get_fields(self):
        return ["number", "kind", "municipality", "year", "issue_date", "due_date", "period_start", "period_end",
                "description", "vat_treatment"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.object
        history = invoice_history(invoice)
        balance = history.balance
        context.update(
            invoice=invoice,
            status=balance.status,
            status_label=balance.label,
            amounts={
                "net": euro(invoice.net_amount), "vat": euro(invoice.vat_amount), "total": euro(invoice.total_amount),
                "paid": euro(balance.paid),
                "outstanding": euro(balance.outstanding),
                "overpaid": euro(balance.overpaid) if balance.overpaid else "",
            },
            lines=[{"line": line, "amount": euro(line.amount)} for line in history.lines],
            payments=[{"payment": payment, "amount": euro(payment.amount)} for payment in history.payments],
            reminders=[{"reminder": reminder, "outstanding": euro(reminder.outstanding)}
                       for reminder in history.reminders],
            mailings=history.mailings,
            credit_notes=[{"invoice": note, "url": inspect_url(note)} for note in history.credit_notes],
            credited_url=inspect_url(invoice.credited_invoice) if invoice.credited_invoice_id else "",
            actions=invoice_actions(invoice, status=balance.status),
        )
        return context


class InvoiceViewSet(ReadOnlyViewSet):
    model = Invoice
    icon = "doc-full"
    menu_label = _("Invoices")
    inspect_view_class = InvoiceInspectView
    list_display = ["number", "municipality", "year", "kind", MoneyColumn("total_amount", label=_("Total")),
                    "issue_date", "due_date", demo_column("is_demo")]
    list_filter = ["year", "kind", "is_demo"]
    list_export = ["number", "kind", "year", "municipality", "issue_date", "due_date", "net_amount", "vat_amount",
                   "total_amount", "is_demo"]
    search_fields = ["number", "municipality__name", "municipality__cbs_code"]
    search_backend_name = None
    ordering = ["-year", "-sequence"]

    def get_queryset(self, request):
        return Invoice.objects.select_related("municipality")


class PaymentViewSet(ReadOnlyViewSet):
    model = Payment
    icon = "success"
    menu_label = _("Payments")
    list_display = ["__str__", "invoice", "date", MoneyColumn("amount", label=_("Amount")), "reference",
                    "recorded_at"]
    list_filter = ["invoice__year", "date"]
    list_export = ["invoice", "date", "amount", "reference", "recorded_at"]
    search_fields = ["invoice__number", "reference", "invoice__municipality__name"]
    search_backend_name = None
    ordering = ["-date", "-pk"]

    def get_queryset(self, request):
        return Payment.objects.select_related("invoice")


class ReminderViewSet(ReadOnlyViewSet):
    model = Reminder
    icon = "mail"
    menu_label = _("Reminders")
    list_display = ["__str__", "invoice", "date", "level", "channel",
                    MoneyColumn("outstanding", label=_("Outstanding")), "sent_to"]
    list_filter = ["invoice__year", "channel", "level"]
    list_export = ["invoice", "date", "level", "channel", "sent_to", "outstanding"]
    search_fields = ["invoice__number", "sent_to"]
    search_backend_name = None
    ordering = ["-date", "-level"]

    def get_queryset(self, request):
        return Reminder.objects.select_related("invoice")


class InvoicesGroup(SnippetViewSetGroup):
    menu_label = _("Invoices")
    menu_icon = "doc-full-inverse"
    menu_order = 230
    items = (InvoiceViewSet, PaymentViewSet, ReminderViewSet, BuyerDetailsViewSet, BillingProfileViewSet)


register_snippet(InvoicesGroup)


# --- downloads and the two forms ------------------------------------------------------------------

def _invoice(number: str) -> Invoice:
    return get_object_or_404(Invoice.objects.select_related("municipality", "network"), number=number)


@bureau_only
def invoice_pdf_download(request, number):
    from stedennet.invoices.pdf import invoice_pdf

    invoice = _invoice(number)
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.pdf"'
    return response


@bureau_only
def invoice_ubl_download(request, number):
    invoice = _invoice(number)
    response = HttpResponse(invoice.ubl_xml.encode("utf-8"), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{invoice.number}.xml"'
    return response


class PaymentForm(forms.Form):
    date = forms.DateField(label=_("Date received"), widget=AdminDateInput)
    amount = forms.DecimalField(label=_("Amount (euro)"), max_digits=14, decimal_places=2)
    reference = forms.CharField(label=_("Bank reference"), max_length=200, required=False)


class CreditForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200,
                             help_text=_("Printed on the credit note: why the invoice is cancelled."))
    issue_date = forms.DateField(label=_("Issue date of the credit note"), widget=AdminDateInput)


class InvoiceFormView(WagtailAdminTemplateMixin, FormView):
    template_name = "invoices/admin/invoice_form.html"
    header_icon = "doc-full"
    submit_button_label = _("Record")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.invoice = _invoice(kwargs["number"])

    def get_page_subtitle(self):
        return str(self.invoice)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items,
                {"url": reverse("wagtailsnippets_invoices_invoice:list"), "label": gettext("Invoices")},
                {"url": inspect_url(self.invoice), "label": str(self.invoice)},
                {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(invoice=self.invoice, total=euro(self.invoice.total_amount), media=context["form"].media,
                       submit_button_label=self.submit_button_label, action_url=self.request.get_full_path())
        return context


class PaymentView(InvoiceFormView):
    form_class = PaymentForm
    page_title = _("Record a payment")

    def dispatch(self, request, *args, **kwargs):
        balance = invoice_balance_of(self.invoice)
        if not allowed(balance.status, Action.PAY):
            messages.error(request, gettext("No payment can be recorded on %(number)s: it is %(status)s.") % {
                "number": self.invoice.number, "status": balance.label})
            return redirect(inspect_url(self.invoice))
        self.balance = balance
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"date": timezone.localdate(), "amount": self.balance.outstanding}

    def form_valid(self, form):
        try:
            payment_record(invoice=self.invoice, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:  # PaymentRefused, or the payment's own checks
            add_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Payment of %(amount)s on %(number)s recorded.") % {
            "amount": euro(form.cleaned_data["amount"]), "number": self.invoice.number})
        return redirect(inspect_url(self.invoice))


class CreditView(InvoiceFormView):
    form_class = CreditForm
    page_title = _("Credit this invoice")
    submit_button_label = _("Issue the credit note")

    def get_initial(self):
        return {"issue_date": timezone.localdate()}

    def form_valid(self, form):
        try:
            note = credit_note_issue(invoice=self.invoice, reason=form.cleaned_data["reason"],
                                     issue_date=form.cleaned_data["issue_date"], user=self.request.user)
        except IssueRefused as error:
            add_refusal(form, error)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Credit note %(note)s issued for invoice %(number)s.") % {
            "note": note.number, "number": self.invoice.number})
        return redirect(inspect_url(note))


class SendView(InvoiceFormView):
    """Confirm, then send the invoice by mail with its PDF and UBL attached (``invoices_send``)."""

    form_class = forms.Form
    page_title = _("Send by e-mail")
    submit_button_label = _("Send")
    header_icon = "mail"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(send_to=self.invoice.buyer.get("email", ""), mailings=invoice_mailings(self.invoice))
        return context

    def form_valid(self, form):
        sent, refused = invoices_send(invoices=[self.invoice], user=self.request.user, resend=True)
        if refused:
            add_refusal(form, Refused(refused))
            return self.form_invalid(form)
        messages.success(self.request, gettext("%(number)s is sent to %(address)s with the PDF and the e-invoice.")
                         % {"number": self.invoice.number, "address": sent[0].sent_to})
        return redirect(inspect_url(self.invoice))


# --- issuing a year's invoices and sending them: from the contributions overview ------------------

class IssueDateForm(forms.Form):
    issue_date = forms.DateField(label=_("Issue date"), widget=AdminDateInput,
                                 help_text=_("The date on the invoices; the payment term counts from it."))


SKIP_LABELS = {
    "already_invoiced": _("already invoiced for this year"),
    "zero_amount": _("nothing to pay"),
}


class YearView(WagtailAdminTemplateMixin, TemplateView):
    """A back-office page about one year's invoices of the current network, under the
    contributions overview of that year."""

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.year = kwargs["year"]
        self.network = network_current()
        if self.network is None:
            raise Http404("No network loaded.")

    def get_page_subtitle(self):
        return str(self.year)

    def crumb_label(self) -> str:
        return self.get_page_title()

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items,
                {"url": f"{reverse('contributions_overview')}?year={self.year}", "label": gettext("Contributions")},
                {"url": "", "label": self.crumb_label()}]


class IssueView(YearView):
    """A preview of what an issue run would do now (``invoices_issue_preview``: the invoices, the
    members skipped and every refusal with its reason), then, on confirmation, the same service
    as ``stedennet invoices issue``: ``invoices_issue``."""

    template_name = "invoices/admin/issue.html"
    page_title = _("Issue invoices")
    header_icon = "doc-full"

    def crumb_label(self) -> str:
        return gettext("Issue invoices %(year)s") % {"year": self.year}

    def get(self, request, *args, **kwargs):
        form = IssueDateForm(request.GET if "issue_date" in request.GET else None,
                             initial={"issue_date": timezone.localdate()})
        issue_date = form.cleaned_data["issue_date"] if form.is_bound and form.is_valid() else timezone.localdate()
        return self.render_to_response(self.get_context_data(form=form, issue_date=issue_date))

    def post(self, request, *args, **kwargs):
        form = IssueDateForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, issue_date=timezone.localdate()))
        issue_date = form.cleaned_data["issue_date"]
        plan = invoices_issue_preview(network=self.network, year=self.year, issue_date=issue_date)
        if request.POST.get("expected") != self.fingerprint(plan):
            messages.warning(request, gettext("What would be issued has changed since the preview; check it again."))
            return self.render_to_response(self.get_context_data(form=form, issue_date=issue_date, plan=plan))
        try:
            report = invoices_issue(network=self.network, year=self.year, issue_date=issue_date, user=request.user)
        except IssueRefused as error:
            return self.render_to_response(self.get_context_data(
                form=form, issue_date=issue_date, refused=error.refusals))
        messages.success(request, ngettext(
            "%(count)s invoice for %(year)s issued.", "%(count)s invoices for %(year)s issued.",
            len(report.issued)) % {"count": len(report.issued), "year": self.year})
        return redirect(f"{reverse('contributions_overview')}?year={self.year}")

    @staticmethod
    def fingerprint(plan) -> str:
        return f"{len(plan.to_issue)}:{plan.total}"

    def get_context_data(self, *, form, issue_date, plan=None, refused=None, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = plan or invoices_issue_preview(network=self.network, year=self.year, issue_date=issue_date)
        context.update(
            year=self.year, form=form, media=form.media, plan=plan, issue_date=issue_date,
            expected=self.fingerprint(plan),
            rows=[{"planned": planned, "amount": euro(planned.amount),
                   "period": (planned.line.billed_from, planned.line.billed_to)} for planned in plan.to_issue],
            total=euro(plan.total),
            skipped=[{"municipality": municipality, "reason": SKIP_LABELS.get(code, code), "code": code}
                     for municipality, code in plan.skipped],
            refusals=refused if refused is not None else plan.refusals,
            overview_url=f"{reverse('contributions_overview')}?year={self.year}",
        )
        return context


class SendYearView(YearView):
    """Send every invoice and credit note of a year that was not sent yet (``invoices_send``)."""

    template_name = "invoices/admin/send_year.html"
    page_title = _("Send invoices by e-mail")
    header_icon = "mail"

    def unsent(self):
        return invoices_unsent(network=self.network, year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unsent = self.unsent()
        context.update(year=self.year, unsent=unsent, without_address=[i for i in unsent if not i.buyer.get("email")],
                       overview_url=f"{reverse('contributions_overview')}?year={self.year}")
        return context

    def post(self, request, *args, **kwargs):
        sent, refused = invoices_send(invoices=self.unsent(), user=request.user)
        messages.success(request, ngettext("%(count)s invoice sent by e-mail.", "%(count)s invoices sent by e-mail.",
                                           len(sent)) % {"count": len(sent)})
        for refusal in refused:
            messages.warning(request, refusal.message)
        return redirect(f"{reverse('contributions_overview')}?year={self.year}")


@hooks.register("register_admin_urls")
def register_invoice_urls():
    return [
        path("invoices/<str:number>/pdf/", invoice_pdf_download, name="invoices_pdf"),
        path("invoices/<str:number>/ubl/", invoice_ubl_download, name="invoices_ubl"),
        path("invoices/<str:number>/payment/", bureau_only(PaymentView.as_view()), name="invoices_payment"),
        path("invoices/<str:number>/credit/", bureau_only(CreditView.as_view()), name="invoices_credit"),
        path("invoices/<str:number>/send/", bureau_only(SendView.as_view()), name="invoices_send"),
        path("invoices/year/<int:year>/issue/", bureau_only(IssueView.as_view()), name="invoices_issue"),
        path("invoices/year/<int:year>/send/", bureau_only(SendYearView.as_view()), name="invoices_send_year"),
    ]


@hooks.register("register_log_actions")
def register_invoice_log_actions(actions):
    actions.register_action(constants.LOG_ISSUED, _("Issued"), _("Invoice issued"))
    actions.register_action(constants.LOG_CREDITED, _("Credited"), _("Invoice credited"))
    actions.register_action(constants.LOG_PAYMENT, _("Payment recorded"), _("Payment recorded"))
    actions.register_action(constants.LOG_SENT, _("Sent by e-mail"), _("Invoice sent by e-mail"))
    actions.register_action(constants.LOG_REMINDED, _("Reminder"), _("Reminder sent"))


# --- the invoice column of the contributions overview (offered through its hook) ---------------

@hooks.register(INVOICE_COLUMN_HOOK)
def invoices_by_municipality(*, network, year: int) -> tuple[dict[int, list[dict]], int]:
    """The year's invoices (not credit notes) per municipality with their payment status, and how
    many invoices and credit notes were not sent yet (one query)."""
    found: dict[int, list[dict]] = {}
    unsent = 0
    for row in invoices_with_status(network=network, year=year):
        invoice = row["invoice"]
        unsent += row["sent_at"] is None
        if invoice.kind != InvoiceKind.INVOICE:
            continue
        label = str(PaymentStatus(row["status"]).label)
        if row["overpaid"]:
            label = f"{label} ({euro(row['overpaid'])})"
        found.setdefault(invoice.municipality_id, []).append({
            "number": invoice.number, "status": row["status"], "status_label": label,
            "url": reverse("wagtailsnippets_invoices_invoice:inspect", args=[invoice.pk]),
        })
    return found, unsent
