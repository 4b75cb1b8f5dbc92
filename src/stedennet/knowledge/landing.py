"""Where a partner (and no member or bureau) lands after signing in without ``?next``: on what is
shared with partners. Registered with ``stedennet.accounts.landing`` in ``apps``."""

from django.urls import reverse
from django.utils.translation import gettext as _

from stedennet.accounts.landing import Landing
from stedennet.governance.landing import partner_only


def sign_in_landing(user) -> Landing | None:
    if partner_only(user):
        return Landing(reverse("knowledge:shared"), _("Shared with partners"))
    return None
