"""Substitutes: the storefront's in-stock alternatives and complements of a SKU and the
widget's events; the operator's refresh, promotions and counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from stockguard.adapters.db.substitutes import SqlSubstituteRepository
from stockguard.entrypoints.api.deps import AppDep, Planner, SessionDep, Storefront
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.entrypoints.api.schemas.substitutes import (
    SubstituteEventCreate,
    SubstitutePromotionRead,
    SubstitutePromotionUpdate,
    SubstituteRefreshRead,
    SubstitutesRead,
    SubstituteStatRead,
)
from stockguard.services.substitutes import promotion
from stockguard.services.substitutes.query import MAX_LIMIT, substitutes_for
from stockguard.services.substitutes.refresh import refresh_substitutes

router = APIRouter(
    prefix="/storefront/v1",
    tags=["substitutes"],
    responses=PROBLEM_RESPONSES,
    dependencies=[Storefront],
)
operator_router = APIRouter(
    tags=["substitutes"], responses=PROBLEM_RESPONSES, dependencies=[Planner]
)

Sku = Annotated[str, Path(min_length=1, max_length=64)]


@router.post("/substitutes/events", status_code=204)
def record_substitute_event(stockguard: AppDep, event: SubstituteEventCreate) -> Response:
    """Count a substitute shown, clicked or bought (converted) for an out-of-stock SKU.
    404 ``unknown_sku`` when either SKU is not a product."""
    promotion.record_substitute_event(
        stockguard.unit_of_work(),
        event.sku,
        event.substitute,
        event.action,
        now=datetime.now(UTC),
    )
    return Response(status_code=204)


@router.get("/substitutes/{sku}")
def get_substitutes(
    session: SessionDep,
    sku: Sku,
    location: Annotated[
        list[str] | None,
        Query(
            description="Locations whose stock counts (repeat or comma-separate); "
            "default: every sellable location."
        ),
    ] = None,
    customer: Annotated[
        str | None,
        Query(min_length=1, max_length=64, description="Customer id: personalise the ranking."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Per list.")] = 5,
) -> SubstitutesRead:
    """In-stock substitutes (similar, bought together, the customer's taste) and
    complements of ``sku``, best first. Never proposes a product with nothing available at
    the locations, nor a discontinued one. Lists come from the last
    `stockguard substitutes refresh`. 404 ``unknown_sku`` / ``unknown_location``."""
    locations = [code.strip() for value in location or () for code in value.split(",")]
    found = substitutes_for(
        SqlSubstituteRepository(session),
        sku,
        locations=[code for code in locations if code] or None,
        customer=customer,
        limit=limit,
    )
    return SubstitutesRead.model_validate(found)


@operator_router.post("/substitutes/refresh")
def refresh(stockguard: AppDep) -> SubstituteRefreshRead:
    """Recompute every SKU's substitutes and complements from the catalogue and the
    order history."""
    now = datetime.now(UTC)
    summary = refresh_substitutes(stockguard.unit_of_work(), now=now)
    return SubstituteRefreshRead(
        products=summary.products,
        baskets=summary.baskets,
        rows=summary.rows,
        seconds=summary.seconds,
        refreshed_at=now,
    )


@operator_router.put("/substitutes/promotions/{scope}")
def promote(
    stockguard: AppDep, scope: Sku, body: SubstitutePromotionUpdate
) -> SubstitutePromotionRead:
    """Discount the substitutes shown for ``scope`` (a SKU, or ``*`` for all)."""
    percent = promotion.promote_substitutes(
        stockguard.unit_of_work(), scope, body.discount_percent, now=datetime.now(UTC)
    )
    return SubstitutePromotionRead(scope=scope, discount_percent=percent)


@operator_router.delete("/substitutes/promotions/{scope}", status_code=204)
def stop_promotion(stockguard: AppDep, scope: Sku) -> Response:
    """Remove the discount of ``scope`` (204 even when there was none)."""
    promotion.stop_promotion(stockguard.unit_of_work(), scope)
    return Response(status_code=204)


@operator_router.get("/substitutes/stats")
def stats(
    stockguard: AppDep,
    sku: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
) -> list[SubstituteStatRead]:
    """Shown / clicked / converted counts per source SKU x substitute."""
    rows = promotion.substitute_stats(stockguard.unit_of_work(), sku)
    return [SubstituteStatRead.model_validate(row) for row in rows]
