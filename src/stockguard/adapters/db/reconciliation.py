"""What the ledger says the levels should be, in one grouped query each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.domain import purchasing
from stockguard.services import ports

_OPEN = [status.value for status in purchasing.OPEN_STATUSES]


class SqlReconciliationSource:
    def __init__(self, session: Session) -> None:
        self._session = session

    def ledger_totals(self, skus: Sequence[str]) -> list[ports.LedgerTotals]:
        moves = t.table_of(t.StockMovementRow)
        on_hand_query = select(moves.c.sku, moves.c.location, func.sum(moves.c.quantity)).group_by(
            moves.c.sku, moves.c.location
        )
        if skus:
            on_hand_query = on_hand_query.where(moves.c.sku.in_(skus))
        totals: dict[tuple[str, str], list[int]] = {}
        for row in self._session.execute(on_hand_query):
            totals[(row[0], row[1])] = [int(row[2] or 0), 0]
        for row in self._session.execute(self._on_order_query(skus)):
            totals.setdefault((row[0], row[1]), [0, 0])[1] = int(row[2] or 0)
        return [ports.LedgerTotals(k[0], k[1], v[0], v[1]) for k, v in totals.items()]

    def recorded_levels(self, skus: Sequence[str]) -> list[ports.RecordedLevel]:
        levels = t.table_of(t.StockLevelRow)
        query = select(levels.c.sku, levels.c.location, levels.c.on_hand, levels.c.on_order)
        if skus:
            query = query.where(levels.c.sku.in_(skus))
        return [ports.RecordedLevel(*row) for row in self._session.execute(query)]

    @staticmethod
    def _on_order_query(skus: Sequence[str]) -> Select[Any]:
        lines = t.table_of(t.PurchaseOrderLineRow)
        orders = t.table_of(t.PurchaseOrderRow)
        outstanding = func.sum(lines.c.quantity - lines.c.received)
        query = (
            select(lines.c.sku, orders.c.location, outstanding)
            .join(orders, orders.c.number == lines.c.order_number)
            .where(orders.c.status.in_(_OPEN), lines.c.quantity > lines.c.received)
            .group_by(lines.c.sku, orders.c.location)
        )
        if skus:
            query = query.where(lines.c.sku.in_(skus))
        return query
