"""Where members land after signing in without ``?next`` (registered with
``stedennet.accounts.landing`` in ``apps``): on my groups. Partners (and no member or bureau) have
no groups here; they land where an app above shares something with them (``knowledge.landing``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stedennet.accounts.landing import Landing
from stedennet.governance.access import viewer_for


def partner_only(user) -> bool:
    viewer = viewer_for(user)
    return viewer.is_partner and not (viewer.is_member or viewer.is_bureau)


def sign_in_landing(user) -> Landing | None:
    if partner_only(user):
        return None
    return Landing(reverse("governance:my_groups"), _("My groups"))
