"""``stedennet parliament sync|status|schedule|load-demo``: the Tweede Kamer mirror.

- ``sync [--category C ...] [--max-pages N]``: read the SyncFeed from each category's cursor to
  the end (or N pages per category) and apply it; a category that fails does not stop the
  others. Prints a line per category; exits 1 when a category failed (its cursor stays; the next
  run tries again). Safe to interrupt at any moment and to run beside the background task.
- ``status [--json]``: each category's cursor, item count, last success and last error, and
  whether the mirror is stale (no category advanced for a day).
- ``schedule``: start (or restart) the periodic background sync (needs a task backend that can
  defer, such as the database backend of ``make run``; elsewhere use cron with ``sync``).
- ``load-demo``: the invented items of ``load_demo_parliament`` (idempotent, flagged demo).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from stedennet.parliament.constants import CATEGORIES


def _category(value: str) -> str:
    for category in CATEGORIES:
        if category.lower() == value.lower():
            return category
    raise CommandError(f"unknown category {value!r}; choose from {', '.join(CATEGORIES)}")


class Command(BaseCommand):
    help = "The Tweede Kamer mirror: sync the SyncFeed, show its status, schedule the periodic sync."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{sync,status,schedule,load-demo}")
        sync = commands.add_parser("sync", help="apply the feed from each category's cursor")
        sync.add_argument("--category", action="append", default=[], metavar="C",
                          help=f"only this category (repeatable): {', '.join(CATEGORIES)}")
        sync.add_argument("--max-pages", type=int, default=None, metavar="N", help="at most N pages per category")
        status = commands.add_parser("status", help="cursor, counts, last success and error per category")
        status.add_argument("--json", action="store_true", help="as JSON")
        commands.add_parser("schedule", help="start the periodic background sync")
        commands.add_parser("load-demo", help="load the invented demo items (flagged demo)")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action.replace('-', '_')}")(**options)

    def _sync(self, *, category: list[str], max_pages: int | None, **options) -> None:
        from stedennet.parliament.services import parliament_sync

        categories = [_category(value) for value in category] or None
        if max_pages is not None and max_pages < 1:
            raise CommandError("--max-pages must be at least 1")
        report = parliament_sync(categories, max_pages=max_pages)
        for result in report.results:
            line = (f"{result.category}: {result.pages} page(s), {result.entries} entries "
                    f"({result.stored} stored, {result.deleted} deleted, {result.ignored} ignored)")
            if result.error:
                self.stderr.write(f"{line}; failed: {result.error_kind}: {result.error}")
            else:
                self.stdout.write(f"{line}{'; up to date' if result.at_end else ''}")
        if not report.ok:
            failed = [result.category for result in report.results if result.error]
            raise CommandError(f"{len(failed)} categor{'y' if len(failed) == 1 else 'ies'} failed: {', '.join(failed)}")

    def _status(self, *, json: bool = False, **options) -> None:
        from stedennet.parliament.selectors import sync_status

        status = sync_status()
        rows = [{
            "category": row.category,
            "items": row.count,
            "skiptoken": row.cursor.skiptoken if row.cursor else None,
            "last_advanced_at": _iso(row.cursor.last_advanced_at) if row.cursor else None,
            "last_success_at": _iso(row.cursor.last_success_at) if row.cursor else None,
            "last_error": row.cursor.last_error if row.cursor else "",
            "last_error_at": _iso(row.cursor.last_error_at) if row.cursor else None,
            "failures_in_a_row": row.cursor.failures_in_a_row if row.cursor else 0,
        } for row in status.categories]
        if json:
            self.stdout.write(_dumps({"stale": status.stale, "last_advanced_at": _iso(status.last_advanced_at),
                                      "categories": rows}))
            return
        for row in rows:
            error = f"; last error {row['last_error_at']}: {row['last_error']}" if row["last_error"] else ""
            self.stdout.write(f"{row['category']}: {row['items']} items, cursor {row['skiptoken']}, "
                              f"last success {row['last_success_at'] or 'never'}{error}")
        if status.stale:
            self.stdout.write("STALE: no category advanced for "
                              f"{status.stale_after.total_seconds() / 3600:g} hours")

    def _schedule(self, **options) -> None:
        from stedennet.parliament.services import sync_schedule_start
        from stedennet.parliament.tasks import parliament_sync_task

        if not parliament_sync_task.get_backend().supports_defer:
            raise CommandError("this task backend cannot defer tasks: run `stedennet parliament sync` from cron")
        chain = sync_schedule_start()
        self.stdout.write(f"periodic Tweede Kamer sync started (chain {chain}); the background worker runs it")

    def _load_demo(self, **options) -> None:
        from stedennet.parliament.demo import load_demo_parliament

        created = load_demo_parliament()
        self.stdout.write(f"Demo parliament: {sum(created.values())} items added. All flagged as demo data.")


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None


def _dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
