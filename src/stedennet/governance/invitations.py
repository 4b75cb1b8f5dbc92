"""Invitations: a one-time link with which a person creates their own account.

- ``invitation_create(person)`` makes an invitation valid for 14 days and returns it with the raw
  token; only the token's SHA-256 is stored, so the database alone cannot be used to sign in.
  A new invitation ends the person's earlier unused ones.
- ``invitation_send(invitation, token, request=None)`` mails the link. The address is built from
  ``settings.STEDENNET_BASE_URL`` when set, else from the request, else from
  ``settings.WAGTAILADMIN_BASE_URL``. The mail goes into the outbox (``stedennet.mail``) and is
  delivered after the commit, retried when the SMTP server is down; it returns the outbox entry
  so the bureau sees whether it is queued, sent or failed (and why).
- ``invitation_check(token)`` returns the invitation a token opens, or refuses with the reason.
- ``invitation_accept(token, username, password)`` creates the user (Django's password
  validators apply), links it to the person, puts it in the role group that matches the person's
  function (mayor/alderman → Bestuurder, civil servant → Ambtenaar, someone of a partner
  organisation → Partner) and marks the invitation used, in one transaction.
"""

import datetime
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stedennet.accounts.constants import Role as AccountRole
from stedennet.governance.models import ADMINISTRATOR_FUNCTIONS, Invitation, Person, PersonFunction

VALID_FOR = datetime.timedelta(days=14)


class InvitationRefused(ValidationError):
    """The invitation cannot be created or used; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def account_role_for(person: Person) -> str | None:
    """The role group a person's account belongs in, from what they are; None when nothing fits."""
    if person.partner_id:
        return AccountRole.PARTNER
    if person.function in ADMINISTRATOR_FUNCTIONS:
        return AccountRole.ADMINISTRATOR
    if person.function == PersonFunction.CIVIL_SERVANT:
        return AccountRole.CIVIL_SERVANT
    return None


@transaction.atomic
def invitation_create(*, person: Person) -> tuple[Invitation, str]:
    """A new invitation for ``person`` and its raw token (shown once, in the mail)."""
    if person.user_id:
        raise InvitationRefused(_("%(person)s already has an account.") % {"person": person})
    if account_role_for(person) is None:
        raise InvitationRefused(
            _("%(person)s is neither an administrator, a civil servant of a member nor someone of a partner "
              "organisation, so an account would give no access.") % {"person": person})
    now = timezone.now()
    Invitation.objects.filter(person=person, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(person=person, token_hash=token_hash(token), expires_at=now + VALID_FOR)
    return invitation, token


def invitation_url(token: str, request=None) -> str:
    """The absolute address of the page where the invitation is accepted."""
    path = reverse("governance:invitation", kwargs={"token": token})
    base = getattr(settings, "STEDENNET_BASE_URL", "")
    if base:
        return base.rstrip("/") + path
    if request is not None:
        return request.build_absolute_uri(path)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def invitation_send(*, invitation: Invitation, token: str, request=None):
    """Mail the invitation link to the person, in the site's default language (Dutch); the
    ``OutgoingMail`` it became (None when the mail backend is not the outbox)."""
    person = invitation.person
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "person": person,
            "url": invitation_url(token, request),
            "expires_at": timezone.localtime(invitation.expires_at),
            "site_name": settings.WAGTAIL_SITE_NAME,
        }
        subject = _("Your invitation to %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
        body = render_to_string("governance/auth/invitation_email.txt", context)
    message = EmailMessage(subject=subject, body=body, to=[person.email])
    message.send()
    mail = getattr(message, "outbox_mail", None)
    if mail is not None:
        # Delivered already when the task backend runs tasks at once (tests); queued otherwise.
        mail.refresh_from_db(fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"])
    return mail


def invitation_check(token: str, *, lock: bool = False) -> Invitation:
    """The invitation ``token`` opens; refused when unknown, used or expired."""
    invitations = Invitation.objects.select_related("person", "person__municipality", "person__partner")
    if lock:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(token_hash=token_hash(token)).first()
    if invitation is None:
        raise InvitationRefused(_("This invitation link is not valid. Check that you copied the whole link from "
                                  "the e-mail, or ask the network bureau for a new invitation."), code="unknown")
    if invitation.used_at is not None:
        raise InvitationRefused(_("This invitation has already been used. Sign in with the account you created, "
                                  "or ask the network bureau for a new invitation."), code="used")
    if invitation.expires_at <= timezone.now():
        raise InvitationRefused(_("This invitation expired on %(date)s. Ask the network bureau for a new "
                                  "invitation.") % {"date": date_format(timezone.localtime(invitation.expires_at),
                                                                        "j F Y")}, code="expired")
    if invitation.person.user_id:
        raise InvitationRefused(_("%(person)s already has an account. Sign in with it.")
                                % {"person": invitation.person}, code="used")
    return invitation


def username_taken(username: str) -> bool:
    user_model = get_user_model()
    return user_model.objects.filter(**{f"{user_model.USERNAME_FIELD}__iexact": username}).exists()


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str):
    """Create the person's account from the invitation; returns the new user."""
    invitation = invitation_check(token, lock=True)
    person = invitation.person
    user_model = get_user_model()
    username = user_model.normalize_username(username.strip())
    if not username:
        raise InvitationRefused(_("Choose a username."), code="username")
    if username_taken(username):
        raise InvitationRefused(_("The username %(username)s is taken; choose another.") % {"username": username},
                                code="username")
    first_name, _space, last_name = person.name.partition(" ")
    user = user_model(username=username, email=person.email, first_name=first_name[:150], last_name=last_name[:150])
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    role = account_role_for(person)
    if role is not None:
        group, _created = Group.objects.get_or_create(name=role)
        user.groups.add(group)
    person.user = user
    person.save(update_fields=["user"])
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    return user
