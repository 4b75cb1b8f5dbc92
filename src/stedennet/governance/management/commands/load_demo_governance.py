from django.core.management.base import BaseCommand, CommandError

from stedennet.governance.demo import demo_governance_load
from stedennet.registry.selectors import network_current


class Command(BaseCommand):
    help = "Invented people, positions, meetings and work programmes for a demonstration (all flagged demo)."

    def handle(self, *args, **options) -> None:
        network = network_current()
        if network is None:
            raise CommandError("No network loaded; run `stedennet load-g40` first.")
        counts = demo_governance_load(network=network)
        self.stdout.write(
            f"Demo governance: {counts['people']} people, {counts['positions']} positions, "
            f"{counts['meetings']} meetings added. All flagged as demo data."
        )
