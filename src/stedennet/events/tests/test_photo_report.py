"""The photo report of an event: a Wagtail page of the public site with real images (made with
Pillow), shown as renditions (480×320, cropped) that link to a larger one, with alt texts from the
caption or else the image's title, the credits, and the way back to the event (linked where anyone
may open it, named otherwise)."""

import re

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page

from stedennet.events.constants import EventStatus
from stedennet.events.models import PhotoReportImage, PhotoReportPage
from stedennet.events.tests.test_checkin import make_event
from stedennet.site.services import home_page_ensure


def photo_report(event=None, *, photos=(), title="Fotoverslag Kennisdag Wonen", slug="fotoverslag-kennisdag-wonen"):
    images = get_image_model()
    home = home_page_ensure()
    page = PhotoReportPage(title=title, slug=slug, event=event, intro="<p>Een dag over <b>wonen</b>.</p>")
    for number, (image_title, caption, credit, size) in enumerate(photos):
        image = images.objects.create(title=image_title, file=get_test_image_file(f"foto-{number}.png", size=size))
        page.photos.add(PhotoReportImage(image=image, caption=caption, credit=credit, sort_order=number))
    home.add_child(instance=page)
    return PhotoReportPage.objects.get(pk=page.pk)


PHOTOS = [("Zaal vol", "De raadzaal zat vol", "Fotograaf Jansen", (1200, 900)),
          ("Panel", "", "Fotograaf Jansen", (800, 600)),
          ("Borrel", "Na afloop", "", (640, 480))]


def test_the_report_shows_renditions_linked_to_larger_ones(client, db):
    event = make_event("Kennisdag Wonen", slug="kennisdag-wonen", audience="public")
    page = photo_report(event, photos=PHOTOS)
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="photo-report-title"' in html and "Fotoverslag Kennisdag Wonen" in html
    assert "Een dag over <b>wonen</b>." in html
    assert re.search(r'<a class="utrecht-link" href="/evenementen/kennisdag-wonen/" data-testid="event-link">', html)

    images = re.findall(r'<img [^>]*>', re.search(r'data-testid="photo-gallery".*?</ul>', html, re.S).group(0))
    assert len(images) == 3
    alts = [re.search(r'alt="([^"]*)"', tag).group(1) for tag in images]
    assert alts == ["De raadzaal zat vol", "Panel", "Na afloop"]  # the caption, else the image's title
    assert all('width="480"' in tag and 'height="320"' in tag for tag in images)
    assert all(".fill-480x320" in re.search(r'src="([^"]+)"', tag).group(1) for tag in images)
    larger = re.findall(r'data-testid="photo-large"', html)
    assert len(larger) == 3 and re.search(r'href="[^"]+\.max-1600x1600\.png"', html)
    # The renditions exist as files, cropped to 480×320; the larger ones are never enlarged.
    rendition = page.photos.first().image.get_rendition("fill-480x320")
    assert (rendition.width, rendition.height) == (480, 320)
    assert page.photos.last().image.get_rendition("max-1600x1600").width == 640
    assert html.count('data-testid="photo-credit"') == 2
    credits = re.search(r'data-testid="photo-credits">(.*?)</p>', html, re.S).group(1)
    assert "Fotograaf Jansen" in credits and credits.count("Fotograaf Jansen") == 1


@pytest.mark.parametrize(("audience", "status"), [("members", EventStatus.PUBLISHED),
                                                   ("public", EventStatus.DRAFT)])
def test_an_event_not_everyone_may_open_is_named_not_linked(client, db, audience, status):
    event = make_event("Besloten netwerkdag", audience=audience, status=status)
    html = client.get(photo_report(event, photos=PHOTOS[:1]).url).content.decode()
    assert 'data-testid="event-link"' not in html and 'data-testid="event-name"' in html
    assert event.get_absolute_url() not in html


def test_a_report_without_photos_or_event(client, db):
    html = client.get(photo_report().url).content.decode()
    assert 'data-testid="no-photos"' in html and 'data-testid="photo-report-event"' not in html
    assert 'data-testid="photo-credits"' not in html


def test_a_report_is_a_page_of_the_site(db):
    home = home_page_ensure()
    assert PhotoReportPage.can_create_at(home)
    assert not PhotoReportPage.can_create_at(Page.get_first_root_node())


@pytest.mark.parametrize("visible", [True, False])
def test_the_page_follows_the_event_rule_when_its_context_gives_it(rf, db, visible):
    """Where the page's context says whether the viewer may open the event (``event_visible``),
    the template follows it, whatever the audience."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    event = make_event("Besloten netwerkdag", audience="members")
    page = photo_report(event)
    request = rf.get(page.url)
    request.user = AnonymousUser()
    html = render_to_string("events/photo_report_page.html", {"page": page, "self": page, "event_visible": visible},
                            request=request)
    assert ('data-testid="event-link"' in html) is visible
    assert ('data-testid="event-name"' in html) is not visible
