"""/library-items: the knowledge library, through ``knowledge.selectors`` with the asker's viewer:
public items for everyone; with a token what its person may see (members, members and partners,
their own bodies)."""


from django.http import HttpRequest
from ninja import Router

from stedennet.api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from stedennet.api.query import slug_query
from stedennet.api.routers.bodies import NoMatch, body_filter
from stedennet.api.routers.common import body_ref, municipality_ref, not_found, viewer
from stedennet.api.schemas import LibraryItem, LibraryItemPage
from stedennet.governance.models import BodyKind
from stedennet.knowledge.models import LibraryItem as LibraryItemModel
from stedennet.knowledge.models import Topic
from stedennet.knowledge.selectors import library_item, library_items

router = Router(tags=["library"])

PillarFilter = slug_query("Of this pillar (slug).")
ThemeGroupFilter = slug_query("Of this theme group (slug).", alias="themeGroup")
TopicFilter = slug_query("With this topic (slug).")


def item_json(item) -> dict:
    return {
        "id": item.pk, "title": item.title, "summary": item.summary, "visibility": item.visibility,
        "municipality": municipality_ref(item.municipality), "pillar": body_ref(item.pillar),
        "theme_group": body_ref(item.theme_group), "group": body_ref(item.group),
        "topics": [{"slug": topic.slug, "name": topic.name} for topic in item.topics.all()],
        "created_at": item.created_at, "updated_at": item.updated_at,
    }


@router.get("/library-items", response=LibraryItemPage, by_alias=True, operation_id="listLibraryItems",
            summary="Library items")
def list_library_items(request: HttpRequest,
                       pillar: PillarFilter = None, theme_group: ThemeGroupFilter = None, topic: TopicFilter = None,
                       page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """The items the asker may see, newest first."""
    try:
        chosen_topic = None
        if topic:
            chosen_topic = Topic.objects.filter(slug=topic).first()
            if chosen_topic is None:
                raise NoMatch(topic)
        items = library_items(viewer=viewer(request), pillar=body_filter(pillar, kind=BodyKind.PILLAR),
                              theme_group=body_filter(theme_group, kind=BodyKind.THEME_GROUP), topic=chosen_topic)
    except NoMatch:
        items = LibraryItemModel.objects.none()
    return paginate(items, page=page, page_size=page_size, serialise=item_json)


@router.get("/library-items/{id}", response=LibraryItem, by_alias=True, operation_id="getLibraryItem",
            summary="One library item")
def get_library_item(request: HttpRequest, id: int):
    item = library_item(viewer=viewer(request), pk=id)
    if item is None:
        raise not_found("library item")
    return item_json(item)
