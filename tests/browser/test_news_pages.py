"""News on the public site in a real browser: a visitor finds the latest news and the coming events
on the home page, opens the news index (the demo items flagged, the second page through the
pagination), a news item with its image and its demo notice, finds the feed, and follows a coming
event to its page. Every page passes
axe (WCAG 2.1 A/AA) and the Nu Html Checker, in Dutch and in English."""

import datetime
import io

import pytest
from django.core.management import call_command

from stedennet.site.demo import NEWS
from stedennet.site.models import NewsIndexPage
from stedennet.site.selectors import NEWS_PAGE_SIZE
from stedennet.site.services import home_page_ensure
from stedennet.site.tests.test_news import event, news_item

pytestmark = pytest.mark.browser


@pytest.fixture
def news(transactional_db):
    # Transactional tests truncate every table afterwards, the page tree included.
    home_page_ensure()
    call_command("load_g40", stdout=io.StringIO())
    call_command("load_demo_news", stdout=io.StringIO())
    index = NewsIndexPage.objects.get()
    for number in range(10):  # with the demo's four: two pages
        news_item(index, f"Nieuwsbericht {number}", datetime.date(2025, 1, 20) - datetime.timedelta(days=number),
                  intro=f"Samenvatting van bericht {number}.")
    event("kennisdag-jeugd", days=7, title="Kennisdag jeugd", venue="Stadhuis Zwolle", summary="Een dag.")
    event("netwerkdag", days=30, title="Netwerkdag", online_url="https://example.nl/live", hours=30)
    return index


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_visitor_reads_the_news_from_the_home_page(news, page, check_page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    html = check_page("/")
    assert f'<html lang="{language}"' in html
    latest = page.get_by_test_id("home-news").get_by_test_id("news-item")
    assert latest.count() == 3
    assert latest.first.get_attribute("data-slug") == NEWS[0].slug
    assert latest.first.get_attribute("data-demo") == "true"
    assert [e.get_attribute("data-slug") for e in page.get_by_test_id("home-event").all()] == [
        "kennisdag-jeugd", "netwerkdag"]
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == \
        "/nieuws/feed.atom"

    page.get_by_test_id("all-news").click()
    page.wait_for_url("**/nieuws/")
    check_page()
    items = page.get_by_test_id("news-list").get_by_test_id("news-item")
    assert items.count() == 10
    assert page.get_by_test_id("news-count").get_attribute("data-count") == str(len(NEWS) + 10)
    assert items.first.get_by_test_id("demo-badge").is_visible()
    assert items.first.locator("img").count() == 1  # the demo image, as a rendition

    page.get_by_test_id("next-page").click()
    page.wait_for_url("**/nieuws/?pagina=2")
    check_page()
    assert page.get_by_test_id("news-list").get_attribute("data-page") == "2"
    assert page.get_by_test_id("news-item").count() == len(NEWS) + 10 - NEWS_PAGE_SIZE

    page.goto("/nieuws/")
    items.first.get_by_role("link").first.click()
    page.wait_for_url(f"**/nieuws/{NEWS[0].slug}/")
    check_page()
    assert page.get_by_test_id("news-page").get_attribute("data-demo") == "true"
    assert page.get_by_test_id("demo-notice").is_visible()
    image = page.get_by_test_id("news-image")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 960  # the rendition is served

    feed = page.request.get("/nieuws/feed.atom")
    assert feed.status == 200 and feed.headers["content-type"].startswith("application/atom+xml")


def test_a_plain_news_item_and_the_way_to_an_event(news, page, check_page):
    item = news_item(news, "Zonder plaatje", datetime.date(2025, 2, 1), body="<p>Alleen <b>tekst</b>.</p>")
    check_page(item.url)
    assert page.get_by_test_id("news-page").get_attribute("data-demo") == "false"
    assert page.get_by_test_id("demo-notice").count() == 0
    page.goto("/")
    page.get_by_test_id("home-event").first.get_by_role("link").click()
    page.wait_for_url("**/evenementen/kennisdag-jeugd/")
