"""Read-side queries of the audit: positions with prices, the risk table, counts, schedule."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_audit as ta
from stockguard.adapters.db import tables_risk as tr
from stockguard.services.audit.ports import AuditPosition, CountRecord, RiskEntry, ScheduleEntry

OK = "ok"


def positions(session: Session) -> list[AuditPosition]:
    """Every stock level with its product's price, unit cost, currency and category."""
    levels, products = t.table_of(t.StockLevelRow), t.table_of(t.ProductRow)
    query = (
        select(
            levels.c.sku,
            levels.c.location,
            levels.c.on_hand,
            products.c.price,
            products.c.unit_cost,
            products.c.currency,
            products.c.category,
        )
        .join(products, products.c.sku == levels.c.sku)
        .order_by(levels.c.sku, levels.c.location)
    )
    return [
        AuditPosition(
            sku=r.sku,
            location=r.location,
            on_hand=int(r.on_hand),
            price=Decimal(r.price),
            unit_cost=None if r.unit_cost is None else Decimal(r.unit_cost),
            currency=r.currency,
            category=r.category,
        )
        for r in session.execute(query).all()
    ]


def at_risk(session: Session, *, limit: int = 50) -> list[RiskEntry]:
    """Risk rows that are not ``ok``, highest expected lost revenue first (empty table: [])."""
    risk = t.table_of(tr.StockRiskRow)
    query = (
        select(risk)
        .where(risk.c.state != OK)
        .order_by(risk.c.expected_lost_revenue.desc(), risk.c.sku, risk.c.location)
        .limit(limit)
    )
    return [
        RiskEntry(
            sku=r.sku,
            location=r.location,
            state=r.state,
            on_hand=int(r.on_hand),
            days_of_cover=r.days_of_cover,
            projected_stockout=r.projected_stockout,
            probability=float(r.probability),
            expected_lost_units=float(r.expected_lost_units),
            expected_lost_revenue=Decimal(r.expected_lost_revenue),
            currency=r.currency,
        )
        for r in session.execute(query).all()
    ]


def count_from_row(row: Row[Any]) -> CountRecord:
    return CountRecord(
        sku=row.sku,
        location=row.location,
        counted_at=row.counted_at,
        expected=row.expected,
        counted=row.counted,
        variance_units=row.variance_units,
        unit_cost=None if row.unit_cost is None else Decimal(row.unit_cost),
        variance_value=None if row.variance_value is None else Decimal(row.variance_value),
        currency=row.currency,
        counted_by=row.counted_by,
        idempotency_key=row.idempotency_key,
    )


def counts(
    session: Session, *, since: datetime | None = None, sku: str | None = None, limit: int = 100
) -> list[CountRecord]:
    """Recorded counts, newest first."""
    table = t.table_of(ta.CycleCountRow)
    query = select(table).order_by(table.c.counted_at.desc(), table.c.id.desc()).limit(limit)
    if since is not None:
        query = query.where(table.c.counted_at >= since)
    if sku:
        query = query.where(table.c.sku == sku)
    return [count_from_row(r) for r in session.execute(query).all()]


def schedule(session: Session, *, due_on: date | None = None) -> list[ScheduleEntry]:
    """The count schedule by due date (only entries due on or before ``due_on`` if given)."""
    table = t.table_of(ta.CycleCountScheduleRow)
    query = select(table).order_by(table.c.next_due_on, table.c.sku, table.c.location)
    if due_on is not None:
        query = query.where(table.c.next_due_on <= due_on)
    return [
        ScheduleEntry(
            sku=r.sku,
            location=r.location,
            abc_class=r.abc_class,
            interval_days=r.interval_days,
            last_counted_on=r.last_counted_on,
            next_due_on=r.next_due_on,
        )
        for r in session.execute(query).all()
    ]
