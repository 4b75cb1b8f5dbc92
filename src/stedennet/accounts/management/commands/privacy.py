"""``stedennet privacy erase|export|reapply``: a person's data (``stedennet.accounts.privacy``).

- ``erase <person-id>``: erase the person everywhere (as the bureau's "Erase person" does) and
  put them on the erasure list; exit 1 for an unknown or already erased person;
- ``export <person-id>``: everything every app holds on the person, as JSON on stdout;
- ``reapply``: erase again everyone on the erasure list who exists again, e.g. after a backup was
  restored. Run after every migrate (``make serve``) and as the first step of a restore.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from stedennet.accounts import privacy


class Command(BaseCommand):
    help = "A person's data: erase them, export it, or erase again whoever a restored backup brought back."

    def add_arguments(self, parser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="{erase,export,reapply}")
        erase = commands.add_parser("erase", help="erase a person and put them on the erasure list")
        erase.add_argument("person_id", type=int)
        export = commands.add_parser("export", help="everything held on a person, as JSON")
        export.add_argument("person_id", type=int)
        commands.add_parser("reapply", help="erase again whoever is on the erasure list and exists again")

    def handle(self, *args, action: str, **options) -> None:
        getattr(self, f"_{action}")(**options)

    def _erase(self, *, person_id: int, **options) -> None:
        try:
            result = privacy.erase_person(person_id)
        except privacy.PrivacyRefused as refused:
            raise CommandError(f"{refused.code}: {refused}") from refused
        for model, count in sorted(result.changed.items()):
            self.stdout.write(f"  {model}: {count}")
        self.stdout.write(f"person {person_id} erased")

    def _export(self, *, person_id: int, **options) -> None:
        subject = privacy.subject_for(person_id=person_id)
        if not subject.known:
            raise CommandError(f"person_unknown: there is no person {person_id}")
        self.stdout.write(json.dumps(privacy.export(subject), indent=2, ensure_ascii=False))

    def _reapply(self, **options) -> None:
        erased = privacy.reapply()
        for subject in erased:
            self.stdout.write(f"erased again: person {subject.person_id or '-'}, account {subject.user_id or '-'}")
        self.stdout.write(f"{len(erased)} erased again")
