"""What the member letter holds on a person (see ``accounts.privacy``): a subscription with their
address (deleted on erasure), an address of theirs on a municipality's distribution list (deleted),
and the letters a bureau member drafted or sent (they stay; the account is unlinked when it goes).
Subscribers on the erasure list who subscribe again are found by ``resurrected``."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from stedennet.accounts.privacy import (
    ERASE,
    WITH_ACCOUNT,
    Matches,
    PrivacySubject,
    holding_register,
    records,
    resurrection_finder_register,
)
from stedennet.letters.models import DistributionAddress, Letter, Subscriber


def _by_email(model, subject):
    if not subject.emails:
        return model.objects.none()
    condition = Q(pk__in=[])
    for email in subject.emails:
        condition |= Q(email__iexact=email)
    return model.objects.filter(condition)


def _letters(subject):
    if subject.user_id is None:
        return []
    rows = Letter.objects.filter(Q(created_by_id=subject.user_id) | Q(sent_by_id=subject.user_id))
    return records(rows, ["year", "number", "title", "created_at", "sent_at"])


def resurrected(matches: Matches) -> list[PrivacySubject]:
    return [PrivacySubject(emails=(subscriber.email,)) for subscriber in Subscriber.objects.only("email")
            if matches.matches_email(subscriber.email)]


resurrection_finder_register(resurrected)

holding_register(
    Subscriber, basis=ERASE,
    export=lambda subject: records(_by_email(Subscriber, subject), ["email", "name", "status", "created_at",
                                                                    "confirmed_at", "unsubscribed_at"]),
    erase=lambda subject, by: _by_email(Subscriber, subject).delete()[0],
    what=_("Your subscription to the member letter: address, name and dates."))
holding_register(
    DistributionAddress, basis=ERASE,
    export=lambda subject: records(_by_email(DistributionAddress, subject).select_related("municipality"),
                                   ["municipality", "role", "name", "email", "is_active"]),
    erase=lambda subject, by: _by_email(DistributionAddress, subject).delete()[0],
    what=_("Your address on a municipality's distribution list of the member letter."))
holding_register(
    Letter, basis=WITH_ACCOUNT, export=_letters,
    what=_("Member letters you drafted or sent: they stay; you are no longer named once your account goes."))
