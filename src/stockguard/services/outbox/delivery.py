"""Sending queued deliveries: at least once, with idempotency keys, backoff and a lease.

A delivery is claimed (``sending``, lease until ``now + lease_seconds``, one more
attempt) in a short transaction, sent outside any transaction, then acknowledged in
another. A worker that dies between sending and acknowledging leaves the row
``sending``; once the lease expires another pass claims it again and resends it with the
same idempotency key. Receivers that honour the key (webhook ``Idempotency-Key``, mail
clients threading on Message-ID) show it once. The lease keeps two workers from sending
the same row at the same time.

Retry delay after attempt ``n`` (seconds): ``min(cap, base * 2 ** (n - 1))``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from stockguard.services.outbox.model import Channel, Delivery, DeliveryAttempt
from stockguard.services.outbox.ports import RelayUnitOfWork

logger = logging.getLogger(__name__)


class DeliveryFailed(Exception):
    """A transport could not hand the message over (refused, timed out, 5xx...).

    ``permanent``: retrying cannot help (bad address, 404 hook); the delivery fails now.
    """

    def __init__(self, reason: str, *, permanent: bool = False) -> None:
        super().__init__(reason)
        self.permanent = permanent


class Transport(Protocol):
    def send(self, delivery: Delivery) -> None:
        """Hand ``delivery`` to the receiver; raise ``DeliveryFailed`` if it was not taken."""
        ...


class Throttle(Protocol):
    def acquire(self) -> float:
        """Wait until one more message may leave (``services.messaging.throttle``)."""
        ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential backoff: ``delay(n) = min(cap_seconds, base_seconds * 2 ** (n - 1))``
    seconds after attempt ``n``; after ``max_attempts`` the delivery is failed for good."""

    base_seconds: float = 30.0
    cap_seconds: float = 3600.0
    max_attempts: int = 8

    def delay(self, attempt: int) -> timedelta:
        seconds = min(self.cap_seconds, self.base_seconds * 2.0 ** (attempt - 1))
        return timedelta(seconds=seconds)


@dataclass(slots=True)
class SendReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


@dataclass(slots=True)
class Sender:
    """Sends due deliveries through the transport of their channel."""

    uow_factory: Callable[[], RelayUnitOfWork]
    transports: Mapping[Channel, Transport]
    clock: Callable[[], datetime]
    retry: RetryPolicy = RetryPolicy()
    lease_seconds: float = 300.0
    batch_size: int = 20
    throttles: Mapping[Channel, Throttle] = field(default_factory=dict)
    """Per-channel throughput limits (provider limits); channels without one are not held."""

    def send_due(self) -> SendReport:
        """Claim one batch of due deliveries and send them; returns what happened."""
        with self.uow_factory() as uow:
            claimed = uow.deliveries.claim_due(
                self.clock(), limit=self.batch_size, lease_seconds=self.lease_seconds
            )
            uow.commit()
        report = SendReport()
        for attempt in claimed:
            self._send_one(attempt, report)
        return report

    def drain(self) -> SendReport:
        """Send batches until nothing is due now."""
        total = SendReport()
        while True:
            report = self.send_due()
            total.sent += report.sent
            total.retrying += report.retrying
            total.failed += report.failed
            if report.sent + report.retrying + report.failed == 0:
                return total

    def _send_one(self, attempt: DeliveryAttempt, report: SendReport) -> None:
        delivery = attempt.delivery
        transport = self.transports.get(delivery.channel)
        error: str | None = None
        permanent = False
        if transport is None:
            error = f"no {delivery.channel.value} transport is configured"
        else:
            if (throttle := self.throttles.get(delivery.channel)) is not None:
                throttle.acquire()
            try:
                transport.send(delivery)
            except DeliveryFailed as failure:
                error = str(failure) or type(failure).__name__
                permanent = failure.permanent
        with self.uow_factory() as uow:
            if error is None:
                if uow.deliveries.mark_sent(attempt.id, attempt.attempt, self.clock()):
                    report.sent += 1
                uow.commit()
                return
            retry_at = None
            if attempt.attempt < self.retry.max_attempts and not permanent:
                retry_at = self.clock() + self.retry.delay(attempt.attempt)
            uow.deliveries.mark_failed(attempt.id, attempt.attempt, error[:1000], retry_at=retry_at)
            uow.commit()
        logger.warning(
            "delivery %s to %s failed (attempt %d): %s",
            delivery.idempotency_key, delivery.target, attempt.attempt, error,
        )  # fmt: skip
        if retry_at is None:
            report.failed += 1
        else:
            report.retrying += 1
