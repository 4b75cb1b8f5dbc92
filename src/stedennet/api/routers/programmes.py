"""/work-programmes: the pillars' work programmes with their goals and actions (each action with
its latest progress update). As on the pillar pages: the public programmes and their public
actions for everyone; members and the bureau also see the rest."""


from django.db.models import Q
from django.http import HttpRequest
from ninja import Router

from stedennet.api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from stedennet.api.query import date_query, parse_date, slug_query
from stedennet.api.routers.common import body_ref, viewer
from stedennet.api.schemas import WorkProgrammePage
from stedennet.governance.models import BodyKind
from stedennet.programmes.models import WorkProgramme
from stedennet.programmes.selectors import with_goals_and_actions

router = Router(tags=["work programmes"])

PillarFilter = slug_query("Only this pillar's (slug).")
ActiveOn = date_query("Only programmes whose period includes this day.", alias="activeOn")


def programme_json(programme: WorkProgramme) -> dict:
    return {
        "id": programme.pk, "pillar": body_ref(programme.pillar), "title": programme.title,
        "period_start_date": programme.period_start, "period_end_date": programme.period_end,
        "introduction": programme.introduction, "is_public": programme.is_public,
        "goals": [{"number": goal.number, "text": goal.text} for goal in programme.goals.all()],
        "actions": [{
            "id": action.pk, "title": action.title, "description": action.description, "status": action.status,
            "goal_number": action.goal.number if action.goal else None, "owner": body_ref(action.owner),
            "is_public": action.is_public, "latest_update_date": action.latest_update_date,
            "latest_update": action.latest_update_text,
        } for action in programme.actions.all()],
    }


@router.get("/work-programmes", response=WorkProgrammePage, by_alias=True, operation_id="listWorkProgrammes",
            summary="Work programmes")
def list_work_programmes(request: HttpRequest,
                         pillar: PillarFilter = None, active_on: ActiveOn = None,
                         page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """Newest period first. Four queries per page, whatever the number of goals and actions."""
    who = viewer(request)
    members = who.is_member or who.is_bureau
    programmes = WorkProgramme.objects.select_related("pillar")
    if pillar:
        programmes = programmes.filter(pillar__slug=pillar, pillar__kind=BodyKind.PILLAR)
    day = parse_date("activeOn", active_on)
    if day is not None:
        programmes = programmes.filter(Q(period_start__lte=day) & Q(period_end__gte=day))
    programmes = with_goals_and_actions(programmes, include_members_only=members)
    return paginate(programmes, page=page, page_size=page_size, serialise=programme_json)
