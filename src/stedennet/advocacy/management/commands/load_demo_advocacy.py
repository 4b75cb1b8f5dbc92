from django.core.management.base import BaseCommand, CommandError

from stedennet.advocacy.demo import load_demo_advocacy
from stedennet.registry.selectors import network_current


class Command(BaseCommand):
    help = ("Invented lobby dossiers with asks, letters, an outcome, matching rules and suggested and confirmed "
            "parliamentary items (loads the demo parliament first when it is not there). All flagged demo.")

    def handle(self, *args, **options) -> None:
        network = network_current()
        if network is None:
            raise CommandError("No network loaded; run `stedennet load-g40` first.")
        try:
            counts = load_demo_advocacy(network=network)
        except LookupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Demo advocacy: {counts['dossiers']} dossiers, {counts['interventions']} interventions, "
            f"{counts['rules']} matching rules, {counts['suggestions']} suggested and {counts['confirmed']} "
            f"confirmed parliamentary items added. All flagged as demo data."
        )
