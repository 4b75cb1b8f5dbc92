"""django-allauth adapters: the network's rules for sign-in.

- ``AccountAdapter``: no open sign-up (accounts come by invitation or through a connected
  organisation); after signing in without ``?next`` one lands where ``accounts.landing`` says; the
  client address is the platform's one rule (``web.client.client_ip``); a fresh sign-in counts as
  a recent reauthentication.
- ``MFAAdapter``: whoever may open the back office keeps at least one real second factor (TOTP
  or a passkey); the TOTP secrets are stored encrypted (Fernet, keyed from ``SECRET_KEY``; the keys
  of ``SECRET_KEY_FALLBACKS`` still decrypt, so rotating the secret key loses no authenticator).
"""

import base64
import hashlib

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings

from stedennet.accounts.landing import landing_url
from stedennet.web.client import client_ip

# The real second factors; recovery codes are a way back in, not a factor one keeps alone.
SECOND_FACTOR_TYPES = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)
ENCRYPTED_PREFIX = "fernet:"


def may_open_back_office(user) -> bool:
    """Whether ``user`` may open a back office (Wagtail's or, for superusers, Django's)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.has_perm("wagtailadmin.access_admin")


class AddressVerificationStage(EmailVerificationStage):
    """The address check only for accounts with an address on record, on every way in (password,
    passkey): an account made on the command line or in the back office has none to confirm."""

    def handle(self):
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        return super().handle()


class AccountAdapter(DefaultAccountAdapter):
    def get_login_stages(self):
        return ["stedennet.accounts.adapters.AddressVerificationStage"
                if path == "allauth.account.stages.EmailVerificationStage" else path
                for path in super().get_login_stages()]

    def is_open_for_signup(self, request):
        return False

    def get_login_redirect_url(self, request):
        return landing_url(request.user)

    def get_signup_redirect_url(self, request):
        # A first sign-in through an organisation's provider is a sign-up to allauth: it lands alike.
        return landing_url(request.user)

    def get_client_ip(self, request):
        return client_ip(request)

    def login(self, request, user):
        """A sign-in just now proves as much as allauth's reauthentication: the factors used count
        as reauthenticated (for ``ACCOUNT_REAUTHENTICATION_TIMEOUT``), so setting up a second
        factor right after signing in does not ask for the password a second time."""
        super().login(request, user)
        records = request.session.get(AUTHENTICATION_METHODS_SESSION_KEY)
        if isinstance(records, list):
            request.session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {**record, "reauthenticated": True} for record in records]


def _fernet_key(secret: str) -> bytes:
    digest = hashlib.sha256(f"stedennet.mfa:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def _fernet() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


class MFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return ENCRYPTED_PREFIX + _fernet().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        if not encrypted_text.startswith(ENCRYPTED_PREFIX):
            return encrypted_text  # stored before encryption was switched on
        return _fernet().decrypt(encrypted_text.removeprefix(ENCRYPTED_PREFIX).encode("ascii")).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """Back-office users cannot remove their last TOTP or passkey (they could not work then)."""
        if authenticator.type not in SECOND_FACTOR_TYPES or not may_open_back_office(authenticator.user):
            return True
        others = Authenticator.objects.filter(user_id=authenticator.user_id, type__in=SECOND_FACTOR_TYPES)
        return others.exclude(pk=authenticator.pk).exists()
