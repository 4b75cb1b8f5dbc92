"""Demo meetings: two invented meetings of the general board (a month ago and a month ahead),
whose titles say DEMO. ``demo_governance_load`` (governance) runs ``demo_meetings_load`` through
the ``DEMO_LOADERS`` hook (``governance.extension_points``; see ``wagtail_hooks``)."""

import datetime

from django.db import transaction
from django.utils import timezone

from stedennet.governance.models import Body
from stedennet.meetings.models import Meeting
from stedennet.registry.models import Network


@transaction.atomic
def demo_meetings_load(*, network: Network) -> dict[str, int]:
    """Idempotent: nothing is added when the general board has meetings already."""
    counts = {"meetings": 0}
    ab = Body.objects.filter(network=network, slug="algemeen-bestuur").first()
    if ab is not None and not Meeting.objects.filter(body=ab).exists():
        now = timezone.localtime()
        for days, title in ((-30, "DEMO Vergadering Algemeen Bestuur"), (30, "DEMO Vergadering Algemeen Bestuur")):
            start = (now + datetime.timedelta(days=days)).replace(hour=14, minute=0, second=0, microsecond=0)
            Meeting.objects.create(body=ab, title=title, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                   location="DEMO: Stadhuis Voorbeeldstad", uid=f"demo-ab-{days}@stedennet")
            counts["meetings"] += 1
    return counts
