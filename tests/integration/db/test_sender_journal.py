"""The sender's acknowledgement journal and parallel sending, on the database.

With a journal the successes of a batch are committed together; a worker that dies
after some sends has them in the journal, and the next sender on the same journal marks
them sent before claiming anything, so they are not sent again. Several sending threads
send every message once. The journal file is locked: a second worker gets its own."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.notifications.ack_journal import (
    FileAckJournal,
    JournalBusy,
    open_journal,
)
from stockguard.bootstrap import App
from stockguard.services.outbox.delivery import RetryPolicy, Sender
from stockguard.services.outbox.model import Channel, Delivery

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class Killed(BaseException):
    """The process dies: nothing after the raise runs (not an ``Exception``)."""


class CountingTransport:
    """Counts each idempotency key it accepts; dies after ``die_after`` sends if set."""

    def __init__(self, die_after: int | None = None) -> None:
        self.sent: Counter[str] = Counter()
        self.die_after = die_after
        self.lock = threading.Lock()

    def send(self, delivery: Delivery) -> None:
        with self.lock:
            if self.die_after is not None and sum(self.sent.values()) >= self.die_after:
                raise Killed
            self.sent[delivery.idempotency_key] += 1


def _queue(app: App, n: int, prefix: str) -> None:
    with SqlRelayUnitOfWork(app.sessions) as uow:
        for i in range(n):
            uow.deliveries.add(Delivery(f"{prefix}:{i}", "test", Channel.EMAIL,
                                        f"c{i}@example.org", f"#{i}", "hello", T0))  # fmt: skip
        uow.commit()


def _sender(app: App, transport: CountingTransport, clock: list[datetime],
            **options: object) -> Sender:  # fmt: skip
    return Sender(lambda: SqlRelayUnitOfWork(app.sessions), {Channel.EMAIL: transport},
                  lambda: clock[0], retry=RetryPolicy(1, 1, 5), lease_seconds=60,
                  **options)  # type: ignore[arg-type]  # fmt: skip


def _unsent(app: App) -> int:
    with app.sessions() as session:
        query = select(func.count()).where(NotificationDeliveryRow.status != "sent")
        return int(session.execute(query).scalar_one())


def test_a_killed_batch_is_recovered_from_the_journal_without_resending(
    app: App, tmp_path: Path
) -> None:
    _queue(app, 50, "journal")
    clock = [T0]
    journal = FileAckJournal(tmp_path / "acks.journal")
    dying = CountingTransport(die_after=30)
    with pytest.raises(Killed):
        _sender(app, dying, clock, journal=journal, batch_size=50).drain()
    journal.close()
    assert _unsent(app) == 50  # nothing committed: the batch died before its commit
    assert len((tmp_path / "acks.journal").read_text().splitlines()) == 30

    clock[0] = T0 + timedelta(minutes=5)  # the dead run's lease has expired
    restarted = FileAckJournal(tmp_path / "acks.journal")
    survivor = CountingTransport()
    report = _sender(app, survivor, clock, journal=restarted, batch_size=50).drain()
    assert report.sent == 50  # 30 recovered + 20 sent
    assert sum(survivor.sent.values()) == 20
    assert set(dying.sent) | set(survivor.sent) == {f"journal:{i}" for i in range(50)}
    assert not set(dying.sent) & set(survivor.sent)  # nobody got a second copy
    assert _unsent(app) == 0
    assert restarted.pending() == []


def test_several_sending_threads_send_each_message_once(app: App, tmp_path: Path) -> None:
    _queue(app, 120, "threads")
    transport = CountingTransport()
    journal = FileAckJournal(tmp_path / "acks.journal")
    report = _sender(app, transport, [T0], journal=journal, batch_size=25, concurrency=4).drain()
    assert report.sent == 120
    assert sorted(transport.sent.values()) == [1] * 120
    assert _unsent(app) == 0


def test_without_a_journal_each_acknowledgement_is_committed_alone(app: App) -> None:
    _queue(app, 10, "alone")
    dying = CountingTransport(die_after=4)
    with pytest.raises(Killed):
        _sender(app, dying, [T0], batch_size=10).drain()
    assert _unsent(app) == 6  # the four sent before the kill were committed one by one


def test_a_journal_is_held_by_one_worker_and_a_torn_line_is_ignored(tmp_path: Path) -> None:
    first = open_journal(tmp_path, "sqlite:///shop.db")
    assert first is not None
    with pytest.raises(JournalBusy):
        FileAckJournal(first.path)
    second = open_journal(tmp_path, "sqlite:///shop.db")
    assert second is not None
    assert second.path != first.path
    first.record(7, 1)
    with first.path.open("a") as torn:
        torn.write("8 ")  # killed in the middle of a line
    assert first.pending() == [(7, 1)]
    first.clear()
    assert first.pending() == []
    first.close()
    assert FileAckJournal(first.path).pending() == []
