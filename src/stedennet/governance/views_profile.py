"""The person's own profile, ``/mijn/profiel/``: name, function, portfolio and expertise, with
links to the choices of other apps (digest, lobby alerts), to the account pages (e-mail address,
password, two factors, sessions) and to the data download.

Who may see it: anyone signed in; an account without a person sees the account links only.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stedennet.governance.access import viewer_for
from stedennet.governance.forms_profile import ProfileForm
from stedennet.governance.profile import ProfileRefused, profile_update
from stedennet.web.access import access
from stedennet.web.refusals import add_refusal

signed_in_required = access("signed-in")


@signed_in_required
@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    person = viewer_for(request.user).person
    form = None
    if person is not None:
        initial = {"name": person.name, "function": person.function, "portfolio": person.portfolio,
                   "expertise": person.expertise}
        form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                profile_update(person, **form.cleaned_data, by=request.user)
            except ProfileRefused as refused:
                add_refusal(form, refused, refused.field)
            else:
                messages.success(request, _("Your profile has been saved."), extra_tags="profile_saved")
                return redirect("governance:profile")
    return render(request, "governance/profile/profile.html", {
        "person": person, "form": form, "email": request.user.email,
    }, status=400 if form is not None and form.is_bound else 200)
