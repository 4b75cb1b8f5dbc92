"""Fixtures of the local OpenID Connect provider (a pytest plugin: the root conftest loads it).

- ``oidc_provider`` (session): the provider started as its own process (``python -m
  tests.oidc_provider``); stopped at the end of the session, that process only.
- ``oidc`` (test): the same provider, its test-only state reset (no spoiled token pending, no
  added users), with helpers: ``control(**data)``, ``issued()``, ``choose(authorize_url, user)``.
- ``entra`` (test, with the G40): an ``IdentityProvider`` for the provider's multi-tenant
  endpoint (``/organizations/v2.0``, as a multi-tenant Entra app), its tenant Amstelveen connected
  to the member Amstelveen; the tenant "Elsewhere" is not connected.
"""

import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from tests.oidc_provider import config

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 10


@dataclass
class RunningProvider:
    base_url: str
    process: subprocess.Popen

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def control(self, **data) -> None:
        response = requests.post(self.url("/_control"), json=data, timeout=5)
        response.raise_for_status()

    def issued(self) -> list[dict]:
        """The claims of every ID token the provider issued since the last reset."""
        return requests.get(self.url("/_control"), timeout=5).json()["issued"]

    def choose(self, authorize_url: str, user: str) -> str:
        """What the person does on the provider's page: open it, pick ``user``. Returns where the
        provider sends the browser back (the platform's callback with code and state)."""
        assert authorize_url.startswith(self.base_url), authorize_url
        page = requests.get(authorize_url, timeout=5, allow_redirects=False)
        assert page.status_code == 200, (page.status_code, page.headers.get("Location"), page.text[:300])
        answer = requests.post(authorize_url, data={"user": user}, timeout=5, allow_redirects=False)
        assert answer.status_code == 302, (answer.status_code, answer.text[:300])
        return answer.headers["Location"]


def _start(errors) -> RunningProvider:
    # Its errors go to a file (a pipe nobody reads could fill up and stall the provider).
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider", "--port", "0"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
    )
    line: list[str] = []
    reader = threading.Thread(target=lambda: line.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(START_SECONDS)
    if not line or not line[0].startswith("READY "):
        process.kill()
        process.wait(timeout=5)
        errors.seek(0)
        raise RuntimeError(f"the local OpenID Connect provider did not start: {line} {errors.read()[-2000:]}")
    return RunningProvider(base_url=line[0].split()[1], process=process)


@pytest.fixture(scope="session")
def oidc_provider(tmp_path_factory):
    with open(tmp_path_factory.mktemp("oidc_provider") / "stderr.txt", "w+", encoding="utf-8") as errors:
        provider = _start(errors)
        try:
            yield provider
        finally:
            provider.process.terminate()  # this process only
            try:
                provider.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                provider.process.kill()
                provider.process.wait(timeout=5)
            provider.process.stdout.close()


@pytest.fixture
def oidc(oidc_provider) -> RunningProvider:
    oidc_provider.control(reset=True)
    yield oidc_provider
    oidc_provider.control(reset=True)


@pytest.fixture
def entra(g40, oidc):
    """The multi-tenant identity provider with Amstelveen's tenant connected."""
    from stedennet.accounts.models import IdentityProvider
    from stedennet.governance.models import TenantLink
    from stedennet.registry.models import Municipality

    provider = IdentityProvider.objects.create(
        name="Microsoft Entra ID (test)", slug="entra", server_url=oidc.url("/organizations/v2.0"),
        client_id=config.CLIENT_ID, client_secret=config.CLIENT_SECRET, multi_tenant=True,
    )
    TenantLink.objects.create(provider=provider, tenant_id=config.AMSTELVEEN,
                              municipality=Municipality.objects.get(cbs_code="GM0362"))
    return provider


def callback_path(location: str) -> str:
    """The path and query of a callback address (for Django's test client)."""
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"
