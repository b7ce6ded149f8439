"""The ``storefront_availability`` repository and the reads a promise rests on.

On the movement path a row is read by its (sku, location) unique key and written back
with one ``UPDATE`` (an ``INSERT`` the first time); the level row the movement changed
is already locked (ADR 0002), so two movements of one SKU x location cannot interleave.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_contracts import ShipmentRow
from stockguard.adapters.db.tables_reservations import PreorderRow
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.adapters.db.tables_storefront import StorefrontAvailabilityRow
from stockguard.domain import catalog, purchasing, reservations, shipping
from stockguard.services.storefront.model import Availability, AvailabilityState
from stockguard.services.storefront.ports import OpenOrder, PromiseBasis, Stock

COLUMNS = tuple(f.name for f in dataclasses.fields(Availability) if f.name != "events")

OPEN_STATUSES = (
    purchasing.PurchaseOrderStatus.SENT.value,
    purchasing.PurchaseOrderStatus.CONFIRMED.value,
    purchasing.PurchaseOrderStatus.SHIPPED.value,
)
_BATCH = 2000

TABLE = t.table_of(StorefrontAvailabilityRow)
_GET_ONE = select(*(TABLE.c[name] for name in COLUMNS)).where(
    TABLE.c.sku == bindparam("key_sku"), TABLE.c.location == bindparam("key_location")
)
_UPDATE_ONE = (
    update(TABLE)
    .where(TABLE.c.sku == bindparam("key_sku"), TABLE.c.location == bindparam("key_location"))
    .values({name: bindparam(name) for name in COLUMNS if name not in ("sku", "location")})
)


def availability_from_row(row: Row[Any]) -> Availability:
    values = row._asdict()
    values["state"] = AvailabilityState(values["state"])
    return Availability(**{name: values[name] for name in COLUMNS})


def _params(row: Availability) -> dict[str, Any]:
    values = {name: getattr(row, name) for name in COLUMNS}
    values["state"] = row.state.value
    return values


class SqlAvailabilityRepository:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._seen: dict[tuple[str, str], Availability] = {}

    @property
    def seen(self) -> Sequence[Availability]:
        return list(self._seen.values())

    def get(self, sku: str, location: str) -> Availability | None:
        key = (sku, location)
        if key in self._seen:
            return self._seen[key]
        found = self.session.execute(_GET_ONE, {"key_sku": sku, "key_location": location})
        row = found.first()
        return availability_from_row(row) if row else None

    def existing(self) -> dict[tuple[str, str], Availability]:
        found = self.session.execute(select(*(TABLE.c[name] for name in COLUMNS)))
        return {(row.sku, row.location): availability_from_row(row) for row in found}

    def save(self, row: Availability) -> None:
        params = _params(row)
        keys = {"key_sku": row.sku, "key_location": row.location}
        done = self.session.execute(_UPDATE_ONE, params | keys)
        if done.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(insert(TABLE), [params])
        self._seen[(row.sku, row.location)] = row

    def replace(self, rows: Sequence[Availability]) -> int:
        self.session.execute(delete(TABLE))
        for start in range(0, len(rows), _BATCH):
            self.session.execute(insert(TABLE), [_params(r) for r in rows[start : start + _BATCH]])
        for row in rows:
            if row.events:
                self._seen[(row.sku, row.location)] = row
        return len(rows)

    def stock(self) -> list[Stock]:
        """Levels at sellable locations, and the SKU x locations a risk refresh covers
        that have no level yet (nothing on hand, a promise can still be made)."""
        found = [self._stock(row) for row in self.session.execute(_stock_query())]
        have = {(s.sku, s.location) for s in found}
        risk, products = t.table_of(StockRiskRow), t.table_of(t.ProductRow)
        locations = t.table_of(t.LocationRow)
        query = (
            select(risk.c.sku, risk.c.location, products.c.status)
            .join(products, products.c.sku == risk.c.sku)
            .join(locations, locations.c.code == risk.c.location)
            .where(locations.c.sellable.is_(True))
        )
        discontinued = catalog.ProductStatus.DISCONTINUED.value
        found += [
            Stock(row.sku, row.location, 0, 0, 0, row.status == discontinued)
            for row in self.session.execute(query)
            if (row.sku, row.location) not in have
        ]
        return sorted(found, key=lambda s: (s.sku, s.location))

    def new_stock(self, sku: str, location: str) -> Stock | None:
        levels = t.table_of(t.StockLevelRow)
        query = _stock_query().where(levels.c.sku == sku, levels.c.location == location)
        row = self.session.execute(query).first()
        return self._stock(row) if row else None

    @staticmethod
    def _stock(row: Row[Any]) -> Stock:
        return Stock(
            sku=row.sku,
            location=row.location,
            on_hand=row.on_hand,
            available=row.on_hand - row.allocated - row.reserved,
            on_order=row.on_order,
            discontinued=row.status == catalog.ProductStatus.DISCONTINUED.value,
        )

    def bases(self, keys: Sequence[tuple[str, str]] | None = None) -> list[PromiseBasis]:
        wanted = list(keys) if keys is not None else [(s.sku, s.location) for s in self.stock()]
        if not wanted:
            return []
        skus = sorted({sku for sku, _ in wanted}) if len(wanted) <= 500 else None
        receipts, others = self._first_receipts(skus)
        risks = self._risk_bases(skus)
        return [
            _basis(key, receipts.get(key), risks.get(key), others.get(key, {})) for key in wanted
        ]

    def preordered(
        self, keys: Sequence[tuple[str, str]] | None = None
    ) -> dict[tuple[str, str], int]:
        """Units of open pre-orders promised on purchase orders (the reservations
        area's ``preorder`` table), by (sku, location)."""
        preorders = t.table_of(PreorderRow)
        query = (
            select(preorders.c.sku, preorders.c.location, func.sum(preorders.c.quantity))
            .where(preorders.c.status == reservations.PreorderStatus.PROMISED.value)
            .group_by(preorders.c.sku, preorders.c.location)
        )
        if keys is not None and len(keys) <= 500:
            query = query.where(preorders.c.sku.in_(sorted({sku for sku, _ in keys})))
        return {(sku, location): int(units) for sku, location, units in self.session.execute(query)}

    def _first_receipts(
        self, skus: list[str] | None
    ) -> tuple[
        dict[tuple[str, str], tuple[date, str, str]], dict[tuple[str, str], dict[str, date]]
    ]:
        """(expected date, PO number, supplier) of the open PO line expected first; a
        shipment's newer expected date replaces the PO's. Second: every open PO's
        (latest) expected date by number, per key (the promise takes the earliest
        arrival of all of them)."""
        orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
        shipments = t.table_of(ShipmentRow)
        query = (
            select(
                lines.c.sku,
                orders.c.location,
                orders.c.expected_on,
                orders.c.number,
                orders.c.supplier,
                shipments.c.expected_on.label("shipment_expected_on"),
            )
            .select_from(lines)
            .join(orders, orders.c.number == lines.c.order_number)
            .outerjoin(
                shipments,
                and_(
                    shipments.c.purchase_order == orders.c.number,
                    shipments.c.status != shipping.ShipmentStatus.DELIVERED.value,
                ),
            )
            .where(orders.c.status.in_(OPEN_STATUSES), orders.c.expected_on.is_not(None))
            .where(lines.c.quantity > lines.c.received + lines.c.rejected)
        )
        if skus is not None:
            query = query.where(lines.c.sku.in_(skus))
        first: dict[tuple[str, str], tuple[date, str, str]] = {}
        every: dict[tuple[str, str], dict[str, date]] = {}
        for row in self.session.execute(query):
            expected = max(row.expected_on, row.shipment_expected_on or row.expected_on)
            key = (row.sku, row.location)
            if key not in first or (expected, row.number) < first[key][:2]:
                first[key] = (expected, row.number, row.supplier)
            known = every.setdefault(key, {})
            known[row.number] = max(expected, known.get(row.number, expected))
        return first, every

    def _risk_bases(self, skus: list[str] | None) -> dict[tuple[str, str], Any]:
        risk = t.table_of(StockRiskRow)
        query = select(
            risk.c.sku,
            risk.c.location,
            risk.c.receipt_delay_pmf,
            risk.c.receipt_delay_mean,
            risk.c.receipt_delay_var,
            risk.c.lead_time_pmf,
            risk.c.lead_time_mean,
            risk.c.lead_time_var,
        )
        if skus is not None:
            query = query.where(risk.c.sku.in_(skus))
        return {(row.sku, row.location): row for row in self.session.execute(query)}


def _stock_query() -> Any:
    levels, products = t.table_of(t.StockLevelRow), t.table_of(t.ProductRow)
    locations = t.table_of(t.LocationRow)
    return (
        select(
            levels.c.sku,
            levels.c.location,
            levels.c.on_hand,
            levels.c.allocated,
            levels.c.reserved,
            levels.c.on_order,
            products.c.status,
        )
        .join(products, products.c.sku == levels.c.sku)
        .join(locations, locations.c.code == levels.c.location)
        .where(locations.c.sellable.is_(True))
        .order_by(levels.c.sku, levels.c.location)
    )


def _basis(
    key: tuple[str, str],
    receipt: tuple[date, str, str] | None,
    risk: Row[Any] | None,
    every: dict[str, date],
) -> PromiseBasis:
    lead: dict[str, Any] = {}
    if risk is not None:
        lead = {
            "delay_pmf": risk.receipt_delay_pmf,
            "delay_mean": risk.receipt_delay_mean,
            "delay_var": risk.receipt_delay_var,
            "lead_time_pmf": risk.lead_time_pmf,
            "lead_time_mean": risk.lead_time_mean,
            "lead_time_var": risk.lead_time_var,
        }
    if receipt is None:
        return PromiseBasis(key[0], key[1], **lead)
    others = tuple(
        OpenOrder(on, number) for number, on in sorted(every.items()) if number != receipt[1]
    )
    return PromiseBasis(
        key[0],
        key[1],
        expected_on=receipt[0],
        purchase_order=receipt[1],
        other_orders=others,
        **lead,
    )


def rows_of(
    session: Session, skus: Sequence[str], location: str | None
) -> dict[str, list[Availability]]:
    """The stored rows of ``skus`` (at ``location`` when given), by SKU: one indexed read."""
    query = select(*(TABLE.c[name] for name in COLUMNS)).where(TABLE.c.sku.in_(list(skus)))
    if location is not None:
        query = query.where(TABLE.c.location == location)
    found: dict[str, list[Availability]] = {}
    for row in session.execute(query):
        found.setdefault(row.sku, []).append(availability_from_row(row))
    return found


def product_statuses(session: Session, skus: Sequence[str]) -> dict[str, bool]:
    """Discontinued or not, of the ``skus`` that exist."""
    products = t.table_of(t.ProductRow)
    query = select(products.c.sku, products.c.status).where(products.c.sku.in_(list(skus)))
    return {
        row.sku: row.status == catalog.ProductStatus.DISCONTINUED.value
        for row in session.execute(query)
    }
