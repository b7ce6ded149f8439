"""The promotions repository (inside a unit of work): planned promotions, the inbound
supply of open purchase orders, uplift overrides and the warnings already sent."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_promotions import PromotionUpliftRow, PromotionWarningRow
from stockguard.domain import events, purchasing
from stockguard.domain.marketing import Promotion, PromotionKind
from stockguard.services.promotions.ports import Inbound, SentWarning

OPEN_STATUSES = tuple(sorted(status.value for status in purchasing.OPEN_STATUSES))
_WARNING_COLUMNS = (
    "promotion",
    "sku",
    "location",
    "projected_demand",
    "available",
    "order_quantity",
    "last_order_date",
    "warned_at",
)


def _promotion(row: Row[Any]) -> Promotion:
    return Promotion(
        code=row.code,
        kind=PromotionKind(row.kind),
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        sku=row.sku,
        category=row.category,
        discount_percent=row.discount_percent,
        owner=row.owner,
    )


class SqlPromotionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._events: list[events.Event] = []

    def _promotions(self, *conditions: Any) -> list[Promotion]:
        table = t.table_of(t.PromotionRow)
        query = select(table).where(*conditions).order_by(table.c.starts_on, table.c.code)
        return [_promotion(row) for row in self._session.execute(query)]

    def promotions(self, *, ending_on_or_after: date) -> list[Promotion]:
        table = t.table_of(t.PromotionRow)
        return self._promotions(table.c.ends_on >= ending_on_or_after)

    def past_promotions(self, *, start: date, end: date) -> list[Promotion]:
        table = t.table_of(t.PromotionRow)
        return self._promotions(table.c.starts_on <= end, table.c.ends_on >= start)

    def categories(self) -> dict[str, str | None]:
        products = t.table_of(t.ProductRow)
        query = select(products.c.sku, products.c.category)
        return {row.sku: row.category for row in self._session.execute(query)}

    def inbound(self) -> list[Inbound]:
        orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
        outstanding = lines.c.quantity - lines.c.received - lines.c.rejected
        query = (
            select(lines.c.sku, orders.c.location, outstanding.label("units"), orders.c.expected_on)
            .join(orders, orders.c.number == lines.c.order_number)
            .where(orders.c.status.in_(OPEN_STATUSES), orders.c.expected_on.is_not(None))
            .where(outstanding > 0)
            .order_by(lines.c.sku, orders.c.location, orders.c.expected_on)
        )
        return [
            Inbound(row.sku, row.location, int(row.units), row.expected_on)
            for row in self._session.execute(query)
        ]

    def uplift_overrides(self) -> dict[str, float]:
        table = t.table_of(PromotionUpliftRow)
        query = select(table.c.promotion, table.c.uplift)
        return {row.promotion: float(row.uplift) for row in self._session.execute(query)}

    def set_uplift(self, promotion: str, uplift: float, now: datetime) -> None:
        table = t.table_of(PromotionUpliftRow)
        values = {"uplift": uplift, "set_at": now}
        done = self._session.execute(
            update(table).where(table.c.promotion == promotion).values(**values)
        )
        if not getattr(done, "rowcount", 0):
            self._session.execute(insert(table).values(promotion=promotion, **values))

    def warnings(self) -> dict[tuple[str, str, str], SentWarning]:
        table = t.table_of(PromotionWarningRow)
        query = select(*(table.c[name] for name in _WARNING_COLUMNS))
        found = (SentWarning(*row) for row in self._session.execute(query))
        return {(w.promotion, w.sku, w.location): w for w in found}

    def record(self, warning: SentWarning, event: events.PromotionAtRisk) -> None:
        table = t.table_of(PromotionWarningRow)
        values = {name: getattr(warning, name) for name in _WARNING_COLUMNS}
        key = (
            table.c.promotion == warning.promotion,
            table.c.sku == warning.sku,
            table.c.location == warning.location,
        )
        done = self._session.execute(update(table).where(*key).values(**values))
        if not getattr(done, "rowcount", 0):
            self._session.execute(insert(table).values(**values))
        self._events.append(event)

    def drain_events(self) -> list[events.Event]:
        drained, self._events = self._events, []
        return drained
