"""Prices and promotions from the database for the drivers model (read-only queries).

Implements ``services.planning.drivers.DriverSource`` on the tables of ``adapters.db``:
the catalogue (``product.price``, ``product.category``), sales-order lines (their unit
price, by UTC day of the order) and ``promotion``. It lives beside the drivers model it
feeds; it only reads, in short transactions of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Date, cast, func, literal, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.types import UtcDateTime
from stockguard.adapters.db.waves import waiting_spans
from stockguard.services.planning.drivers import CatalogPrice, DailyPrice, PromotionSpan
from stockguard.services.waves.views import WaitingSpan


class SqlDriverSource:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def waiting_spans(self, skus: Sequence[str]) -> list[WaitingSpan]:
        """Back-in-stock subscriptions of ``skus`` (``services.waves.views.WaitingSource``)."""
        with self._sessions() as session:
            return waiting_spans(session, skus)

    def catalog_prices(self, skus: Sequence[str]) -> list[CatalogPrice]:
        products = t.table_of(t.ProductRow)
        query = select(products.c.sku, products.c.price, products.c.category)
        with self._sessions() as session:
            rows = session.execute(query).all()
        wanted = set(skus)
        return [CatalogPrice(r[0], float(r[1]), r[2]) for r in rows if r[0] in wanted]

    def daily_prices(self, *, start: date, end: date, skus: Sequence[str]) -> list[DailyPrice]:
        lines = t.table_of(t.SalesOrderLineRow)
        orders = t.table_of(t.SalesOrderRow)
        with self._sessions() as session:
            day = _utc_day(session, orders.c.ordered_at)
            revenue = func.sum(lines.c.quantity * lines.c.unit_price)
            query = (
                select(lines.c.sku, day.label("day"), revenue, func.sum(lines.c.quantity))
                .join(orders, orders.c.number == lines.c.order_number)
                .where(orders.c.ordered_at >= _midnight(start))
                .where(orders.c.ordered_at < _midnight(end + timedelta(days=1)))
                .where(lines.c.quantity > 0)
                .group_by(lines.c.sku, day)
            )
            rows = session.execute(query).all()
        wanted = set(skus)
        return [
            DailyPrice(r[0], _as_date(r[1]), float(r[2]) / float(r[3]))
            for r in rows
            if r[0] in wanted and r[3]
        ]

    def promotions(self, *, start: date, end: date) -> list[PromotionSpan]:
        promotions = t.table_of(t.PromotionRow)
        query = select(
            promotions.c.sku,
            promotions.c.category,
            promotions.c.starts_on,
            promotions.c.ends_on,
            promotions.c.discount_percent,
        ).where(promotions.c.starts_on <= end, promotions.c.ends_on >= start)
        with self._sessions() as session:
            rows = session.execute(query).all()
        return [
            PromotionSpan(r[0], r[1], r[2], r[3], None if r[4] is None else float(r[4]))
            for r in rows
        ]


def _utc_day(session: Session, column: Any) -> Any:
    if session.get_bind().dialect.name == "sqlite":
        return func.date(column)
    return cast(func.timezone("UTC", column), Date)


def _midnight(day: date) -> Any:
    """Midnight UTC at the start of ``day``, bound with the UTC column type."""
    return literal(datetime.combine(day, time(0, 0), tzinfo=UTC), UtcDateTime())


def _as_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))
