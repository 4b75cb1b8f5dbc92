"""News on the public site: the news index (newest first, ten to a page, only live pages without a
view restriction), a news item's page (date, intro, pillar, image rendition, body, the demo
notice), the Atom feed (absolute links on STEDENNET_BASE_URL, lasting ids, demo said), the feed
link on every news page and the home page; the home page's latest news and coming events (only
those the viewer may see); a fixed number of queries however much news there is; the news index
made by load-g40; the demo news."""

import datetime
import io
import json
import xml.etree.ElementTree as ET

import lxml.html
import pytest
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from wagtail.images import get_image_model
from wagtail.models import PageViewRestriction

from stedennet.accounts.constants import Role
from stedennet.events.constants import EventStatus
from stedennet.events.models import Event
from stedennet.governance.access import ANONYMOUS, viewer_for
from stedennet.governance.models import Body, Position, Visibility
from stedennet.governance.tests.factories import person_with_account
from stedennet.site.demo import NEWS, load_demo_news
from stedennet.site.models import NEWS_BODY_FEATURES, HomePage, NewsIndexPage, NewsPage
from stedennet.site.selectors import NEWS_PAGE_SIZE, coming_events
from stedennet.site.services import news_index_ensure

ATOM = "{http://www.w3.org/2005/Atom}"
BASE = "https://g40.example.nl"
TODAY = datetime.date(2026, 3, 2)


# --- helpers (the browser test uses them too) ----------------------------------------------------

def news_item(index: NewsIndexPage, title: str, day: datetime.date, **fields) -> NewsPage:
    page = index.add_child(instance=NewsPage(title=title, slug=fields.pop("slug", slugify(title)), date=day,
                                             **fields))
    page.save_revision().publish()
    return page


def news_image(title: str = "Stadhuis") -> object:
    from PIL import Image as PillowImage

    data = io.BytesIO()
    PillowImage.new("RGB", (640, 360), (20, 90, 140)).save(data, format="PNG")
    return get_image_model().objects.create(title=title, description=f"Foto van het {title.lower()}",
                                            file=ImageFile(io.BytesIO(data.getvalue()), name=f"{slugify(title)}.png"))


def event(slug: str, *, days: int = 10, status: str = EventStatus.PUBLISHED, audience: str = Visibility.PUBLIC,
          body: Body | None = None, **fields) -> Event:
    starts = timezone.now() + datetime.timedelta(days=days)
    return Event.objects.create(title=fields.pop("title", slug.replace("-", " ").capitalize()), slug=slug,
                                status=status, audience=audience, body=body, starts_at=starts,
                                ends_at=starts + datetime.timedelta(hours=fields.pop("hours", 6)),
                                uid=f"{slug}@test.stedennet", **fields)


def html(response):
    assert response.status_code == 200, response.status_code
    return lxml.html.fromstring(response.content.decode())


def by_testid(tree, testid: str) -> list:
    return tree.xpath(f'.//*[@data-testid="{testid}"]')


def slugs(tree, testid: str = "news-item") -> list[str]:
    return [element.get("data-slug") for element in by_testid(tree, testid)]


@pytest.fixture
def index(db) -> NewsIndexPage:
    return news_index_ensure()


# --- the page tree -----------------------------------------------------------------------------------

def test_the_news_index_sits_once_under_the_home_page_at_nieuws(index):
    home = HomePage.objects.get()
    assert index.get_parent().specific == home and index.live and index.url == "/nieuws/"
    assert news_index_ensure() == index  # idempotent
    assert not NewsIndexPage.can_create_at(home)  # one per site
    assert NewsPage.can_create_at(index) and not NewsPage.can_create_at(home)
    assert reverse("news_feed") == "/nieuws/feed.atom"


def test_the_news_index_takes_the_next_free_slug_when_an_editor_has_a_page_called_nieuws(db):
    from stedennet.site.models import ContentPage

    home = HomePage.objects.get()
    home.add_child(instance=ContentPage(title="Nieuws", slug="nieuws"))
    assert news_index_ensure().slug == "nieuws-2"


