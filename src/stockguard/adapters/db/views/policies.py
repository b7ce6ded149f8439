"""Read side of one SKU's replenishment policy: its inputs, its ABC basis, its latest lines.

``SkuReplenishmentSource`` is the ``ports.ReplenishmentSource`` of a replenishment run
narrowed to one SKU (its forecast rows, stock levels, product, offers, and the delivery
record of the suppliers that offer it), so the API and the dashboard can compute that
SKU's policy per location with the run's own code in a few milliseconds, whatever the
size of the catalogue. ``forecast_revenue`` gives every SKU's forecast revenue per day,
from which the run's ABC class follows.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

import numpy as np
from sqlalchemy import func, select
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


class SkuReplenishmentSource:
    """``ports.ReplenishmentSource`` restricted to ``sku``; each call opens a short session."""

    def __init__(self, sessions: Callable[[], Session], sku: str) -> None:
        self._sessions = sessions
        self.sku = sku

    def latest_run(self) -> int | None:
        with self._sessions() as session:
            return latest_run(session)

    def forecast(self, run_id: int) -> ports.StoredForecast | None:
        rows = t.table_of(t.DemandForecastRow)
        query = (
            select(rows.c.location, rows.c.day, rows.c.mean, rows.c.lower_80, rows.c.p90)
            .where(rows.c.run_id == run_id, rows.c.sku == self.sku)
            .order_by(rows.c.location, rows.c.day)
        )
        with self._sessions() as session:
            found = session.execute(query).all()
        return _matrix(run_id, self.sku, found)

    def positions(self) -> list[ports.PositionFacts]:
        levels = t.table_of(t.StockLevelRow)
        columns = ("location", "on_hand", "allocated", "reserved", "on_order")
        query = select(*(levels.c[name] for name in columns)).where(levels.c.sku == self.sku)
        with self._sessions() as session:
            found = {row.location: row for row in session.execute(query)}
            drafts = self._draft_units(session)
        facts = []
        for location in sorted(set(found) | set(drafts)):
            row = found.get(location)
            facts.append(
                ports.PositionFacts(
                    sku=self.sku,
                    location=location,
                    on_hand=row.on_hand if row else 0,
                    allocated=row.allocated if row else 0,
                    reserved=row.reserved if row else 0,
                    on_order=row.on_order if row else 0,
                    in_draft=drafts.get(location, 0),
                )
            )
        return facts

    def products(self) -> list[ports.ProductFacts]:
        products = t.table_of(t.ProductRow)
        query = select(products.c.sku, products.c.category, products.c.price).add_columns(
            products.c.unit_cost
        )
        with self._sessions() as session:
            found = session.execute(query.where(products.c.sku == self.sku)).all()
        return [ports.ProductFacts(*row) for row in found]

    def offers(self) -> list[parties.SupplierOffer]:
        offers = t.table_of(t.SupplierOfferRow)
        query = select(offers).where(offers.c.sku == self.sku).order_by(offers.c.supplier)
        with self._sessions() as session:
            found = session.execute(query).all()
        return [mappers.offer_from_row(row) for row in found]

    def deliveries(self) -> list[ports.Delivery]:
        """First receipt of each PO line, for the suppliers that offer the SKU."""
        orders, receipts = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseReceiptRow)
        offers = t.table_of(t.SupplierOfferRow)
        suppliers = select(offers.c.supplier).where(offers.c.sku == self.sku)
        first = func.min(receipts.c.received_at).label("first_at")
        query = (
            select(orders.c.supplier, orders.c.expected_on, first)
            .select_from(receipts)
            .join(orders, orders.c.number == receipts.c.order_number)
            .where(orders.c.expected_on.is_not(None), orders.c.supplier.in_(suppliers))
            .group_by(receipts.c.order_number, receipts.c.sku, orders.c.supplier)
            .group_by(orders.c.expected_on)
        )
        with self._sessions() as session:
            found = session.execute(query).all()
        return [
            ports.Delivery(row.supplier, (row.first_at.date() - row.expected_on).days)
            for row in found
        ]

    def rules(self) -> list[r.ReplenishmentRule]:
        with self._sessions() as session:
            return read_rules(session)

    def supplier_history(self) -> SqlSupplierHistory:
        """Every supplier's history: risk scores compare suppliers across the catalogue."""
        return SqlSupplierHistory(self._sessions)

    def ledger(self) -> SkuLedgerHistory:
        """The ledger by day, of ``sku`` only."""
        return SkuLedgerHistory(SqlLedgerHistory(self._sessions), self.sku)

    def _draft_units(self, session: Session) -> dict[str, int]:
        orders, lines = t.table_of(t.PurchaseOrderRow), t.table_of(t.PurchaseOrderLineRow)
        outstanding = func.sum(lines.c.quantity - lines.c.received).label("units")
        query = (
            select(orders.c.location, outstanding)
            .select_from(lines)
            .join(orders, orders.c.number == lines.c.order_number)
            .where(lines.c.sku == self.sku)
            .where(orders.c.status == purchasing.PurchaseOrderStatus.DRAFT.value)
            .group_by(orders.c.location)
        )
        return {row.location: int(row.units) for row in session.execute(query)}


