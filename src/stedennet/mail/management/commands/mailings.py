"""``stedennet mailings resume|status``: the mass mailings (``stedennet.mail.bulk``).

- ``resume``: hand to the background worker every mailing that is sending and has something to
  do, whose lease is free: released by a run that ended, or run out after a run was killed. A
  mailing whose run still holds its lease is named and left alone. Safe to run at any moment and
  as often as one likes (cron, start-up): a second run of one mailing finds the lease held and
  exits, and no recipient is ever sent twice. With ``--here`` the runs happen in this process.
- ``status [--json] [--all]``: the mailings not finished (``--all``: every one) with their
  progress (total, sent, failed, bounced, to go, retrying) and lease.
"""

import json

from django.core.management.base import BaseCommand
from django.utils import timezone

from stedennet.mail.constants import MailingStatus


def _time(value) -> str | None:
    return value.isoformat() if value else None


class Command(BaseCommand):
    help = "Mass mailings: resume those a stopped or killed run left, show their progress."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{resume,status}")
        resume = commands.add_parser("resume", help="hand every mailing with work left and a free lease to the worker")
        resume.add_argument("--here", action="store_true", help="send in this process instead of the worker")
        status = commands.add_parser("status", help="the progress of the mailings not finished")
        status.add_argument("--json", action="store_true", dest="as_json", help="as JSON")
        status.add_argument("--all", action="store_true", dest="everything", help="finished mailings too")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _resume(self, *, here: bool = False, **options) -> None:
        from stedennet.mail.bulk import mailing_send, mailings_resume

        if here:
            from stedennet.mail.models import Mailing

            sending = list(Mailing.objects.filter(status=MailingStatus.SENDING).order_by("pk")
                           .values_list("pk", flat=True))
            for pk in sending:
                self.stdout.write(f"mailing {pk}: {json.dumps(mailing_send(pk))}")
            self.stdout.write(f"{len(sending)} mailing(s) sent on here")
            return
        result = mailings_resume()
        for pk in result["enqueued"]:
            self.stdout.write(f"mailing {pk}: handed to the background worker")
        for pk in result["held"]:
            self.stdout.write(f"mailing {pk}: a run holds its lease; left alone")
        self.stdout.write(f"{len(result['enqueued'])} mailing(s) resumed, {len(result['held'])} being sent")

    def _status(self, *, as_json: bool = False, everything: bool = False, **options) -> None:
        from stedennet.mail.selectors import mailing_progress_of, mailings_with_progress

        mailings = mailings_with_progress()
        if not everything:
            mailings = mailings.exclude(status=MailingStatus.FINISHED)
        now = timezone.now()
        rows = []
        for mailing in mailings:
            progress = mailing_progress_of(mailing)
            held = mailing.lease_until is not None and mailing.lease_until > now
            rows.append({
                "id": mailing.pk, "subject": mailing.subject, "status": mailing.status, "total": progress.total,
                "sent": progress.sent, "failed": progress.failed, "bounced": progress.bounced,
                "to_go": progress.to_go, "retrying": progress.retrying, "done": progress.done,
                "started_at": _time(mailing.started_at), "finished_at": _time(mailing.finished_at),
                "first_sent_at": _time(progress.first_sent_at), "runs": mailing.runs,
                "lease_holder": mailing.lease_holder if held else "", "lease_until": _time(mailing.lease_until),
                "heartbeat_at": _time(mailing.heartbeat_at), "last_error": mailing.last_error,
            })
        if as_json:
            self.stdout.write(json.dumps(rows, indent=2))
            return
        if not rows:
            self.stdout.write("no mailings" if everything else "no mailing being sent")
        for row in rows:
            line = (f"mailing {row['id']} [{row['status']}] {row['subject']}: {row['sent']}/{row['total']} sent, "
                    f"{row['failed']} failed, {row['bounced']} bounced, {row['to_go']} to go"
                    f" ({row['retrying']} retrying)")
            if row["lease_holder"]:
                line += f"; being sent by {row['lease_holder']} (lease until {row['lease_until']})"
            if row["last_error"]:
                line += f"; last error: {row['last_error']}"
            self.stdout.write(line)
