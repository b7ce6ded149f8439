"""Contract clauses and supplier penalties, as the CLI and API list them (read-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables_contracts as tc
from stockguard.adapters.db.tables import table_of


def clauses(session: Session, supplier: str | None = None) -> list[Any]:
    """Clauses ordered by supplier then start date."""
    table = table_of(tc.ContractClauseRow)
    query = select(table).order_by(table.c.supplier, table.c.valid_from)
    if supplier is not None:
        query = query.where(table.c.supplier == supplier)
    return list(session.execute(query).all())


def penalties(session: Session, supplier: str | None = None) -> list[Any]:
    """Penalties ordered by supplier, date, PO and SKU."""
    table = table_of(tc.SupplierPenaltyRow)
    query = select(table).order_by(
        table.c.supplier, table.c.incurred_on, table.c.order_number, table.c.sku, table.c.kind
    )
    if supplier is not None:
        query = query.where(table.c.supplier == supplier)
    return list(session.execute(query).all())


def penalty_totals(session: Session, supplier: str | None = None) -> list[Any]:
    """Per supplier and currency: number of penalties and total owed."""
    table = table_of(tc.SupplierPenaltyRow)
    query = (
        select(
            table.c.supplier,
            table.c.currency,
            func.count().label("penalties"),
            func.sum(table.c.amount).label("total"),
        )
        .group_by(table.c.supplier, table.c.currency)
        .order_by(table.c.supplier, table.c.currency)
    )
    if supplier is not None:
        query = query.where(table.c.supplier == supplier)
    return list(session.execute(query).all())
