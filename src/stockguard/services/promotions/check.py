"""Evaluate every planned promotion and warn once per promotion x SKU x location.

A row at risk (an order is needed) becomes a ``PromotionAtRisk`` event in the outbox,
in the transaction that records the warning in ``promotion_warning``. A later check
warns again only when the quantity to order or the last day to order has changed
since the last warning; a row that is fine sends nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from stockguard.domain.events import PromotionAtRisk
from stockguard.services.promotions.ports import SentWarning
from stockguard.services.promotions.readiness import (
    DEFAULT_SETTINGS,
    PromotionReadiness,
    ReadinessSettings,
    assess_promotions,
)
from stockguard.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class CheckOutcome:
    """All readiness rows, and those warned about by this check."""

    rows: list[PromotionReadiness]
    warned: list[PromotionReadiness]


def check_promotions(
    uow: UnitOfWork, *, now: datetime, settings: ReadinessSettings = DEFAULT_SETTINGS
) -> CheckOutcome:
    """Assess the promotions on ``now``'s day and warn about new or changed risks."""
    rows = assess_promotions(uow, today=now.date(), settings=settings)
    at_risk = [row for row in rows if row.order_quantity > 0]
    warned = []
    with uow:
        sent = uow.promotions.warnings()
        for row in at_risk:
            previous = sent.get((row.promotion, row.sku, row.location))
            if previous is not None and _same(previous, row):
                continue
            uow.promotions.record(_warning(row, now), _event(row))
            warned.append(row)
        uow.commit()
    return CheckOutcome(rows, warned)


def _same(previous: SentWarning, row: PromotionReadiness) -> bool:
    return (previous.order_quantity, previous.last_order_date) == (
        row.order_quantity,
        row.last_order_date,
    )


def _warning(row: PromotionReadiness, now: datetime) -> SentWarning:
    return SentWarning(
        promotion=row.promotion,
        sku=row.sku,
        location=row.location,
        projected_demand=row.projected_demand,
        available=row.available,
        order_quantity=row.order_quantity,
        last_order_date=row.last_order_date,
        warned_at=now,
    )


def _event(row: PromotionReadiness) -> PromotionAtRisk:
    return PromotionAtRisk(
        promotion=row.promotion,
        sku=row.sku,
        location=row.location,
        projected_demand=row.projected_demand,
        available=row.available,
        order_quantity=row.order_quantity,
        last_order_date=row.last_order_date.isoformat(),
        owner=row.owner,
    )
