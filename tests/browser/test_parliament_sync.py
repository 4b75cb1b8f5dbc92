"""The bureau reads the Tweede Kamer sync's status in a real browser: the page (each category's
cursor, counts, last success and error, the failures, the demo items) passes axe (WCAG 2.1 A/AA)
and the Nu Html Checker, before and after "sync now", which syncs from a local feed."""


import pytest

from tests.browser.signing_in import sign_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def local_feed(settings):
    from stedennet.parliament.tests.tkfeed import FeedServer, scenario

    server = FeedServer().start()
    server.publish(*scenario())
    settings.STEDENNET_TK_FEED_URL = server.url
    settings.STEDENNET_TK_BACKOFF = 0
    settings.STEDENNET_TK_TIMEOUT = 2
    settings.STEDENNET_TK_RETRIES = 2
    yield server
    server.stop()


def test_the_bureau_reads_the_sync_status_and_syncs_now(transactional_db, local_feed, page, check_page, make_user):
    from stedennet.accounts.constants import Role
    from stedennet.parliament.demo import load_demo_parliament
    from stedennet.parliament.models import FeedCursor, Zaak
    from stedennet.parliament.services import parliament_sync
    from stedennet.parliament.tests.tkfeed import Answer

    load_demo_parliament()
    local_feed.script("Fractie", None, *[Answer(status=503, body=b"")] * 3)
    parliament_sync(["Fractie", "Persoon"], sleep=lambda seconds: None)
    make_user("bureau", Role.BUREAU)
    sign_in_page(page, "bureau", "correct horse battery", next="/admin/")
    page.wait_for_url("**/admin/")

    check_page("/admin/parliament/sync/")
    status = page.get_by_test_id("parliament-sync-status")
    assert status.get_attribute("data-stale") == "false"
    assert page.locator('tr[data-category="Fractie"]').get_attribute("data-failing") == "true"
    assert "HTTP 503" in page.locator('tr[data-category="Fractie"]').inner_text()
    assert page.get_by_test_id("failures").locator("tbody tr").count() == 3

    page.get_by_test_id("sync-now").get_by_role("button").click()  # the tests' task backend runs it at once
    page.wait_for_url("**/admin/parliament/sync/")
    check_page()
    assert page.locator('tr[data-category="Fractie"]').get_attribute("data-failing") == "false"
    assert page.locator('tr[data-category="Zaak"] [data-testid="cursor"]').inner_text() == "1006"
    assert FeedCursor.objects.get(category="Zaak").skiptoken == 1006 and Zaak.objects.filter(is_demo=False).count() == 2
