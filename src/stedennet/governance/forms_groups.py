"""Forms of the member pages: ask to join a closed theme group, decide a request."""

from django import forms
from django.utils.translation import gettext_lazy as _


class JoinRequestForm(forms.Form):
    """Ask to join a closed theme group, with an optional motivation for the bureau."""

    motivation = forms.CharField(
        label=_("Why do you want to join? (optional)"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"class": "utrecht-textarea utrecht-textarea--html-textarea", "rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
