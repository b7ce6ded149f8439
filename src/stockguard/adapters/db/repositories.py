"""SQLAlchemy implementations of the service-layer repository ports."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from stockguard.adapters.db import mappers
from stockguard.adapters.db import tables as t
from stockguard.domain import catalog, errors, ledger, parties, purchasing, stock
from stockguard.services import rows


def _first_by(session: Session, table: Table, column: str, value: str) -> Row[Any] | None:
    return session.execute(select(table).where(table.c[column] == value)).first()


class SqlProductRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[str, catalog.Product | None] = {}

    def get(self, sku: str) -> catalog.Product | None:
        if sku not in self._cache:
            found = _first_by(self._session, t.table_of(t.ProductRow), "sku", sku)
            self._cache[sku] = mappers.product_from_row(found) if found else None
        return self._cache[sku]

    def add(self, product: catalog.Product) -> None:
        self._session.execute(insert(t.ProductRow), [rows.product_to_values(product)])
        self._cache[product.sku] = product


class SqlLocationRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._cache: dict[str, catalog.Location | None] = {}

    def get(self, code: str) -> catalog.Location | None:
        if code not in self._cache:
            found = _first_by(self._session, t.table_of(t.LocationRow), "code", code)
            self._cache[code] = mappers.location_from_row(found) if found else None
        return self._cache[code]

    def add(self, location: catalog.Location) -> None:
        self._session.execute(insert(t.LocationRow), [rows.location_to_values(location)])
        self._cache[location.code] = location


class SqlSupplierRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, code: str) -> parties.Supplier | None:
        found = _first_by(self._session, t.table_of(t.SupplierRow), "code", code)
        return mappers.supplier_from_row(found) if found else None

    def add(self, supplier: parties.Supplier) -> None:
        self._session.execute(insert(t.SupplierRow), [rows.supplier_to_values(supplier)])


class SqlCarrierRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def exists(self, code: str) -> bool:
        return _first_by(self._session, t.table_of(t.CarrierRow), "code", code) is not None


class SqlLedgerRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._pending: list[ledger.StockMovement] = []

    def find(self, idempotency_key: str) -> ledger.StockMovement | None:
        for movement in self._pending:
            if movement.idempotency_key == idempotency_key:
                return movement
        table = t.table_of(t.StockMovementRow)
        found = _first_by(self._session, table, "idempotency_key", idempotency_key)
        return mappers.movement_from_row(found) if found else None

    def append(self, movement: ledger.StockMovement) -> None:
        self._pending.append(movement)

    def flush(self) -> None:
        if self._pending:
            values = [mappers.movement_to_values(m) for m in self._pending]
            self._session.execute(insert(t.StockMovementRow), values)
            self._pending.clear()


class SqlStockLevelRepository:
    """Levels locked with SELECT ... FOR UPDATE (PostgreSQL) and checked by version."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: dict[tuple[str, str], stock.StockLevel] = {}
        self._new: set[tuple[str, str]] = set()

    @property
    def seen(self) -> Sequence[stock.StockLevel]:
        return list(self._seen.values())

    def get(self, sku: str, location: str) -> stock.StockLevel:
        key = (sku, location)
        if key not in self._seen:
            query = (
                select(t.table_of(t.StockLevelRow))
                .where(t.StockLevelRow.sku == sku, t.StockLevelRow.location == location)
                .with_for_update()
            )
            row = self._session.execute(query).first()
            if row is None:
                self._new.add(key)
                self._seen[key] = stock.StockLevel(sku, location)
            else:
                self._seen[key] = mappers.level_from_row(row)
        return self._seen[key]

    def flush(self) -> None:
        table = t.table_of(t.StockLevelRow)
        for key, level in self._seen.items():
            values = mappers.level_to_values(level)
            if key in self._new:
                self._insert(level, values)
                continue
            result = self._session.execute(
                update(table)
                .where(
                    table.c.sku == level.sku,
                    table.c.location == level.location,
                    table.c.version == level.version,
                )
                .values(**values, version=level.version + 1)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                raise errors.ConcurrencyConflict(level.sku, level.location)
            level.version += 1

    def _insert(self, level: stock.StockLevel, values: dict[str, Any]) -> None:
        try:
            with self._session.begin_nested():
                self._session.execute(insert(t.StockLevelRow), [{**values, "version": 1}])
        except IntegrityError as error:
            raise errors.ConcurrencyConflict(level.sku, level.location) from error
        self._new.discard((level.sku, level.location))
        level.version = 1


class SqlPurchaseOrderRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: dict[str, purchasing.PurchaseOrder] = {}
        self._loaded_receipts: dict[str, int] = {}
        self._new: set[str] = set()

    @property
    def seen(self) -> Sequence[purchasing.PurchaseOrder]:
        return list(self._seen.values())

    def get(self, number: str) -> purchasing.PurchaseOrder | None:
        if number in self._seen:
            return self._seen[number]
        po = t.table_of(t.PurchaseOrderRow)
        row = self._session.execute(
            select(po).where(po.c.number == number).with_for_update()
        ).first()
        if row is None:
            return None
        lines = t.table_of(t.PurchaseOrderLineRow)
        receipts = t.table_of(t.PurchaseReceiptRow)
        line_rows = self._session.execute(
            select(lines).where(lines.c.order_number == number).order_by(lines.c.id)
        ).all()
        receipt_rows = self._session.execute(
            select(receipts).where(receipts.c.order_number == number).order_by(receipts.c.id)
        ).all()
        order = mappers.purchase_order_from_rows(row, list(line_rows), list(receipt_rows))
        self._seen[number] = order
        self._loaded_receipts[number] = len(order.receipts)
        return order

    def add(self, order: purchasing.PurchaseOrder) -> None:
        self._seen[order.number] = order
        self._new.add(order.number)
        self._loaded_receipts[order.number] = 0

    def flush(self) -> None:
        for order in self._seen.values():
            self._write_header(order)
            self._write_lines(order)
            new_receipts = order.receipts[self._loaded_receipts[order.number] :]
            if new_receipts:
                self._session.execute(
                    insert(t.PurchaseReceiptRow),
                    [
                        {
                            "order_number": order.number,
                            "sku": r.sku,
                            "quantity": r.quantity,
                            "rejected": r.rejected,
                            "received_at": r.received_at,
                            "idempotency_key": r.idempotency_key,
                        }
                        for r in new_receipts
                    ],
                )
                self._loaded_receipts[order.number] = len(order.receipts)

    def _write_header(self, order: purchasing.PurchaseOrder) -> None:
        values = mappers.purchase_order_to_values(order)
        po = t.table_of(t.PurchaseOrderRow)
        if order.number in self._new:
            self._session.execute(insert(po), [{**values, "version": 1}])
            self._new.discard(order.number)
            order.version = 1
            return
        result = self._session.execute(
            update(po)
            .where(po.c.number == order.number, po.c.version == order.version)
            .values(**values, version=order.version + 1)
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise errors.ConcurrencyConflict(order.number, order.location)
        order.version += 1

    def _write_lines(self, order: purchasing.PurchaseOrder) -> None:
        lines = t.table_of(t.PurchaseOrderLineRow)
        self._session.execute(delete(lines).where(lines.c.order_number == order.number))
        self._session.execute(
            insert(lines),
            [
                {
                    "order_number": order.number,
                    "sku": line.sku,
                    "quantity": line.quantity,
                    "unit_cost": line.unit_cost,
                    "received": line.received,
                    "rejected": line.rejected,
                }
                for line in order.lines
            ],
        )
