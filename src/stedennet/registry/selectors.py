"""Registry reads shaped for pages, commands and other apps."""

import datetime
import json
from functools import lru_cache
from pathlib import Path

from django.db.models import Case, IntegerField, OuterRef, QuerySet, Subquery, Value, When

from stedennet.registry.constants import PopulationSource
from stedennet.registry.models import Municipality, Network, PartnerOrganisation, PopulationFigure

DATA_DIR = Path(__file__).resolve().parent / "data"

# When sources disagree on the same reference date, the registry shows CBS's final figure,
# then its provisional one, then the municipality's own count. (Fee rules choose for
# themselves which source counts; that is contribution data, not this default.)
SOURCE_PREFERENCE = [PopulationSource.CBS_FINAL, PopulationSource.CBS_PROVISIONAL, PopulationSource.MUNICIPAL]


def network_current() -> Network | None:
    """The network this installation serves (one per installation)."""
    from stedennet.web.cache import REGISTRY, cached

    return cached(REGISTRY, ("network",), lambda: Network.objects.order_by("pk").first() or False) or None


def network_or_404() -> Network:
    """The network, for a page that cannot be shown without one: 404 while none is loaded."""
    from django.http import Http404

    network = network_current()
    if network is None:
        raise Http404("no network loaded")
    return network


def _source_rank() -> Case:
    return Case(
        *[When(source=source, then=Value(rank)) for rank, source in enumerate(SOURCE_PREFERENCE)],
        output_field=IntegerField(),
    )


def population_latest_subqueries(*, day: datetime.date, municipality_ref: str = "municipality_id") -> dict:
    """Annotations giving, per row, the latest population figure known on ``day``:
    ``population``, ``population_date`` and ``population_source``. One correlated subquery
    each, so a list costs the same number of queries whatever its length."""
    latest = (
        PopulationFigure.objects.current()
        .known_on(day)
        .filter(municipality_id=OuterRef(municipality_ref))
        .annotate(source_rank=_source_rank())
        .order_by("-reference_date", "source_rank")
    )
    return {
        "population": Subquery(latest.values("inhabitants")[:1]),
        "population_date": Subquery(latest.values("reference_date")[:1]),
        "population_source": Subquery(latest.values("source")[:1]),
    }


def population_series(*, municipality: Municipality) -> QuerySet[PopulationFigure]:
    """Every current figure of a municipality, newest reference date first."""
    return (
        PopulationFigure.objects.current()
        .filter(municipality=municipality)
        .annotate(source_rank=_source_rank())
        .order_by("-reference_date", "source_rank")
    )


@lru_cache(maxsize=1)
def map_outlines() -> dict:
    """Municipality outlines as SVG path data on a fixed canvas (see tools/build_reference_data.py)."""
    return json.loads((DATA_DIR / "map_nl_2024.json").read_text(encoding="utf-8"))


def partners_of(*, network: Network) -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.filter(network=network).select_related("municipality")
