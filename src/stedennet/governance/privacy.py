"""What governance holds on a person (see ``accounts.privacy``): the person (name, e-mail,
function, portfolio, expertise, account), their positions and requests to join.

The person is anonymised, never deleted: positions, questions, answers and attendance point to it
and keep their dates and bodies; pages show "Former member of <organisation>" for it
(``Person.display_name``). Governance also tells the registry who a subject is
(``subject_complete``: the person of an account and the other way round) and finds people on the
erasure list who exist again (``resurrected``).
"""

import secrets

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import (
    ANONYMISE,
    ORDER_PERSON,
    Matches,
    PrivacySubject,
    holding_register,
    not_personal,
    records,
    resurrection_finder_register,
    subject_finder_register,
)
from stedennet.governance.models import MembershipRequest, Person, Position


def person_of(subject: PrivacySubject) -> Person | None:
    if subject.person_id is None:
        return None
    return Person.objects.select_related("municipality", "partner").filter(pk=subject.person_id).first()


def subject_complete(subject: PrivacySubject) -> PrivacySubject:
    """Add the person of an account, the account of a person, the person's address, name and what
    remains of them on pages."""
    person = None
    if subject.person_id is not None:
        person = person_of(subject)
    elif subject.user_id is not None:
        person = Person.objects.select_related("municipality", "partner").filter(user_id=subject.user_id).first()
    if person is None:
        return subject
    user_id = subject.user_id if subject.user_id is not None else person.user_id
    result = PrivacySubject(person_id=person.pk, user_id=user_id, emails=subject.emails,
                            username=subject.username, name=subject.name or person.name,
                            display=str(Person.former_member_label(person.organisation)), known=True,
                            erased=person.erased_at is not None)
    return result.with_emails(person.email) if not person.erased_at else result


def resurrected(matches: Matches) -> list[PrivacySubject]:
    """People on the erasure list who exist again, unerased: their address is on it."""
    found = []
    for person in Person.objects.filter(erased_at__isnull=True).only("pk", "email", "user_id"):
        if matches.matches_email(person.email):
            found.append(PrivacySubject(person_id=person.pk, user_id=person.user_id, emails=(person.email,)))
    return found


subject_finder_register(subject_complete)
resurrection_finder_register(resurrected)


# --- the person --------------------------------------------------------------------------------------


def _person_rows(subject: PrivacySubject) -> list[dict]:
    person = person_of(subject)
    if person is None:
        return []
    return records([person], ["name", "email", "function", "municipality", "partner", "portfolio", "expertise",
                              "is_demo", "erased_at"])


def person_anonymise(person: Person) -> None:
    """Name, address, portfolio, expertise and account link go; function and organisation stay (for
    "Former member of …"); the calendar link stops working."""
    person.name = ""
    person.email = f"erased-{person.pk}@invalid"
    person.portfolio = ""
    person.expertise = ""
    person.user = None
    person.calendar_token = secrets.token_urlsafe(32)
    person.erased_at = timezone.now()
    person.save()


def _person_erase(subject: PrivacySubject, by) -> int:
    from stedennet.accounts.models import Invitation

    person = person_of(subject)
    if person is None:
        return 0
    Invitation.objects.filter(person=person).delete()
    person_anonymise(person)
    return 1


holding_register(
    Person, basis=ANONYMISE, order=ORDER_PERSON, export=_person_rows, erase=_person_erase,
    what=_("You as a person of the network: name, e-mail address, function, organisation, portfolio and "
           "expertise. On erasure the name and contact details go; what you did stays, as \"former member "
           "of\" your organisation."))


def _positions(subject: PrivacySubject):
    return Position.objects.filter(person_id=subject.person_id).select_related("body", "on_behalf_of")


holding_register(
    Position, basis=ANONYMISE,
    export=lambda subject: records(_positions(subject), ["body__name", "role", "start_date", "end_date",
                                                         "on_behalf_of", "end_reason", "note"]),
    what=_("Your positions in bodies and theme groups, with their terms. They stay in the history, without "
           "your name."))


def _requests(subject: PrivacySubject):
    return MembershipRequest.objects.filter(person_id=subject.person_id).select_related("body")


def _requests_erase(subject: PrivacySubject, by) -> int:
    pending = _requests(subject).filter(status=MembershipRequest.Status.PENDING).delete()[0]
    return pending + _requests(subject).exclude(motivation="").update(motivation="")


holding_register(
    MembershipRequest, basis=ANONYMISE, erase=_requests_erase,
    export=lambda subject: records(_requests(subject), ["body__name", "status", "motivation", "requested_at",
                                                        "decided_at"]),
    what=_("Your requests to join closed theme groups and their motivation. Pending ones are withdrawn; "
           "decided ones stay without the motivation."))
not_personal("governance.Body", _("Bodies and theme groups: the name of a body."))
not_personal("governance.TenantLink", _("An organisation's tenant at its identity provider."))
