"""Test helper: the stored risk rows of one location, read straight from the table (the
risk tests on the database compare what a refresh stored, column by column)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.bootstrap import App


def risk_rows(app: App, store: str) -> dict[str, Any]:
    """Every ``stock_risk`` row of ``store``, keyed by SKU (SQLAlchemy rows)."""
    table = t.table_of(StockRiskRow)
    with app.sessions() as session:
        found = session.execute(select(table).where(table.c.location == store)).all()
    return {row.sku: row for row in found}
