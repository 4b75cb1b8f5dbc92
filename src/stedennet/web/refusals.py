"""Refusals: a change the rules do not allow, with a stable ``code`` for programs and tests,
the message for people, and the ``field`` (input) it concerns, if any.

Every domain app's refusals derive from :class:`Refused`; :func:`add_refusal` puts one on a
form, on the field it concerns or on the form as a whole.
"""

from collections.abc import Mapping

from django import forms
from django.core.exceptions import ValidationError


class Refused(ValidationError):
    """A change refused by the rules of a domain app.

    ``Refused(message, code, field=...)`` for one reason; ``Refused({"field": [...]})`` for
    reasons per field (Django's ``error_dict``); ``Refused([Refused(...), ...])`` for several.
    """

    default_code = "refused"

    def __init__(self, message, code: str | None = None, params=None, *, field: str | None = None):
        super().__init__(message, code=code or self.default_code, params=params)
        self.code = code or self.default_code
        self.field = field

    def __str__(self) -> str:
        if hasattr(self, "message"):
            message = self.message
            return str(message % self.params) if self.params else str(message)
        return "; ".join(self.messages)

    @property
    def codes(self) -> list[str]:
        """The code of every reason (one per message)."""
        return [error.code or self.code for error in self.error_list] if hasattr(self, "error_list") else [self.code]


def add_refusal(form: forms.BaseForm, error: ValidationError, field: str | None = None, *,
                fields: Mapping[str, str] | None = None) -> None:
    """Show ``error`` on ``form``: per-field reasons on their fields, a single reason on the
    field it names (``error.field``, else ``fields[error.code]``), else on ``field``, else on
    the form as a whole. ``fields`` also maps the service's names to the form's
    (``{"ends_at": "end_time"}``). A name the form does not have falls back to ``field``."""
    fields = fields or {}

    def target(name: str | None) -> str | None:
        name = fields.get(name, name) if name else None
        if name and name in form.fields:
            return name
        return field if field in form.fields else None

    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            for item in errors:
                form.add_error(target(name), item)
        return
    for item in error.error_list:
        named = getattr(item, "field", None) or getattr(error, "field", None) or fields.get(item.code or "")
        form.add_error(target(named), ValidationError(item.message, code=item.code, params=item.params))
