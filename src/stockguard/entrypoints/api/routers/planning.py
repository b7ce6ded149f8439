"""Planning runs and the demand forecasts they stored."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated

from fastapi import APIRouter, Path

from stockguard.adapters.db.views import catalog, forecasts
from stockguard.domain import errors
from stockguard.entrypoints.api.deps import Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.planning import (
    ForecastDayRead,
    LocationForecastRead,
    PlanningRunRead,
    SkuForecastRead,
)

router = APIRouter(tags=["planning"], responses=PROBLEM_RESPONSES)


@router.get("/planning-runs", dependencies=[Planner])
def list_planning_runs(
    session: SessionDep, limit: Limit = 50, offset: Offset = 0
) -> Page[PlanningRunRead]:
    """Stored planning runs, newest first (`stockguard plan forecast` adds one)."""
    found = forecasts.runs(session, limit=limit, offset=offset)
    items = [PlanningRunRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/forecasts/{sku}", dependencies=[Planner])
def get_forecast(session: SessionDep, sku: Annotated[str, Path(max_length=64)]) -> SkuForecastRead:
    """The latest planning run's daily demand forecast of a SKU, per location: mean and
    quantiles (80% interval lower_80..p90, 95% interval lower_95..upper_95)."""
    if catalog.product(session, sku) is None:
        raise errors.UnknownSku(sku)
    found = forecasts.latest_forecast_of(session, sku)
    if found is None:
        raise errors.NoForecast(sku)
    locations = [
        LocationForecastRead(
            location=location,
            model=rows[0].model,
            days=[ForecastDayRead.model_validate(row) for row in rows],
        )
        for location, group in groupby(found.rows, key=lambda row: row.location)
        for rows in [list(group)]
    ]
    return SkuForecastRead(
        sku=sku, run=PlanningRunRead.model_validate(found.run), locations=locations
    )
