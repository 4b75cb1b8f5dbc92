"""The reads of the member letter: the archive, the previous letter, who receives a letter (the
distribution addresses of every member plus confirmed subscribers) and which members lack a
griffie or college address, the plan shown before sending, and a letter's sending progress.

Who receives a letter (``letter_recipients``): every active, not bounced address on the
distribution list of a municipality that is a member on the day (``membership.selectors.members_on``),
whatever its role (college, griffie, other), and every confirmed, not bounced subscriber; an
address that occurs twice is counted once (the first: distribution addresses before subscribers).
Two queries, whatever the number of members and addresses (three with the members).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.utils import timezone

from stedennet.letters.constants import (
    ADDRESS_KEY,
    FIRST_LETTER_DAYS,
    PUBLISHED,
    SUBSCRIBER_KEY,
    AddressRole,
    LetterStatus,
    SubscriberStatus,
)
from stedennet.letters.models import DistributionAddress, Letter, Subscriber
from stedennet.membership.selectors import members_on
from stedennet.registry.models import Municipality, Network

DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def absolute_url(path: str) -> str:
    """``path`` on the site's public address (``STEDENNET_BASE_URL``)."""
    base = getattr(settings, "STEDENNET_BASE_URL", "") or DEFAULT_BASE_URL
    return base.rstrip("/") + path


# --- letters --------------------------------------------------------------------------------

def published_letters() -> QuerySet[Letter]:
    """The letters that went out (sending or sent), newest first: the archive and the feed."""
    return Letter.objects.filter(status__in=PUBLISHED).order_by("-sent_at", "-year", "-number")


def archive_by_year() -> list[tuple[int, list[Letter]]]:
    """The published letters grouped by their numbering year, newest year first (one query)."""
    years: dict[int, list[Letter]] = {}
    for letter in published_letters().order_by("-year", "-number"):
        years.setdefault(letter.year, []).append(letter)
    return list(years.items())


def published_letter(year: int, number: int) -> Letter | None:
    return published_letters().filter(year=year, number=number).first()


def previous_letter(*, before: Letter | None = None) -> Letter | None:
    """The letter sent last (before ``before``'s sending, when given): what a new draft follows on."""
    letters = published_letters()
    if before is not None:
        letters = letters.exclude(pk=before.pk)
        if before.sent_at:
            letters = letters.filter(sent_at__lt=before.sent_at)
    return letters.first()


def draft_since(now: datetime.datetime) -> datetime.datetime:
    """Where a new draft starts: the end of what the previous (sent) letter was composed from
    (or its sending), else ``FIRST_LETTER_DAYS`` back."""
    previous = previous_letter()
    if previous is None:
        return now - datetime.timedelta(days=FIRST_LETTER_DAYS)
    return previous.composed_until or previous.sent_at


def letters_listing() -> QuerySet[Letter]:
    """Every letter for the back office, newest number first."""
    return Letter.objects.select_related("created_by", "sent_by", "mailing").order_by("-year", "-number")


# --- recipients -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    address: str
    name: str
    key: str
    role: str = ""  # an AddressRole, or "" for a subscriber
    municipality: str = ""
    subscriber_token: str = ""  # subscribers only: their unsubscribe link

    @property
    def is_subscriber(self) -> bool:
        return self.key.startswith(f"{SUBSCRIBER_KEY}:")


def members(network: Network, day: datetime.date) -> list[Municipality]:
    """The member municipalities on ``day``, by name (one query)."""
    return [period.municipality for period in members_on(network=network, day=day)]


def distribution_addresses(municipality_ids) -> QuerySet[DistributionAddress]:
    """The addresses that receive the letter: active and not bounced, of these municipalities."""
    return (DistributionAddress.objects.filter(municipality_id__in=list(municipality_ids), is_active=True,
                                               bounced_at__isnull=True)
            .select_related("municipality").order_by("municipality__name", "role", "pk"))


def confirmed_subscribers() -> QuerySet[Subscriber]:
    return Subscriber.objects.filter(status=SubscriberStatus.CONFIRMED, bounced_at__isnull=True).order_by("pk")


