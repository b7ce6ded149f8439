"""SQL side of the substitutes area: the refresh's catalogue and baskets, the neighbour
table, promotions, event counts, and the one joined read a storefront request makes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, and_, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_substitutes as ts
from stockguard.services.substitutes.ports import (
    Candidate,
    CatalogueItem,
    NeighbourKind,
    NeighbourRecord,
    SubstituteAction,
    SubstituteStat,
)

GLOBAL = "*"
CANCELLED = "cancelled"
ACTIVE = "active"
INSERT_BATCH = 5_000


def _availability(locations: Sequence[str] | None) -> Select[Any]:
    """Available units (on hand - allocated - reserved) per SKU at ``locations`` (None:
    every sellable location)."""
    level = t.table_of(t.StockLevelRow)
    location = t.table_of(t.LocationRow)
    available = func.sum(level.c.on_hand - level.c.allocated - level.c.reserved)
    query = select(level.c.sku, available.label("available")).join(
        location, location.c.code == level.c.location
    )
    if locations:
        query = query.where(level.c.location.in_(list(locations)))
    else:
        query = query.where(location.c.sellable.is_(True))
    return query.group_by(level.c.sku)


class SqlSubstituteRepository:
    """Both ports: ``SubstituteRepository`` inside a unit of work and ``SubstituteReader``
    on a read session."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._neighbours = t.table_of(ts.SubstituteNeighbourRow)
        self._promotions = t.table_of(ts.SubstitutePromotionRow)
        self._stats = t.table_of(ts.SubstituteStatRow)

    # -- refresh -------------------------------------------------------------------------
    def catalogue(self) -> list[CatalogueItem]:
        product = t.table_of(t.ProductRow)
        rows = self._session.execute(select(product).order_by(product.c.sku)).all()
        return [
            CatalogueItem(
                sku=row.sku,
                title=row.title,
                family=row.family,
                category=row.category,
                attributes=dict(row.attributes or {}),
                price=float(row.price),
                active=row.status == ACTIVE,
            )
            for row in rows
        ]

    def basket_lines(self) -> list[tuple[str, str]]:
        order = t.table_of(t.SalesOrderRow)
        line = t.table_of(t.SalesOrderLineRow)
        rows = self._session.execute(
            select(line.c.order_number, line.c.sku)
            .join(order, order.c.number == line.c.order_number)
            .where(order.c.status != CANCELLED)
        ).all()
        return [(row.order_number, row.sku) for row in rows]

    def replace_neighbours(self, records: Sequence[NeighbourRecord], now: datetime) -> None:
        self._session.execute(delete(self._neighbours))
        rows = [
            {
                "sku": r.sku,
                "kind": r.kind.value,
                "neighbour": r.neighbour,
                "rank": r.rank,
                "score": r.score,
                "similarity": r.similarity,
                "copurchase": r.copurchase,
                "refreshed_at": now,
            }
            for r in records
        ]
        for start in range(0, len(rows), INSERT_BATCH):
            self._session.execute(insert(self._neighbours), rows[start : start + INSERT_BATCH])

    # -- promotions and counts -----------------------------------------------------------
    def set_promotion(self, scope: str, discount_percent: Decimal, now: datetime) -> None:
        table = self._promotions
        result = self._session.execute(
            update(table)
            .where(table.c.scope == scope)
            .values(discount_percent=discount_percent, updated_at=now)
        )
        if not result.rowcount:  # type: ignore[attr-defined]
            self._session.execute(
                insert(table).values(scope=scope, discount_percent=discount_percent, updated_at=now)
            )

    def clear_promotion(self, scope: str) -> bool:
        table = self._promotions
        result = self._session.execute(delete(table).where(table.c.scope == scope))
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def record(self, sku: str, substitute: str, action: SubstituteAction, now: datetime) -> None:
        """Update the pair's row, or insert it; when a concurrent request inserted it first
        (unique violation, inside a savepoint), update it after all."""
        if self._increment(sku, substitute, action, now):
            return
        counts = {name.value: int(name is action) for name in SubstituteAction}
        try:
            with self._session.begin_nested():
                self._session.execute(
                    insert(self._stats).values(
                        sku=sku, substitute=substitute, updated_at=now, **counts
                    )
                )
        except IntegrityError:
            self._increment(sku, substitute, action, now)

    def _increment(
        self, sku: str, substitute: str, action: SubstituteAction, now: datetime
    ) -> bool:
        table = self._stats
        result = self._session.execute(
            update(table)
            .where(table.c.sku == sku, table.c.substitute == substitute)
            .values({action.value: table.c[action.value] + 1, "updated_at": now})
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def stats(self, sku: str | None) -> list[SubstituteStat]:
        table = self._stats
        query = select(table).order_by(table.c.sku, table.c.substitute)
        if sku is not None:
            query = query.where(table.c.sku == sku)
        return [
            SubstituteStat(row.sku, row.substitute, row.shown, row.clicked, row.converted)
            for row in self._session.execute(query)
        ]

    # -- read side -----------------------------------------------------------------------
    def product_status(self, sku: str) -> str | None:
        product = t.table_of(t.ProductRow)
        status: str | None = self._session.execute(
            select(product.c.status).where(product.c.sku == sku)
        ).scalar_one_or_none()
        return status

    def unknown_locations(self, locations: Sequence[str]) -> list[str]:
        location = t.table_of(t.LocationRow)
        known = set(
            self._session.execute(
                select(location.c.code).where(location.c.code.in_(list(locations)))
            ).scalars()
        )
        return [code for code in locations if code not in known]

    def candidates(self, sku: str, locations: Sequence[str] | None) -> list[Candidate]:
        neighbours = self._neighbours
        product = t.table_of(t.ProductRow)
        stock = _availability(locations).subquery()
        rows = self._session.execute(
            select(
                neighbours,
                product.c.title,
                product.c.category,
                product.c.price,
                product.c.currency,
                product.c.status,
                func.coalesce(stock.c.available, 0).label("available"),
            )
            .join(product, product.c.sku == neighbours.c.neighbour)
            .outerjoin(stock, stock.c.sku == neighbours.c.neighbour)
            .where(neighbours.c.sku == sku)
            .order_by(neighbours.c.kind, neighbours.c.rank)
        ).all()
        return [
            Candidate(
                neighbour=row.neighbour,
                kind=NeighbourKind(row.kind),
                rank=row.rank,
                score=row.score,
                similarity=row.similarity,
                copurchase=row.copurchase,
                title=row.title,
                category=row.category,
                price=row.price,
                currency=row.currency,
                status=row.status,
                available=int(row.available),
            )
            for row in rows
        ]

    def available(self, sku: str, locations: Sequence[str] | None) -> int:
        stock = _availability(locations).subquery()
        value = self._session.execute(
            select(stock.c.available).where(stock.c.sku == sku)
        ).scalar_one_or_none()
        return int(value or 0)

    def customer_history(self, customer: str) -> tuple[set[str], set[str]]:
        order = t.table_of(t.SalesOrderRow)
        line = t.table_of(t.SalesOrderLineRow)
        product = t.table_of(t.ProductRow)
        rows = self._session.execute(
            select(line.c.sku, product.c.category)
            .distinct()
            .join(order, and_(order.c.number == line.c.order_number))
            .join(product, product.c.sku == line.c.sku)
            .where(order.c.customer == customer, order.c.status != CANCELLED)
        ).all()
        return {row.sku for row in rows}, {row.category for row in rows if row.category}

    def discount(self, sku: str) -> Decimal | None:
        table = self._promotions
        rows = {
            row.scope: row.discount_percent
            for row in self._session.execute(
                select(table.c.scope, table.c.discount_percent).where(
                    table.c.scope.in_([sku, GLOBAL])
                )
            )
        }
        found = rows.get(sku, rows.get(GLOBAL))
        return Decimal(found) if found is not None else None
