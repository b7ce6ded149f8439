"""The relay's unit of work: claims outbox rows and holds the alert and delivery stores.

Rows are claimed with ``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL), so two relays
never take the same row; on SQLite the writing engine's ``BEGIN IMMEDIATE`` lets one
transaction write at a time, which gives the same guarantee.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any, Self

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.alerts import AbcCache, SqlAlertStore
from stockguard.adapters.db.deliveries import SqlDeliveryStore
from stockguard.adapters.db.waves import SqlWaveStore
from stockguard.services.outbox.model import OutboxMessage

OUTBOX = t.table_of(t.OutboxRow)


class SqlRelayUnitOfWork:
    """``services.alerts.ports.AlertUnitOfWork`` (and so ``RelayUnitOfWork``) on SQL."""

    alerts: SqlAlertStore
    deliveries: SqlDeliveryStore
    waves: SqlWaveStore

    def __init__(
        self,
        session_factory: Callable[[], Session],
        *,
        abc: AbcCache | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._session_factory = session_factory
        self._abc = abc or AbcCache()
        self._clock = clock or (lambda: datetime.now(UTC))

    def __enter__(self) -> Self:
        self.session = self._session_factory()
        self.alerts = SqlAlertStore(self.session, self._abc, self._clock)
        self.deliveries = SqlDeliveryStore(self.session)
        self.waves = SqlWaveStore(self.session)
        return self

    def __exit__(self, *args: object) -> None:
        self.session.rollback()
        self.session.close()

    def claim_outbox(self, *, limit: int, skip: Sequence[int] = ()) -> list[OutboxMessage]:
        query = select(OUTBOX).where(OUTBOX.c.relayed_at.is_(None))
        if skip:
            query = query.where(OUTBOX.c.id.not_in(list(skip)))
        query = query.order_by(OUTBOX.c.id).limit(limit).with_for_update(skip_locked=True)
        return [_message(row) for row in self.session.execute(query)]

    def mark_relayed(self, ids: Sequence[int], now: datetime) -> None:
        if ids:
            self.session.execute(
                update(OUTBOX).where(OUTBOX.c.id.in_(list(ids))).values(relayed_at=now)
            )

    def commit(self) -> None:
        self.alerts.flush()
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()


def _message(row: Any) -> OutboxMessage:
    return OutboxMessage(
        id=row.id, event_type=row.event_type, payload=dict(row.payload), created_at=row.created_at
    )
