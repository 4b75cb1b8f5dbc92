"""Test data for the member letter: distribution addresses for the members, subscribers, letters."""

import datetime

from django.utils import timezone

from stedennet.letters import services
from stedennet.letters.constants import AddressRole, SubscriberStatus
from stedennet.letters.models import DistributionAddress, Letter, Subscriber
from stedennet.letters.selectors import members
from stedennet.registry.models import Municipality, Network


def g40() -> Network:
    return Network.objects.get(slug="g40")


def member_list() -> list[Municipality]:
    return members(g40(), timezone.localdate())


def address(municipality: Municipality, role: str = AddressRole.GRIFFIE, email: str = "", **fields):
    email = email or f"{role}@{municipality.slug}.example.org"
    return DistributionAddress.objects.create(municipality=municipality, role=role, email=email,
                                              name=fields.pop("name", f"{role} {municipality}"), **fields)


def addresses_for_members(*, without_griffie=(), without_college=()) -> list[DistributionAddress]:
    """A college and a griffie address for every member, but for the CBS codes named."""
    made = []
    for municipality in member_list():
        if municipality.cbs_code not in without_college:
            made.append(address(municipality, AddressRole.COLLEGE))
        if municipality.cbs_code not in without_griffie:
            made.append(address(municipality, AddressRole.GRIFFIE))
    return made


def subscriber(email: str = "lezer@example.org", status: str = SubscriberStatus.CONFIRMED, **fields) -> Subscriber:
    return Subscriber.objects.create(email=email, status=status, name=fields.pop("name", "Lezer"), **fields)


def sent_letter(title: str = "Eerdere brief", *, sent_at: datetime.datetime, **fields) -> Letter:
    letter = services.letter_create(title=title, body="<p>Tekst</p>", now=sent_at, composed_until=sent_at, **fields)
    return services.letter_record_sent(letter, sent_at=sent_at)
