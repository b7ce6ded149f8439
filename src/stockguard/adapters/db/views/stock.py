"""Stock levels and ledger pages."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.paging import Slice, page


def levels(
    session: Session,
    *,
    sku: str | None = None,
    location: str | None = None,
    out_of_stock: bool | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Levels ordered by SKU and location; ``out_of_stock`` filters on available <= 0."""
    table = t.table_of(t.StockLevelRow)
    query = select(table).order_by(table.c.sku, table.c.location)
    if sku:
        query = query.where(table.c.sku == sku)
    if location:
        query = query.where(table.c.location == location)
    if out_of_stock is not None:
        available = table.c.on_hand - table.c.allocated - table.c.reserved
        query = query.where(available <= 0 if out_of_stock else available > 0)
    return page(session, query, limit=limit, offset=offset)


def movements(
    session: Session,
    *,
    sku: str | None = None,
    location: str | None = None,
    kind: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Ledger rows, newest first."""
    table = t.table_of(t.StockMovementRow)
    query = select(table).order_by(table.c.occurred_at.desc(), table.c.id.desc())
    for column, value in (("sku", sku), ("location", location), ("kind", kind)):
        if value:
            query = query.where(table.c[column] == value)
    if since is not None:
        query = query.where(table.c.occurred_at >= since)
    return page(session, query, limit=limit, offset=offset)