def letter_recipients(*, network: Network, day: datetime.date | None = None,
                      municipalities: list[Municipality] | None = None) -> list[Recipient]:
    """Everyone who receives a letter sent on ``day`` (see the module's docstring)."""
    day = day or timezone.localdate()
    if municipalities is None:
        municipalities = members(network, day)
    recipients, seen = [], set()
    for address in distribution_addresses(m.pk for m in municipalities):
        folded = address.email.strip().lower()
        if folded in seen:
            continue
        seen.add(folded)
        recipients.append(Recipient(address=address.email.strip(), name=address.name, role=address.role,
                                    key=f"{ADDRESS_KEY}:{address.pk}", municipality=str(address.municipality)))
    for subscriber in confirmed_subscribers():
        folded = subscriber.email.strip().lower()
        if folded in seen:
            continue
        seen.add(folded)
        recipients.append(Recipient(address=subscriber.email.strip(), name=subscriber.name,
                                    key=f"{SUBSCRIBER_KEY}:{subscriber.pk}", subscriber_token=subscriber.token))
    return recipients


def invalid_recipients(recipients: list[Recipient]) -> list[Recipient]:
    """The recipients whose address is not an e-mail address (Django's ``validate_email``)."""
    wrong = []
    for recipient in recipients:
        try:
            validate_email(recipient.address)
        except ValidationError:
            wrong.append(recipient)
    return wrong


@dataclass
class SendPlan:
    """What pressing send would do: the recipients, counted by role, and what is missing."""

    recipients: list[Recipient]
    members: list[Municipality]
    without_griffie: list[Municipality]
    without_college: list[Municipality]
    invalid: list[Recipient]
    by_role: dict[str, int] = field(default_factory=dict)
    subscribers: int = 0

    @property
    def total(self) -> int:
        return len(self.recipients)

    @property
    def refusal(self) -> str | None:
        """The code that refuses the send, if any (``no_recipients``, ``invalid_address``)."""
        if not self.recipients:
            return "no_recipients"
        if self.invalid:
            return "invalid_address"
        return None


def send_plan(*, network: Network, day: datetime.date | None = None) -> SendPlan:
    """The plan shown before sending (and followed by ``services.letter_send``): three queries."""
    day = day or timezone.localdate()
    municipalities = members(network, day)
    recipients = letter_recipients(network=network, day=day, municipalities=municipalities)
    roles_by_municipality: dict[str, set[str]] = {}
    for recipient in recipients:
        if not recipient.is_subscriber:
            roles_by_municipality.setdefault(recipient.municipality, set()).add(recipient.role)
    without_griffie = [m for m in municipalities if AddressRole.GRIFFIE not in roles_by_municipality.get(str(m), ())]
    without_college = [m for m in municipalities if AddressRole.COLLEGE not in roles_by_municipality.get(str(m), ())]
    by_role = Counter(recipient.role for recipient in recipients if not recipient.is_subscriber)
    return SendPlan(recipients=recipients, members=municipalities, without_griffie=without_griffie,
                    without_college=without_college, invalid=invalid_recipients(recipients),
                    by_role={role: by_role.get(role, 0) for role in AddressRole.values},
                    subscribers=sum(1 for recipient in recipients if recipient.is_subscriber))


# --- progress -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LetterProgress:
    total: int = 0
    sent: int = 0
    failed: int = 0
    bounced: int = 0
    to_go: int = 0
    done: bool = False
    started_at: datetime.datetime | None = None
    finished_at: datetime.datetime | None = None

    @property
    def handled(self) -> int:
        """Recipients no longer to go (sent, bounced or given up): the bar's value."""
        return self.total - self.to_go

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.handled / self.total)


def letter_progress(letter: Letter) -> LetterProgress:
    """How far the sending of ``letter`` is (the mailing's counts; one or two queries)."""
    if letter.mailing_id is None:
        return LetterProgress(done=letter.status == LetterStatus.SENT)
    from stedennet.mail.selectors import mailing_progress

    progress = mailing_progress(letter.mailing)
    return LetterProgress(total=progress.total, sent=progress.sent, failed=progress.failed, bounced=progress.bounced,
                          to_go=progress.to_go, done=progress.done, started_at=progress.started_at,
                          finished_at=progress.finished_at)


# --- subscribers ----------------------------------------------------------------------------

def subscriber_by_token(token: str) -> Subscriber | None:
    """The subscriber a confirmation or unsubscribe link opens; None for an unknown token."""
    if not token or len(token) > 64:
        return None
    return Subscriber.objects.filter(token=token).first()
