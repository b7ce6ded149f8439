"""Ports of the outbox relay and the delivery sender (implemented in adapters.db)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol, Self

from stockguard.services.outbox.model import Delivery, DeliveryAttempt, OutboxMessage


class DeliveryStore(Protocol):
    """Outgoing messages, one per recipient, keyed by their idempotency key."""

    def add(self, delivery: Delivery) -> bool:
        """Queue ``delivery``; False (and nothing written) when its key exists already."""
        ...

    def add_many(self, deliveries: Sequence[Delivery]) -> int:
        """Queue each delivery whose key is new (in the store and earlier in the list);
        returns how many were queued. One statement per few hundred rows."""
        ...

    def exists(self, idempotency_key: str) -> bool: ...

    def claim_due(
        self, now: datetime, *, limit: int, lease_seconds: float
    ) -> list[DeliveryAttempt]:
        """Deliveries due at ``now`` (pending and due, or ``sending`` with an expired
        lease), marked ``sending`` until ``now + lease_seconds`` with one more attempt;
        rows another worker holds are skipped."""
        ...

    def mark_sent(self, delivery_id: int, attempt: int, now: datetime) -> bool:
        """Record success of ``attempt``; False when the lease was lost (another worker
        claimed the row since)."""
        ...

    def mark_sent_many(self, attempts: Sequence[tuple[int, int]], now: datetime) -> int:
        """Record the success of each ``(delivery id, attempt)`` still held; returns how
        many rows were marked (rows whose lease was lost are left alone)."""
        ...

    def mark_failed(
        self, delivery_id: int, attempt: int, error: str, *, retry_at: datetime | None
    ) -> None:
        """Record a failed ``attempt``: pending again at ``retry_at``, or failed for good."""
        ...


class RelayUnitOfWork(Protocol):
    """One transaction over the outbox and whatever subscribers write.

    ``with uow: ...; uow.commit()``; leaving the block without commit rolls back.
    """

    @property
    def deliveries(self) -> DeliveryStore: ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *args: object) -> None: ...

    def claim_outbox(self, *, limit: int, skip: Sequence[int] = ()) -> list[OutboxMessage]:
        """Unrelayed messages in id order, locked for this transaction (rows another
        relay holds are skipped on PostgreSQL; SQLite has one writer at a time)."""
        ...

    def mark_relayed(self, ids: Sequence[int], now: datetime) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...
