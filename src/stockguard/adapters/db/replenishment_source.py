"""What a replenishment run reads: forecast, positions, catalogue, offers, deliveries, rules.

Each method opens its own short session (the read-only engine on SQLite), as
``history.SqlLedgerHistory`` does, so a run never holds the write lock while it computes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import mappers
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.history import SqlLedgerHistory
from stockguard.adapters.db.rules import read_rules
from stockguard.adapters.db.suppliers_kpi import SqlSupplierHistory
from stockguard.domain import parties, purchasing
from stockguard.domain import replenishment as r
from stockguard.services import ports

COMPLETED = "completed"


def first_receipts() -> Select[Any]:
    """``(supplier, expected_on, first_at)``: the first receipt of each PO line whose PO
    states an expected day (its delay is ``first_at``'s day - ``expected_on``)."""
    orders, receipts = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseReceiptRow)
    first = func.min(receipts.c.received_at).label("first_at")
    return (
        select(orders.c.supplier, orders.c.expected_on, first)
        .select_from(receipts)
        .join(orders, orders.c.number == receipts.c.order_number)
        .where(orders.c.expected_on.is_not(None))
        .group_by(receipts.c.order_number, receipts.c.sku, orders.c.supplier)
        .group_by(orders.c.expected_on)
    )


class SqlReplenishmentSource:
    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def latest_run(self) -> int | None:
        runs = t.table_of(t.PlanningRunRow)
        with self._sessions() as session:
            query = select(func.max(runs.c.id)).where(runs.c.status == COMPLETED)
            found = session.execute(query).scalar()
        return None if found is None else int(found)

    def forecast(self, run_id: int) -> ports.StoredForecast | None:
        runs, rows = t.table_of(t.PlanningRunRow), t.table_of(t.DemandForecastRow)
        with self._sessions() as session:
            run = session.execute(select(runs.c.horizon).where(runs.c.id == run_id)).first()
            if run is None:
                return None
            query = (
                select(rows.c.sku, rows.c.location, rows.c.day, rows.c.mean)
                .add_columns(rows.c.lower_80, rows.c.p90)
                .where(rows.c.run_id == run_id)
                .order_by(rows.c.sku, rows.c.location, rows.c.day)
            )
            found = session.execute(query).all()
        return _matrix(run_id, found)

    def positions(self) -> list[ports.PositionFacts]:
        """Stock levels with the outstanding units of draft POs (also where no level exists)."""
        levels = t.table_of(t.StockLevelRow)
        columns = ("sku", "location", "on_hand", "allocated", "reserved", "on_order")
        with self._sessions() as session:
            found = session.execute(select(*(levels.c[name] for name in columns))).all()
            drafts = _draft_units(session)
        known = {(row.sku, row.location) for row in found}
        facts = [
            ports.PositionFacts(
                row.sku,
                row.location,
                row.on_hand,
                row.allocated,
                row.reserved,
                row.on_order,
                drafts.get((row.sku, row.location), 0),
            )
            for row in found
        ]
        return facts + [
            ports.PositionFacts(sku, location, 0, 0, 0, 0, units)
            for (sku, location), units in sorted(drafts.items())
            if (sku, location) not in known
        ]

    def products(self) -> list[ports.ProductFacts]:
        products = t.table_of(t.ProductRow)
        query = select(products.c.sku, products.c.category, products.c.price)
        with self._sessions() as session:
            found = session.execute(query.add_columns(products.c.unit_cost)).all()
        return [ports.ProductFacts(*row) for row in found]

    def offers(self) -> list[parties.SupplierOffer]:
        offers = t.table_of(t.SupplierOfferRow)
        with self._sessions() as session:
            found = session.execute(select(offers).order_by(offers.c.sku, offers.c.supplier))
            return [mappers.offer_from_row(row) for row in found]

    def deliveries(self) -> list[ports.Delivery]:
        """First receipt of each PO line whose PO states an expected day."""
        with self._sessions() as session:
            found = session.execute(first_receipts()).all()
        return [
            ports.Delivery(row.supplier, (row.first_at.date() - row.expected_on).days)
            for row in found
        ]

    def rules(self) -> list[r.ReplenishmentRule]:
        with self._sessions() as session:
            return read_rules(session)

    def supplier_history(self) -> SqlSupplierHistory:
        return SqlSupplierHistory(self._sessions)

    def ledger(self) -> SqlLedgerHistory:
        return SqlLedgerHistory(self._sessions)


def _draft_units(session: Session) -> dict[tuple[str, str], int]:
    orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
    outstanding = func.sum(lines.c.quantity - lines.c.received)
    query = (
        select(lines.c.sku, orders.c.location, outstanding.label("units"))
        .select_from(lines)
        .join(orders, orders.c.number == lines.c.order_number)
        .where(orders.c.status == purchasing.PurchaseOrderStatus.DRAFT.value)
        .group_by(lines.c.sku, orders.c.location)
    )
    return {(row.sku, row.location): int(row.units) for row in session.execute(query)}


def _matrix(run_id: int, found: Sequence[Row[Any]]) -> ports.StoredForecast:
    """Rows sorted by (sku, location, day) as (n_series, horizon) arrays."""
    if not found:
        empty = np.zeros((0, 0))
        return ports.StoredForecast(run_id, date(1970, 1, 1), (), (), empty, empty, empty)
    skus = [row.sku for row in found]
    locations = [row.location for row in found]
    keys = list(zip(skus, locations, strict=True))
    starts = [0] + [i for i in range(1, len(keys)) if keys[i] != keys[i - 1]]
    horizon = len(keys) // len(starts)
    if horizon * len(starts) != len(keys):
        raise ValueError(f"planning run {run_id}: series do not all have {horizon} days")
    columns = np.array(
        [(row.mean, row.lower_80, row.p90) for row in found],
        dtype=np.float64,
    ).reshape(len(starts), horizon, 3)
    return ports.StoredForecast(
        run_id=run_id,
        first_day=found[0].day,
        skus=tuple(skus[i] for i in starts),
        locations=tuple(locations[i] for i in starts),
        mean=columns[:, :, 0].copy(),
        p10=columns[:, :, 1].copy(),
        p90=columns[:, :, 2].copy(),
    )
