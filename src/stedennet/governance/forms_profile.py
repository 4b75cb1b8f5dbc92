"""The form of the profile page (``views_profile``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stedennet.governance.models import Person, PersonFunction
from stedennet.web.forms import StyledForm


class ProfileForm(StyledForm):
    name = forms.CharField(label=_("Name"), max_length=Person._meta.get_field("name").max_length)
    function = forms.ChoiceField(label=_("Function"), choices=PersonFunction.choices)
    portfolio = forms.CharField(label=_("Portfolio"), required=False,
                                max_length=Person._meta.get_field("portfolio").max_length,
                                help_text=_("For administrators: the portfolio you hold, e.g. housing and care."))
    expertise = forms.CharField(label=_("Expertise"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                                help_text=_("What others may ask you about; it puts you in the expertise "
                                            "directory for members."))
