"""Test data for advocacy: dossiers through the services, and mirror entities as a sync stores them."""

import datetime
import uuid

from django.utils import timezone

from stedennet.advocacy import services
from stedennet.advocacy.constants import AlertOn
from stedennet.advocacy.models import Dossier, MatchRule
from stedennet.governance.models import Body
from stedennet.parliament.kamerstuk import kamerstuk_key
from stedennet.parliament.models import (
    Activiteit,
    Besluit,
    Commissie,
    Document,
    Kamerstukdossier,
    Stemming,
    Toezegging,
    Zaak,
    ZaakActor,
)
from stedennet.registry.models import Network

WONEN = "themagroep-wonen"
MOBILITEIT = "themagroep-mobiliteit"
FYSIEK = "fysieke-pijler"
OPENED = datetime.date(2026, 1, 5)


def body(slug: str) -> Body:
    return Body.objects.get(slug=slug)


def dossier(title: str = "Woningbouw in de middelgrote steden", *, owners=(WONEN,), alert_on=AlertOn.CONFIRMED,
            pillar: str = FYSIEK, opened_on: datetime.date = OPENED, **fields) -> Dossier:
    return services.dossier_create(
        network=Network.objects.get(slug="g40"), pillar=body(pillar), title=title, opened_on=opened_on,
        owners=[(body(slug), alert_on) for slug in owners], **fields)


def rule(dossier: Dossier, **criteria) -> MatchRule:
    return MatchRule.objects.create(dossier=dossier, **criteria)


def _now():
    return timezone.now()


def kamerstukdossier(nummer: int = 36600, toevoeging: str = "VII", **fields) -> Kamerstukdossier:
    return Kamerstukdossier.objects.create(
        guid=uuid.uuid4(), nummer=nummer, toevoeging=toevoeging, kamerstuk_key=kamerstuk_key(nummer, toevoeging),
        titel=fields.pop("titel", "Vaststelling van de begrotingsstaten van het Ministerie van VRO"),
        synced_at=_now(), **fields)


def zaak(titel: str, *, soort: str = "Motie", dossier: Kamerstukdossier | None = None, **fields) -> Zaak:
    fields.setdefault("nummer", f"2026Z{uuid.uuid4().int % 100000:05d}")
    fields.setdefault("gestart_op", timezone.make_aware(datetime.datetime(2026, 3, 10, 14, 0)))
    return Zaak.objects.create(guid=uuid.uuid4(), titel=titel, soort=soort, kamerstukdossier=dossier,
                               synced_at=_now(), **fields)


def submitter(zaak: Zaak, naam: str, fractie: str, relatie: str = "Indiener") -> ZaakActor:
    return ZaakActor.objects.create(guid=uuid.uuid4(), zaak=zaak, relatie=relatie, actor_naam=naam,
                                    actor_fractie=fractie, synced_at=_now())


def lead_committee(zaak: Zaak, commissie: Commissie) -> ZaakActor:
    return ZaakActor.objects.create(guid=uuid.uuid4(), zaak=zaak, relatie="Voortouwcommissie",
                                    actor_naam=commissie.naam, actor_afkorting=commissie.afkorting,
                                    commissie=commissie, synced_at=_now())


def commissie(afkorting: str = "VRO", naam: str = "vaste commissie voor Volkshuisvesting en Ruimtelijke Ordening"):
    return Commissie.objects.create(guid=uuid.uuid4(), afkorting=afkorting, naam=naam, synced_at=_now())


def vote(zaak: Zaak, votes: dict[str, tuple[str, int]], tekst: str = "Aangenomen.") -> Besluit:
    """A decision on ``zaak`` with a party vote: ``{"VVD": ("Voor", 24), …}``."""
    besluit = Besluit.objects.create(guid=uuid.uuid4(), zaak=zaak, soort="Stemmen - aangenomen", tekst=tekst,
                                     stemmingssoort="Met handopsteken", synced_at=_now())
    for party, (soort, seats) in votes.items():
        Stemming.objects.create(guid=uuid.uuid4(), besluit=besluit, soort=soort, fractie_grootte=seats,
                                actor_naam=party, actor_fractie=party, synced_at=_now())
    return besluit


def document(titel: str, *, soort: str = "Brief regering", dossier: Kamerstukdossier | None = None,
             **fields) -> Document:
    fields.setdefault("datum", timezone.make_aware(datetime.datetime(2026, 3, 2, 12, 0)))
    return Document.objects.create(guid=uuid.uuid4(), titel=titel, soort=soort, kamerstukdossier=dossier,
                                   synced_at=_now(), **fields)


def debate(onderwerp: str, *, commissie: Commissie | None = None, **fields) -> Activiteit:
    fields.setdefault("datum", timezone.make_aware(datetime.datetime(2026, 3, 4, 10, 0)))
    return Activiteit.objects.create(
        guid=uuid.uuid4(), onderwerp=onderwerp, soort="Commissiedebat", voortouwcommissie=commissie,
        voortouwafkorting=commissie.afkorting if commissie else "", synced_at=_now(), **fields)


def commitment(tekst: str, *, due: datetime.date | None = None, status: str = "Openstaand", **fields) -> Toezegging:
    return Toezegging.objects.create(
        guid=uuid.uuid4(), tekst=tekst, status=status, naam=fields.pop("naam", "H.M. de Jonge"),
        ministerie=fields.pop("ministerie", "Volkshuisvesting en Ruimtelijke Ordening"),
        datum_nakoming=timezone.make_aware(datetime.datetime.combine(due, datetime.time(12))) if due else None,
        aanmaakdatum=timezone.make_aware(datetime.datetime(2026, 3, 4, 12, 0)), synced_at=_now(), **fields)
