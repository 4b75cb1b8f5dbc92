"""Test data for events: events through the services (published unless asked otherwise), people
who can sign in per kind of viewer, and registrations."""

import datetime
import itertools

from django.utils import timezone

from stedennet.accounts.constants import Role
from stedennet.events import services
from stedennet.events.constants import EventKind, EventStatus
from stedennet.events.models import Event, Registration
from stedennet.governance.models import Body, PersonFunction, Position, Visibility
from stedennet.governance.tests.factories import person_with_account
from stedennet.registry.models import PartnerOrganisation

PASSWORD = "correct horse battery"
_numbers = itertools.count(1)


def soon(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local time ``days`` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def session(start: datetime.datetime, title: str = "Sessie", *, hours: float = 1, **fields) -> dict:
    return {"title": title, "starts_at": start, "ends_at": start + datetime.timedelta(hours=hours), **fields}


def event(title: str | None = None, *, days: int = 30, hours: float = 6, status: str = EventStatus.PUBLISHED,
          audience: str = Visibility.PUBLIC, capacity: int | None = None, sessions=(), **fields) -> Event:
    """An event ``days`` from today at 10:00, published unless ``status`` says otherwise."""
    title = title or f"Kennisdag {next(_numbers)}"
    start = fields.pop("starts_at", None) or soon(days)
    made = services.event_create(title=title, starts_at=start,
                                 ends_at=fields.pop("ends_at", None) or start + datetime.timedelta(hours=hours),
                                 audience=audience, capacity=capacity, sessions=sessions,
                                 kind=fields.pop("kind", EventKind.KNOWLEDGE_DAY), **fields)
    if status != EventStatus.DRAFT:
        services.event_publish(made)
    if status == EventStatus.CANCELLED:
        services.event_status_set(made, EventStatus.CANCELLED)
    return made


def register(target: Event, name: str | None = None, **fields) -> Registration:
    """An anonymous registration (for a public event) of a new address, unless fields say otherwise."""
    number = next(_numbers)
    return services.registration_create(target, name=name or f"Deelnemer {number}",
                                        email=fields.pop("email", f"deelnemer{number}@example.org"), **fields)


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def viewers(make_user, *, body_slug: str = "themagroep-jeugd") -> dict:
    """One signed-in user per kind of viewer (password ``PASSWORD``): a partner, a member (civil
    servant) without a seat, a member seated in ``body_slug``, a partner seated there, and the bureau."""
    partner_org = PartnerOrganisation.objects.first()
    seated = person_with_account(function=PersonFunction.CIVIL_SERVANT, username="zittend", name="Zittend Lid",
                                 email="zittend@gemeente.example.nl")
    seated_partner = person_with_account(function="other", partner=partner_org, username="partnerlid",
                                         name="Partner Met Zetel", email="partnerlid@partner.example.org")
    for person in (seated, seated_partner):
        Position.objects.create(person=person, body=body(body_slug),
                                start_date=timezone.localdate() - datetime.timedelta(days=30))
    return {
        "partner": person_with_account(function="other", partner=partner_org, username="partner",
                                       name="Partner Persoon", email="partner@partner.example.org").user,
        "member": person_with_account(function=PersonFunction.CIVIL_SERVANT, username="ambtenaar",
                                      name="Ambtenaar Zonder Zetel", email="ambtenaar@gemeente.example.nl").user,
        "body_member": seated.user,
        "body_partner": seated_partner.user,
        "bureau": make_user("bureau", Role.BUREAU),
    }
