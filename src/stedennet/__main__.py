"""The ``stedennet`` command: every Django management command plus the project's own.

Our own commands use hyphenated names (``load-g40``, ``import-population``) as the issues and
README spell them; Django command modules cannot contain hyphens, so we map them here.

Two things a shell user expects: piping into ``head`` ends quietly (the reader closing the pipe is
not an error of ours), and a missing setting is one line naming it, not a traceback.
"""

import os
import sys

# The exit status of a Unix tool that a closed pipe ended (128 + SIGPIPE), as `yes | head` has.
EXIT_BROKEN_PIPE = 141


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "stedennet.conf.settings")
    argv = list(sys.argv if argv is None else argv)
    argv[0] = "stedennet"
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_") if argv[1] not in _DJANGO_HYPHENATED else argv[1]
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from stedennet.web.audit import audit_context

    try:
        # Changes a command makes are in the audit trail as made by it (no user: nobody signed in).
        with audit_context(via="cli", command=argv[1] if len(argv) > 1 else ""):
            execute_from_command_line(argv)
        sys.stdout.flush()  # a closed pipe shows here for output still in the buffer
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except ImproperlyConfigured as error:
        sys.stderr.write(f"stedennet: {error}\n")
        sys.exit(2)


def _quiet_stdout() -> None:
    """Point stdout at /dev/null so that Python's own flush at exit does not complain again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (embedded use): nothing to silence
        pass
    finally:
        os.close(devnull)


# Third-party commands whose own names contain a hyphen (none today; kept explicit).
_DJANGO_HYPHENATED: frozenset[str] = frozenset()


if __name__ == "__main__":
    main()
