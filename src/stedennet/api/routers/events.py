"""/events: knowledge and network days and conferences the asker may see
(``events.selectors.events_visible``: published or cancelled events of their audience)."""


from django.http import HttpRequest
from ninja import Router

from stedennet.api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from stedennet.api.query import choice_query, date_query, parse_date
from stedennet.api.routers.common import body_ref, not_found, viewer
from stedennet.api.schemas import Event, EventKindCode, EventPage
from stedennet.events.selectors import event_for, events_visible

router = Router(tags=["events"])

KindFilter = choice_query(EventKindCode, "Only this kind.")
StartsFrom = date_query("Only events starting on or after this day.", alias="startsFrom")


def event_json(event) -> dict:
    return {
        "slug": event.slug, "title": event.title, "kind": event.kind, "status": event.status,
        "summary": event.summary, "starts_at": event.starts_at, "ends_at": event.ends_at, "venue": event.venue,
        "address": event.address, "audience": event.audience, "body": body_ref(event.body),
        "capacity": event.capacity, "registration_required": event.registration_required,
        "registration_closes_at": event.registration_closes_at,
    }


@router.get("/events", response=EventPage, by_alias=True, operation_id="listEvents", summary="Events")
def list_events(request: HttpRequest, kind: KindFilter = None, starts_from: StartsFrom = None,
                page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """Soonest first."""
    events = events_visible(viewer(request)).select_related("body")
    if kind:
        events = events.filter(kind=kind)
    day = parse_date("startsFrom", starts_from)
    if day is not None:
        events = events.filter(starts_at__date__gte=day)
    return paginate(events.order_by("starts_at", "pk"), page=page, page_size=page_size, serialise=event_json)


@router.get("/events/{slug}", response=Event, by_alias=True, operation_id="getEvent", summary="One event")
def get_event(request: HttpRequest, slug: str):
    event = event_for(viewer(request), slug)
    if event is None:
        raise not_found("event")
    return event_json(event)
