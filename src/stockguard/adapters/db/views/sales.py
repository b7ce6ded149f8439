"""Sales orders and their lines, as the API lists them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.paging import Slice, page


@dataclass(frozen=True, slots=True)
class SalesOrderView:
    """A sales order's row and its lines, in line order."""

    order: Any
    lines: list[Any]


def sales_orders(
    session: Session,
    *,
    customer: str | None = None,
    since: datetime | None = None,
    sku: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Orders, newest first; ``sku`` keeps orders with a line of that SKU."""
    orders = t.table_of(t.SalesOrderRow)
    query = select(orders).order_by(orders.c.ordered_at.desc(), orders.c.number)
    if customer:
        query = query.where(orders.c.customer == customer)
    if status:
        query = query.where(orders.c.status == status)
    if since is not None:
        query = query.where(orders.c.ordered_at >= since)
    if sku:
        lines = t.table_of(t.SalesOrderLineRow)
        with_sku = select(lines.c.order_number).where(lines.c.sku == sku)
        query = query.where(orders.c.number.in_(with_sku))
    return page(session, query, limit=limit, offset=offset)


def sales_order(session: Session, number: str) -> SalesOrderView | None:
    orders = t.table_of(t.SalesOrderRow)
    order = session.execute(select(orders).where(orders.c.number == number)).first()
    if order is None:
        return None
    lines = t.table_of(t.SalesOrderLineRow)
    line_rows = session.execute(
        select(lines).where(lines.c.order_number == number).order_by(lines.c.line_no)
    ).all()
    return SalesOrderView(order, list(line_rows))
