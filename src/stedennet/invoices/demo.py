"""Placeholder billing details for a demonstration, every one flagged as demo data.

The shared reference data holds no OIN, KvK number, IBAN or invoice address for the G40 or its
members. To show invoicing end to end, this fills in obviously invented values (OINs and KvK
numbers starting with 9999, the textbook example IBAN) and marks them ``identifiers_are_demo``:
the back office shows the flag and every PDF issued with them carries a DEMO banner.
"""

from django.db import transaction
from django.utils import timezone

from stedennet.invoices.models import BillingProfile, BuyerDetails
from stedennet.membership.models import MembershipPeriod
from stedennet.registry.models import Network

DEMO_SELLER = {
    "legal_name": "Stedennetwerk G40 (DEMO-gegevens)",
    "street": "Voorbeeldstraat 1",
    "postal_code": "1234 AB",
    "city": "Voorbeeldstad",
    "country_code": "NL",
    "kvk": "99999999",
    "oin": "",
    "iban": "NL91ABNA0417164300",
    "bic": "ABNANL2A",
    "email": "facturen@example.org",
    "identifiers_are_demo": True,
}


def demo_oin(cbs_code: str) -> str:
    """A 20-digit placeholder OIN, recognisable as invented (9999 prefix) and unique per municipality."""
    return f"99990000{cbs_code[2:]:0>8}0000"


@transaction.atomic
def demo_billing_load(*, network: Network) -> tuple[bool, int]:
    """Create the demo seller profile and buyer details where none exist; never overwrite real ones."""
    _profile, created = BillingProfile.objects.get_or_create(network=network, defaults=DEMO_SELLER)
    municipalities = {
        p.municipality for p in MembershipPeriod.objects.filter(network=network).select_related("municipality")
    }
    existing = set(
        BuyerDetails.objects.filter(municipality__in=municipalities).values_list("municipality_id", flat=True)
    )
    new = [
        BuyerDetails(
            municipality=m,
            oin=demo_oin(m.cbs_code),
            street="Postbus 1",
            postal_code="9999 ZZ",
            city=m.display_name,
            email=f"crediteuren.{m.slug}@example.org",
            buyer_reference=f"G40-{timezone.localdate().year}-{m.cbs_code}",
            identifiers_are_demo=True,
        )
        for m in sorted(municipalities, key=lambda m: m.cbs_code)
        if m.pk not in existing
    ]
    BuyerDetails.objects.bulk_create(new)
    return created, len(new)
