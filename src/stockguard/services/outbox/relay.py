"""The outbox relay: hands unrelayed events to their subscribers, atomically.

Each batch is one transaction: the rows are claimed (``FOR UPDATE SKIP LOCKED`` on
PostgreSQL), every subscriber of each row's event type writes what it needs through the
same unit of work, the rows are marked relayed, and all of it commits together. A crash
anywhere before the commit leaves the rows unrelayed and nothing written, so the next
relay handles them again. A message whose subscriber raises is retried alone; if it
fails alone it is left unrelayed, logged, and skipped by this relay until it restarts.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, TypeVar

from stockguard.services.outbox.model import OutboxMessage
from stockguard.services.outbox.ports import RelayUnitOfWork

logger = logging.getLogger(__name__)

U = TypeVar("U", bound=RelayUnitOfWork)

Subscriber = Callable[[OutboxMessage, U], None]
"""Writes what an event implies through the relay's unit of work; must not commit."""


@dataclass(slots=True)
class Subscribers(Generic[U]):
    """Subscribers per event type (the outbox's ``event_type``, the event class name)."""

    by_event: dict[str, list[Subscriber[U]]] = field(default_factory=lambda: defaultdict(list))

    def subscribe(self, event_type: str, subscriber: Subscriber[U]) -> None:
        self.by_event[event_type].append(subscriber)

    def of(self, event_type: str) -> list[Subscriber[U]]:
        return list(self.by_event.get(event_type, ()))


@dataclass(slots=True)
class RelayReport:
    relayed: int = 0
    failed: int = 0


@dataclass(slots=True)
class Relay(Generic[U]):
    """Relays outbox rows in batches of ``batch_size`` through ``uow_factory``."""

    uow_factory: Callable[[], U]
    subscribers: Subscribers[U]
    clock: Callable[[], datetime]
    batch_size: int = 50
    poisoned: set[int] = field(default_factory=set)

    def relay_batch(self) -> RelayReport:
        """Relay one batch; ``relayed == 0`` when nothing was waiting."""
        try:
            with self.uow_factory() as uow:
                messages = uow.claim_outbox(limit=self.batch_size, skip=sorted(self.poisoned))
                for message in messages:
                    self._dispatch(message, uow)
                uow.mark_relayed([m.id for m in messages], self.clock())
                uow.commit()
                return RelayReport(relayed=len(messages))
        except Exception:
            logger.warning("a subscriber failed in a batch; relaying it one row at a time")
            return self._relay_one_by_one()

    def drain(self) -> RelayReport:
        """Relay batches until none is left (``--once``)."""
        total = RelayReport()
        while True:
            report = self.relay_batch()
            total.relayed += report.relayed
            total.failed += report.failed
            if report.relayed == 0 and report.failed == 0:
                return total

    def _relay_one_by_one(self) -> RelayReport:
        report = RelayReport()
        for _ in range(self.batch_size):
            with self.uow_factory() as uow:
                messages = uow.claim_outbox(limit=1, skip=sorted(self.poisoned))
                if not messages:
                    break
                message = messages[0]
                try:
                    self._dispatch(message, uow)
                except Exception:
                    logger.exception("outbox row %d (%s) failed", message.id, message.event_type)
                    self.poisoned.add(message.id)
                    report.failed += 1
                    continue
                uow.mark_relayed([message.id], self.clock())
                uow.commit()
                report.relayed += 1
        return report

    def _dispatch(self, message: OutboxMessage, uow: U) -> None:
        for subscriber in self.subscribers.of(message.event_type):
            subscriber(message, uow)
