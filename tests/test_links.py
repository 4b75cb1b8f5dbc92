"""No dead ends: for every role, crawl the pages it can reach (from the home page and where it
lands after signing in, following every internal link) and assert that every internal link on
them answers 200 for that role, never 403 or 404, and never sends a signed-in user or a visitor
to the sign-in page. Links to pages a viewer may not open must not be shown at all.

The data: the G40 with its bodies, the demo governance (people, positions, meetings, work
programmes with members-only actions), past and coming meetings with decisions and documents of
every visibility, library items and questions of every visibility."""

import datetime
import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from stedennet.accounts.constants import Role
from stedennet.governance.access import viewer_for
from stedennet.governance.demo import demo_governance_load
from stedennet.governance.models import Body, Person, PersonFunction, Visibility
from stedennet.governance.services import position_assign
from stedennet.knowledge.services import answer_post, library_item_create, question_ask
from stedennet.meetings import services
from stedennet.meetings.services import AgendaEntry, DecisionEntry

ROLES = ["anonymous", "partner", "partner_seated", "administrator", "civil_servant", "member_without_person",
         "bureau"]
NOT_CRAWLED = ("/admin/", "/django-admin/", "/static/", "/media/", "/documents/")  # back office, files
SAME_SHAPE_PAGES = 30  # pages of one URL pattern and query whose links are followed (all links are checked)
MAX_PAGES = 600


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def internal(href: str) -> str | None:
    href, _fragment = urldefrag(href.strip())
    parts = urlsplit(href)
    if parts.scheme in ("mailto", "tel", "javascript"):
        return None
    if parts.scheme or parts.netloc:
        return (parts.path + (f"?{parts.query}" if parts.query else "")) if parts.netloc == "testserver" else None
    if not parts.path.startswith("/"):
        return None  # "?pagina=2", relative to the page: resolved by the caller
    return href


def shape(url: str) -> tuple:
    parts = urlsplit(url)
    try:
        name = resolve(parts.path).view_name
    except Resolver404:
        name = parts.path
    return name, tuple(sorted(key.split("=")[0] for key in parts.query.split("&") if key))


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
                              content_type="application/pdf")


