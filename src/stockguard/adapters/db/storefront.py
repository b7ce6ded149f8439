"""The ``storefront_availability`` repository and the reads a promise rests on.

On the movement path a row is read by its (sku, location) unique key and written back
with one ``UPDATE`` (an ``INSERT`` the first time); the level row the movement changed
is already locked (ADR 0002), so two movements of one SKU x location cannot interleave.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Row, and_, bindparam, delete, func, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.replenishment_source import first_receipts
from stockguard.adapters.db.rules import read_rules
from stockguard.adapters.db.tables_contracts import ShipmentRow
from stockguard.adapters.db.tables_reservations import PreorderRow
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.adapters.db.tables_storefront import StorefrontAvailabilityRow
from stockguard.domain import catalog, purchasing, reservations, shipping
from stockguard.services.storefront import policy, records
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

    def bases(
        self, keys: Sequence[tuple[str, str]] | None = None, *, today: date | None = None
    ) -> list[PromiseBasis]:
        """Each key's open purchase orders, each with its supplier's lateness record
        (``records.supplier_records``), or without one the policy's next order date
        (``policy.next_order_dates`` as of ``today``, the UTC date when None) and the risk
        row's lead-time pmf."""
        wanted = list(keys) if keys is not None else [(s.sku, s.location) for s in self.stock()]
        if not wanted:
            return []
        skus = sorted({sku for sku, _ in wanted}) if len(wanted) <= 500 else None
        receipts, others = self._first_receipts(skus)
        risks = self._risk_bases(skus)
        involved = {supplier for k in wanted for _, supplier in others.get(k, {}).values()}
        day = today or datetime.now(UTC).date()
        suppliers = self._records(involved, day)
        next_orders = self._next_orders([k for k in wanted if k not in receipts], risks, day)
        return [
            _basis(
                key,
                receipts.get(key),
                risks.get(key),
                others.get(key, {}),
                suppliers,
                next_orders.get(key),
            )
            for key in wanted
        ]

    def _records(self, involved: set[str], today: date) -> records.SupplierRecords:
        """The records of the ``involved`` suppliers as of ``today`` (receipt ages are
        counted to it): their own receipts only when each has enough for its own record
        (the movement path reads one supplier's lines), else every supplier's (the
        pooled record is needed)."""
        if not involved:
            return records.SupplierRecords({}, None, {})
        delays, ages = self._delays(sorted(involved), today)
        found = records.supplier_records(delays, ages=ages)
        if all(supplier in found.own for supplier in involved):
            return found
        delays, ages = self._delays(None, today)
        return records.supplier_records(delays, ages=ages)

    def _delays(
        self, suppliers: list[str] | None, today: date
    ) -> tuple[dict[str, list[int]], dict[str, list[float]]]:
        """Days late of every PO line's first receipt (first receipt day - the PO's
        expected day) and its age (``today`` - first receipt day, days), by supplier (of
        ``suppliers`` only when given)."""
        query = first_receipts()
        if suppliers is not None:
            query = query.where(t.table_of(t.PurchaseOrderRow).c.supplier.in_(suppliers))
        found: dict[str, list[int]] = {}
        ages: dict[str, list[float]] = {}
        for row in self.session.execute(query):
            received = _day(row.first_at)
            found.setdefault(row.supplier, []).append((received - row.expected_on).days)
            ages.setdefault(row.supplier, []).append(float((today - received).days))
        return found, ages

    def _next_orders(
        self, keys: Sequence[tuple[str, str]], risks: dict[tuple[str, str], Any], today: date
    ) -> dict[tuple[str, str], date | None]:
        """The policy's next order date of ``keys`` that have a risk basis."""
        keys = [key for key in keys if key in risks]
        if not keys:
            return {}
        products, orders = t.table_of(t.ProductRow), t.table_of(t.PurchaseOrderRow)
        lines = t.table_of(t.PurchaseOrderLineRow)
        skus = sorted({sku for sku, _ in keys})
        category_query = select(products.c.sku, products.c.category)
        last_query = (
            select(lines.c.sku, orders.c.location, func.max(orders.c.ordered_on))
            .join(orders, orders.c.number == lines.c.order_number)
            .where(orders.c.ordered_on.is_not(None))
            .group_by(lines.c.sku, orders.c.location)
        )
        if len(skus) <= 500:  # else read them all rather than bind thousands
            category_query = category_query.where(products.c.sku.in_(skus))
            last_query = last_query.where(lines.c.sku.in_(skus))
        categories = dict(self.session.execute(category_query).all())
        last = {(sku, loc): on for sku, loc, on in self.session.execute(last_query)}
        facts = [
            policy.PolicyFacts(
                sku=key[0],
                location=key[1],
                category=categories.get(key[0]),
                position=float(risks[key].position),
                reorder_point=float(risks[key].reorder_point),
                demand_mean=float(risks[key].demand_mean),
                unit_price=float(risks[key].unit_price),
                last_ordered_on=last.get(key),
            )
            for key in keys
        ]
        dates = policy.next_order_dates(facts, read_rules(self.session), today=today)
        return dict(zip(keys, dates, strict=True))

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
        dict[tuple[str, str], tuple[date, str, str]],
        dict[tuple[str, str], dict[str, tuple[date, str]]],
    ]:
        """(expected date, PO number, supplier) of the open PO line expected first; a
        shipment's newer expected date replaces the PO's. Second: every open PO's
        (latest) expected date and supplier by number, per key (the promise takes the earliest
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
        every: dict[tuple[str, str], dict[str, tuple[date, str]]] = {}
        for row in self.session.execute(query):
            expected = max(row.expected_on, row.shipment_expected_on or row.expected_on)
            key = (row.sku, row.location)
            if key not in first or (expected, row.number) < first[key][:2]:
                first[key] = (expected, row.number, row.supplier)
            known = every.setdefault(key, {})
            latest = max(expected, known.get(row.number, (expected, ""))[0])
            known[row.number] = (latest, row.supplier)
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
            risk.c.position,
            risk.c.reorder_point,
            risk.c.demand_mean,
            risk.c.unit_price,
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
    every: dict[str, tuple[date, str]],
    suppliers: records.SupplierRecords,
    next_order_on: date | None,
) -> PromiseBasis:
    """A key's basis: its first open PO with ITS supplier's record and every other open
    PO with its own supplier's; without a PO, the lead time of an order placed on the
    policy's next order date. No record at all: the promise's default lateness."""
    lead: dict[str, Any] = {}
    if risk is not None:
        lead = {
            "lead_time_pmf": risk.lead_time_pmf,
            "lead_time_mean": risk.lead_time_mean,
            "lead_time_var": risk.lead_time_var,
        }
    if receipt is None:
        return PromiseBasis(key[0], key[1], next_order_on=next_order_on, **lead)
    others = tuple(
        OpenOrder(on, number, suppliers.delay_pmf(supplier), suppliers.delay_count(supplier))
        for number, (on, supplier) in sorted(every.items())
        if number != receipt[1]
    )
    return PromiseBasis(
        key[0],
        key[1],
        expected_on=receipt[0],
        purchase_order=receipt[1],
        delay_pmf=suppliers.delay_pmf(receipt[2]),
        delay_count=suppliers.delay_count(receipt[2]),
        other_orders=others,
        **lead,
    )


def _day(value: datetime | date | str) -> date:
    """A receipt time as a day (SQLite may hand an aggregate back as text)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.date() if isinstance(value, datetime) else value


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
