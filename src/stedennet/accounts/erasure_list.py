"""The erasure list: one JSON line per erased person, in the file ``STEDENNET_ERASURE_LIST``, kept
outside the database so that a restored backup cannot bring anyone back (``privacy.reapply``).

A line holds ids and keyed hashes only, never a name or an address: HMAC-SHA-256 of the casefolded
e-mail address (and of the username), keyed with the secret in the file ``erasure_key`` beside the
list (made on first use, readable by its owner only). Lines are only ever appended.
"""

import hashlib
import hmac
import json
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

KEY_NAME = "erasure_key"


def path() -> Path:
    return Path(settings.STEDENNET_ERASURE_LIST)


def key_path() -> Path:
    return path().with_name(KEY_NAME)


def exists() -> bool:
    return path().exists()


def _key() -> bytes:
    file = key_path()
    if not file.exists():
        file.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            os.write(descriptor, secrets.token_hex(32).encode())
        finally:
            os.close(descriptor)
    return file.read_bytes().strip()


def _hmac(value: str) -> str:
    return hmac.new(_key(), value.encode(), hashlib.sha256).hexdigest()


def email_hmac(email: str) -> str:
    """The keyed hash of an address, casefolded (``Jan@X.nl`` and ``jan@x.nl`` are one person)."""
    return _hmac(email.strip().casefold())


def email_hmacs(emails) -> list[str]:
    result: list[str] = []
    for email in emails:
        value = email_hmac(email) if email else ""
        if value and value not in result:
            result.append(value)
    return result


def username_hmac(username: str) -> str:
    return _hmac("username:" + username.strip().casefold())


def append(entry: dict) -> None:
    """Add one line (flushed to disk before returning)."""
    file = path()
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(entry, sort_keys=True) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def entries() -> list[dict]:
    """Every line of the list; a line that is not a JSON object is skipped and logged."""
    file = path()
    if not file.exists():
        return []
    result = []
    for number, line in enumerate(file.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
        except ValueError:
            entry = None
        if not isinstance(entry, dict):
            logger.warning("%s:%d: not an erasure entry, skipped", file, number)
            continue
        result.append(entry)
    return result
