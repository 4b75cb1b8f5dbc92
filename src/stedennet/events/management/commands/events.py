"""``stedennet events remind [--now ISO]``: send the reminder mails that are due.

Run it from cron, e.g. every hour: a registration is reminded once (``reminder_days`` before the
event's day), however often the command runs, also two runs at the same time. Prints a line per
event reminded and the total.
"""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Events: send the reminder mails that are due (once per registration)."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{remind}")
        remind = commands.add_parser("remind", help="send the reminders that are due")
        remind.add_argument("--now", help="act as if it is this ISO 8601 time (default: now)")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _remind(self, *, now: str | None = None, **options) -> None:
        from stedennet.events.models import Event
        from stedennet.events.services import events_remind
        from stedennet.web.formats import parse_now

        try:
            moment = parse_now(now)
        except ValueError:
            raise CommandError(f"--now: not an ISO 8601 time: {now}") from None
        run = events_remind(moment)
        titles = dict(Event.objects.filter(pk__in=run.sent).values_list("pk", "title"))
        for event_pk, registrations in run.sent.items():
            self.stdout.write(f"{titles.get(event_pk, event_pk)}: {len(registrations)} reminder(s) sent")
        self.stdout.write(f"{run.total} reminder(s) sent")
