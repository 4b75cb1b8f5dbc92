import mimetypes

from django.db import connection
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.images import get_image_model

from stedennet.registry.maps import member_map_svg
from stedennet.site.feeds import NewsFeed
from stedennet.site.selectors import member_map_context
from stedennet.web.access import public


@public
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`'s start check: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public
@require_GET
def member_map(request: HttpRequest) -> HttpResponse:
    """The member map as an SVG image. Asked for with the current fingerprint, it may be kept
    for a year; any other address gets today's map, to be checked again after five minutes."""
    context = member_map_context()
    if context is None:
        raise Http404("no network loaded")
    svg = member_map_svg(member_codes=context["codes"], title=context["title"], description=context["description"],
                         member_fill=context["fill"])
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["ETag"] = f'"{context["fingerprint"]}"'
    if request.GET.get("v") == context["fingerprint"]:
        patch_cache_control(response, public=True, max_age=31_536_000, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=300)
    response["Vary"] = "Accept-Language, Cookie"
    return response


_news_feed = NewsFeed()


@public
@require_GET
def news_feed(request: HttpRequest) -> HttpResponse:
    """The Atom feed of the news (``/nieuws/feed.atom``)."""
    return _news_feed(request)


# The renditions Wagtail makes of an image (the sizes the pages show). Only these are served:
# never the uploaded originals, never any other file under the media root.
IMAGE_TYPES = frozenset({"image/jpeg", "image/png", "image/gif", "image/webp", "image/avif"})


@public
@require_GET
def image_rendition(request: HttpRequest, name: str) -> HttpResponse:
    """A rendition of a Wagtail image (news, photo reports) from the media storage, at the address
    Wagtail gives it (``MEDIA_URL`` + ``images/``), when the storage is local; with S3 the storage
    serves them itself. Wagtail images are public, as the pages that show them."""
    content_type = mimetypes.guess_type(name)[0]
    rendition = get_image_model().get_rendition_model().objects.filter(file=f"images/{name}").first()
    if rendition is None or content_type not in IMAGE_TYPES:
        raise Http404("no such rendition")
    try:
        stored = rendition.file.storage.open(rendition.file.name, "rb")
    except FileNotFoundError:
        raise Http404("the rendition's file is gone") from None
    response = FileResponse(stored, content_type=content_type)
    patch_cache_control(response, public=True, max_age=86_400)
    response["X-Content-Type-Options"] = "nosniff"
    return response