class SkuLedgerHistory:
    """``ports.LedgerHistory`` of one SKU: every query is narrowed to it."""

    def __init__(self, ledger: SqlLedgerHistory, sku: str) -> None:
        self._ledger, self.sku = ledger, sku

    def daily_totals(
        self, *, start: date, end: date, skus: Sequence[str], locations: Sequence[str]
    ) -> list[ports.DailyTotal]:
        if skus and self.sku not in skus:
            return []
        return self._ledger.daily_totals(start=start, end=end, skus=[self.sku], locations=locations)

    def balances_before(
        self, *, start: date, skus: Sequence[str], locations: Sequence[str]
    ) -> dict[tuple[str, str], int]:
        if skus and self.sku not in skus:
            return {}
        return self._ledger.balances_before(start=start, skus=[self.sku], locations=locations)


def latest_run(session: Session) -> int | None:
    """Id of the latest completed planning run, or None."""
    runs = t.table_of(t.PlanningRunRow)
    query = select(func.max(runs.c.id)).where(runs.c.status == COMPLETED)
    found = session.execute(query).scalar()
    return None if found is None else int(found)


def forecast_revenue(session: Session, run_id: int) -> dict[str, float]:
    """Money per day each SKU of the run is forecast to sell: mean units/day summed over
    its locations, times its price (the basis of the run's ABC classes)."""
    rows, products = t.table_of(t.DemandForecastRow), t.table_of(t.ProductRow)
    per_sku = (
        select(rows.c.sku, func.avg(rows.c.mean).label("mean"))
        .where(rows.c.run_id == run_id)
        .group_by(rows.c.sku, rows.c.location)
        .subquery()
    )
    query = (
        select(per_sku.c.sku, func.sum(per_sku.c.mean).label("units"), products.c.price)
        .join(products, products.c.sku == per_sku.c.sku)
        .group_by(per_sku.c.sku, products.c.price)
    )
    return {row.sku: float(row.units) * float(row.price) for row in session.execute(query)}


def latest_lines_of(session: Session, sku: str) -> dict[str, Any]:
    """The newest proposal line of ``sku`` per location (from the newest proposal that has
    one there), with ``created_at`` and ``proposal_status`` of its proposal."""
    lines = t.table_of(t.ProposalLineRow)
    proposals = t.table_of(t.ReplenishmentProposalRow)
    newest = (
        select(lines.c.location, func.max(lines.c.proposal_id).label("proposal_id"))
        .where(lines.c.sku == sku)
        .group_by(lines.c.location)
        .subquery()
    )
    query = (
        select(
            lines,
            proposals.c.created_at,
            proposals.c.status.label("proposal_status"),
        )
        .join(
            newest,
            (newest.c.location == lines.c.location) & (newest.c.proposal_id == lines.c.proposal_id),
        )
        .join(proposals, proposals.c.id == lines.c.proposal_id)
        .where(lines.c.sku == sku)
        .order_by(lines.c.location, lines.c.line_no)
    )
    found: dict[str, Any] = {}
    for row in session.execute(query):
        found.setdefault(row.location, row)  # a split line: the first (best) supplier
    return found


def _matrix(run_id: int, sku: str, found: Sequence[Any]) -> ports.StoredForecast:
    """One SKU's rows sorted by (location, day) as (n_locations, horizon) arrays."""
    if not found:
        empty = np.zeros((0, 0))
        return ports.StoredForecast(run_id, date(1970, 1, 1), (), (), empty, empty, empty)
    locations = sorted({row.location for row in found})
    horizon = len(found) // len(locations)
    if horizon * len(locations) != len(found):
        raise ValueError(f"planning run {run_id}: {sku}'s series do not all have {horizon} days")
    columns = np.array([(row.mean, row.lower_80, row.p90) for row in found], dtype=np.float64)
    columns = columns.reshape(len(locations), horizon, 3)
    return ports.StoredForecast(
        run_id=run_id,
        first_day=found[0].day,
        skus=(sku,) * len(locations),
        locations=tuple(locations),
        mean=columns[:, :, 0].copy(),
        p10=columns[:, :, 1].copy(),
        p90=columns[:, :, 2].copy(),
    )
