"""The layout on a phone-sized screen and the network's own look, in a real browser.

At 375 × 740 px every page reachable from the home page, for an anonymous visitor and for each
role (bureau, administrator, civil servant, partner), fits the screen: the page never scrolls
sideways and no element sticks out (tables scroll inside their own labelled, focusable region).
The menu folds behind a menu button that works with the keyboard, and without JavaScript every
menu link is still there. Every page passes axe (WCAG 2.1 A/AA) and the Nu Html Checker."""

import io
import itertools
import re
from collections import Counter
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import resolve

from stedennet.governance.models import Body, Visibility
from stedennet.governance.services import bodies_seed_load
from stedennet.meetings.models import Meeting
from stedennet.site.services import home_page_ensure

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 740}
DEMO_PASSWORDS = {"bureau": "demo-bureau-g40", "bestuurder": "demo-bestuurder-g40",
                  "ambtenaar": "demo-ambtenaar-g40", "partner": "demo-partner-g40"}
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/documenten/", "/i18n/", "/uitloggen/", "/media/")
PER_ROUTE = 2  # pages of the same kind (e.g. two member pages) are enough to see their layout

# Everything on the page lies within the screen, except inside an element that scrolls or clips.
STICKING_OUT = """(limit) => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (rect.width === 0 || rect.height === 0 || rect.right <= limit + 0.5) continue;
    let clipped = false;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const overflow = getComputedStyle(p).overflowX;
      if (overflow !== 'visible') { clipped = true; break; }
    }
    const name = el.className ? '.' + String(el.className).split(' ').join('.') : '';
    if (!clipped) out.push(el.tagName.toLowerCase() + name + ' right=' + Math.round(rect.right));
  }
  return out.slice(0, 10);
}"""


# Links to files, not pages: calendars, images, feeds, downloads.
NOT_PAGES = (".ics", ".svg", ".atom", ".csv", ".json")


@pytest.fixture
def demo(transactional_db, g40, settings, tmp_path):
    """The demo as `make run` loads it, with a library item and a question to open."""
    from stedennet.governance.access import viewer_for
    from stedennet.knowledge.services import library_item_create, question_ask

    settings.MEDIA_ROOT = tmp_path
    home_page_ensure()
    network = g40
    bodies_seed_load(network=network)
    call_command("load_demo_accounts", stdout=io.StringIO())
    call_command("load_demo_governance", stdout=io.StringIO())
    from django.contrib.auth import get_user_model

    civil_servant = viewer_for(get_user_model().objects.get(username="ambtenaar"))
    pillar = Body.objects.get(slug="sociale-pijler")
    item = library_item_create(
        viewer=civil_servant, title="Aanpak vroegsignalering schulden: een werkwijze met een lange titel",
        summary="Hoe gemeenten schulden vroeg signaleren.", visibility=Visibility.PUBLIC, pillar=pillar,
        links=[("https://example.org/" + "lang-pad/" * 12, "Voorbeeldpagina met een erg lang webadres")])
    question = question_ask(viewer=civil_servant, title="Wie heeft ervaring met schuldhulp aan jongeren?",
                            visibility=Visibility.MEMBERS_AND_PARTNERS)
    meeting = Meeting.objects.order_by("pk").first()
    return {"network": network, "item": item, "question": question, "meeting": meeting}


def sign_in(page, live_server, username: str | None) -> None:
    if username is None:
        return
    client = Client()
    user = get_user_model().objects.get(username=username)
    assert user.check_password(DEMO_PASSWORDS[username])
    client.force_login(user)
    cookie = settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": cookie, "value": client.cookies[cookie].value, "url": live_server.url}])


def start_pages(demo, username: str | None) -> list[str]:
    """Pages no link on the home page leads to directly, by the roles that may open them."""
    pages = ["/", f"/bibliotheek/{demo['item'].pk}/", "/leden/amstelveen/", "/leden/?sort=population&order=desc",
             "/zoeken/?q=schulden", "/pijlers/sociale-pijler/", "/strategische-agenda/"]
    if username is None:
        pages.append("/inloggen/")
    if username in ("bureau", "bestuurder", "ambtenaar"):
        meeting = demo["meeting"]
        pages += ["/bibliotheek/nieuw/", "/vragen/nieuw/", "/deskundigen/", f"/vragen/{demo['question'].pk}/",
                  "/mijn/samenvatting/", "/organen/themagroep-armoede-en-schulden/"]
        if meeting is not None:
            pages.append(f"/vergaderingen/{meeting.pk}/")
    if username == "bureau":
        pages += ["/organen/verzoeken/", "/organen/dagelijks-bestuur/vergaderingen/nieuw/"]
        if demo["meeting"] is not None:
            pages.append(f"/vergaderingen/{demo['meeting'].pk}/verslag/")
    if username == "partner":
        pages += [f"/vragen/{demo['question'].pk}/", "/mijn/samenvatting/"]
    return pages


