"""/municipalities: every Dutch municipality (the registry), member or not, with its latest
population; one municipality; its population figures per reference date and source."""

from typing import Annotated

from django.http import HttpRequest
from ninja import Query, Router

from stedennet.api.pagination import DEFAULT_PAGE_SIZE, PageNumber, PageSize, paginate
from stedennet.api.query import choice_query
from stedennet.api.routers.common import not_found, population_of, province_of, today
from stedennet.api.schemas import Municipality, MunicipalityPage, PopulationFigurePage, PopulationSourceCode
from stedennet.registry.models import Municipality as MunicipalityModel
from stedennet.registry.models import PopulationFigure
from stedennet.registry.selectors import population_latest_subqueries, population_series

router = Router(tags=["municipalities"])

ProvinceFilter = Annotated[str | None, Query(pattern=r"^PV\d{2}$", description="CBS code of a province (PVnn).")]
SourceFilter = choice_query(PopulationSourceCode, "Only this source.")


def municipality_json(row) -> dict:
    return {
        "cbs_code": row.cbs_code, "name": row.display_name, "official_name": row.name, "slug": row.slug,
        "province": province_of(row), "population": population_of(row),
    }


def _municipalities():
    return (MunicipalityModel.objects.select_related("province")
            .annotate(**population_latest_subqueries(day=today(), municipality_ref="pk")))


@router.get("/municipalities", response=MunicipalityPage, by_alias=True, operation_id="listMunicipalities",
            summary="Municipalities")
def list_municipalities(request: HttpRequest, province: ProvinceFilter = None,
                        page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """Every municipality in the registry, by CBS code."""
    rows = _municipalities().order_by("cbs_code")
    if province:  # a well-formed code that no province has: an empty list, as for any filter
        rows = rows.filter(province__code=province)
    return paginate(rows, page=page, page_size=page_size, serialise=municipality_json)


@router.get("/municipalities/{cbsCode}", response=Municipality, by_alias=True, operation_id="getMunicipality",
            summary="One municipality")
def get_municipality(request: HttpRequest, cbsCode: str):
    row = _municipalities().filter(cbs_code=cbsCode).first()
    if row is None:
        raise not_found("municipality")
    return municipality_json(row)


@router.get("/municipalities/{cbsCode}/population-figures", response=PopulationFigurePage, by_alias=True,
            operation_id="listPopulationFigures", summary="Population figures of a municipality")
def list_population_figures(request: HttpRequest, cbsCode: str,
                            source: SourceFilter = None,
                            page: PageNumber = 1, page_size: PageSize = DEFAULT_PAGE_SIZE):
    """Every current figure (corrections supersede, the old value stays in the history), newest
    reference date first; where sources disagree on a date, each source is listed."""
    municipality = MunicipalityModel.objects.filter(cbs_code=cbsCode).first()
    if municipality is None:
        raise not_found("municipality")
    figures = population_series(municipality=municipality)
    if source:
        figures = figures.filter(source=source)
    return paginate(figures, page=page, page_size=page_size, serialise=figure_json)


def figure_json(figure: PopulationFigure) -> dict:
    return {
        "reference_date": figure.reference_date, "inhabitants": figure.inhabitants, "source": figure.source,
        "source_note": figure.source_note, "source_url": figure.source_url, "recorded_at": figure.recorded_at,
    }

