"""A person's own profile (``/mijn/profiel/``): name, function, portfolio and expertise, edited by
the person; and their e-mail address, which follows the address they confirmed for their account
(allauth's ``email_changed`` / ``email_confirmed``, connected by ``receivers_connect``).

- ``profile_update(person, name=, function=, portfolio=, expertise=, by=)``: refused with a code
  (``ProfileRefused``): ``person_erased``; ``function_conflicts_with_positions`` when the new
  function puts the person on the other track than a body they sit in now (administrators sit in
  administrative bodies, civil servants in civil-service bodies: the rule of ``position_assign``).
- ``person_email_sync(user, email)``: the person of ``user`` gets ``email``, unless another person
  has it (then nothing changes, and it is logged).
"""

import logging

from django.db import transaction
from django.utils.translation import gettext as _

from stedennet.governance.models import ADMINISTRATOR_FUNCTIONS, Person, PersonFunction, Position, Track
from stedennet.web.refusals import Refused

logger = logging.getLogger(__name__)


class ProfileRefused(Refused):
    default_code = "profile_refused"


def _track_of(function: str) -> str:
    if function in ADMINISTRATOR_FUNCTIONS:
        return Track.ADMINISTRATIVE
    if function == PersonFunction.CIVIL_SERVANT:
        return Track.CIVIL_SERVICE
    return ""


@transaction.atomic
def profile_update(person: Person, *, name: str, function: str, portfolio: str, expertise: str, by=None) -> Person:
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.erased_at is not None:
        raise ProfileRefused(_("This person has been erased."), "person_erased")
    name = " ".join(name.split())
    if not name:
        raise ProfileRefused(_("Fill in your name."), "name_required", field="name")
    if function not in PersonFunction.values:
        raise ProfileRefused(_("Choose a function."), "function_unknown", field="function")
    if function != locked.function:
        track = _track_of(function)
        conflicting = (Position.objects.current().filter(person=locked).exclude(body__track="")
                       .exclude(body__track=track).select_related("body"))
        bodies = sorted({position.body.name for position in conflicting})
        if bodies:
            raise ProfileRefused(
                _("With this function you cannot sit in %(bodies)s; ask the network bureau to end that position "
                  "first.") % {"bodies": ", ".join(bodies)}, "function_conflicts_with_positions", field="function")
    locked.name, locked.function = name, function
    locked.portfolio, locked.expertise = portfolio.strip(), expertise.strip()
    locked.save(update_fields=["name", "function", "portfolio", "expertise"])
    person.name, person.function, person.portfolio, person.expertise = (
        locked.name, locked.function, locked.portfolio, locked.expertise)
    return person


def person_email_sync(user, email: str) -> bool:
    """The person of ``user`` takes ``email`` (True when it changed)."""
    if not email:
        return False
    person = Person.objects.filter(user=user, erased_at__isnull=True).first()
    if person is None or person.email.casefold() == email.casefold():
        return False
    if Person.objects.filter(email__iexact=email).exclude(pk=person.pk).exists():
        logger.warning("person %s: address confirmed by the account is another person's; not changed", person.pk)
        return False
    person.email = email
    person.save(update_fields=["email"])
    return True


def _email_changed(sender, request=None, user=None, from_email_address=None, to_email_address=None, **kwargs):
    if user is not None and to_email_address is not None:
        person_email_sync(user, to_email_address.email)


def _email_confirmed(sender, request=None, email_address=None, **kwargs):
    # A confirmed address that is (now) the account's primary one is the person's address.
    if email_address is not None and email_address.primary:
        person_email_sync(email_address.user, email_address.email)


def receivers_connect() -> None:
    from allauth.account.signals import email_changed, email_confirmed

    email_changed.connect(_email_changed, dispatch_uid="stedennet.governance.person_email_changed")
    email_confirmed.connect(_email_confirmed, dispatch_uid="stedennet.governance.person_email_confirmed")
