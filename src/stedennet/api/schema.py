"""The OpenAPI document as the NL API Design Rules want it, made from ninja's in one pass:

- every response declares the ``API-Version`` header (``/core/version-header``);
- every operation declares its errors as ``application/problem+json`` with the ``Problem``
  schema: 400 (every operation has parameters: ``/core/error-handling/invalid-input``), 401 (a
  token that is refused), 404 where a path names a thing;
- a query parameter with the date pattern is ``format: date``;
- a nullable value is ``{"type": [T, "null"], "format": …}`` rather than pydantic's
  ``anyOf[T, null]``, so a date keeps ``format: date`` at the top (``/core/date-time``);
- security: anonymous or a personal token (``security: [{}, {ApiToken: []}]``).

``docs/api/openapi.json`` is this document, written by ``stedennet api-schema``; its ``--check``
and ``api/tests/test_openapi.py`` fail when they differ (drift).
"""

import copy
import json
from pathlib import Path

from django.conf import settings

from stedennet.api.query import DATE_PATTERN

COMMITTED = Path(settings.REPO_DIR) / "docs" / "api" / "openapi.json"
PROBLEM_MEDIA = "application/problem+json"
SECURITY_SCHEME = "ApiToken"

ERRORS = {
    "400": ("BadRequest", "Invalid input: the parameters are named in invalidParams."),
    "401": ("Unauthorized", "The API token is unknown, revoked or of an inactive account."),
    "404": ("NotFound", "Nothing with this identifier (or not visible to the asker)."),
}


def _collapse_nullable(node):
    """``anyOf: [X, {type: null}]`` → X with ``type: [X.type, "null"]`` where X has a plain type."""
    if isinstance(node, list):
        return [_collapse_nullable(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _collapse_nullable(value) for key, value in node.items()}
    options = node.get("anyOf")
    if isinstance(options, list) and len(options) == 2 and {"type": "null"} in options:
        other = next(option for option in options if option != {"type": "null"})
        if isinstance(other.get("type"), str) and "$ref" not in other:
            merged = {key: value for key, value in node.items() if key != "anyOf"}
            merged.update(other)
            merged["type"] = [other["type"], "null"]
            if "enum" in merged and None not in merged["enum"]:
                merged["enum"] = [*merged["enum"], None]
            return merged
    return node


def _version_header() -> dict:
    return {"API-Version": {"$ref": "#/components/headers/API-Version"}}


def postprocess(raw: dict, *, version: str) -> dict:
    document = _collapse_nullable(copy.deepcopy(raw))
    components = document.setdefault("components", {})
    components["headers"] = {
        "API-Version": {
            "description": "The full version of the API that answered (semantic versioning).",
            "schema": {"type": "string", "example": version},
            "required": True,
        }
    }
    components.setdefault("responses", {})
    for name, description in ERRORS.values():
        components["responses"][name] = {
            "description": description,
            "headers": _version_header(),
            "content": {PROBLEM_MEDIA: {"schema": {"$ref": "#/components/schemas/Problem"}}},
        }
    schemas = components.setdefault("schemas", {})
    schemas["InvalidParam"] = {
        "type": "object",
        "description": "A parameter that was refused.",
        "properties": {
            "name": {"type": "string", "description": "The parameter as sent, e.g. memberOn."},
            "code": {"type": "string", "description": "A stable code, e.g. invalid_date, unknown_parameter."},
            "reason": {"type": "string"},
        },
        "required": ["name", "code", "reason"],
    }
    schemas["Problem"] = {
        "type": "object",
        "description": "Problem details (RFC 9457).",
        "properties": {
            "type": {"type": "string", "format": "uri-reference", "example": "about:blank"},
            "title": {"type": "string", "example": "Bad Request"},
            "status": {"type": "integer", "minimum": 100, "maximum": 599, "example": 400},
            "detail": {"type": "string"},
            "instance": {"type": "string", "format": "uri-reference"},
            "invalidParams": {"type": "array", "items": {"$ref": "#/components/schemas/InvalidParam"}},
        },
        "required": ["type", "title", "status", "detail"],
    }
    schemes = components.setdefault("securitySchemes", {})
    schemes.clear()
    schemes[SECURITY_SCHEME] = {
        "type": "http",
        "scheme": "bearer",
        "description": "A personal API token, made and revoked by its owner on /mijn/api-tokens/.",
    }
    for path, operations in document.get("paths", {}).items():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                schema.pop("title", None)
                schema.pop("description", None)  # the parameter's own description says it
                if schema.get("pattern") == DATE_PATTERN:
                    schema["format"] = "date"
            operation["security"] = [{}, {SECURITY_SCHEME: []}]
            responses = {str(status): response for status, response in operation.get("responses", {}).items()}
            for status, response in responses.items():
                if status[0] in "23":
                    response["headers"] = _version_header()
            for status, (name, _description) in ERRORS.items():
                if status == "404" and "{" not in path:
                    continue
                responses[status] = {"$ref": f"#/components/responses/{name}"}
            operation["responses"] = dict(sorted(responses.items()))
    return document


def render(document: dict) -> str:
    """The committed form: two-space indents, non-ASCII kept, a final newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
