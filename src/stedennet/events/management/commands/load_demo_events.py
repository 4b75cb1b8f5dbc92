from django.core.management.base import BaseCommand

from stedennet.events.demo import load_demo_events
from stedennet.registry.selectors import network_current


class Command(BaseCommand):
    help = ("Invented events: a knowledge day with a session per theme group, a network day and a conference that "
            "took place (with a few registrations). All flagged demo; a second run adds nothing.")

    def handle(self, *args, **options) -> None:
        counts = load_demo_events(network=network_current())
        self.stdout.write(f"Demo events: {counts['events']} events, {counts['sessions']} sessions and "
                          f"{counts['registrations']} registrations added. All flagged as demo data.")
