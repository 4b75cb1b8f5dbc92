"""The OpenAPI document: served without sign-in, equal to the committed docs/api/openapi.json
(drift), and passing the NL API Design Rules linter (Spectral with the ADR ruleset)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from stedennet.api.api import openapi_document
from stedennet.api.constants import VERSION
from stedennet.api.schema import COMMITTED, render

REPO = Path(settings.REPO_DIR)
SPECTRAL = REPO / "node_modules" / ".bin" / "spectral"
RULESET = Path(os.environ.get("ADR_RULESET", REPO.parent / "shared" / "validators" / "nl-api-design-rules"
                              / "linter.yaml"))


@pytest.mark.django_db
def test_the_document_is_served_without_sign_in_and_equals_the_committed_one(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["API-Version"] == VERSION
    assert response.json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


def test_the_committed_document_is_what_the_code_describes():
    assert COMMITTED.read_text(encoding="utf-8") == render(openapi_document()), (
        "docs/api/openapi.json is out of date: run `stedennet api-schema` and commit it")


def test_the_check_command_fails_on_drift(tmp_path):
    stale = tmp_path / "openapi.json"
    stale.write_text(render({**openapi_document(), "info": {"title": "old", "version": "0.0.1"}}), encoding="utf-8")
    with pytest.raises(CommandError) as refused:
        call_command("api_schema", "--check", "--output", str(stale))
    assert refused.value.returncode == 1
    call_command("api_schema", "--output", str(stale))
    call_command("api_schema", "--check", "--output", str(stale))


def test_no_docs_page_that_loads_from_a_cdn(client, db):
    assert client.get("/api/v1/docs").status_code == 404


def test_every_operation_declares_its_problems_and_the_version_header():
    document = openapi_document()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert {"400", "401"} <= set(responses), (method, path)
            assert all("headers" in r for status, r in responses.items() if status.startswith("2")), (method, path)


@pytest.mark.skipif(not SPECTRAL.exists(), reason="node_modules has no Spectral (npm ci)")
@pytest.mark.skipif(not RULESET.exists(), reason="the ADR ruleset is not beside the checkout")
def test_the_nl_api_design_rules_linter_passes():
    node = shutil.which("node")
    assert node, "Spectral needs Node"
    result = subprocess.run(
        [str(SPECTRAL), "lint", "--fail-severity=warn", "-r", str(RULESET), str(COMMITTED)],
        capture_output=True, text=True, timeout=120, cwd=REPO,
        env={**os.environ, "SCARF_ANALYTICS": "false", "DO_NOT_TRACK": "1"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
