"""``stedennet mail-retry [--here] [--now ISO]``: deliver every mail in the outbox that is due.

The background worker retries a failed mail by itself (a deferred task at its next attempt); this
command is the safety net beside it, for cron and for start-up (``make run`` runs it): it hands
every due mail to the worker again, also what a stopped or crashed worker left behind. With
``--here`` it delivers them in this process instead and prints what failed (``--now`` acts as if
it is that time, and implies ``--here``). A mail that fails stays in the outbox with the reason
and is tried again later; that is not an error of the command.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from stedennet.mail.constants import MailStatus
from stedennet.mail.selectors import failed_mails, mail_counts
from stedennet.mail.services import mail_enqueue_due, mail_retry_due


class Command(BaseCommand):
    help = "Deliver every mail in the outbox that is due: hand it to the background worker (or --here)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--here", action="store_true", help="deliver in this process, not by the worker")
        parser.add_argument("--now", help="act as if it is this ISO 8601 time (implies --here)")

    def handle(self, *args, here: bool = False, now: str | None = None, **options) -> None:
        moment = None
        if now:
            try:
                moment = datetime.datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(f"--now: not an ISO 8601 time: {now}") from None
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        if here or moment is not None:
            outcomes = mail_retry_due(now=moment)
            self.stdout.write(f"{outcomes.get(MailStatus.SENT, 0)} sent, {outcomes.get(MailStatus.FAILED, 0)} "
                              f"failed again, {outcomes.get(MailStatus.GIVEN_UP, 0)} given up")
            if outcomes.get(MailStatus.FAILED) or outcomes.get(MailStatus.GIVEN_UP):
                for mail in failed_mails()[:20]:
                    self.stderr.write(f"not sent: {mail.to}: {mail.subject}: {mail.last_error}")
        else:
            self.stdout.write(f"{mail_enqueue_due(now=moment)} mail(s) due, handed to the background worker")
        counts = mail_counts()
        self.stdout.write("outbox: " + ", ".join(f"{counts[status]} {status}" for status in MailStatus.values))
