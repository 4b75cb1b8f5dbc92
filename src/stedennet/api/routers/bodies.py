"""/bodies: the network's bodies (boards, support team, pillars, their meetings and theme
groups) and the positions held in them today.

Positions as the pages show them: the bureau, members and the people seated in a body see all of
its current positions (as on the body's page); everyone else sees the chairs, vice-chairs and
leads of the pillars' meetings and theme groups (as on the public pillar pages), nothing more.
"""


from django.http import HttpRequest
from ninja import Router

from stedennet.api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from stedennet.api.query import choice_query, slug_query
from stedennet.api.routers.common import body_ref, municipality_ref, not_found, viewer
from stedennet.api.schemas import Body, BodyKindCode, BodyPage, PositionPage
from stedennet.governance.models import Body as BodyModel
from stedennet.governance.models import BodyKind
from stedennet.governance.selectors import body_members
from stedennet.programmes.selectors import CHAIR_ROLES

router = Router(tags=["bodies"])

KindFilter = choice_query(BodyKindCode, "Only bodies of this kind.")
PillarFilter = slug_query("Only the bodies of this pillar (slug).")


class NoMatch(Exception):
    """A filter names something that does not exist: the answer is an empty list."""


def body_filter(slug: str | None, *, kind: str | None = None) -> BodyModel | None:
    """The body a filter names (of ``kind``), None without the filter; ``NoMatch`` if there is none."""
    if not slug:
        return None
    bodies = BodyModel.objects.filter(slug=slug)
    if kind:
        bodies = bodies.filter(kind=kind)
    body = bodies.first()
    if body is None:
        raise NoMatch(slug)
    return body


def body_json(body: BodyModel) -> dict:
    return {
        "slug": body.slug, "name": body.name, "short_name": body.short_name, "kind": body.kind,
        "track": body.track, "pillar": body_ref(body.parent), "is_open": body.is_open,
        "archived_on": body.archived_at, "is_demo": body.is_demo,
    }


def person_json(person) -> dict:
    return {"name": None if person.erased_at or not person.name else person.name, "function": person.function}


def position_json(position) -> dict:
    return {
        "body": body_ref(position.body), "role": position.role, "person": person_json(position.person),
        "on_behalf_of": municipality_ref(position.on_behalf_of), "start_date": position.start_date,
        "end_date": position.end_date,
    }


@router.get("/bodies", response=BodyPage, by_alias=True, operation_id="listBodies", summary="Bodies")
def list_bodies(request: HttpRequest, kind: KindFilter = None, pillar: PillarFilter = None,
                page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """Every body, archived ones included (with the day they were archived), in their order."""
    bodies = BodyModel.objects.select_related("parent").order_by("order", "name", "pk")
    if kind:
        bodies = bodies.filter(kind=kind)
    if pillar:
        bodies = bodies.filter(parent__slug=pillar, parent__kind=BodyKind.PILLAR)
    return paginate(bodies, page=page, page_size=page_size, serialise=body_json)


@router.get("/bodies/{slug}", response=Body, by_alias=True, operation_id="getBody", summary="One body")
def get_body(request: HttpRequest, slug: str):
    body = BodyModel.objects.select_related("parent").filter(slug=slug).first()
    if body is None:
        raise not_found("body")
    return body_json(body)


@router.get("/bodies/{slug}/positions", response=PositionPage, by_alias=True, operation_id="listBodyPositions",
            summary="Positions in a body")
def list_positions(request: HttpRequest, slug: str, page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """The positions held today, chairs first. Anonymous requests and partners see only the
    chairs, vice-chairs and leads of pillar meetings and theme groups."""
    body = BodyModel.objects.select_related("parent").filter(slug=slug).first()
    if body is None:
        raise not_found("body")
    who = viewer(request)
    positions = body_members(body=body).select_related("body")
    if not (who.is_bureau or who.is_member or body.pk in who.body_ids):
        shown_publicly = body.parent is not None and body.parent.kind == BodyKind.PILLAR and body.archived_at is None
        positions = positions.filter(role__in=CHAIR_ROLES) if shown_publicly else positions.none()
    return paginate(positions, page=page, page_size=page_size, serialise=position_json)