def _route(path: str) -> str:
    try:
        match = resolve(urlsplit(path).path)
    except Exception:
        return path
    return match.view_name if match.url_name else path


def assert_fits(page, path: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path}: the page is {width} px wide at {PHONE['width']} px"
    assert page.evaluate(STICKING_OUT, PHONE["width"]) == [], f"{path}: elements stick out of the screen"


@pytest.mark.parametrize("username", [None, "bureau", "bestuurder", "ambtenaar", "partner"])
def test_no_page_scrolls_sideways_on_a_phone(demo, browser, live_server, vnu, username):
    """Walk the site from the home page as this viewer at 375 px: every page fits and is valid."""
    from .conftest import AXE, WCAG_TAGS

    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, live_server, username)
    queue, seen, per_route, checked = list(start_pages(demo, username)), set(), Counter(), []
    try:
        while queue:
            path = queue.pop(0)
            route = _route(path)
            if path in seen or per_route[route] >= PER_ROUTE:
                continue
            seen.add(path)
            response = page.goto(path)
            if response.status != 200:  # links to pages this viewer may not open are another test's business
                continue
            per_route[route] += 1
            checked.append(path)
            assert_fits(page, path)
            page.add_script_tag(path=str(AXE))
            result = page.evaluate(
                "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS)
            assert [v["id"] for v in result["violations"]] == [], f"axe at 375 px on {path}: {result['violations']}"
            assert vnu(response.text()) == [], f"Nu Html Checker on {path}"
            for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.getAttribute('href'))"):
                parts = urlsplit(href)
                if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                    continue
                if parts.path.startswith(SKIP_PREFIXES) or parts.path.endswith(NOT_PAGES):
                    continue
                if "/bestanden/" in parts.path or "/documenten/" in parts.path:
                    continue
                queue.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    finally:
        context.close()
    routes = {_route(p) for p in checked}
    assert {"membership:member_list", "membership:member_detail", "programmes:pillar"} <= routes
    if username in ("bureau", "bestuurder", "ambtenaar"):
        assert {"governance:my_groups", "governance:body", "knowledge:experts", "knowledge:question"} <= routes
    if username == "partner":
        assert {"governance:my_groups", "knowledge:questions"} <= routes


def test_the_menu_folds_behind_a_button_that_works_with_the_keyboard(demo, browser, live_server):
    context = browser.new_context(base_url=live_server.url, bypass_csp=True, locale="nl-NL", viewport=PHONE)
    page = context.new_page()
    try:
        page.goto("/leden/")
        button = page.get_by_role("button", name="Menu")
        menu = page.locator("#site-nav")
        assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
        assert button.get_attribute("aria-controls") == "site-nav"
        assert menu.evaluate("m => m.tagName") == "NAV" and menu.get_attribute("aria-label") == "Hoofdmenu"
        assert button.evaluate("b => b.tagName") == "BUTTON"
        assert not menu.get_by_role("link", name="Leden", exact=True).is_visible()

        for _ in range(10):  # Tab from the top of the page to the menu button
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.classList.contains('site-menu-button')"):
                break
        else:
            pytest.fail("the menu button cannot be reached with Tab")
        page.keyboard.press("Enter")
        assert button.get_attribute("aria-expanded") == "true"
        assert menu.get_by_role("link", name="Partners").is_visible()
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.closest('#site-nav') !== null"), "Tab goes into the menu"
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.classList.contains('site-menu-button')")
        assert not menu.get_by_role("link", name="Partners").is_visible()

        page.keyboard.press("Space")
        assert button.get_attribute("aria-expanded") == "true"
        menu.get_by_role("link", name="Partners").click()
        page.wait_for_url("**/partners/")
        assert_fits(page, "/partners/")
    finally:
        context.close()


