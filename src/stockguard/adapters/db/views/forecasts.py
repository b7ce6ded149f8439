"""Stored planning runs and the latest forecast of a SKU, for the API and the dashboard."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.views.paging import Slice, page

COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class SkuForecast:
    """The run and its forecast rows of one SKU, ordered by location then day."""

    run: Any
    rows: list[Any]


def runs(session: Session, *, limit: int = 50, offset: int = 0) -> Slice:
    """Planning runs, newest first."""
    table = t.table_of(t.PlanningRunRow)
    query = select(table).order_by(table.c.id.desc())
    return page(session, query, limit=limit, offset=offset)


def latest_run(session: Session) -> Any | None:
    """The most recent completed run, or None before the first one."""
    table = t.table_of(t.PlanningRunRow)
    query = select(table).where(table.c.status == COMPLETED).order_by(table.c.id.desc()).limit(1)
    return session.execute(query).first()


def latest_forecast_of(session: Session, sku: str) -> SkuForecast | None:
    """``sku``'s rows in the latest completed run; None when that run did not forecast it.

    Reads through the (run_id, sku, location, day) unique index: two small queries.
    """
    run = latest_run(session)
    if run is None:
        return None
    table = t.table_of(t.DemandForecastRow)
    query = (
        select(table)
        .where(table.c.run_id == run.id, table.c.sku == sku)
        .order_by(table.c.location, table.c.day)
    )
    rows = list(session.execute(query).all())
    return SkuForecast(run=run, rows=rows) if rows else None
