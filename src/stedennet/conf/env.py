"""The one place where configuration is read from the environment.

Every variable is documented in README.md and .env.example; settings.py only calls these.
"""

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Set the environment variable {name} (see README.md).")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env_str(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


def env_path(name: str, default: Path, base: Path) -> Path:
    """A path from the environment; a relative one counts from ``base`` (the checkout), not from
    the directory the command happens to be typed in."""
    value = os.environ.get(name)
    path = Path(value).expanduser() if value else default
    return path if path.is_absolute() else base / path


def env_secret(name: str, file: Path) -> str:
    """A secret from the environment, else from ``file`` (``make`` writes ``var/secret_key`` once,
    so a command typed in another terminal finds the same key). Production passes the variable."""
    value = os.environ.get(name)
    if value:
        return value
    try:
        value = file.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        value = ""
    except OSError as exc:
        raise ImproperlyConfigured(f"Cannot read {file} for {name}: {exc.strerror}.") from exc
    if not value:
        raise ImproperlyConfigured(
            f"Set the environment variable {name}, or run `make install` once to create {file} (see README.md)."
        )
    return value
