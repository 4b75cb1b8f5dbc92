from django.core.management.base import BaseCommand, CommandError

from stedennet.invoices.demo import demo_billing_load
from stedennet.registry.selectors import network_current


class Command(BaseCommand):
    help = "Fill in placeholder billing details (flagged as demo data) so invoices can be shown end to end."

    def handle(self, *args, **options) -> None:
        network = network_current()
        if network is None:
            raise CommandError("No network loaded; run `stedennet load-g40` first.")
        profile_created, buyers = demo_billing_load(network=network)
        self.stdout.write(
            f"Demo billing details: seller profile {'created' if profile_created else 'kept'}, "
            f"{buyers} member(s) given placeholder OIN and address. All flagged as demo data."
        )
