"""Kamerstuk numbers: a dossier is a number with an optional addition (``36600-VII``: the budget
of chapter VII), a kamerstuk is a dossier plus a document number (``36600-XV nr. 12``).

``kamerstuk_key`` is the one spelling the mirror stores and compares (digits, a hyphen, the
addition in capitals without spaces); ``parse_dossier_key`` reads what people type.
"""

import re

_KEY = re.compile(r"^\s*(\d{1,6})\s*(?:-\s*([0-9A-Za-z]+(?:[ -]?[0-9A-Za-z]+)*))?\s*$")


def kamerstuk_key(nummer: int | None, toevoeging: str | None = "") -> str:
    """``36600, "VII"`` → ``"36600-VII"``; ``36600, ""`` → ``"36600"``; no number → ``""``."""
    if nummer is None:
        return ""
    addition = normalise_addition(toevoeging)
    return f"{nummer}-{addition}" if addition else str(nummer)


def normalise_addition(toevoeging: str | None) -> str:
    return re.sub(r"[\s-]+", "", toevoeging or "").upper()


def kamerstuk_label(nummer: int | None, toevoeging: str | None, volgnummer: int | None) -> str:
    """``36600, "XV", 12`` → ``"36600-XV nr. 12"`` (just the dossier without a document number)."""
    key = kamerstuk_key(nummer, toevoeging)
    if not key:
        return ""
    return f"{key} nr. {volgnummer}" if volgnummer is not None else key


def parse_dossier_key(text: str) -> tuple[int, str] | None:
    """``"36600-VII"``, ``"36600 - vii"``, ``"36600"`` → ``(36600, "VII")`` / ``(36600, "")``;
    anything else (``"36600-"``, ``"VII"``, ``"36.600"``) → None."""
    match = _KEY.match(text or "")
    if not match:
        return None
    return int(match.group(1)), normalise_addition(match.group(2))
