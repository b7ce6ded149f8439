"""Stock-out risk: the ranked list, one SKU, and the refresh from the latest forecast."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query

from stockguard.adapters.db.views import catalog
from stockguard.adapters.db.views import risk as views
from stockguard.domain import errors
from stockguard.entrypoints.api.deps import AppDep, Limit, Offset, Planner, SessionDep
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES, Page
from stockguard.entrypoints.api.schemas.risk import (
    RateRatioRead,
    RiskRefreshRead,
    RiskState,
    StockRiskRead,
)
from stockguard.services.risk.refresh import refresh_risk

router = APIRouter(tags=["risk"], responses=PROBLEM_RESPONSES, dependencies=[Planner])


@router.get("/risk")
def list_risks(
    session: SessionDep,
    state: Annotated[
        list[RiskState] | None, Query(description="Keep these states (repeat the parameter).")
    ] = None,
    location: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    category: Annotated[str | None, Query(min_length=1, max_length=120)] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> Page[StockRiskRead]:
    """Risk per SKU x location, the largest expected lost revenue first. Figures come from
    the last refresh and are updated by every movement since."""
    found = views.risks(
        session,
        states=[s.value for s in state or ()],
        location=location,
        category=category,
        limit=limit,
        offset=offset,
    )
    items = [StockRiskRead.model_validate(row) for row in found.rows]
    return Page(items=items, total=found.total, limit=limit, offset=offset)


@router.get("/risk/{sku}")
def get_sku_risk(
    session: SessionDep,
    sku: Annotated[str, Path(min_length=1, max_length=64)],
) -> list[StockRiskRead]:
    """The SKU's risk at each of its locations (empty when no refresh has covered it).
    404 ``unknown_sku`` when there is no such product."""
    rows = views.risk_of_sku(session, sku)
    if not rows and catalog.product(session, sku) is None:
        raise errors.UnknownSku(sku)
    return [StockRiskRead.model_validate(row) for row in rows]


@router.post("/risk/refresh")
def refresh_risks(
    stockguard: AppDep,
    currency: Annotated[str, Query(pattern="^[A-Z]{3}$", description="Offers' currency.")] = (
        "EUR"
    ),
    rate_ratio: Annotated[
        bool | None,
        Query(description="Apply the rate ratio of past forecasts (default: off, ADR 0022)."),
    ] = None,
    pooled_rates: Annotated[
        bool | None,
        Query(
            description="Slow and never-sold rows read the replenishment run's pooled rate "
            "(default: off, ADR 0024)."
        ),
    ] = None,
    observed_spread: Annotated[
        bool | None,
        Query(
            description="Floor each forecast's daily variance by its last 56 in-stock days' "
            "sales variance (default: on, ADR 0027; false: the forecast's spread alone)."
        ),
    ] = None,
) -> RiskRefreshRead:
    """Recompute every SKU x location's risk from the latest planning run, today's stock,
    lead times and open purchase orders. 409 ``no_planning_run`` before any forecast."""
    summary = refresh_risk(
        stockguard.unit_of_work(),
        now=datetime.now(UTC),
        currency=currency,
        rate_ratio=rate_ratio,
        pooled_rates=pooled_rates,
        observed_spread=observed_spread,
    )
    found = summary.rate_ratio
    return RiskRefreshRead(
        run_id=summary.run_id,
        rows=summary.rows,
        states={RiskState(name): count for name, count in summary.states.items()},
        events=summary.events,
        seconds=summary.seconds,
        rate_ratio=RateRatioRead(
            **found.ratio.to_json(),
            runs=found.runs,
            first_days=list(found.first_days) if found.first_days else None,
            rejected=found.rejected,
            applied=found.applied,
        ),
        pooled_rates=summary.pooled_rates,
        observed_spread=summary.observed_spread,
    )
