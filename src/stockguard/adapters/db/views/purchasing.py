"""Purchase orders with their lines and receipts, as the API lists them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.paging import Slice, page


@dataclass(frozen=True, slots=True)
class PurchaseOrderView:
    """One purchase order's row with its lines (by SKU) and receipts (oldest first)."""

    order: Any
    lines: list[Any]
    receipts: list[Any]


def purchase_orders(
    session: Session,
    *,
    status: str | None = None,
    supplier: str | None = None,
    location: str | None = None,
    sku: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Purchase orders ordered by number; ``sku`` keeps orders with a line of that SKU."""
    orders = t.table_of(t.PurchaseOrderRow)
    query = select(orders).order_by(orders.c.number)
    for column, value in (("status", status), ("supplier", supplier), ("location", location)):
        if value:
            query = query.where(orders.c[column] == value)
    if sku:
        lines = t.table_of(t.PurchaseOrderLineRow)
        with_sku = select(lines.c.order_number).where(lines.c.sku == sku)
        query = query.where(orders.c.number.in_(with_sku))
    return page(session, query, limit=limit, offset=offset)


def purchase_order(session: Session, number: str) -> PurchaseOrderView | None:
    orders = t.table_of(t.PurchaseOrderRow)
    order = session.execute(select(orders).where(orders.c.number == number)).first()
    if order is None:
        return None
    lines = t.table_of(t.PurchaseOrderLineRow)
    receipts = t.table_of(t.PurchaseReceiptRow)
    line_rows = session.execute(
        select(lines).where(lines.c.order_number == number).order_by(lines.c.sku)
    ).all()
    receipt_rows = session.execute(
        select(receipts)
        .where(receipts.c.order_number == number)
        .order_by(receipts.c.received_at, receipts.c.id)
    ).all()
    return PurchaseOrderView(order, list(line_rows), list(receipt_rows))
