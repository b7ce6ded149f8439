"""The audit's database side: its read-only inputs and the cycle-count repository."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, delete, insert, select, tuple_
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db import tables_audit as ta
from stockguard.adapters.db.views import audit as views
from stockguard.services.audit.ports import AuditPosition, CountRecord, RiskEntry, ScheduleEntry

KEY_BATCH = 400
"""(sku, location) pairs per IN clause."""


class SqlAuditSource:
    """``AuditSource``: each method opens its own short (read-only on SQLite) session."""

    def __init__(self, sessions: Callable[[], Session]) -> None:
        self._sessions = sessions

    def positions(self) -> list[AuditPosition]:
        with self._sessions() as session:
            return views.positions(session)

    def at_risk(self, *, limit: int) -> list[RiskEntry]:
        with self._sessions() as session:
            return views.at_risk(session, limit=limit)


class SqlCycleCountRepository:
    """``CycleCountRepository`` inside a unit of work's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def schedule(self, keys: Sequence[tuple[str, str]] = ()) -> list[ScheduleEntry]:
        table = t.table_of(ta.CycleCountScheduleRow)
        query = select(table).order_by(table.c.sku, table.c.location)
        if not keys:
            return [schedule_from_row(row) for row in self._session.execute(query).all()]
        found = []
        for batch in _batches(keys):
            where = tuple_(table.c.sku, table.c.location).in_(batch)
            found += [schedule_from_row(r) for r in self._session.execute(query.where(where))]
        return sorted(found, key=lambda e: (e.sku, e.location))

    def put_schedule(self, entries: Sequence[ScheduleEntry], *, now: datetime) -> None:
        if not entries:
            return
        table = t.table_of(ta.CycleCountScheduleRow)
        for batch in _batches([(e.sku, e.location) for e in entries]):
            where = tuple_(table.c.sku, table.c.location).in_(batch)
            self._session.execute(delete(table).where(where))
        self._session.execute(
            insert(table),
            [
                {
                    "sku": e.sku,
                    "location": e.location,
                    "abc_class": e.abc_class,
                    "interval_days": e.interval_days,
                    "last_counted_on": e.last_counted_on,
                    "next_due_on": e.next_due_on,
                    "updated_at": now,
                }
                for e in entries
            ],
        )

    def count(self, idempotency_key: str) -> CountRecord | None:
        table = t.table_of(ta.CycleCountRow)
        query = select(table).where(table.c.idempotency_key == idempotency_key)
        row = self._session.execute(query).first()
        return None if row is None else views.count_from_row(row)

    def add_count(self, record: CountRecord) -> None:
        values: dict[str, Any] = {
            name: getattr(record, name) for name in CountRecord.__dataclass_fields__
        }
        self._session.execute(insert(t.table_of(ta.CycleCountRow)), [values])

    def counts(self, *, since: datetime | None, sku: str | None, limit: int) -> list[CountRecord]:
        return views.counts(self._session, since=since, sku=sku, limit=limit)


def _batches(keys: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Keys in groups small enough for SQLite's bound-parameter limit (2 per key)."""
    pairs = list(keys)
    return [pairs[i : i + KEY_BATCH] for i in range(0, len(pairs), KEY_BATCH)]


def schedule_from_row(row: Row[Any]) -> ScheduleEntry:
    return ScheduleEntry(
        sku=row.sku,
        location=row.location,
        abc_class=row.abc_class,
        interval_days=row.interval_days,
        last_counted_on=row.last_counted_on,
        next_due_on=row.next_due_on,
    )
