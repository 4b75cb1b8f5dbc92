"""Every back-office page of ours, opened in a real browser as the bureau: each button and
link-button shows its text inside its box under an icon of normal size (the invoice page once
showed five empty boxes under huge icons), and no page asks another host for anything (no
gravatar.com, no version check).

The pages are found by crawling from the listings of our snippet models and our own admin views,
following every link within the back office that leads to a view of ours; one page per view is
checked, and the test fails if a view of ours was never reached."""

import datetime
import urllib.parse
from decimal import Decimal

import pytest
from django.urls import Resolver404, resolve, reverse

from stedennet.site.services import home_page_ensure
from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser

d = datetime.date.fromisoformat
OUR_APPS = {"registry", "membership", "contributions", "invoices", "governance", "meetings", "programmes", "knowledge",
            "mail", "site", "events", "letters"}
# Downloads and page fragments are not pages; they have no buttons to show.
NOT_PAGES = {"invoices_pdf", "invoices_ubl", "events_attendees_csv", "events_attendees_xlsx"}

BUTTON_CHECK = """
() => {
  const main = document.querySelector('main') || document.body;
  const selector = 'a.button, button, [role=button], input[type=submit], input[type=button]';
  const found = [];
  for (const el of main.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;  // not shown
    const em = parseFloat(style.fontSize);
    const problems = [];
    for (const icon of el.querySelectorAll('svg')) {
      const r = icon.getBoundingClientRect();
      if (r.width > 2 * em + 0.5 || r.height > 2 * em + 0.5) {
        problems.push(`icon ${Math.round(r.width)}x${Math.round(r.height)}px, font ${em}px`);
      }
      const out = r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1;
      if (r.width && out) {
        problems.push('icon outside the button');
      }
    }
    const text = (el.innerText || el.value || '').trim();
    const name = text || (el.getAttribute('aria-label') || '').trim();
    let visible = el.tagName === 'INPUT' ? Boolean(text) : false;
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent.trim()) continue;
      const parent = node.parentElement;
      if (parent.closest('.w-sr-only, .visuallyhidden, [hidden]')) continue;
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (!r.width) continue;
        if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) {
          problems.push(`text "${node.textContent.trim().slice(0, 40)}" outside the button`);
        } else {
          visible = true;
        }
      }
    }
    const iconOnly = !visible && el.querySelector('svg') && name;  // e.g. Wagtail's "more actions" toggle
    if (!name) problems.push('no text');
    else if (!visible && !iconOnly) problems.push('no visible text');
    if (problems.length) found.push({button: el.outerHTML.slice(0, 160), problems});
  }
  return found;
}
"""


@pytest.fixture
def everything(g40, transactional_db):
    """Demo data of every kind our back office shows: the G40, bodies and demo people, billing,
    the 2022 invoices with a payment, a credit note, a reminder and a mailing; a request to
    join, a vacancy, a failed mail."""
    from stedennet.accounts.services import demo_accounts_create
    from stedennet.events.demo import load_demo_events
    from stedennet.governance.demo import demo_governance_load
    from stedennet.governance.models import Body, MembershipRequest, Person, Position
    from stedennet.governance.services import bodies_seed_load
    from stedennet.invoices.demo import demo_billing_load
    from stedennet.invoices.models import Invoice, InvoiceMailing, Reminder
    from stedennet.invoices.services import credit_note_issue, invoices_issue, payment_record
    from stedennet.letters.demo import load_demo_letters
    from stedennet.mail.models import OutgoingMail

    home_page_ensure()
    network = g40
    demo_accounts_create()
    bodies_seed_load(network=network)
    demo_governance_load(network=network)
    demo_billing_load(network=network)
    load_demo_events(network=network)
    load_demo_letters(network=network)
    invoices_issue(network=network, year=2022, issue_date=d("2022-12-01"))
    invoices = list(Invoice.objects.filter(year=2022).order_by("sequence"))
    payment_record(invoice=invoices[0], date=d("2022-12-10"), amount=Decimal("100.00"))
    credit_note_issue(invoice=invoices[1], reason="demo")
    Reminder.objects.create(invoice=invoices[2], date=d("2023-01-15"), level=1, channel="letter",
                            outstanding=invoices[2].total_amount, sent_to="Postbus 1")
    InvoiceMailing.objects.create(invoice=invoices[3], sent_to="crediteuren@example.org")
    person = Person.objects.filter(is_demo=True).order_by("pk").first()
    group = Body.objects.filter(kind="theme_group").exclude(positions__person=person).order_by("pk").first()
    MembershipRequest.objects.create(person=person, body=group, motivation="demo")
    position = Position.objects.filter(body__track="administrative", end_date__isnull=True).order_by("pk").first()
    Position.objects.filter(pk=position.pk).update(end_date=d("2026-03-31"), end_reason="verkiezingen")
    OutgoingMail.objects.create(status="failed", from_email="bureau@x.invalid", recipients=["a@x.invalid"],
                                to="a@x.invalid", subject="Demo", message=b"Subject: Demo\r\n\r\nDemo",
                                attempts=1, last_error="Connection refused")
    # Pages whose links sit in a closed menu or on a page of another kind of the same view.
    invitee = Person.objects.filter(user__isnull=True).order_by("pk").first()
    return [reverse("wagtailsnippets_invoices_invoice:inspect", args=[invoices[4].pk]),
            f"{reverse('contributions_overview')}?year=2022", reverse("governance_person_invite", args=[invitee.pk])]


