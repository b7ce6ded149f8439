"""Sending queued deliveries: at least once, with idempotency keys, backoff and a lease.

A delivery is claimed (``sending``, lease until ``now + lease_seconds``, one more
attempt) in a short transaction, sent outside any transaction, then acknowledged in
another. A worker that dies between sending and acknowledging leaves the row
``sending``; once the lease expires another pass claims it again and resends it with the
same idempotency key. Receivers that honour the key (webhook ``Idempotency-Key``, mail
clients threading on Message-ID) show it once. The lease keeps two workers from sending
the same row at the same time. With an acknowledgement journal (``AckJournal``) the
successes of a batch are committed together and the journal bridges the gap (see
``Sender``).

Retry delay after attempt ``n`` (seconds): ``min(cap, base * 2 ** (n - 1))``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
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


class AckJournal(Protocol):
    """Acknowledgements written locally the moment a receiver accepts a message, before
    the database records them in groups (``adapters.notifications.ack_journal``).

    A worker killed between the two leaves them in the journal; the next ``Sender`` on
    the same journal applies them before claiming anything, so those messages are not
    sent again."""

    def record(self, delivery_id: int, attempt: int) -> None:
        """Append one acknowledgement; must survive the process being killed right after."""
        ...

    def pending(self) -> list[tuple[int, int]]:
        """Acknowledgements recorded and not yet cleared, as ``(delivery id, attempt)``."""
        ...

    def clear(self) -> None:
        """Forget every acknowledgement (called after the database committed them)."""
        ...


@dataclass(frozen=True, slots=True)
class _Outcome:
    attempt: DeliveryAttempt
    error: str | None = None
    permanent: bool = False


@dataclass(slots=True)
class Sender:
    """Sends due deliveries through the transport of their channel.

    Without ``journal`` each success is committed alone right after the receiver's
    reply. With one, successes are appended to the journal as they happen and the
    batch's outcomes are committed together: one transaction per ``batch_size`` messages
    instead of one each, with the same duplicate window (the journal line is written
    microseconds after the reply). ``concurrency`` threads send a batch in parallel, each
    over its own connection where the transport keeps one per thread; they only send and
    journal, the database is used from the calling thread. (Without a journal and with
    several threads, a kill can also repeat the replies the calling thread had not yet
    committed, a few at most.)
    """

    uow_factory: Callable[[], RelayUnitOfWork]
    transports: Mapping[Channel, Transport]
    clock: Callable[[], datetime]
    retry: RetryPolicy = RetryPolicy()
    lease_seconds: float = 300.0
    batch_size: int = 20
    throttles: Mapping[Channel, Throttle] = field(default_factory=dict)
    """Per-channel throughput limits (provider limits); channels without one are not held."""
    journal: AckJournal | None = None
    concurrency: int = 1
    _pool: ThreadPoolExecutor | None = field(default=None, init=False, repr=False)

    def send_due(self) -> SendReport:
        """Claim one batch of due deliveries and send them; returns what happened."""
        report = SendReport(sent=self.recover())
        with self.uow_factory() as uow:
            claimed = uow.deliveries.claim_due(
                self.clock(), limit=self.batch_size, lease_seconds=self.lease_seconds
            )
            uow.commit()
        if self.journal is None:  # each acknowledgement alone, as soon as it is known
            for outcome in self._outcomes(claimed):
                self._acknowledge([outcome])
                self._count(outcome, report)
            return report
        outcomes = list(self._outcomes(claimed))
        self._acknowledge(outcomes)
        for outcome in outcomes:
            self._count(outcome, report)
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

    def recover(self) -> int:
        """Apply acknowledgements the journal still holds (left by a killed run, or by
        a batch whose commit failed); returns how many rows they marked sent."""
        if self.journal is None or not (pending := self.journal.pending()):
            return 0
        with self.uow_factory() as uow:
            marked = uow.deliveries.mark_sent_many(pending, self.clock())
            uow.commit()
        self.journal.clear()
        logger.info("recovered %d acknowledgement(s) from the journal", marked)
        return marked

    def _outcomes(self, claimed: list[DeliveryAttempt]) -> Iterator[_Outcome]:
        """Send ``claimed`` and yield each outcome as it is known. Sending threads only
        send and journal; the database is touched from the calling thread alone (its
        sessions may share one connection, which is not thread-safe)."""
        if self.concurrency <= 1 or len(claimed) <= 1:
            yield from map(self._send_and_journal, claimed)
            return
        if self._pool is None:  # kept: the threads keep their connections across batches
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="sender")
        futures = [self._pool.submit(self._send_and_journal, attempt) for attempt in claimed]
        for future in as_completed(futures):
            yield future.result()

    def _send(self, attempt: DeliveryAttempt) -> _Outcome:
        delivery = attempt.delivery
        transport = self.transports.get(delivery.channel)
        if transport is None:
            return _Outcome(attempt, f"no {delivery.channel.value} transport is configured")
        if (throttle := self.throttles.get(delivery.channel)) is not None:
            throttle.acquire()
        try:
            transport.send(delivery)
        except DeliveryFailed as failure:
            return _Outcome(attempt, str(failure) or type(failure).__name__, failure.permanent)
        return _Outcome(attempt)

    def _send_and_journal(self, attempt: DeliveryAttempt) -> _Outcome:
        outcome = self._send(attempt)
        if outcome.error is None and self.journal is not None:
            self.journal.record(attempt.id, attempt.attempt)
        return outcome

    def _acknowledge(self, outcomes: Sequence[_Outcome]) -> None:
        """Record the outcomes in one transaction, then clear the journal."""
        sent = [(o.attempt.id, o.attempt.attempt) for o in outcomes if o.error is None]
        with self.uow_factory() as uow:
            if sent:
                uow.deliveries.mark_sent_many(sent, self.clock())
            for outcome in outcomes:
                if outcome.error is not None:
                    self._record_failure(uow, outcome)
            uow.commit()
        if self.journal is not None and sent:
            self.journal.clear()

    def _retry_at(self, outcome: _Outcome) -> datetime | None:
        if outcome.permanent or outcome.attempt.attempt >= self.retry.max_attempts:
            return None
        return self.clock() + self.retry.delay(outcome.attempt.attempt)

    def _record_failure(self, uow: RelayUnitOfWork, outcome: _Outcome) -> None:
        attempt, error = outcome.attempt, outcome.error or ""
        uow.deliveries.mark_failed(
            attempt.id, attempt.attempt, error[:1000], retry_at=self._retry_at(outcome)
        )
        logger.warning(
            "delivery %s to %s failed (attempt %d): %s",
            attempt.delivery.idempotency_key, attempt.delivery.target, attempt.attempt, error,
        )  # fmt: skip

    def _count(self, outcome: _Outcome, report: SendReport) -> None:
        if outcome.error is None:
            report.sent += 1
        elif self._retry_at(outcome) is None:
            report.failed += 1
        else:
            report.retrying += 1
