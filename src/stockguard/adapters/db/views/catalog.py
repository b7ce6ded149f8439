"""Products and locations as the API and the dashboard list them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.paging import Slice, matches, page


def products(
    session: Session,
    *,
    search: str | None = None,
    category: str | None = None,
    family: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Products ordered by SKU; ``search`` matches SKU or title, case-insensitively."""
    table = t.table_of(t.ProductRow)
    query = select(table).order_by(table.c.sku)
    if search:
        query = query.where(matches(search, table.c.sku, table.c.title))
    for column, value in (("category", category), ("family", family), ("status", status)):
        if value:
            query = query.where(table.c[column] == value)
    return page(session, query, limit=limit, offset=offset)


def product(session: Session, sku: str) -> Any | None:
    table = t.table_of(t.ProductRow)
    return session.execute(select(table).where(table.c.sku == sku)).first()


def location(session: Session, code: str) -> Any | None:
    table = t.table_of(t.LocationRow)
    return session.execute(select(table).where(table.c.code == code)).first()


def has_category(session: Session, category: str) -> bool:
    """Whether some product is in ``category``."""
    table = t.table_of(t.ProductRow)
    found = select(table.c.category).where(table.c.category == category).limit(1)
    return session.execute(found).first() is not None


def locations(session: Session, *, sellable_only: bool = False) -> list[Any]:
    table = t.table_of(t.LocationRow)
    query = select(table).order_by(table.c.code)
    if sellable_only:
        query = query.where(table.c.sellable.is_(True))
    return list(session.execute(query).all())