def test_the_bureau_writes_the_news_in_wagtail_and_nothing_else_in_the_page_tree(back_office_login, index, client,
                                                                                  make_user):
    back_office_login(client, make_user("bureau", Role.BUREAU))
    home = HomePage.objects.get()
    assert client.get(f"/admin/pages/add/site/newspage/{index.pk}/").status_code == 200
    # What the editor sends: Draftail's contentstate, here with a block type and a link it does not offer.
    body = {"blocks": [
        {"key": "a", "type": "unstyled", "text": "Tekst met link.", "depth": 0, "inlineStyleRanges": [],
         "entityRanges": [{"offset": 10, "length": 4, "key": 0}]},
        {"key": "b", "type": "header-one", "text": "Kop", "depth": 0, "inlineStyleRanges": [], "entityRanges": []},
    ], "entityMap": {"0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": "javascript:alert(1)"}}}}
    response = client.post(f"/admin/pages/add/site/newspage/{index.pk}/", {
        "title": "Door het bureau", "slug": "door-het-bureau", "date": TODAY.isoformat(), "intro": "Kort.",
        "body": json.dumps(body), "action-publish": "publish",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    written = NewsPage.objects.get(slug="door-het-bureau")
    assert written.live and not written.is_demo
    stored = lxml.html.fragment_fromstring(written.body, create_parent="div")
    assert stored.xpath("//p")[0].text_content() == "Tekst met link." and not stored.xpath("//h1")
    assert "javascript" not in written.body
    assert client.get(f"/admin/pages/add/site/contentpage/{home.pk}/").status_code in (302, 403)
    assert client.get(f"/admin/pages/{home.pk}/edit/").status_code in (302, 403)


def test_load_g40_makes_the_news_index(g40):
    assert NewsIndexPage.objects.live().count() == 1


def test_the_body_has_wagtails_features_without_embeds():
    field = NewsPage._meta.get_field("body")
    assert field.features == NEWS_BODY_FEATURES and "embed" not in field.features and "image" in field.features


# --- the news index ------------------------------------------------------------------------------

def test_the_index_lists_live_public_news_newest_first_ten_to_a_page(index, client):
    for number in range(12):
        news_item(index, f"Bericht {number:02d}", TODAY - datetime.timedelta(days=number))
    draft = index.add_child(instance=NewsPage(title="Concept", slug="concept", date=TODAY, live=False))
    restricted = news_item(index, "Alleen met wachtwoord", TODAY + datetime.timedelta(days=1))
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.PASSWORD,
                                       password="geheim")

    first = html(client.get("/nieuws/"))
    assert by_testid(first, "news-count")[0].get("data-count") == "12"
    assert slugs(first) == [f"bericht-{n:02d}" for n in range(NEWS_PAGE_SIZE)]
    assert by_testid(first, "news-list")[0].get("data-page") == "1"
    assert by_testid(first, "next-page")[0].get("href") == "?pagina=2" and not by_testid(first, "previous-page")
    assert draft.slug not in slugs(first) and restricted.slug not in slugs(first)

    second = html(client.get("/nieuws/?pagina=2"))
    assert slugs(second) == ["bericht-10", "bericht-11"]
    assert by_testid(second, "previous-page") and not by_testid(second, "next-page")
    assert slugs(html(client.get("/nieuws/?pagina=99"))) == slugs(second)  # out of range: the last page
    assert slugs(html(client.get("/nieuws/?pagina=abc"))) == slugs(first)  # not a number: the first


def test_an_empty_index_says_so(index, client):
    tree = html(client.get("/nieuws/"))
    assert by_testid(tree, "no-news") and by_testid(tree, "news-count")[0].get("data-count") == "0"


def test_the_index_shows_demo_badges_pillars_and_the_list_image(index, client, g40_bodies):
    pillar = Body.objects.get(slug="sociale-pijler")
    news_item(index, "Echt nieuws", TODAY)
    news_item(index, "Verzonnen nieuws", TODAY - datetime.timedelta(days=1), is_demo=True, pillar=pillar,
              image=news_image())
    tree = html(client.get("/nieuws/"))
    real, demo = by_testid(tree, "news-item")
    assert real.get("data-demo") == "false" and not by_testid(real, "demo-badge")
    assert demo.get("data-demo") == "true" and by_testid(demo, "demo-badge")
    assert by_testid(demo, "news-pillar")[0].text_content() == pillar.name
    image = demo.xpath(".//img")[0]
    assert ".fill-320x180" in image.get("src") and image.get("alt") == "" and not real.xpath(".//img")


def test_the_index_costs_the_same_queries_however_much_news(index, client, django_assert_max_num_queries):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/nieuws/").status_code == 200
        return len(captured)

    news_item(index, "Eerste", TODAY, image=news_image("Eerste"))
    client.get("/nieuws/")  # the renditions are made once, on the first view
    few = queries()
    for number in range(15):
        news_item(index, f"Meer {number}", TODAY - datetime.timedelta(days=number + 1),
                  image=news_image(f"Meer {number}") if number % 2 else None, pillar=None)
    client.get("/nieuws/")
    assert queries() == few
    client.get("/nieuws/?pagina=2")
    with django_assert_max_num_queries(few):
        client.get("/nieuws/?pagina=2")


# --- a news item's page ----------------------------------------------------------------------------

def test_a_news_page_shows_date_intro_pillar_image_and_body(index, client, g40_bodies):
    pillar = Body.objects.get(slug="fysieke-pijler")
    page = news_item(index, "Woningbouw versneld", TODAY, intro="Kort gezegd.", pillar=pillar, image=news_image(),
                     body="<h2>Tussenkop</h2><p>De <b>tekst</b>.</p>")
    tree = html(client.get(page.url))
    article = by_testid(tree, "news-page")[0]
    assert article.get("data-slug") == "woningbouw-versneld" and article.get("data-demo") == "false"
    assert by_testid(tree, "news-date")[0].get("datetime") == TODAY.isoformat()
    assert by_testid(tree, "news-intro")[0].text_content() == "Kort gezegd."
    assert by_testid(tree, "news-pillar")[0].get("href") == reverse("programmes:pillar", kwargs={"slug": pillar.slug})
    image = by_testid(tree, "news-image")[0]
    assert ".width-960" in image.get("src") and image.get("alt") == "Foto van het stadhuis"
    assert by_testid(tree, "news-body")[0].xpath(".//h2")[0].text == "Tussenkop"
    assert by_testid(tree, "news-index-link")[0].get("href") == "/nieuws/"
    assert not by_testid(tree, "demo-notice")

    served = client.get(image.get("src"))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_only_renditions_are_served_never_originals_or_other_files(index, client):
    image = news_image()
    original = image.file.name.rsplit("/", 1)[-1]
    assert client.get(f"/media/images/{original}").status_code == 404
    assert client.get("/media/images/nothing.png").status_code == 404
    assert client.get("/media/original_images/" + original).status_code == 404


def test_a_demo_news_page_says_it_is_invented(index, client):
    page = news_item(index, "Verzonnen", TODAY, is_demo=True)
    tree = html(client.get(page.url))
    assert by_testid(tree, "news-page")[0].get("data-demo") == "true"
    assert by_testid(tree, "demo-notice") and by_testid(tree, "demo-badge")


def test_a_draft_news_page_is_not_found(index, client):
    page = news_item(index, "Straks weg", TODAY)
    page.unpublish()
    assert client.get("/nieuws/straks-weg/").status_code == 404


@pytest.mark.parametrize("path", ["/nieuws/", "/nieuws/bericht/", "/"])
def test_every_news_page_and_the_home_page_link_the_feed(index, client, path):
    news_item(index, "Bericht", TODAY)
    tree = html(client.get(path))
    links = tree.xpath('//head/link[@rel="alternate"][@type="application/atom+xml"]')
    assert [link.get("href") for link in links] == ["/nieuws/feed.atom"]


# --- the Atom feed -------------------------------------------------------------------------------------

def test_the_feed_is_atom_with_absolute_links_lasting_ids_and_demo_said(index, client, settings, g40_bodies):
    settings.STEDENNET_BASE_URL = BASE + "/"
    pillar = Body.objects.get(slug="sociale-pijler")
    old = news_item(index, "Ouder", TODAY - datetime.timedelta(days=3), intro="Eerder <nieuws> & meer.")
    new = news_item(index, "Nieuwer", TODAY, intro="Vandaag.", is_demo=True, pillar=pillar)
    index.add_child(instance=NewsPage(title="Concept", slug="concept", date=TODAY, live=False))

    response = client.get("/nieuws/feed.atom")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{BASE}/nieuws/"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{BASE}/nieuws/feed.atom"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [f"{BASE}/nieuws/nieuwer/", f"{BASE}/nieuws/ouder/"]
    assert [e.find(f"{ATOM}id").text for e in entries] == [f"urn:uuid:{new.translation_key}",
                                                           f"urn:uuid:{old.translation_key}"]
    assert entries[0].find(f"{ATOM}published").text.startswith(TODAY.isoformat())
    assert entries[0].find(f"{ATOM}category").get("term") == pillar.name
    newer_summary, older_summary = (lxml.html.fragment_fromstring(e.find(f"{ATOM}summary").text, create_parent="div")
                                    for e in entries)
    assert len(newer_summary.xpath("p")) == 3  # intro, pillar, demo note
    assert older_summary.xpath("p")[0].text == "Eerder <nieuws> & meer."  # escaped, not markup

    # A new slug is a new address, not a new entry.
    new.slug = "nieuwer-nog"
    new.save_revision().publish()
    entry = ET.fromstring(client.get("/nieuws/feed.atom").content).find(f"{ATOM}entry")  # noqa: S314
    assert entry.find(f"{ATOM}id").text == f"urn:uuid:{new.translation_key}"
    assert entry.find(f"{ATOM}link").get("href") == f"{BASE}/nieuws/nieuwer-nog/"


def test_the_feed_costs_the_same_queries_however_much_news(index, client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/nieuws/feed.atom").status_code == 200
        return len(captured)

    news_item(index, "Een", TODAY)
    client.get("/nieuws/feed.atom")  # the site's root paths are cached on the first request
    few = queries()
    for number in range(10):
        news_item(index, f"Nog een {number}", TODAY)
    assert queries() == few


# --- the home page -------------------------------------------------------------------------------

def test_the_home_page_shows_the_latest_three_news_items(index, client):
    for number in range(5):
        news_item(index, f"Nieuws {number}", TODAY - datetime.timedelta(days=number), is_demo=number == 1)
    tree = html(client.get("/"))
    section = by_testid(tree, "home-news")[0]
    assert slugs(section) == ["nieuws-0", "nieuws-1", "nieuws-2"]
    assert [e.get("data-demo") for e in by_testid(section, "news-item")] == ["false", "true", "false"]
    assert by_testid(section, "demo-badge")
    assert by_testid(section, "all-news")[0].get("href") == "/nieuws/"
    assert by_testid(tree, "no-events")


def test_the_home_page_without_news_or_a_news_index_says_so(db, client):
    tree = html(client.get("/"))
    assert by_testid(tree, "no-news") and by_testid(tree, "no-events") and not by_testid(tree, "all-news")


@pytest.fixture
def events(g40_bodies):
    group = Body.objects.get(slug="themagroep-jeugd")
    return {
        "public-later": event("publiek-later", days=20),
        "public-soon": event("publiek-straks", days=2, is_demo=True),
        "public-under-way": event("publiek-bezig", days=-1, hours=48),
        "public-past": event("publiek-voorbij", days=-3),
        "draft": event("concept", days=3, status=EventStatus.DRAFT),
        "cancelled": event("afgelast", days=4, status=EventStatus.CANCELLED),
        "members": event("leden", days=5, audience=Visibility.MEMBERS),
        "partners": event("leden-en-partners", days=6, audience=Visibility.MEMBERS_AND_PARTNERS),
        "group": event("themagroep", days=1, audience=Visibility.BODY, body=group),
        "group_body": group,
    }


def test_coming_events_are_the_published_ones_the_viewer_may_see_soonest_first(events, make_user):
    def seen(viewer, limit=10) -> list[str]:
        return [e.slug for e in coming_events(viewer, limit=limit)]

    assert seen(ANONYMOUS) == ["publiek-bezig", "publiek-straks", "publiek-later"]
    assert seen(ANONYMOUS, limit=3) == seen(ANONYMOUS)[:3]
    member = viewer_for(make_user("ambtenaar", Role.CIVIL_SERVANT))
    assert seen(member) == ["publiek-bezig", "publiek-straks", "leden", "leden-en-partners", "publiek-later"]
    partner = viewer_for(make_user("partner", Role.PARTNER))
    assert seen(partner) == ["publiek-bezig", "publiek-straks", "leden-en-partners", "publiek-later"]
    seated = person_with_account(name="Sam Zetel", username="sam", email="sam@gemeente.example.nl")
    Position.objects.create(person=seated, body=events["group_body"], start_date=timezone.localdate())
    assert "themagroep" in seen(viewer_for(seated.user))
    bureau = viewer_for(make_user("bureau", Role.BUREAU))
    assert seen(bureau) == ["publiek-bezig", "themagroep", "publiek-straks", "leden", "leden-en-partners",
                            "publiek-later"]


def test_the_home_page_shows_the_coming_events_of_its_viewer_and_never_anothers(events, client, make_user):
    anonymous = html(client.get("/"))
    assert slugs(anonymous, "home-event") == ["publiek-bezig", "publiek-straks", "publiek-later"]
    first = by_testid(anonymous, "home-event")[1]
    assert first.get("data-demo") == "true" and by_testid(first, "demo-badge")
    assert first.xpath(".//a")[0].get("href") == events["public-soon"].get_absolute_url()
    assert by_testid(anonymous, "all-events")[0].get("href") == reverse("events:event_list")

    client.force_login(make_user("ambtenaar", Role.CIVIL_SERVANT))
    member = html(client.get("/"))
    assert slugs(member, "home-event") == ["publiek-bezig", "publiek-straks", "leden"]
    assert by_testid(by_testid(member, "home-event")[2], "event-audience")
    client.logout()
    response = client.get("/")
    assert slugs(html(response), "home-event") == slugs(anonymous, "home-event")  # nothing left behind
    assert "Cookie" in response["Vary"] and "public" not in response.get("Cache-Control", "")  # no shared cache


def test_the_home_page_costs_the_same_queries_however_much_news(index, client):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return len(captured)

    news_item(index, "Een", TODAY)
    client.get("/")
    few = queries()
    for number in range(8):
        news_item(index, f"Nog {number}", TODAY)
    assert queries() == few


# --- the demo -------------------------------------------------------------------------------------

def test_the_demo_news_is_flagged_idempotent_and_shown(db, client, g40_bodies):
    call_command("load_demo_news", stdout=io.StringIO())
    demo = NewsPage.objects.live()
    assert demo.count() == len(NEWS) and all(page.is_demo for page in demo)
    assert all(page.title.endswith("(demo)") and page.intro.startswith("DEMO:") for page in demo)
    assert demo.filter(pillar__isnull=False).count() == 4 and demo.filter(image__isnull=False).count() == 1

    assert load_demo_news() == {"added": 0, "total": len(NEWS)}
    assert get_image_model().objects.count() == 1

    tree = html(client.get("/nieuws/"))
    assert len(by_testid(tree, "news-item")) == len(NEWS)
    assert {e.get("data-demo") for e in by_testid(tree, "news-item")} == {"true"}
    item = html(client.get("/nieuws/demo-kennisdag-wonen/"))
    assert by_testid(item, "demo-notice") and by_testid(item, "news-image")
