"""Your data: ``/mijn/gegevens/`` shows everything every app holds on the signed-in person (and
their account), ``/mijn/gegevens.json`` is the same as a download (``accounts.privacy.export``).

Who may see it: anyone signed in, about themselves only.

The back office's "Erase person" (``PersonEraseView``, registered in ``wagtail_hooks``, the bureau
only) shows what will happen to the person's data, part by part, and erases on confirmation.
"""

import json

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from wagtail.admin import messages as wagtail_messages

from stedennet.accounts import privacy
from stedennet.governance.admin_views import PersonActionView
from stedennet.governance.models import Person
from stedennet.web.access import access
from stedennet.web.refusals import add_refusal

signed_in_required = access("signed-in")


def _export(request: HttpRequest) -> dict:
    return privacy.export(privacy.subject_for(user=request.user))


def _columns(holding: dict) -> list[str]:
    columns: list[str] = []
    for row in holding["records"]:
        for key in row:
            if key not in columns:
                columns.append(key)
    return columns


@signed_in_required
@never_cache
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    data = _export(request)
    for app in data["apps"]:
        for holding in app["holdings"]:
            columns = _columns(holding)
            labels = holding.get("labels", {})
            holding["columns"] = [{"key": key, "label": labels.get(key, key)} for key in columns]
            holding["rows"] = [[_shown(row.get(key)) for key in columns] for row in holding["records"]]
    return render(request, "governance/privacy/my_data.html", {"data": data})


def _shown(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "✓" if value else "–"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@signed_in_required
@never_cache
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = _export(request)
    response = HttpResponse(json.dumps(data, indent=2, ensure_ascii=False), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate():%Y-%m-%d}.json"'
    return response


# --- the back office: erase a person (the bureau only) ---------------------------------------------------


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_lazy("I understand that this cannot be undone"), required=True,
        help_text=_lazy("Name, contact details and account are removed at once; a restored backup does not "
                        "bring them back."))


class PersonEraseView(PersonActionView):
    """"Erase person": what will happen (per part of the platform, with how much of it there is),
    then a confirmation; the erasure itself is ``accounts.privacy.erase_person``."""

    template_name = "governance/privacy/person_erase.html"
    form_class = EraseForm
    page_title = _lazy("Erase person")
    header_icon = "bin"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        holdings = []
        if self.person.erased_at is None:
            subject = privacy.subject_for(person_id=self.person.pk)
            data = privacy.export(subject)
            bases = {holding.model: holding.basis for holding in privacy.holdings()}
            holdings = [{"name": holding["name"], "what": holding["what"], "count": len(holding["records"]),
                         "basis": bases.get(holding["model"], ""), "model": holding["model"]}
                        for app in data["apps"] for holding in app["holdings"]]
        context.update(person=self.person, holdings=holdings, action_url=self.request.get_full_path(),
                       former=Person.former_member_label(self.person.organisation),
                       submit_button_label=gettext("Erase this person"))
        return context

    def form_valid(self, form):
        try:
            privacy.erase_person(self.person.pk, by=self.request.user)
        except privacy.PrivacyRefused as refused:
            add_refusal(form, refused, None)
            return self.form_invalid(form)
        wagtail_messages.success(self.request, gettext("The person has been erased."))
        return redirect(self.parent_url_name)
