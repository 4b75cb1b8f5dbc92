import json

from django.core.management.base import BaseCommand
from django.db import transaction

from stedennet.membership.services import SEED_DIR, network_seed_load, procedures_seed_load


class Command(BaseCommand):
    help = (
        "Load or update the G40 network: municipalities, population figures, members and partners, "
        "Amstelveen's admission procedure, the membership rules and the contribution rules; the site's news index."
    )

    @transaction.atomic
    def handle(self, *args, **options) -> None:
        # The command is the composition root: contributions builds on membership, not the reverse.
        from stedennet.contributions.services import rules_seed_load
        from stedennet.governance.services import bodies_seed_load
        from stedennet.site.services import news_index_ensure

        seed = SEED_DIR / "g40.json"
        data = json.loads(seed.read_text(encoding="utf-8"))
        report = network_seed_load(seed=seed)
        self.stdout.write(
            f"G40 loaded: {report.members} members ({report.periods_created} membership periods new), "
            f"{report.partners} partners; municipalities {report.municipalities_created} new, "
            f"{report.municipalities_updated} updated; population figures {report.figures_added} new, "
            f"{report.figures_changed} changed."
        )
        network = report.network
        procedures, _rules = procedures_seed_load(network=network, data=data)
        rules = rules_seed_load(network=network, data=data)
        bodies = bodies_seed_load(network=network)
        news_index_ensure()
        self.stdout.write(
            f"Procedures: {procedures} new. Contribution rules: {rules['added']} new, {rules['changed']} changed, "
            f"{rules['unchanged']} unchanged (2023 and 2024 are demo data: an assumption, not a decision). "
            f"Bodies: {bodies} new (theme groups are demo data)."
        )
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
