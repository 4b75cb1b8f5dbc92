from django.core.management.base import BaseCommand, CommandError

from stedennet.letters.demo import load_demo_letters
from stedennet.registry.selectors import network_current


class Command(BaseCommand):
    help = ("Invented distribution addresses for the members (a few without a griffie or college address), two "
            "subscribers and one sent member letter of last year. All flagged demo; nothing is mailed.")

    def handle(self, *args, **options) -> None:
        network = network_current()
        if network is None:
            raise CommandError("No network loaded; run `stedennet load-g40` first.")
        counts = load_demo_letters(network=network)
        self.stdout.write(
            f"Demo letters: {counts['addresses']} distribution addresses, {counts['subscribers']} subscribers and "
            f"{counts['letters']} sent letter added ({counts['without_griffie']} members without a griffie address, "
            f"{counts['without_college']} without a college address). All flagged as demo data."
        )
