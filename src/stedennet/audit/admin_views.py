"""The audit trail in the back office, for the bureau only (``bureau_only`` in ``wagtail_hooks``):
one read-only page, ``/admin/audit/``, site-wide with filters (kind of object, who, from and to
date) or for one object (``?object=app.model:pk``, with what belongs to it: a municipality's
population figures, an account's groups). There is no view that adds, changes or deletes an event."""

from django import forms
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import AdminDateInput

from stedennet.audit import selectors

HISTORY_URL_NAME = "audit_history"


def history_url(**query) -> str:
    """The trail's address with these filters (``object="registry.municipality:12"``, ``kind=...``)."""
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return reverse(HISTORY_URL_NAME) + (f"?{urlencode(query)}" if query else "")


class TrailFilter(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of object"), required=False)
    user = forms.CharField(label=_("Changed by (username)"), required=False, max_length=150)
    since = forms.DateField(label=_("From"), required=False, widget=AdminDateInput)
    until = forms.DateField(label=_("To"), required=False, widget=AdminDateInput)
    object = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)
    after = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *selectors.kinds()]

    def clean_object(self):
        ref = self.cleaned_data["object"].strip()
        if ref:
            try:
                selectors.object_parse(ref)
            except ValueError:
                raise forms.ValidationError(_("Not an object of the audit trail."), code="unknown_object") from None
        return ref

    def clean_after(self):
        cursor = self.cleaned_data["after"].strip()
        if cursor:
            try:
                selectors.cursor_parse(cursor)
            except ValueError:
                raise forms.ValidationError(_("Not a page of the audit trail."), code="unknown_page") from None
        return cursor

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", forms.ValidationError(_("The end lies before the start."), code="dates_reversed"))
        return data


class HistoryView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "audit/admin/history.html"
    page_title = _("Audit trail")
    header_icon = "history"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_header_title()}]

    def get(self, request, *args, **kwargs):
        self.filter = TrailFilter(request.GET or None)
        response = super().get(request, *args, **kwargs)
        if self.filter.is_bound and not self.filter.is_valid():
            response.status_code = 400
        return response

    def get_page_subtitle(self):
        ref = self.filter.cleaned_data.get("object") if self.filter.is_bound and self.filter.is_valid() else ""
        if ref:
            tracked, pk = selectors.object_parse(ref)
            return f"{tracked.label} #{pk}"
        return ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page, unknown_user, data = None, False, {}
        if not self.filter.is_bound or self.filter.is_valid():
            data = self.filter.cleaned_data if self.filter.is_bound else {}
            user_id = None
            if data.get("user"):
                user_id = selectors.user_by_name(data["user"])
                unknown_user = user_id is None
            if not unknown_user:
                page = selectors.history_page(
                    kinds=[data["kind"]] if data.get("kind") else None, user_id=user_id,
                    since=data.get("since"), until=data.get("until"), object_ref=data.get("object") or None,
                    cursor=data.get("after") or None)
        next_url = None
        if page is not None and page.next_cursor:
            query = {key: value for key, value in self.request.GET.items() if key != "after"}
            next_url = history_url(**query, after=page.next_cursor)
        first_url = None
        if data.get("after"):
            first_url = history_url(**{key: value for key, value in self.request.GET.items() if key != "after"})
        context.update(
            filter=self.filter, page=page, unknown_user=unknown_user, next_url=next_url, first_url=first_url,
            object_ref=data.get("object", ""), all_url=reverse(HISTORY_URL_NAME),
        )
        return context