def test_without_javascript_every_menu_link_is_shown(demo, browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="nl-NL", viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/leden/")
        assert not page.locator(".site-menu-button").is_visible()
        menu = page.get_by_role("navigation", name="Hoofdmenu")
        for name in ["Home", "Leden", "Partners", "Pijlers", "Bibliotheek", "Zoeken"]:
            assert menu.get_by_role("link", name=name, exact=True).is_visible(), name
        assert_fits(page, "/leden/")
    finally:
        context.close()


def test_a_wide_table_scrolls_in_its_own_labelled_region(demo, page, live_server):
    page.set_viewport_size(PHONE)
    page.goto("/leden/")
    region = page.get_by_role("region", name=re.compile("Leden met hun laatste inwonertal"))
    assert region.get_attribute("tabindex") == "0"
    assert region.evaluate("r => r.scrollWidth > r.clientWidth"), "the member table is wider than the screen"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.querySelector('.table-scroll').scrollLeft > 0")


def test_the_network_look_breadcrumbs_selects_and_form_fields(demo, page, check_page, live_server):
    sign_in(page, live_server, "ambtenaar")
    check_page("/")
    footer = page.get_by_test_id("site-footer")
    assert footer.evaluate("f => getComputedStyle(f).backgroundColor") == "rgb(11, 92, 113)"  # the seed's colour
    assert footer.evaluate("f => getComputedStyle(f).backgroundImage") == "none"  # no diagonal band
    assert page.title() == "Stedennetwerk G40"
    from stedennet.governance.models import Person

    name = Person.objects.get(user__username="ambtenaar").name
    assert page.get_by_test_id("signed-in-as").locator("strong").inner_text() == name
    assert page.get_by_test_id("sign-out").evaluate("b => [b.type, b.form.method]") == ["submit", "post"]
    favicon = page.request.get("/favicon.ico")
    assert favicon.status == 200 and favicon.headers["content-type"] == "image/x-icon"

    meeting = demo["meeting"]
    crumbs_pages = ["/leden/amstelveen/", "/pijlers/sociale-pijler/", f"/vragen/{demo['question'].pk}/",
                    f"/bibliotheek/{demo['item'].pk}/", "/organen/themagroep-armoede-en-schulden/",
                    "/vragen/nieuw/", "/bibliotheek/nieuw/"]
    if meeting is not None:
        crumbs_pages += [f"/vergaderingen/{meeting.pk}/", f"/organen/{meeting.body.slug}/archief/"]
    for path in crumbs_pages:
        check_page(path)
        crumbs = page.locator(".utrecht-breadcrumb-nav__item")
        assert crumbs.count() >= 2, path
        styles = crumbs.evaluate_all(
            "els => els.map(li => [getComputedStyle(li).display, getComputedStyle(li).listStyleType])")
        assert all(display != "list-item" and marker == "none" for display, marker in styles), f"{path}: {styles}"
        nav_left = page.locator("nav.utrecht-breadcrumb-nav").evaluate("n => n.getBoundingClientRect().left")
        first_left = crumbs.first.evaluate("li => li.getBoundingClientRect().left")
        assert first_left <= nav_left + 1, f"{path}: the first crumb is pushed in by a list marker"
        separators = crumbs.evaluate_all("els => els.slice(1).map(li => getComputedStyle(li, '::before').content)")
        assert all(content.startswith('"›"') for content in separators), f"{path}: {separators}"
        assert page.locator(".utrecht-breadcrumb-nav__separator:visible").count() == 0, f"{path}: two separators"

    check_page("/bibliotheek/")
    selects = page.locator("select.utrecht-select:not([multiple])")
    assert selects.count() >= 1
    for image in selects.evaluate_all("els => els.map(s => getComputedStyle(s).backgroundImage)"):
        assert image.startswith("url("), "a select box shows its arrow"

    check_page("/bibliotheek/nieuw/")
    fields = page.locator("form .utrecht-form-field").evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.top, r.bottom]; })")
    assert len(fields) >= 3
    gaps = [top - previous_bottom for (_, previous_bottom), (top, _) in itertools.pairwise(fields)]
    assert min(gaps) >= 12, f"form fields touch: gaps {gaps}"
