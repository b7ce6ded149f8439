"""Suppliers and purchase orders as the dashboard lists them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.dashboard.common import OPEN_STATUSES, money_sum
from stockguard.adapters.db.views.paging import Slice, page


def suppliers(session: Session) -> list[Any]:
    """Suppliers with their number of offers, of purchase orders and of open ones.

    Each row: code, name, country, currency, offers, purchase_orders, open_orders,
    open_value (in the orders' currency, assumed to be the supplier's).
    """
    table = t.table_of(t.SupplierRow)
    offers = _count_by(t.table_of(t.SupplierOfferRow), "supplier", "offers")
    orders = t.table_of(t.PurchaseOrderRow)
    lines = t.table_of(t.PurchaseOrderLineRow)
    is_open = orders.c.status.in_(OPEN_STATUSES)
    counts = (
        select(
            orders.c.supplier,
            func.count().label("purchase_orders"),
            func.sum(case((is_open, 1), else_=0)).label("open_orders"),
        )
        .group_by(orders.c.supplier)
        .subquery()
    )
    value = (
        select(orders.c.supplier, money_sum(lines.c.quantity * lines.c.unit_cost).label("value"))
        .join(lines, lines.c.order_number == orders.c.number)
        .where(is_open)
        .group_by(orders.c.supplier)
        .subquery()
    )
    query = (
        select(
            table.c.code,
            table.c.name,
            table.c.country,
            table.c.currency,
            func.coalesce(offers.c.offers, 0).label("offers"),
            func.coalesce(counts.c.purchase_orders, 0).label("purchase_orders"),
            func.coalesce(counts.c.open_orders, 0).label("open_orders"),
            value.c.value.label("open_value"),
        )
        .outerjoin(offers, offers.c.supplier == table.c.code)
        .outerjoin(counts, counts.c.supplier == table.c.code)
        .outerjoin(value, value.c.supplier == table.c.code)
        .order_by(table.c.name)
    )
    return list(session.execute(query).all())


def _count_by(table: Any, column: str, label: str) -> Any:
    return select(table.c[column], func.count().label(label)).group_by(table.c[column]).subquery()


def supplier(session: Session, code: str) -> Any | None:
    table = t.table_of(t.SupplierRow)
    return session.execute(select(table).where(table.c.code == code)).first()


def supplier_offers(session: Session, code: str) -> list[Any]:
    """What ``code`` sells: offers with the product's title, by SKU."""
    offers = t.table_of(t.SupplierOfferRow)
    products = t.table_of(t.ProductRow)
    query = (
        select(offers, products.c.title)
        .join(products, products.c.sku == offers.c.sku)
        .where(offers.c.supplier == code)
        .order_by(offers.c.sku)
    )
    return list(session.execute(query).all())


def purchase_orders(
    session: Session,
    *,
    status: str | None = None,
    supplier: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Purchase orders with line totals, newest first.

    ``status`` is a PO status or ``open`` (sent, confirmed or shipped). Each row is a
    mapping of the order's columns plus ``supplier_name`` and the totals of its lines:
    ``lines``, ``units``, ``received`` and ``value`` (sum of quantity x unit cost).
    Totals are summed for the page's orders only, in one grouped query.
    """
    orders = t.table_of(t.PurchaseOrderRow)
    suppliers_table = t.table_of(t.SupplierRow)
    query = (
        select(orders, suppliers_table.c.name.label("supplier_name"))
        .join(suppliers_table, suppliers_table.c.code == orders.c.supplier)
        .order_by(orders.c.ordered_on.desc().nulls_last(), orders.c.number.desc())
    )
    if status == "open":
        query = query.where(orders.c.status.in_(OPEN_STATUSES))
    elif status:
        query = query.where(orders.c.status == status)
    if supplier:
        query = query.where(orders.c.supplier == supplier)
    found = page(session, query, limit=limit, offset=offset)
    totals = _line_totals(session, [row.number for row in found.rows])
    rows = [{**row._mapping, **totals.get(row.number, _NO_LINES)} for row in found.rows]
    return Slice(rows=rows, total=found.total)


_NO_LINES: dict[str, Any] = {"lines": 0, "units": 0, "received": 0, "value": None}


def _line_totals(session: Session, numbers: list[str]) -> dict[str, dict[str, Any]]:
    if not numbers:
        return {}
    lines = t.table_of(t.PurchaseOrderLineRow)
    query = (
        select(
            lines.c.order_number,
            func.count().label("lines"),
            func.sum(lines.c.quantity).label("units"),
            func.sum(lines.c.received).label("received"),
            money_sum(lines.c.quantity * lines.c.unit_cost).label("value"),
        )
        .where(lines.c.order_number.in_(numbers))
        .group_by(lines.c.order_number)
    )
    rows = session.execute(query).all()
    return {row.order_number: dict(row._mapping) for row in rows}


def purchase_order(session: Session, number: str) -> dict[str, Any] | None:
    """One order as a row of ``purchase_orders``, or None."""
    orders = t.table_of(t.PurchaseOrderRow)
    suppliers_table = t.table_of(t.SupplierRow)
    query = (
        select(orders, suppliers_table.c.name.label("supplier_name"))
        .join(suppliers_table, suppliers_table.c.code == orders.c.supplier)
        .where(orders.c.number == number)
    )
    row = session.execute(query).first()
    if row is None:
        return None
    return {**row._mapping, **_line_totals(session, [number]).get(number, _NO_LINES)}


def purchase_order_lines(session: Session, number: str) -> list[Any]:
    lines = t.table_of(t.PurchaseOrderLineRow)
    products = t.table_of(t.ProductRow)
    query = (
        select(lines, products.c.title)
        .join(products, products.c.sku == lines.c.sku)
        .where(lines.c.order_number == number)
        .order_by(lines.c.sku)
    )
    return list(session.execute(query).all())


def purchase_receipts(session: Session, number: str) -> list[Any]:
    receipts = t.table_of(t.PurchaseReceiptRow)
    query = (
        select(receipts)
        .where(receipts.c.order_number == number)
        .order_by(receipts.c.received_at, receipts.c.sku)
    )
    return list(session.execute(query).all())
