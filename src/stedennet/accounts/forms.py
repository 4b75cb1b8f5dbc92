"""Forms of the sign-in pages: sign in, and accept an invitation (choose a username and a password)."""

from allauth.account.forms import LoginForm
from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.services import username_taken
from stedennet.web.forms import style_widgets


class SignInForm(LoginForm):
    """allauth's sign-in form (username or e-mail address, then the password) with NL Design
    System classes. The address check (``ACCOUNT_EMAIL_VERIFICATION = "mandatory"``) applies to
    addresses allauth has a record of: those of invitations (confirmed by the mail), of OpenID
    Connect and of e-mail changes. An account without any record (a superuser made on the
    command line, a user the bureau made in the back office) has nothing to confirm and is not
    locked out, whichever way it signs in (``adapters.AddressVerificationStage``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["login"].label = _("Username or e-mail address")
        self.fields["login"].widget.attrs.update({"autocomplete": "username", "autocapitalize": "none"})
        self.fields["login"].widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.update({"class": "utrecht-textbox--password",
                                                     "autocomplete": "current-password"})
        self.fields["password"].widget.attrs.pop("placeholder", None)
        self.fields["password"].help_text = ""
        style_widgets(self)


class InvitationAcceptForm(forms.Form):
    """Choose a username and a password; Django's password validators apply."""

    username = UsernameField(
        label=_("Username"), max_length=150,
        help_text=_("Letters, digits and @/./+/-/_ only; you sign in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False,
        help_text=password_validation.password_validators_help_text_html,
        widget=forms.PasswordInput(attrs={"class": "utrecht-textbox--password", "autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, help_text=_("The same password, to rule out a typing error."),
        widget=forms.PasswordInput(attrs={"class": "utrecht-textbox--password", "autocomplete": "new-password"}),
    )

    def __init__(self, *args, invitation=None, **kwargs):
        self.invitation = invitation
        super().__init__(*args, **kwargs)
        self.fields["username"].validators.append(get_user_model().username_validator)
        style_widgets(self)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if username_taken(username):
            raise forms.ValidationError(_("The username %(username)s is taken; choose another."),
                                        code="taken", params={"username": username})
        return username

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", forms.ValidationError(
                _("The two passwords differ; type the same password twice."), code="password_mismatch"))
        elif password1:
            name = self.invitation.name if self.invitation else ""
            first_name, _space, last_name = name.partition(" ")
            candidate = get_user_model()(username=cleaned.get("username") or "", first_name=first_name,
                                         last_name=last_name, email=self.invitation.email if self.invitation else "")
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
