"""Accounts and roles.

Flows owned here:
- keeping the role groups and their permissions in place (``roles_ensure``, run after every
  migrate, like Django's own permission creation);
- creating the demo accounts for a local run (``demo_accounts_create``; the staff ones with a
  TOTP authenticator on the published ``DEMO_TOTP_SECRET``);
- invitations, a one-time link with which someone creates their own account:

  - ``invitation_create(email=, name=, role=, subject=)`` makes an invitation valid for 14 days
    and returns it with the raw token; only the token's SHA-256 is stored, so the database alone
    cannot be used to sign in. A new invitation ends the earlier unused ones for the same subject
    (the thing it is for, such as governance's person; without one, for the same address).
  - ``invitation_send(invitation=, token=, request=None)`` mails the link. The address is built
    from ``settings.STEDENNET_BASE_URL`` when set, else from the request, else from
    ``settings.WAGTAILADMIN_BASE_URL``. The mail goes into the outbox (the ``EMAIL_BACKEND``) in
    the caller's transaction and is delivered after the commit, retried when the SMTP server is
    down; it returns the outbox entry so the bureau sees whether it is queued, sent or failed.
  - ``invitation_check(token)`` returns the invitation a token opens, or refuses with the reason.
  - ``invitation_accept(token=, username=, password=)`` creates the user (Django's password
    validators apply) with its address confirmed (allauth's ``EmailAddress``: the invitation mail
    reached it), puts it in the invitation's role group, marks the invitation used and sends
    ``signals.invitation_accepted`` (governance links the person), in one transaction.
- personal API tokens (Wagtail's ``APIToken``: only its HMAC is stored): ``token_create`` (at most
  ``MAX_ACTIVE_TOKENS`` active ones; the plaintext is returned once) and ``token_revoke``.
"""

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.models import APIToken

from stedennet.accounts.constants import Role
from stedennet.accounts.models import Invitation
from stedennet.accounts.signals import invitation_accepted
from stedennet.web.refusals import Refused

__all__ = [
    "DemoAccount",
    "InvitationRefused",
    "TokenRefused",
    "demo_accounts_create",
    "invitation_accept",
    "invitation_check",
    "invitation_create",
    "invitation_send",
    "invitation_url",
    "roles_ensure",
    "token_create",
    "token_hash",
    "token_revoke",
    "username_taken",
]

# The bureau manages these apps' models in the back office.
BUREAU_APPS = ("registry", "membership", "contributions", "invoices", "governance", "meetings", "programmes",
               "knowledge", "events", "letters")
