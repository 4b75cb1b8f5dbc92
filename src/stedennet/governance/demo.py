"""Demo governance data: invented people with positions, and the link between the demo accounts
and their person; then what the apps built on governance add (two meetings, work programmes)
through the ``DEMO_LOADERS`` hook. Every person made here has ``is_demo`` set and a name that
says so; the real G40's office holders are not in the reference data."""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from wagtail import hooks

from stedennet.governance.extension_points import DEMO_LOADERS
from stedennet.governance.models import Body, Person, Position
from stedennet.governance.services import position_assign
from stedennet.registry.models import Municipality, Network, PartnerOrganisation

TERM_START = datetime.date(2022, 6, 1)

# (username of a demo account or "", name, function, CBS code, [(body slug, role)])
DEMO_PEOPLE = [
    ("bestuurder", "Demo-wethouder Amstelveen", "alderman", "GM0362",
     [("algemeen-bestuur", "member"), ("sociale-pijler-bo", "member"), ("themagroep-jeugd", "member")]),
    ("ambtenaar", "Demo-ambtenaar Amstelveen", "civil_servant", "GM0362",
     [("coordinatorenoverleg", "member"), ("sociale-pijler-ao", "member")]),
    ("", "Demo-burgemeester Groningen", "mayor", "GM0014",
     [("algemeen-bestuur", "chair"), ("dagelijks-bestuur", "chair")]),
    ("", "Demo-wethouder Eindhoven", "alderman", "GM0772",
     [("algemeen-bestuur", "member"), ("dagelijks-bestuur", "vice_chair"), ("pijler-economie-en-werk-bo", "chair")]),
    ("", "Demo-wethouder Zwolle", "alderman", "GM0193",
     [("algemeen-bestuur", "member"), ("dagelijks-bestuur", "member"), ("sociale-pijler-bo", "chair")]),
    ("", "Demo-wethouder Apeldoorn", "alderman", "GM0200",
     [("algemeen-bestuur", "member"), ("dagelijks-bestuur", "member"), ("fysieke-pijler-bo", "chair"),
      ("themagroep-mobiliteit", "lead")]),
    ("", "Demo-ambtenaar Tilburg", "civil_servant", "GM0855",
     [("ambtelijk-ondersteuningsteam", "chair"), ("sociale-pijler-ao", "chair"),
      ("themagroep-armoede-en-schulden", "lead")]),
    ("", "Demo-ambtenaar Leeuwarden", "civil_servant", "GM0080",
     [("ambtelijk-ondersteuningsteam", "member"), ("fysieke-pijler-ao", "chair"), ("themagroep-wonen", "lead")]),
    ("", "Demo-ambtenaar Breda", "civil_servant", "GM0758",
     [("pijler-economie-en-werk-ao", "chair"), ("themagroep-arbeidsmarkt", "lead")]),
]


@transaction.atomic
def demo_governance_load(*, network: Network) -> dict[str, int]:
    """Idempotent: people are found by e-mail, positions by person and body."""
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["bestuurder", "ambtenaar",
                                                                                       "partner"])}
    bodies = {b.slug: b for b in Body.objects.filter(network=network)}
    counts = {"people": 0, "positions": 0, "meetings": 0}
    for username, name, function, code, seats in DEMO_PEOPLE:
        email = f"{name.lower().replace(' ', '.').replace('-', '.')}@demo.stedennet.invalid"
        person, created = Person.objects.get_or_create(email=email, defaults={
            "name": name, "function": function, "municipality": Municipality.objects.get(cbs_code=code),
            "portfolio": "Demo-portefeuille", "expertise": "Demo-expertise", "is_demo": True,
            "user": users.get(username) if username else None})
        counts["people"] += created
        for slug, role in seats:
            if slug in bodies and not Position.objects.filter(person=person, body=bodies[slug]).exists():
                position_assign(person=person, body=bodies[slug], role=role, start_date=TERM_START,
                                note="DEMO")
                counts["positions"] += 1
    partner = PartnerOrganisation.objects.filter(network=network, short_name="VNG").first()
    if "partner" in users and partner is not None:
        Person.objects.get_or_create(email="demo.partner@demo.stedennet.invalid", defaults={
            "name": "Demo-medewerker VNG", "function": "other", "partner": partner, "is_demo": True,
            "user": users["partner"]})
    for load in hooks.get_hooks(DEMO_LOADERS):  # meetings, work programmes
        for name, count in load(network=network).items():
            counts[name] = counts.get(name, 0) + count
    return counts
