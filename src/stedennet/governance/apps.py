from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "stedennet.governance"
    label = "governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from stedennet.accounts.landing import landing_register
        from stedennet.accounts.signals import invitation_accepted
        from stedennet.governance.invitations import person_account_link
        from stedennet.governance.landing import sign_in_landing

        # The person side of accounts: an accepted invitation links the person; where they land.
        invitation_accepted.connect(person_account_link, dispatch_uid="stedennet.governance.person_account_link")
        landing_register(sign_in_landing)
        # Sign-in through an organisation's provider: which tenant is which organisation, whose account it is.
        from stedennet.governance.sso import sso_connect

        sso_connect()
        # An e-mail address confirmed through allauth becomes the person's address.
        from stedennet.governance.profile import receivers_connect

        receivers_connect()
