from django.core.management.base import BaseCommand

from stedennet.membership.services import network_seed_load


class Command(BaseCommand):
    help = "Load or update the G40 network: municipalities, population figures, members and partners."

    def handle(self, *args, **options) -> None:
        report = network_seed_load()
        self.stdout.write(
            f"G40 loaded: {report.members} members ({report.periods_created} membership periods new), "
            f"{report.partners} partners; municipalities {report.municipalities_created} new, "
            f"{report.municipalities_updated} updated; population figures {report.figures_added} new, "
            f"{report.figures_changed} changed."
        )
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
