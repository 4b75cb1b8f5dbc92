"""The person side of invitations; the invitations themselves (token, mail, check, accept) are
``stedennet.accounts.services``'.

- ``account_role_for(person)``: the role group a person's account belongs in, from their function
  (mayor/alderman → Bestuurder, civil servant → Ambtenaar, someone of a partner organisation →
  Partner); None when nothing fits.
- ``invitation_create(person=)``: an invitation for the person (their name, address and role;
  the person is its subject, so a new one ends their earlier unused ones). Refused when the person
  has an account already or no role fits.
- ``person_invite(person=, send=, by=, request=None)``: what the bureau's invite page does:
  create, mail when asked (through the outbox, delivered after the commit) and write the audit
  entry ``governance.invitation_created``, in one transaction.
- ``person_account_link``: receiver of ``accounts.signals.invitation_accepted``: the new account
  becomes the person's (in the acceptance's transaction).
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.log_actions import log

from stedennet.accounts import services as accounts
from stedennet.accounts.constants import Role as AccountRole
from stedennet.accounts.models import Invitation
from stedennet.accounts.services import InvitationRefused
from stedennet.governance.models import ADMINISTRATOR_FUNCTIONS, Person, PersonFunction

__all__ = [
    "INVITATION_CREATED",
    "InvitationRefused",
    "PersonInvited",
    "account_role_for",
    "invitation_create",
    "person_account_link",
    "person_invite",
]

INVITATION_CREATED = "governance.invitation_created"


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
        raise InvitationRefused(_("%(person)s already has an account.") % {"person": person}, code="has_account")
    role = account_role_for(person)
    if role is None:
        raise InvitationRefused(
            _("%(person)s is neither an administrator, a civil servant of a member nor someone of a partner "
              "organisation, so an account would give no access.") % {"person": person}, code="no_role")
    return accounts.invitation_create(email=person.email, name=person.name, role=role, subject=person)


@dataclass(frozen=True)
class PersonInvited:
    invitation: Invitation
    token: str
    url: str  # the link, shown once
    sent: bool
    mail: object | None  # the outbox entry (``mail.models.OutgoingMail``) when mailed through the outbox


@transaction.atomic
def person_invite(*, person: Person, send: bool, by=None, request=None) -> PersonInvited:
    """Invite ``person``: the invitation, its link, the mail when ``send`` (it goes into the outbox
    in this transaction and is delivered after the commit, retried when the server is down) and
    the audit entry."""
    invitation, token = invitation_create(person=person)
    mail = accounts.invitation_send(invitation=invitation, token=token, request=request) if send else None
    log(instance=person, action=INVITATION_CREATED, user=by, data={"sent": send})
    return PersonInvited(invitation=invitation, token=token, url=accounts.invitation_url(token, request),
                         sent=send, mail=mail)


def person_account_link(sender, *, invitation: Invitation, user, **kwargs) -> None:
    """An accepted invitation for a person: the new account is theirs."""
    if invitation.subject_type_id != ContentType.objects.get_for_model(Person).pk:
        return
    person = Person.objects.select_for_update().get(pk=invitation.subject_id)
    person.user = user
    person.save(update_fields=["user"])
