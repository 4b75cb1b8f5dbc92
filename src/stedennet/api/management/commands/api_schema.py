"""``stedennet api-schema [--check] [--output FILE]``: write the API's OpenAPI document to
docs/api/openapi.json (committed), or with ``--check`` exit 1 when the committed file differs
from what the code describes (drift)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from stedennet.api.api import openapi_document
from stedennet.api.schema import COMMITTED, render


class Command(BaseCommand):
    help = "Write docs/api/openapi.json from the code, or check that it is up to date (--check)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Exit 1 when the committed document differs.")
        parser.add_argument("--output", default=str(COMMITTED), help="The file (default docs/api/openapi.json).")

    def handle(self, *args, check: bool = False, output: str = "", **options):
        path = Path(output)
        text = render(openapi_document())
        if check:
            current = path.read_text(encoding="utf-8") if path.exists() else ""
            if current != text:
                raise CommandError(f"{path} is out of date: run `stedennet api-schema` and commit it.", returncode=1)
            self.stdout.write(f"{path} is up to date.")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(f"Wrote {path}.")
