"""Browser tests: a real Chromium (Debian's /usr/bin/chromium) driven by Playwright, with
axe-core (WCAG 2.1 A and AA) and the Nu Html Checker (vnu) on every page.

Without Chromium or Java these tests are skipped with the reason; in CI (CI=true) or with
STEDENNET_REQUIRE_BROWSER=1 they fail instead, so CI cannot pass without them.
"""

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API keeps an event loop in this thread; Django's database calls from the
# test body are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("STEDENNET_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
JAVA = shutil.which("java")
NODE_MODULES = Path(settings.NODE_MODULES_DIR)
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
REQUIRED = os.environ.get("CI") == "true" or os.environ.get("STEDENNET_REQUIRE_BROWSER") == "1"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    if not JAVA:
        return "Java not found for the Nu Html Checker (apt-get install default-jre-headless)"
    if not AXE.exists() or not VNU.exists():
        return "axe-core or vnu-jar missing from node_modules (npm ci)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if reason is None or REQUIRED:
        return
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _browser_available():
    """Where the browser tests are required, a missing tool fails each of them with the reason."""
    reason = _missing()
    if reason is not None:
        pytest.fail(f"browser tests are required here but cannot run: {reason}", pytrace=False)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    # bypass_csp lets axe-core be injected; the site's own policy is tested separately.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def vnu():
    """The Nu Html Checker as a local HTTP service, started once for the session."""
    port = _free_port()
    process = subprocess.Popen(
        [JAVA, "-Xss16m", "-cp", str(VNU), "-Dnu.validator.servlet.bind-address=127.0.0.1",
         "nu.validator.servlet.Main", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/?out=json"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                raise RuntimeError("the Nu Html Checker did not start") from None
            time.sleep(0.5)

    def check(html: str) -> list[dict]:
        request = urllib.request.Request(
            url, data=html.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            messages = json.load(response)["messages"]
        return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]

    yield check
    process.terminate()
    process.wait(timeout=10)


MESSAGES_SHOWN = """() => [...document.querySelectorAll('.messages > ul')]
    .every(list => getComputedStyle(list).opacity === '1')"""


@pytest.fixture
def check_page(page, vnu):
    """Open a path, then assert zero axe violations (WCAG 2.1 A/AA) and zero HTML errors."""

    def check(path: str | None = None, *, expect_status: int = 200):
        if path is not None:
            response = page.goto(path)
            assert response.status == expect_status, f"{path}: HTTP {response.status}"
            html = response.text()
        else:
            html = page.evaluate("async () => (await fetch(location.href)).text()")
        # Wagtail's messages fade in: axe measures the contrast of what it sees, so wait for the end.
        page.wait_for_function(MESSAGES_SHOWN)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
        )
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
            for v in result["violations"]
        ]
        assert violations == [], f"axe on {page.url}:\n" + "\n".join(violations)
        errors = [f"line {e.get('lastLine')}: {e.get('message')}" for e in vnu(html)]
        assert errors == [], f"Nu Html Checker on {page.url}:\n" + "\n".join(errors)
        return html

    return check


@pytest.fixture
def sign_in(page):
    """``sign_in(username, password, next="/")``: signs in on the one sign-in page (/inloggen/)
    with the page's own form, including the second factor where the account has one, and waits
    until the browser has left the sign-in pages (see ``tests.browser.signing_in``)."""
    from tests.browser.signing_in import sign_in_page

    def sign_in_as(username: str, password: str, next: str = "/") -> None:
        sign_in_page(page, username, password, next)

    return sign_in_as