BUREAU_EXTRA_PERMISSIONS = (
    ("wagtailadmin", "access_admin"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
)


@transaction.atomic
def roles_ensure() -> dict[str, Group]:
    """Create the role groups and give the bureau its permissions. Idempotent."""
    groups = {role.value: Group.objects.get_or_create(name=role.value)[0] for role in Role}
    bureau = groups[Role.BUREAU]
    permissions = list(Permission.objects.filter(content_type__app_label__in=BUREAU_APPS))
    for app_label, codename in BUREAU_EXTRA_PERMISSIONS:
        permissions.extend(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
    bureau.permissions.add(*permissions)
    return groups


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: Role | None
    superuser: bool = False

    @property
    def staff(self) -> bool:
        """Works in the back office, so has the demo TOTP secret as second factor."""
        return self.superuser or self.role == Role.BUREAU


# Demo only: fixed, published passwords. `make run` creates them; production never should.
DEMO_ACCOUNTS = (
    DemoAccount("bureau", "demo-bureau-g40", Role.BUREAU),
    DemoAccount("beheer", "demo-beheer-g40", None, superuser=True),
    DemoAccount("bestuurder", "demo-bestuurder-g40", Role.ADMINISTRATOR),
    DemoAccount("ambtenaar", "demo-ambtenaar-g40", Role.CIVIL_SERVANT),
    DemoAccount("partner", "demo-partner-g40", Role.PARTNER),
)
# Demo only, published like the passwords: the TOTP secret (base32) of the staff demo accounts,
# which the back office asks for (a second factor). Type it into any authenticator app.
DEMO_TOTP_SECRET = "STEDENNETDEMOTOTPSTEDENNETDEMO42"  # noqa: S105 (published, like the passwords)


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """Create the demo accounts that do not exist yet; existing ones are left alone, except that
    staff accounts without a TOTP authenticator get one with ``DEMO_TOTP_SECRET``."""
    groups = roles_ensure()
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, created = user_model.objects.get_or_create(
            username=account.username,
            defaults={
                "first_name": account.username.capitalize(),
                "last_name": "(demo)",
                "email": f"{account.username}@demo.stedennet.invalid",
                "is_staff": account.superuser or account.role == Role.BUREAU,
                "is_superuser": account.superuser,
            },
        )
        if created:
            user.set_password(account.password)
            user.save(update_fields=["password"])
            if account.role:
                user.groups.add(groups[account.role])
            EmailAddress.objects.get_or_create(user=user, email=user.email,
                                               defaults={"verified": True, "primary": True})
        if account.staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
    return list(DEMO_ACCOUNTS)


# --- invitations -------------------------------------------------------------------------------

INVITATION_VALID_FOR = datetime.timedelta(days=14)


class InvitationRefused(Refused):
    """The invitation cannot be created or used; the message says why. Codes: ``has_account``
    (the subject already has an account), ``unknown``, ``used``, ``expired`` (the link),
    ``username`` (taken or empty); higher apps add their own (governance: ``no_role``)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _has_account(subject) -> bool:
    return subject is not None and getattr(subject, "user_id", None) is not None


@transaction.atomic
def invitation_create(*, email: str, name: str, role: str = "", subject=None,
                      valid_for: datetime.timedelta = INVITATION_VALID_FOR) -> tuple[Invitation, str]:
    """A new invitation and its raw token (shown once, in the mail and to the bureau)."""
    role = role or ""
    if role and role not in Role.values:
        raise ValueError(f"Unknown role {role!r}")
    if _has_account(subject):
        raise InvitationRefused(_("%(person)s already has an account.") % {"person": subject}, code="has_account")
    now = timezone.now()
    earlier = Invitation.objects.filter(used_at__isnull=True, expires_at__gt=now)
    earlier = earlier.for_subject(subject) if subject is not None else earlier.filter(
        subject_type__isnull=True, email__iexact=email)
    earlier.update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        token_hash=token_hash(token), email=email, name=name, role=role, expires_at=now + valid_for,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=subject.pk if subject is not None else None,
    )
    return invitation, token


def invitation_url(token: str, request=None) -> str:
    """The absolute address of the page where the invitation is accepted."""
    path = reverse("accounts:invitation", kwargs={"token": token})
    base = getattr(settings, "STEDENNET_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def invitation_send(*, invitation: Invitation, token: str, request=None):
    """Mail the invitation link to the invitee, in the site's default language (Dutch); the
    ``OutgoingMail`` it became (None when the mail backend is not the outbox)."""
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": invitation.name,
            "url": invitation_url(token, request),
            "expires_at": timezone.localtime(invitation.expires_at),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = _("Your invitation to %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
        body = render_to_string("accounts/auth/invitation_email.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[invitation.email])
    message.send()
    mail = getattr(message, "outbox_mail", None)
    if mail is not None:
        # Delivered already when the task backend runs tasks at once (tests); queued otherwise.
        mail.refresh_from_db(fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
    return mail


def invitation_check(token: str, *, lock: bool = False) -> Invitation:
    """The invitation ``token`` opens; refused when unknown, used or expired, or when its
    subject is gone or has an account already."""
    invitations = Invitation.objects.select_related("subject_type")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first()
    unknown = InvitationRefused(_("This invitation link is not valid. Check that you copied the whole link from "
                                  "the e-mail, or ask the network bureau for a new invitation."), code="unknown")
    if invitation is None:
        raise unknown
    if invitation.used_at is not None:
        raise InvitationRefused(_("This invitation has already been used. Sign in with the account you created, "
                                  "or ask the network bureau for a new invitation."), code="used")
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(_("This invitation expired on %(date)s. Ask the network bureau for a new "
                                  "invitation.") % {"date": date_format(timezone.localtime(invitation.expires_at),
                                                                        "j F Y")}, code="expired")
    if invitation.subject_type_id is not None and invitation.subject is None:
        raise unknown  # what it was for no longer exists
    if _has_account(invitation.subject):
        raise InvitationRefused(_("%(person)s already has an account. Sign in with it.")
                                % {"person": invitation.subject}, code="used")
    return invitation


def username_taken(username: str) -> bool:
    user_model = get_user_model()
    return user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username}).exists()


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str):
    """Create the account the invitation is for; returns the new user."""
    invitation = invitation_check(token, lock=True)
    user_model = get_user_model()
    username = user_model.normalize_username(username.strip())
    if not username:
        raise InvitationRefused(_("Choose a username."), code="username", field="username")
    if username_taken(username):
        raise InvitationRefused(_("The username %(username)s is taken; choose another.") % {"username": username},
                                code="username", field="username")
    first_name, _space, last_name = invitation.name.partition(" ")
    user = user_model(username=username, email=invitation.email, first_name=first_name[:150],
                      last_name=last_name[:150])
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    # The invitation mail reached this address: it is confirmed (sign-in by e-mail, password reset).
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if invitation.role:
        group, _created = Group.objects.get_or_create(name=invitation.role)
        user.groups.add(group)
    invitation.used_at = timezone.now()
    invitation.user = user
    invitation.save(update_fields=["used_at", "user"])
    invitation_accepted.send(sender=Invitation, invitation=invitation, user=user)
    return user


# --- personal API tokens ----------------------------------------------------------------------

MAX_ACTIVE_TOKENS = 10


class TokenRefused(Refused):
    default_code = "token_refused"


@transaction.atomic
def token_create(*, user, name: str):
    """A new API token of ``user``: ``(token, plaintext)``; at most ``MAX_ACTIVE_TOKENS`` active ones
    (the user's active tokens are locked while counting, so two requests cannot pass the limit)."""
    active = APIToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
    if len(active) >= MAX_ACTIVE_TOKENS:
        raise TokenRefused(_("You have %(count)d active tokens, the most there may be. Revoke one first.")
                           % {"count": MAX_ACTIVE_TOKENS}, code="too_many_tokens", field="name")
    return APIToken.create_token(user=user, name=name.strip())


def token_revoke(*, user, pk: int):
    """Revoke ``user``'s token ``pk`` (again: nothing changes). Another user's token, or none, is
    refused with ``token_unknown``."""
    token = APIToken.objects.filter(user=user, pk=pk).first()
    if token is None:
        raise TokenRefused(_("No such token of yours."), code="token_unknown")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
    return token
