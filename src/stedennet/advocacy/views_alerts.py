"""The alert choice (``/mijn/lobby-meldingen/``): at once, in the digest, or none. For signed-in
members, partners and the bureau, as the digest settings (``knowledge.access.digest_readers``)."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from stedennet.advocacy.constants import AlertMode
from stedennet.advocacy.selectors import alert_choice_for, owned_dossiers_of
from stedennet.advocacy.services import alert_choice_set
from stedennet.governance.access import viewer_for
from stedennet.knowledge.access import digest_readers


class AlertChoiceForm(forms.Form):
    mode = forms.ChoiceField(
        label=gettext_lazy("Alerts from lobby dossiers"), choices=AlertMode.choices,
        widget=forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"}),
        help_text=gettext_lazy("When a motion, commitment, debate or government letter is added to a dossier "
                               "of one of your theme groups."),
    )


@digest_readers
@require_http_methods(["GET", "POST"])
def alert_settings(request: HttpRequest) -> HttpResponse:
    choice = alert_choice_for(request.user)
    form = AlertChoiceForm(request.POST or None, initial={"mode": choice.mode})
    if request.method == "POST" and form.is_valid():
        choice = alert_choice_set(user=request.user, mode=form.cleaned_data["mode"])
        messages.success(request, _("Saved: %(choice)s.") % {"choice": choice.get_mode_display()})
        return redirect("advocacy_alerts:settings")
    return render(request, "advocacy/alerts/settings.html", {
        "form": form, "choice": choice, "dossiers": owned_dossiers_of(viewer_for(request.user)),
    }, status=400 if form.is_bound else 200)
