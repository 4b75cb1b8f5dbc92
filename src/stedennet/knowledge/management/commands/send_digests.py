"""``stedennet send-digests [--frequency daily|weekly] [--now ISO]``: send every digest that is due.

Run it from cron, e.g. each morning; a second run in the same day (daily) or ISO week (weekly)
sends nothing again. Without ``--frequency`` both are sent. Exits 1 when a mail could not be sent
(the others are sent; the failed ones are tried again by the next run).
"""

from django.core.management.base import BaseCommand, CommandError

from stedennet.knowledge.digests import FREQUENCIES, digests_send
from stedennet.web.formats import parse_now


class Command(BaseCommand):
    help = "Send every digest mail that is due (daily and weekly); idempotent within a period."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--frequency", choices=[str(value) for value in FREQUENCIES],
                            help="only this frequency (default: both)")
        parser.add_argument("--now", help="act as if it is this ISO 8601 time (default: now)")

    def handle(self, *args, frequency: str | None = None, now: str | None = None, **options) -> None:
        try:
            moment = parse_now(now)
        except ValueError:
            raise CommandError(f"--now: not an ISO 8601 time: {now}") from None
        run = digests_send(frequency=frequency, now=moment)
        for username in run.sent:
            self.stdout.write(f"sent: {username}")
        for username in run.failed:
            self.stderr.write(f"failed: {username}")
        self.stdout.write(f"{len(run.sent)} sent, {len(run.empty)} with nothing new, "
                          f"{len(run.skipped)} skipped, {len(run.failed)} failed")
        if run.failed:
            raise CommandError(f"{len(run.failed)} digest(s) could not be sent")
