"""Set-based writes for imports: upserts by natural key and ledger appends in batches."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Table, bindparam, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from stockguard.adapters.db import mappers
from stockguard.adapters.db import tables as t
from stockguard.domain import ledger, purchasing
from stockguard.services.ports import NATURAL_KEYS, Entity

TABLES: dict[Entity, type[t.Base]] = {
    Entity.PRODUCT: t.ProductRow,
    Entity.LOCATION: t.LocationRow,
    Entity.CUSTOMER: t.CustomerRow,
    Entity.SUPPLIER: t.SupplierRow,
    Entity.SUPPLIER_OFFER: t.SupplierOfferRow,
    Entity.CARRIER: t.CarrierRow,
    Entity.SALES_ORDER: t.SalesOrderRow,
    Entity.SALES_ORDER_LINE: t.SalesOrderLineRow,
    Entity.PURCHASE_ORDER: t.PurchaseOrderRow,
    Entity.PURCHASE_ORDER_LINE: t.PurchaseOrderLineRow,
    Entity.PURCHASE_RECEIPT: t.PurchaseReceiptRow,
    Entity.PROMOTION: t.PromotionRow,
}
KEY_BATCH = 900  # below SQLite's default limit of bound parameters per statement
ROW_BATCH = 5000


class SqlBulkWriter:
    def __init__(self, session: Session) -> None:
        self._session = session

    @property
    def _dialect(self) -> str:
        return self._session.get_bind().dialect.name

    def existing_keys(self, entity: Entity, keys: Iterable[str]) -> set[str]:
        (column,) = NATURAL_KEYS[entity]
        table = t.table_of(TABLES[entity])
        return self._existing(table, column, keys)

    def upsert(self, entity: Entity, rows: Sequence[Mapping[str, Any]]) -> int:
        if not rows:
            return 0
        table = t.table_of(TABLES[entity])
        keys = NATURAL_KEYS[entity]
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        for start in range(0, len(rows), ROW_BATCH):
            batch = [dict(row) for row in rows[start : start + ROW_BATCH]]
            statement = dialect_insert(table)
            updates = {c: statement.excluded[c] for c in batch[0] if c not in keys}
            if updates:
                statement = statement.on_conflict_do_update(index_elements=keys, set_=updates)
            else:
                statement = statement.on_conflict_do_nothing(index_elements=keys)
            self._session.execute(statement, batch)
        return len(rows)

    def record_movements(self, movements: Sequence[ledger.StockMovement]) -> int:
        table = t.table_of(t.StockMovementRow)
        seen = self._existing(table, "idempotency_key", (m.idempotency_key for m in movements))
        new: list[ledger.StockMovement] = []
        for movement in movements:
            if movement.idempotency_key not in seen:
                seen.add(movement.idempotency_key)
                new.append(movement)
        for start in range(0, len(new), ROW_BATCH):
            batch = [mappers.movement_to_values(m) for m in new[start : start + ROW_BATCH]]
            self._session.execute(insert(table), batch)
        deltas: dict[tuple[str, str], int] = defaultdict(int)
        for movement in new:
            deltas[(movement.sku, movement.location)] += movement.quantity
        self._add_to_levels("on_hand", deltas)
        return len(new)

    def refresh_on_order(self, skus: Collection[str]) -> None:
        lines = t.table_of(t.PurchaseOrderLineRow)
        orders = t.table_of(t.PurchaseOrderRow)
        levels = t.table_of(t.StockLevelRow)
        open_statuses = [s.value for s in purchasing.OPEN_STATUSES]
        wanted: dict[tuple[str, str], int] = defaultdict(int)
        for batch in _batches(sorted(set(skus)), KEY_BATCH):
            query = (
                select(
                    lines.c.sku, orders.c.location, func.sum(lines.c.quantity - lines.c.received)
                )
                .join(orders, orders.c.number == lines.c.order_number)
                .where(orders.c.status.in_(open_statuses), lines.c.sku.in_(batch))
                .where(lines.c.quantity > lines.c.received)
                .group_by(lines.c.sku, orders.c.location)
            )
            for row in self._session.execute(query):
                wanted[(row[0], row[1])] = int(row[2])
            self._session.execute(update(levels).where(levels.c.sku.in_(batch)).values(on_order=0))
        self._ensure_levels(wanted.keys())
        for (sku, location), on_order in wanted.items():
            self._session.execute(
                update(levels)
                .where(levels.c.sku == sku, levels.c.location == location)
                .values(on_order=on_order, version=levels.c.version + 1)
            )

    def _add_to_levels(self, column: str, deltas: Mapping[tuple[str, str], int]) -> None:
        levels = t.table_of(t.StockLevelRow)
        self._ensure_levels(deltas.keys())
        statement = (
            update(levels)
            .where(levels.c.sku == bindparam("b_sku"), levels.c.location == bindparam("b_location"))
            .values(
                {column: levels.c[column] + bindparam("b_delta"), "version": levels.c.version + 1}
            )
        )
        params = [{"b_sku": s, "b_location": loc, "b_delta": d} for (s, loc), d in deltas.items()]
        for start in range(0, len(params), ROW_BATCH):
            self._session.execute(statement, params[start : start + ROW_BATCH])

    def _ensure_levels(self, pairs: Iterable[tuple[str, str]]) -> None:
        rows = [{"sku": sku, "location": location} for sku, location in pairs]
        if not rows:
            return
        dialect_insert = postgresql.insert if self._dialect == "postgresql" else sqlite.insert
        levels = t.table_of(t.StockLevelRow)
        statement = dialect_insert(levels).on_conflict_do_nothing(
            index_elements=["sku", "location"]
        )
        for start in range(0, len(rows), ROW_BATCH):
            self._session.execute(statement, rows[start : start + ROW_BATCH])

    def _existing(self, table: Table, column: str, keys: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for batch in _batches(sorted(set(keys)), KEY_BATCH):
            query = select(table.c[column]).where(table.c[column].in_(batch))
            found.update(row[0] for row in self._session.execute(query))
        return found


def _batches(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
