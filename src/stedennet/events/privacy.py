"""What events hold on a person (see ``accounts.privacy``): their registrations (name, address,
organisation, remarks such as dietary or accessibility needs, places in sessions, check-in).

On erasure a registration for an event still to come is cancelled (without a mail to the erased
address) and its place goes to the waiting list; every registration keeps its status and dates
for the attendance figures, without name, address or remarks. Photo reports are pages of the site
(``site.privacy``)."""

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import ANONYMISE, holding_register, records
from stedennet.events.constants import RegistrationStatus
from stedennet.events.models import Registration, SessionRegistration
from stedennet.events.services import waitlist_fill


def _registrations(subject):
    condition = Q(pk__in=[])
    if subject.person_id is not None:
        condition |= Q(person_id=subject.person_id)
    if subject.user_id is not None:
        condition |= Q(user_id=subject.user_id)
    for email in subject.emails:
        condition |= Q(email__iexact=email)
    return Registration.objects.filter(condition).select_related("event")


def _export(subject):
    rows = records(_registrations(subject), ["event", "event__starts_at", "status", "name", "email", "organisation",
                                             "remarks", "created_at", "confirmed_at", "cancelled_at",
                                             "checked_in_at"])
    return rows


def _sessions(subject):
    registrations = _registrations(subject).values_list("pk", flat=True)
    return records(SessionRegistration.objects.filter(registration__in=list(registrations)).select_related("session"),
                   ["session", "session__starts_at", "status", "checked_in_at"])


def _erase(subject, by) -> int:
    now = timezone.now()
    changed, events = 0, {}
    for registration in _registrations(subject):
        fields = {"name": subject.display, "email": f"erased-{registration.pk}@invalid", "remarks": "", "user": None}
        if registration.status != RegistrationStatus.CANCELLED and registration.event.starts_at > now:
            fields.update(status=RegistrationStatus.CANCELLED, cancelled_at=now)
            SessionRegistration.objects.filter(registration=registration).update(status=RegistrationStatus.CANCELLED)
            events[registration.event_id] = registration.event
        Registration.objects.filter(pk=registration.pk).update(**fields)
        changed += 1
    for event in events.values():
        waitlist_fill(event, by=by if getattr(by, "is_authenticated", False) else None)
    return changed


holding_register(
    Registration, basis=ANONYMISE, export=_export, erase=_erase,
    what=_("Your registrations for events: name, e-mail address, organisation, remarks, status and check-in. "
           "A registration for an event still to come is cancelled; all keep their status and dates without "
           "your details."))
holding_register(
    SessionRegistration, basis=ANONYMISE, export=_sessions,
    what=_("Your places in the sessions of an event's programme (they stay with the registration)."))
