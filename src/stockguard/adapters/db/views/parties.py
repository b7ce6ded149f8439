"""Suppliers (with their offers) and customers, as the API lists them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.paging import Slice, matches, page


@dataclass(frozen=True, slots=True)
class SupplierView:
    """A supplier's row and its offers, ordered by SKU."""

    supplier: Any
    offers: list[Any]


def suppliers(
    session: Session,
    *,
    search: str | None = None,
    country: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Suppliers ordered by code; ``search`` matches code or name, case-insensitively."""
    table = t.table_of(t.SupplierRow)
    query = select(table).order_by(table.c.code)
    if search:
        query = query.where(matches(search, table.c.code, table.c.name))
    if country:
        query = query.where(table.c.country == country)
    return page(session, query, limit=limit, offset=offset)


def supplier(session: Session, code: str) -> SupplierView | None:
    table = t.table_of(t.SupplierRow)
    row = session.execute(select(table).where(table.c.code == code)).first()
    if row is None:
        return None
    offers = t.table_of(t.SupplierOfferRow)
    offer_rows = session.execute(
        select(offers).where(offers.c.supplier == code).order_by(offers.c.sku)
    ).all()
    return SupplierView(row, list(offer_rows))


def customers(
    session: Session,
    *,
    search: str | None = None,
    country: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> Slice:
    """Customers ordered by external id; ``search`` matches external id, e-mail or name."""
    table = t.table_of(t.CustomerRow)
    query = select(table).order_by(table.c.external_id)
    if search:
        query = query.where(matches(search, table.c.external_id, table.c.email, table.c.name))
    if country:
        query = query.where(table.c.country == country)
    return page(session, query, limit=limit, offset=offset)


def customer(session: Session, external_id: str) -> Any | None:
    table = t.table_of(t.CustomerRow)
    return session.execute(select(table).where(table.c.external_id == external_id)).first()
