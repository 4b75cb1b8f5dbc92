"""Invoices in the back office: the seller's billing profile, the members' buyer details, and
the issued invoices, payments and reminders.

An issued invoice never changes: the invoice, payment and reminder listings are read-only (their
add, edit and delete views answer 404 and the permission policy refuses those actions), an
invoice is inspected, its PDF and UBL e-invoice downloaded, a payment recorded through
``payment_record`` and a correction made with a credit note through ``credit_note_issue``.
"""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import floatformat
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.ui.tables import Column, StatusFlagColumn
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import InspectView, SnippetViewSet, SnippetViewSetGroup

from stedennet.accounts.admin_access import READ_ONLY, BureauPolicy, PolicyChecked, bureau_only
from stedennet.invoices.models import BillingProfile, BuyerDetails, Invoice, InvoiceKind, Payment, Reminder
from stedennet.invoices.services import IssueRefused, PaymentStatus, credit_note_issue, invoice_status, payment_record
from stedennet.site.access import ACCESS_ATTRIBUTE

ZERO = Decimal("0.00")


# --- who may do what -----------------------------------------------------------------------

register_permission_policy(BillingProfile, BureauPolicy(BillingProfile, actions={"add", "change", "view"}))
register_permission_policy(BuyerDetails, BureauPolicy(BuyerDetails, actions={"add", "change", "view"}))
register_permission_policy(Invoice, BureauPolicy(Invoice, actions=READ_ONLY))
register_permission_policy(Payment, BureauPolicy(Payment, actions=READ_ONLY))
register_permission_policy(Reminder, BureauPolicy(Reminder, actions=READ_ONLY))


def euro(value) -> str:
    """Euros with two decimals in the active language's notation: ``€ 9.698,12`` in Dutch."""
    return "" if value is None else f"€ {floatformat(value, '2g')}"


class MoneyColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["value"] = euro(context["raw_value"])
        return context


def demo_column(name: str) -> StatusFlagColumn:
    return StatusFlagColumn(name, label=_("Demo data"), true_label=_("Demo data"))


STATUS_LABELS = {
    PaymentStatus.OPEN: _("open"),
    PaymentStatus.PARTLY_PAID: _("partly paid"),
    PaymentStatus.PAID: _("paid"),
    PaymentStatus.OVERDUE: _("overdue"),
    PaymentStatus.CREDITED: _("credited"),
}


def inspect_url(invoice: Invoice) -> str:
    return reverse("wagtailsnippets_invoices_invoice:inspect", args=[invoice.pk])


def _not_here(request, *args, **kwargs):
    raise Http404("An issued invoice, payment or reminder is never added, changed or deleted here.")


setattr(_not_here, ACCESS_ATTRIBUTE, "wagtail-admin")  # answers 404 to everyone Wagtail lets in


class ReadOnlyViewSet(SnippetViewSet):
    """A listing and an inspect view; no add, edit, copy or delete view behind the URLs."""

    inspect_view_enabled = True
    copy_view_enabled = False

    @cached_property
    def add_view(self):
        return _not_here

    @cached_property
    def edit_view(self):
        return _not_here

    @cached_property
    def delete_view(self):
        return _not_here

    @property
    def url_finder_class(self):
        # Links to an object from elsewhere in the admin (history, search) go to its inspect view.
        inspect_name = self.get_url_name("inspect")
        model = self.model

        class InspectURLFinder(ModelAdminURLFinder):
            def construct_edit_url(self, instance):
                return reverse(inspect_name, args=[instance.pk])

            def get_edit_url(self, instance):
                if self.user and not BureauPolicy(model, READ_ONLY).user_has_permission(self.user, "view"):
                    return None
                return self.construct_edit_url(instance)

        return InspectURLFinder


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

def invoice_actions(invoice: Invoice, *, credited: bool) -> list[dict]:
    actions = [
        {"label": gettext("Download PDF"), "url": reverse("invoices_pdf", args=[invoice.number]), "icon": "download"},
        {"label": gettext("Download e-invoice (UBL)"), "url": reverse("invoices_ubl", args=[invoice.number]),
         "icon": "download"},
    ]
    if invoice.kind == InvoiceKind.INVOICE and not credited:
        actions += [
            {"label": gettext("Record a payment"), "url": reverse("invoices_payment", args=[invoice.number]),
             "icon": "plus"},
            {"label": gettext("Credit this invoice"), "url": reverse("invoices_credit", args=[invoice.number]),
             "icon": "rotate"},
        ]
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

    @cached_property
    def payments(self):
        return list(self.object.payments.order_by("date", "pk"))

    @cached_property
    def credit_notes(self):
        return list(self.object.credit_notes.order_by("sequence"))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = self.object
        paid = sum((payment.amount for payment in self.payments), ZERO)
        status = invoice_status(invoice=invoice, paid=paid, credited=bool(self.credit_notes),
                                day=timezone.localdate())
        outstanding = ZERO if status == PaymentStatus.CREDITED else max(invoice.total_amount - paid, ZERO)
        context.update(
            invoice=invoice,
            status=status,
            status_label=STATUS_LABELS.get(status, status),
            amounts={
                "net": euro(invoice.net_amount), "vat": euro(invoice.vat_amount), "total": euro(invoice.total_amount),
                "paid": euro(paid),
                "outstanding": euro(outstanding),
            },
            lines=[{"line": line, "amount": euro(line.amount)} for line in invoice.lines.order_by("position")],
            payments=[{"payment": payment, "amount": euro(payment.amount)} for payment in self.payments],
            reminders=[{"reminder": reminder, "outstanding": euro(reminder.outstanding)}
                       for reminder in invoice.reminders.order_by("date", "level")],
            credit_notes=[{"invoice": note, "url": inspect_url(note)} for note in self.credit_notes],
            credited_url=inspect_url(invoice.credited_invoice) if invoice.credited_invoice_id else "",
            actions=invoice_actions(invoice, credited=bool(self.credit_notes)),
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

    def get_initial(self):
        return {"date": timezone.localdate(), "amount": self.invoice.total_amount}

    def form_valid(self, form):
        try:
            payment_record(invoice=self.invoice, **form.cleaned_data)
        except ValueError as error:
            form.add_error("amount", str(error))
            return self.form_invalid(form)
        except ValidationError as error:
            for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error)]:
                form.add_error(field if field in form.fields else None, errors)
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
                                     issue_date=form.cleaned_data["issue_date"])
        except IssueRefused as error:
            for problem in error.problems:
                form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(self.request, gettext("Credit note %(note)s issued for invoice %(number)s.") % {
            "note": note.number, "number": self.invoice.number})
        return redirect(inspect_url(note))


@hooks.register("register_admin_urls")
def register_invoice_urls():
    return [
        path("invoices/<str:number>/pdf/", invoice_pdf_download, name="invoices_pdf"),
        path("invoices/<str:number>/ubl/", invoice_ubl_download, name="invoices_ubl"),
        path("invoices/<str:number>/payment/", bureau_only(PaymentView.as_view()), name="invoices_payment"),
        path("invoices/<str:number>/credit/", bureau_only(CreditView.as_view()), name="invoices_credit"),
    ]
