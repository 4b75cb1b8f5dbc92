"""``stedennet search-index``: rebuild the search index in bulk (all kinds, or ``--kind``).

Saves and deletes keep the index up to date through background tasks; rebuild after a bulk
import, a restore, or on an installation that had data before search existed."""

from django.core.management.base import BaseCommand

from stedennet.search.index import rebuild
from stedennet.search.models import SearchKind


class Command(BaseCommand):
    help = "Rebuild the search index in bulk (all kinds, or the kinds given with --kind)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--kind", action="append", choices=SearchKind.values,
                            help="only this kind (repeatable); default: every kind")

    def handle(self, *args, **options) -> None:
        counts = rebuild(options["kind"] or None)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} indexed")
        self.stdout.write(f"Search index rebuilt: {sum(counts.values())} findable items.")
