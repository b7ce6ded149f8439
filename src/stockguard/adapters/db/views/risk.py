"""Read-side queries of stock-out risk: the ranked list, one SKU, recent daily sales."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, Select, cast, func, select, tuple_
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.adapters.db.views.paging import Slice, page

STATES = ("ok", "watch", "at_risk", "out_of_stock")
AT_RISK_STATES = ("watch", "at_risk", "out_of_stock")
"""States the default list shows: every row that needs a look."""
SPARKLINE_DAYS = 30


def _query() -> Select[Any]:
    risk, products = t.table_of(StockRiskRow), t.table_of(t.ProductRow)
    return (
        select(risk, products.c.title, products.c.category)
        .join(products, products.c.sku == risk.c.sku)
        .order_by(
            risk.c.expected_lost_revenue.desc(),
            risk.c.probability.desc(),
            risk.c.sku,
            risk.c.location,
        )
    )


def risks(
    session: Session,
    *,
    states: Sequence[str] = (),
    location: str | None = None,
    category: str | None = None,
    sku: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Risk rows with the product's title and category, the largest expected lost
    revenue first; empty ``states`` keeps every state."""
    risk, products = t.table_of(StockRiskRow), t.table_of(t.ProductRow)
    query = _query()
    if states:
        query = query.where(risk.c.state.in_(list(states)))
    if location:
        query = query.where(risk.c.location == location)
    if category:
        query = query.where(products.c.category == category)
    if sku:
        query = query.where(risk.c.sku == sku)
    return page(session, query, limit=limit, offset=offset)


def risk_of_sku(session: Session, sku: str) -> list[Any]:
    """The SKU's risk rows, one per location, by location."""
    risk = t.table_of(StockRiskRow)
    query = _query().where(risk.c.sku == sku).order_by(None).order_by(risk.c.location)
    return list(session.execute(query).all())


def state_counts(session: Session) -> dict[str, int]:
    risk = t.table_of(StockRiskRow)
    query = select(risk.c.state, func.count()).group_by(risk.c.state)
    return {row[0]: int(row[1]) for row in session.execute(query)}


def daily_sales(
    session: Session,
    keys: Sequence[tuple[str, str]],
    *,
    last_day: date,
    days: int = SPARKLINE_DAYS,
) -> dict[tuple[str, str], list[int]]:
    """Units sold per day over ``days`` days ending ``last_day``, per (sku, location)."""
    if not keys:
        return {}
    moves = t.table_of(t.StockMovementRow)
    first_day = last_day - timedelta(days=days - 1)
    since = datetime.combine(first_day, time.min).replace(tzinfo=UTC)
    day = _day(session, moves.c.occurred_at)
    query = (
        select(moves.c.sku, moves.c.location, day.label("day"), func.sum(-moves.c.quantity))
        .where(moves.c.kind == "sale", moves.c.occurred_at >= since)
        .where(tuple_(moves.c.sku, moves.c.location).in_(list(keys)))
        .group_by(moves.c.sku, moves.c.location, day)
    )
    found: dict[tuple[str, str], list[int]] = {key: [0] * days for key in keys}
    for sku, location, sold_on, units in session.execute(query):
        offset = (_as_date(sold_on) - first_day).days
        if 0 <= offset < days:
            found[(sku, location)][offset] = int(units or 0)
    return found


def _day(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column)
    return cast(func.timezone("UTC", column), Date)


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))
