"""/members: the municipalities that are members of the network on a day (today unless
``memberOn``), with their latest population figure; one member with its membership periods and
every population figure with its source. The same selectors as the public member pages."""


from django.http import HttpRequest
from ninja import Router

from stedennet.api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from stedennet.api.problems import ProblemError
from stedennet.api.query import date_query, parse_date
from stedennet.api.routers.common import municipality_ref, not_found, population_of, province_of, today
from stedennet.api.routers.municipalities import ProvinceFilter, figure_json
from stedennet.api.schemas import MemberDetail, MemberPage
from stedennet.membership.selectors import members_on, membership_history
from stedennet.registry.models import Municipality
from stedennet.registry.selectors import network_current, population_latest_subqueries, population_series

router = Router(tags=["members"])

MemberOn = date_query("Members on this day (YYYY-MM-DD); today if absent.", alias="memberOn")


def _network():
    network = network_current()
    if network is None:
        raise ProblemError(404, "No network is loaded.")
    return network


def member_json(period) -> dict:
    municipality = period.municipality
    return {
        "municipality": municipality_ref(municipality), "province": province_of(municipality),
        "member_since_date": period.start_date, "member_until_date": period.end_date,
        "population": population_of(period),
    }


@router.get("/members", response=MemberPage, by_alias=True, operation_id="listMembers", summary="Members")
def list_members(request: HttpRequest,
                 member_on: MemberOn = None, province: ProvinceFilter = None,
                 page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """The members in force on the day, by name, each with its latest population known that day."""
    day = parse_date("memberOn", member_on) or today()
    periods = members_on(network=_network(), day=day)
    if province:
        periods = periods.filter(municipality__province__code=province)
    return paginate(periods, page=page, page_size=page_size, serialise=member_json)


@router.get("/members/{cbsCode}", response=MemberDetail, by_alias=True, operation_id="getMember",
            summary="One member")
def get_member(request: HttpRequest, cbsCode: str):
    """A municipality that is or was a member: the membership in force today (if any), every
    membership period, and every current population figure with its source."""
    network = _network()
    municipality = (Municipality.objects.select_related("province")
                    .annotate(**population_latest_subqueries(day=today(), municipality_ref="pk"))
                    .filter(cbs_code=cbsCode).first())
    periods = list(membership_history(network=network, municipality=municipality)) if municipality else []
    if not periods:
        raise not_found("member")
    day = today()
    current = next((period for period in periods if period.in_force_on(day)), None)
    return {
        "municipality": municipality_ref(municipality), "province": province_of(municipality),
        "member_since_date": current.start_date if current else None,
        "member_until_date": current.end_date if current else None,
        "population": population_of(municipality),
        "periods": [{"start_date": p.start_date, "end_date": p.end_date, "note": p.note, "source": p.source}
                    for p in periods],
        "population_figures": [figure_json(figure) for figure in population_series(municipality=municipality)],
    }
