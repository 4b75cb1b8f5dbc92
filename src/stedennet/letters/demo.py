"""Invented distribution lists and a sent letter for a demonstration: ``load_demo_letters()``
(``stedennet load-demo-letters``).

Every member on the day gets a college and a griffie address under ``<slug>.example.org`` (the
reserved example domain: nothing is delivered there), flagged demo, except a few: the members in
``NO_GRIFFIE`` places of the alphabetical list have no griffie address and the one at
``NO_COLLEGE`` no college address, so the send step shows its warnings. Two confirmed demo
subscribers; and one letter of last year, "Lbr. YY/001", recorded as sent (without a mailing), so
the archive and the feed show something and the next draft follows on from it.

Idempotent: an address is found by municipality and e-mail, a subscriber by e-mail, the demo
letter by its flag; what exists is left as it is.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from stedennet.letters import services
from stedennet.letters.constants import AddressRole, SubscriberStatus
from stedennet.letters.models import DistributionAddress, Letter, Subscriber
from stedennet.letters.selectors import members
from stedennet.registry.models import Network

NO_GRIFFIE = (2, 15, 28)  # positions (from 0) in the members' alphabetical list
NO_COLLEGE = (7,)
SUBSCRIBERS = (("lezer@example.org", "Demo-lezer"), ("redactie@example.org", "Demo-redactie"))
LETTER_TITLE = "Terugblik op het najaar (demo)"
LETTER_BODY = (
    "<p>Dit is een verzonnen ledenbrief voor de demonstratie.</p>"
    "<h2>Besluiten van de besturen</h2>"
    "<ul><li><b>Algemeen Bestuur</b>: het AB stelde de begroting en het werkprogramma vast (demo).</li></ul>"
    "<h2>Lobbyresultaten</h2>"
    "<ul><li><b>Gemeentefonds</b>: de Tweede Kamer nam een motie over de middelgrote steden aan (demo).</li></ul>"
    "<h2>Komende bijeenkomsten</h2>"
    "<ul><li><b>Kennis- en netwerkdag</b>: in het voorjaar, in een van de G40-steden (demo).</li></ul>"
)


@transaction.atomic
def load_demo_letters(*, network: Network, now: datetime.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    counts = {"addresses": 0, "subscribers": 0, "letters": 0, "without_griffie": 0, "without_college": 0}
    for position, municipality in enumerate(members(network, timezone.localdate(now))):
        roles = []
        if position not in NO_COLLEGE:
            roles.append((AddressRole.COLLEGE, "college", f"College van B en W {municipality}"))
        else:
            counts["without_college"] += 1
        if position not in NO_GRIFFIE:
            roles.append((AddressRole.GRIFFIE, "griffie", f"Griffie {municipality}"))
        else:
            counts["without_griffie"] += 1
        for role, local, name in roles:
            _address, created = DistributionAddress.objects.get_or_create(
                municipality=municipality, email=f"{local}@{municipality.slug}.example.org",
                defaults={"role": role, "name": f"{name} (demo)", "is_demo": True})
            counts["addresses"] += created
    for email, name in SUBSCRIBERS:
        _subscriber, created = Subscriber.objects.get_or_create(
            email=email, defaults={"name": name, "status": SubscriberStatus.CONFIRMED, "confirmed_at": now,
                                   "is_demo": True})
        counts["subscribers"] += created
    if not Letter.objects.filter(is_demo=True).exists():
        sent_at = timezone.make_aware(datetime.datetime(timezone.localdate(now).year - 1, 12, 15, 10, 0))
        letter = services.letter_create(title=LETTER_TITLE, body=LETTER_BODY, is_demo=True, now=sent_at,
                                        composed_from=sent_at - datetime.timedelta(days=92), composed_until=sent_at)
        services.letter_record_sent(letter, sent_at=sent_at)
        counts["letters"] += 1
    return counts
