"""SQL repository of contract clauses and supplier penalties (Core statements)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, insert, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables_contracts as tc
from stockguard.adapters.db.tables import table_of
from stockguard.domain import contracts, events
from stockguard.services.contracts.penalties import charged_event

CLAUSE_FIELDS = (
    "guaranteed_fill_rate",
    "max_lead_time_days",
    "late_penalty_percent",
    "late_cap_percent",
    "quality_threshold",
    "quality_penalty_percent",
    "short_fill_penalty_percent",
    "valid_to",
)


def clause_from_row(row: Row[Any]) -> contracts.ContractClause:
    return contracts.ContractClause(
        supplier=row.supplier,
        valid_from=row.valid_from,
        **{name: getattr(row, name) for name in CLAUSE_FIELDS},
    )


class SqlContractRepository:
    """Clauses are cached per supplier for the unit of work (a file of receipts reads each
    supplier's contract once)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._clauses = table_of(tc.ContractClauseRow)
        self._penalties = table_of(tc.SupplierPenaltyRow)
        self._cache: dict[str, list[contracts.ContractClause]] = {}
        self._events: list[events.Event] = []

    def clauses(self, supplier: str) -> list[contracts.ContractClause]:
        if supplier not in self._cache:
            query = (
                select(self._clauses)
                .where(self._clauses.c.supplier == supplier)
                .order_by(self._clauses.c.valid_from)
            )
            rows = self._session.execute(query).all()
            self._cache[supplier] = [clause_from_row(row) for row in rows]
        return list(self._cache[supplier])

    def put(self, clause: contracts.ContractClause) -> bool:
        self._cache.pop(clause.supplier, None)
        values = {name: getattr(clause, name) for name in CLAUSE_FIELDS}
        values["updated_at"] = datetime.now(UTC)
        table = self._clauses
        found = self._session.execute(
            update(table)
            .where(table.c.supplier == clause.supplier, table.c.valid_from == clause.valid_from)
            .values(**values)
        )
        if found.rowcount:  # type: ignore[attr-defined]
            return True
        self._session.execute(
            insert(table).values(supplier=clause.supplier, valid_from=clause.valid_from, **values)
        )
        return False

    def add_penalty(self, penalty: contracts.Penalty) -> bool:
        table = self._penalties
        exists = self._session.execute(select(table.c.id).where(table.c.key == penalty.key)).first()
        if exists is not None:
            return False
        self._session.execute(
            insert(table).values(
                key=penalty.key,
                supplier=penalty.supplier,
                order_number=penalty.order_number,
                sku=penalty.sku,
                kind=penalty.kind.value,
                amount=penalty.amount,
                currency=penalty.currency,
                basis=penalty.basis,
                days_late=penalty.days_late,
                units=penalty.units,
                incurred_on=penalty.incurred_on,
                clause_from=penalty.clause_from,
                detail=penalty.detail[:300],
            )
        )
        self._events.append(charged_event(penalty))
        return True

    def drain_events(self) -> list[events.Event]:
        drained, self._events = self._events, []
        return drained
