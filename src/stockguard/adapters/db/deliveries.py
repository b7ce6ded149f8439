"""Outgoing deliveries on the database (``services.outbox.ports.DeliveryStore``)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import and_, bindparam, select, update
from sqlalchemy.orm import Session

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.services.outbox.model import Channel, Delivery, DeliveryAttempt, DeliveryStatus

DELIVERIES = t.table_of(NotificationDeliveryRow)
T = TypeVar("T")


def delivery_from_row(row: Any) -> Delivery:
    return Delivery(
        idempotency_key=row.idempotency_key,
        source=row.source,
        channel=Channel(row.channel),
        target=row.target,
        subject=row.subject,
        body=row.body,
        created_at=row.created_at,
        payload=dict(row.payload),
    )


CHUNK = 500
"""Keys per ``IN`` query and rows per ``executemany`` (PostgreSQL and SQLite both take it)."""


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _row_of(delivery: Delivery) -> dict[str, Any]:
    return {
        "idempotency_key": delivery.idempotency_key,
        "source": delivery.source,
        "channel": delivery.channel.value,
        "target": delivery.target,
        "subject": delivery.subject[:300],
        "body": delivery.body,
        "payload": delivery.payload,
        "status": DeliveryStatus.PENDING.value,
        "attempts": 0,
        "next_attempt_at": delivery.created_at,
        "created_at": delivery.created_at,
    }


class SqlDeliveryStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def exists(self, idempotency_key: str) -> bool:
        query = select(DELIVERIES.c.id).where(DELIVERIES.c.idempotency_key == idempotency_key)
        return self.session.execute(query).first() is not None

    def add(self, delivery: Delivery) -> bool:
        return self.add_many([delivery]) == 1

    def add_many(self, deliveries: Sequence[Delivery]) -> int:
        fresh: dict[str, Delivery] = {}
        for chunk in _chunks(deliveries, CHUNK):
            keys = [d.idempotency_key for d in chunk]
            taken = set(
                self.session.execute(
                    select(DELIVERIES.c.idempotency_key).where(
                        DELIVERIES.c.idempotency_key.in_(keys)
                    )
                ).scalars()
            )
            for delivery in chunk:
                if delivery.idempotency_key not in taken:
                    fresh.setdefault(delivery.idempotency_key, delivery)
        rows = [_row_of(delivery) for delivery in fresh.values()]
        for part in _chunks(rows, CHUNK):
            self.session.execute(DELIVERIES.insert(), part)
        return len(rows)

    def claim_due(
        self, now: datetime, *, limit: int, lease_seconds: float
    ) -> list[DeliveryAttempt]:
        pending = and_(
            DELIVERIES.c.status == DeliveryStatus.PENDING.value,
            DELIVERIES.c.next_attempt_at <= now,
        )
        expired = and_(
            DELIVERIES.c.status == DeliveryStatus.SENDING.value,
            DELIVERIES.c.lease_until <= now,
        )
        rows = sorted(
            (row for due in (pending, expired) for row in self._oldest(due, limit)),
            key=lambda row: row.id,
        )[:limit]
        if not rows:
            return []
        self.session.execute(
            update(DELIVERIES)
            .where(DELIVERIES.c.id.in_([row.id for row in rows]))
            .values(
                status=DeliveryStatus.SENDING.value,
                lease_until=now + timedelta(seconds=lease_seconds),
                attempts=DELIVERIES.c.attempts + 1,
            )
        )
        return [DeliveryAttempt(row.id, delivery_from_row(row), row.attempts + 1) for row in rows]

    def _oldest(self, due: Any, limit: int) -> list[Any]:
        """The first ``limit`` rows meeting ``due`` by id, locked (others' skipped). One
        query per status, so each walks its status index from the oldest row instead of
        skipping every row already sent (an OR of both made each claim scan the sent
        rows: quadratic over a large wave)."""
        query = (
            select(DELIVERIES)
            .where(due)
            .order_by(DELIVERIES.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return list(self.session.execute(query).all())

    def _held(self, delivery_id: int, attempt: int) -> Any:
        return and_(
            DELIVERIES.c.id == delivery_id,
            DELIVERIES.c.attempts == attempt,
            DELIVERIES.c.status == DeliveryStatus.SENDING.value,
        )

    def mark_sent(self, delivery_id: int, attempt: int, now: datetime) -> bool:
        result = self.session.execute(
            update(DELIVERIES)
            .where(self._held(delivery_id, attempt))
            .values(status=DeliveryStatus.SENT.value, sent_at=now, lease_until=None)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    def mark_sent_many(self, attempts: Sequence[tuple[int, int]], now: datetime) -> int:
        if not attempts:
            return 0
        statement = (
            update(DELIVERIES)
            .where(
                DELIVERIES.c.id == bindparam("delivery_id"),
                DELIVERIES.c.attempts == bindparam("attempt"),
                DELIVERIES.c.status == DeliveryStatus.SENDING.value,
            )
            .values(status=DeliveryStatus.SENT.value, sent_at=now, lease_until=None)
            .execution_options(synchronize_session=False)
        )
        rows = [{"delivery_id": i, "attempt": a} for i, a in attempts]
        result = self.session.connection().execute(statement, rows)
        return int(result.rowcount)

    def mark_failed(
        self, delivery_id: int, attempt: int, error: str, *, retry_at: datetime | None
    ) -> None:
        values: dict[str, Any] = {"last_error": error[:1000], "lease_until": None}
        if retry_at is None:
            values["status"] = DeliveryStatus.FAILED.value
        else:
            values.update(status=DeliveryStatus.PENDING.value, next_attempt_at=retry_at)
        self.session.execute(
            update(DELIVERIES).where(self._held(delivery_id, attempt)).values(**values)
        )