@pytest.fixture
def world(g40_bodies, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    users = {
        "bureau": make_user("bureau", Role.BUREAU),
        "administrator": make_user("bestuurder", Role.ADMINISTRATOR),
        "civil_servant": make_user("ambtenaar", Role.CIVIL_SERVANT),
        "partner": make_user("partner", Role.PARTNER),
        "partner_seated": make_user("vng-ambtenaar", Role.PARTNER),
        "member_without_person": make_user("zonder-persoon", Role.CIVIL_SERVANT),
    }
    demo_governance_load(network=g40_bodies)  # links bestuurder, ambtenaar and partner to demo people
    seated = Person.objects.create(name="Demo-VNG ambtenaar", email="vng@demo.stedennet.invalid",
                                   function=PersonFunction.CIVIL_SERVANT, partner=g40_bodies.partners.first(),
                                   user=users["partner_seated"], is_demo=True)
    aot = Body.objects.get(slug="ambtelijk-ondersteuningsteam")
    position_assign(person=seated, body=aot, start_date=datetime.date(2024, 1, 1))

    now = timezone.now()
    for body, days in ((Body.objects.get(slug="algemeen-bestuur"), -20), (aot, -10), (aot, 15),
                       (Body.objects.get(slug="themagroep-jeugd"), -5)):
        start = now + datetime.timedelta(days=days)
        meeting = services.meeting_create(body=body, starts_at=start, ends_at=start + datetime.timedelta(hours=2),
                                          title=f"Overleg {days}",
                                          agenda=[AgendaEntry("Opening"), AgendaEntry("Besluiten")])
        items = list(meeting.agenda_items.order_by("number"))
        services.decisions_replace(meeting=meeting, entries=[DecisionEntry(items[1], "Vastgesteld.")])
        for visibility in Visibility.values:
            services.meeting_document_add(meeting=meeting, title=f"Stuk {visibility}", file=pdf(f"{visibility}.pdf"),
                                          visibility=visibility, agenda_item=items[1])

    member = viewer_for(users["administrator"])
    jeugd = Body.objects.get(slug="themagroep-jeugd")
    for visibility in Visibility.values:
        library_item_create(viewer=member, title=f"Bibliotheek {visibility}", visibility=visibility,
                            group=jeugd if visibility == Visibility.BODY else None,
                            pillar=jeugd.parent, theme_group=jeugd, topics=["Jeugd"],
                            body="<p>Tekst</p>", links=[("https://www.g40stedennetwerk.nl/", "G40")])
        if visibility != Visibility.PUBLIC:
            question = question_ask(viewer=member, title=f"Vraag {visibility}", visibility=visibility,
                                    group=jeugd if visibility == Visibility.BODY else None)
            answer_post(viewer=member, question=question, body="<p>Antwoord</p>")
    return {"anonymous": None, **users}


def crawl(client, start: list[str]):
    """Every page reached from ``start``; returns (pages followed, {link: (status, final path, found on)})."""
    login = reverse("accounts:login")
    checked: dict[str, tuple[int, str, str]] = {}
    queue = [(url, "(start)") for url in start]
    followed: list[str] = []
    shapes: dict[tuple, int] = {}
    while queue:
        url, found_on = queue.pop(0)
        if url in checked:
            continue
        response = client.get(url, follow=True)
        final = response.request["PATH_INFO"]
        checked[url] = (response.status_code, final, found_on)
        if response.status_code != 200 or url.startswith(NOT_CRAWLED):
            continue
        if not response.get("Content-Type", "").startswith("text/html") or final.startswith(login):
            continue
        key = shape(url)
        shapes[key] = shapes.get(key, 0) + 1
        if shapes[key] > SAME_SHAPE_PAGES or len(followed) >= MAX_PAGES:
            continue
        followed.append(url)
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            if href.startswith("?"):
                href = urlsplit(url).path + href
            link = internal(href)
            if link and link not in checked:
                queue.append((link, url))
    return followed, checked


@pytest.mark.parametrize("role", ROLES)
def test_every_internal_link_answers_200_for_the_role(client, world, role):
    user = world[role]
    start = ["/"]
    if user is not None:
        client.force_login(user)
        start.append(reverse("knowledge:shared") if role.startswith("partner") else reverse("governance:my_groups"))
    followed, checked = crawl(client, start)
    login = reverse("accounts:login")
    broken = sorted(
        (found_on, link, status, final) for link, (status, final, found_on) in checked.items()
        if status != 200 or (final.startswith(login) and not link.startswith(login))
    )
    assert broken == [], f"{role}: links that do not answer 200 (page, link, status, landed on):\n" + "\n".join(
        map(str, broken))
    # The crawl did reach the pages that matter for this role (the test is not vacuous).
    assert len(followed) >= 10
    assert "/pijlers/sociale-pijler/" in checked
    if role in ("administrator", "civil_servant", "bureau"):
        assert any(link.startswith("/organen/") for link in checked)
        assert any("/archief/" in link for link in checked)
        assert any(link.startswith("/vergaderingen/") for link in checked)
    if role.startswith("partner"):
        assert reverse("knowledge:shared") in checked
        assert any(re.fullmatch(r"/vragen/\d+/", link) for link in checked)
    if role == "partner_seated":
        assert "/organen/ambtelijk-ondersteuningsteam/" in checked
        assert "/organen/ambtelijk-ondersteuningsteam/archief/" in checked
    if role in ("anonymous", "partner"):
        assert not any(link.startswith(("/organen/", "/vergaderingen/")) for link in checked)


def test_the_pillar_page_shows_a_partner_no_link_to_a_theme_group(client, world):
    """The case that was seen: twelve links to theme-group pages that answered 403."""
    client.force_login(world["partner"])
    html = client.get("/pijlers/sociale-pijler/").content.decode()
    assert 'href="/organen/' not in html
    assert Body.objects.get(slug="themagroep-jeugd").name in html  # named, not linked
    client.force_login(world["administrator"])
    assert 'href="/organen/themagroep-jeugd/"' in client.get("/pijlers/sociale-pijler/").content.decode()


def test_crawl_helpers():
    assert internal("https://example.org/x") is None and internal("mailto:a@b.nl") is None
    assert internal("/leden/#kaart") == "/leden/" and internal("http://testserver/a/?b=1") == "/a/?b=1"
