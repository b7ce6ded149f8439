"""Crash test of customer e-mail delivery: a worker process sending to an SMTP sink
process (aiosmtpd on loopback) is SIGKILLed at 5 random points and restarted; at the end
the sink's mailbox holds every message exactly once: N stored, and their Message-IDs are
exactly the N expected.

The guarantee (docs/messaging.md): a delivery is marked ``sending`` with a lease before
the SMTP transaction; right after the server's 250 its acknowledgement is appended to the
worker's journal, and the batch is committed ``sent`` together; a restarted worker applies
the journal first. The only window where a kill can cause a second copy is between the
server taking the message and the worker reading its 250 (SMTP cannot close it: the
server commits before it answers). The copy carries the same Message-ID (derived from
the idempotency key), so the sink's mailbox, like a mailbox provider that drops a copy
with a Message-ID it already holds, stores it once and logs the repeated transmission.
The test checks: the mailbox holds N messages whose Message-IDs are exactly the N
expected (a retry under a new Message-ID would be stored as an unexpected message);
repeated transmissions number at most one per sending thread per kill (only messages in
flight can be repeated); every row ends ``sent``.

Sizing: 300 messages x 5 kills run in a few seconds here; the 10,000-message run is
``benchmarks/notify_throughput.py --crash`` (same code, bigger N).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import sessionmaker

from stockguard.adapters.db import migrations
from stockguard.adapters.db.engine import make_engine
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.notifications.smtp import message_id
from stockguard.services.outbox.model import Channel, Delivery

TESTS = Path(__file__).resolve().parents[1]
SENDER = "s@shop.example"
SENDING_THREADS = 2  # messaging_crash_worker.py sends with two threads


def _queue(url: str, n: int) -> set[str]:
    engine = make_engine(url)
    migrations.upgrade(engine)
    sessions = sessionmaker(bind=engine, expire_on_commit=False)
    now = datetime.now(UTC)
    with SqlRelayUnitOfWork(sessions) as uow:
        for i in range(n):
            uow.deliveries.add(
                Delivery(f"crash:{i}", "messaging", Channel.EMAIL, f"c{i}@example.org",
                         f"Back in stock #{i}", f"Hello customer {i}", now)
            )  # fmt: skip
        uow.commit()
    engine.dispose()
    return {message_id(f"crash:{i}", SENDER) for i in range(n)}


def _start_sink(tmp: Path) -> tuple[subprocess.Popen[bytes], Path, Path, int]:
    """The mailbox sink process; returns it, its stored and repeated Message-ID files and
    its port."""
    ids, repeats, port_file = tmp / "ids.txt", tmp / "repeats.txt", tmp / "port.txt"
    ids.touch()
    repeats.touch()
    sink = subprocess.Popen([sys.executable, str(TESTS / "messaging_sink.py"), str(ids),
                             str(repeats), str(port_file)])  # fmt: skip
    deadline = time.monotonic() + 20
    while not (port_file.exists() and port_file.read_text()):
        assert time.monotonic() < deadline, "the SMTP sink did not start"
        time.sleep(0.05)
    return sink, ids, repeats, int(port_file.read_text())


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text().splitlines() if line]


def run_crash_test(tmp: Path, n: int, kills: int, seed: int) -> dict[str, int]:
    """Queue ``n`` e-mails, kill the worker ``kills`` times after a random number of
    accepted messages, restart it, let it finish; returns the counts."""
    url = f"sqlite:///{tmp / 'crash.sqlite3'}"
    expected = _queue(url, n)
    sink, ids, repeats, port = _start_sink(tmp)
    rng = random.Random(seed)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    journal = tmp / "acks.journal"
    command = [sys.executable, str(TESTS / "messaging_crash_worker.py"), url, str(port),
               str(journal)]  # fmt: skip
    try:
        stops = sorted(rng.sample(range(1, n - n // 10), kills))
        for stop in stops:
            worker = subprocess.Popen(command, env=env)
            deadline = time.monotonic() + 120
            while len(_lines(ids)) < stop and worker.poll() is None:
                assert time.monotonic() < deadline, "the worker made no progress"
                time.sleep(rng.uniform(0.0005, 0.005))
            worker.send_signal(signal.SIGKILL)
            worker.wait()
        final = subprocess.run(command, env=env, timeout=300, check=False)
        assert final.returncode == 0
    finally:
        sink.kill()
        sink.wait()
    stored, repeated = _lines(ids), _lines(repeats)
    assert len(stored) == n  # exactly once each ...
    assert set(stored) == expected  # ... and nothing else
    engine = make_engine(url)
    with engine.connect() as connection:
        unsent = connection.execute(
            select(func.count()).where(NotificationDeliveryRow.status != "sent")
        ).scalar_one()
    engine.dispose()
    assert unsent == 0
    assert len(repeated) <= kills * SENDING_THREADS  # at most the messages in flight per kill
    return {"messages": n, "delivered": len(stored), "distinct": len(set(stored)),
            "repeated_transmissions": len(repeated), "kills": kills}  # fmt: skip


@pytest.mark.slow
def test_worker_killed_at_five_random_points_delivers_every_message(tmp_path: Path) -> None:
    counts = run_crash_test(tmp_path, n=300, kills=5, seed=20261125)
    print(counts)
    assert counts["delivered"] == counts["distinct"] == 300
