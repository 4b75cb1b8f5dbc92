"""The ``stedennet`` command: every Django management command plus the project's own.

Our own commands use hyphenated names (``load-g40``, ``import-population``) as the issues and
README spell them; Django command modules cannot contain hyphens, so we map them here.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedennet.conf.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "stedennet"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_") if argv[1] not in _DJANGO_HYPHENATED else argv[1]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


# Third-party commands whose own names contain a hyphen (none today; kept explicit).
_DJANGO_HYPHENATED: frozenset[str] = frozenset()


if __name__ == "__main__":
    main()
