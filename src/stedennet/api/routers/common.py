"""What the routers share: the viewer of the request, the shapes of small references, and the
404 problem."""

from django.http import HttpRequest
from django.utils import timezone

from stedennet.api.problems import ProblemError
from stedennet.governance.access import Viewer, viewer_for


def viewer(request: HttpRequest) -> Viewer:
    """Who asks: the token's person (``api.auth``), or anonymous."""
    return viewer_for(request.user)


def not_found(what: str) -> ProblemError:
    return ProblemError(404, f"No such {what}.")


def today():
    return timezone.localdate()


def municipality_ref(municipality) -> dict | None:
    if municipality is None:
        return None
    return {"cbs_code": municipality.cbs_code, "name": municipality.display_name}


def province_of(municipality) -> dict:
    return {"code": municipality.province.code, "name": municipality.province.name}


def body_ref(body) -> dict | None:
    if body is None:
        return None
    return {"slug": body.slug, "name": body.name}


def population_of(row) -> dict | None:
    """The latest figure annotated by ``registry.selectors.population_latest_subqueries``."""
    if getattr(row, "population", None) is None:
        return None
    return {"inhabitants": row.population, "reference_date": row.population_date, "source": row.population_source}
