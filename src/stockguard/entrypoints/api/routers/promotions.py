"""Promotion readiness: will stock and inbound supply last through each promotion?"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from stockguard.entrypoints.api.deps import AppDep, Planner
from stockguard.entrypoints.api.schemas.common import PROBLEM_RESPONSES
from stockguard.entrypoints.api.schemas.promotions import (
    PromotionCheckRead,
    PromotionReadinessRead,
    ReadinessStatus,
)
from stockguard.services.promotions.check import check_promotions
from stockguard.services.promotions.readiness import ReadinessSettings, assess_promotions

router = APIRouter(tags=["promotions"], responses=PROBLEM_RESPONSES, dependencies=[Planner])

ServiceLevel = Annotated[
    float, Query(ge=0.5, le=0.999, description="Cycle service level of the stock needed.")
]


@router.get("/promotions/readiness")
def promotion_readiness(
    stockguard: AppDep,
    status: Annotated[
        list[ReadinessStatus] | None, Query(description="Keep these statuses (repeat it).")
    ] = None,
    service_level: ServiceLevel = 0.95,
) -> list[PromotionReadinessRead]:
    """Every promotion that has not ended, per SKU x location, by start date: projected
    demand until its end, stock, inbound purchase orders, quantity to order and the last
    day to order it. Read-only."""
    rows = assess_promotions(
        stockguard.unit_of_work(),
        today=datetime.now(UTC).date(),
        settings=ReadinessSettings(service_level=service_level),
    )
    wanted = {s.value for s in status or ReadinessStatus}
    return [PromotionReadinessRead.model_validate(row) for row in rows if row.status in wanted]


@router.post("/promotions/check")
def check_promotion_readiness(
    stockguard: AppDep, service_level: ServiceLevel = 0.95
) -> PromotionCheckRead:
    """Evaluate every promotion and send a PromotionAtRisk warning (outbox) for each
    promotion x SKU x location at risk, once until its quantity or last order day changes."""
    outcome = check_promotions(
        stockguard.unit_of_work(),
        now=datetime.now(UTC),
        settings=ReadinessSettings(service_level=service_level),
    )
    return PromotionCheckRead(
        rows=len(outcome.rows),
        at_risk=sum(1 for row in outcome.rows if row.order_quantity > 0),
        warned=[PromotionReadinessRead.model_validate(row) for row in outcome.warned],
    )