def sign_in(page, username="bureau", password="demo-bureau-g40"):  # noqa: S107 (the public demo account)
    sign_in_page(page, username, password, next="/admin/")
    page.wait_for_url("**/admin/")


def our_view_name(path: str) -> str | None:
    """The URL name of ``path`` if it is a page of ours in the back office, else None."""
    parsed = urllib.parse.urlsplit(path)
    if not parsed.path.startswith("/admin/") or "export=" in parsed.query:
        return None
    try:
        match = resolve(parsed.path)
    except Resolver404:
        return None
    name = match.view_name
    if name in NOT_PAGES or name.endswith("_results") or name.endswith(":preview_on_add") \
            or name.endswith(":preview_on_edit"):
        return None
    if name.startswith("wagtailsnippets_"):
        return name if name.split("_")[1] in OUR_APPS else None
    module = getattr(match.func, "__module__", "") or ""
    wrapped = getattr(match.func, "__wrapped__", None)
    module = getattr(wrapped, "__module__", module) or module
    return name if any(module.startswith(f"stedennet.{app}") for app in OUR_APPS) else None


def start_urls() -> list[str]:
    from wagtail import hooks
    from wagtail.snippets.models import get_snippet_models

    urls = [reverse("wagtailadmin_home")]
    for model in get_snippet_models():
        if model._meta.app_label in OUR_APPS:
            urls.append(reverse(model.snippet_viewset.get_url_name("list")))
    for hook in hooks.get_hooks("register_admin_urls"):
        if not hook.__module__.startswith("stedennet."):
            continue
        for pattern in hook():
            if not pattern.pattern.converters:
                urls.append(reverse(pattern.name))
    return urls


def test_every_button_of_our_back_office_shows_its_text(everything, page, live_server):
    outside = []
    host = urllib.parse.urlsplit(live_server.url).netloc
    page.on("request", lambda request: outside.append(request.url)
            if urllib.parse.urlsplit(request.url).netloc not in (host, "") and
            not request.url.startswith(("data:", "blob:")) else None)
    sign_in(page)

    queue = [*everything, *start_urls()]
    seen_names: dict[str, str] = {}
    problems = {}
    while queue:
        url = queue.pop(0)
        name = our_view_name(url) or ("home" if url == "/admin/" else None)
        if name is None or name in seen_names:
            continue
        seen_names[name] = url
        response = page.goto(url)
        assert response.status in (200, 404), f"{url}: HTTP {response.status}"
        if response.status == 404:  # an add or edit view of a read-only model: nothing there
            continue
        page.wait_for_load_state("load")
        found = page.evaluate(BUTTON_CHECK)
        if found:
            problems[url] = found
        for href in page.eval_on_selector_all("main a[href]", "els => els.map(a => a.getAttribute('href'))"):
            if href and href.startswith("/admin/") and our_view_name(href) not in seen_names:
                queue.append(href)

    assert problems == {}, "\n".join(f"{url}: {found}" for url, found in problems.items())
    assert outside == [], f"requests to other hosts: {outside[:10]}"
    # Every view of ours was reached (a view without a link to it would escape this test).
    expected = {our_view_name(url) for url in start_urls()} - {None}
    for required in ["invoices_payment", "invoices_credit", "invoices_send", "invoices_issue", "invoices_send_year",
                     "wagtailsnippets_invoices_invoice:inspect", "membership_timeline", "governance_vacancy_fill",
                     "governance_request_decide", "contributions_overview", "governance_person_invite"]:
        expected.add(required)
    missing = expected - set(seen_names)
    assert missing == set(), f"never reached: {sorted(missing)}"
    assert len(seen_names) >= 40, sorted(seen_names)


def test_the_superusers_dashboard_asks_no_other_host(everything, page, live_server):
    outside = []
    host = urllib.parse.urlsplit(live_server.url).netloc
    page.on("request", lambda request: outside.append(request.url)
            if urllib.parse.urlsplit(request.url).netloc not in (host, "") and
            not request.url.startswith(("data:", "blob:")) else None)
    sign_in(page, "beheer", "demo-beheer-g40")
    page.goto("/admin/")
    page.wait_for_load_state("networkidle")
    page.goto("/admin/account/")
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert "gravatar" not in page.content().lower()
