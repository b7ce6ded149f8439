"""Back-in-stock e-mail throughput: a restock told to N confirmed subscribers, from the
stock movement to the last message accepted by a local SMTP sink, against a bare
smtplib loop sending the same messages in the same run.

Setup (not timed): a SQLite database in a temporary folder with one product (MUG-01, out
of stock, one location) and N confirmed e-mail subscriptions, fr and en alternating,
written straight into ``back_in_stock_subscription`` (what double opt-in leaves behind).

Timed, the product's own path with the worker as ``stockguard worker`` runs it
(``entrypoints.worker.build_worker`` with its default settings: the SMTP connection kept
open (``STOCKGUARD_SMTP__KEEP_OPEN``), two sending threads, batches of 100 acknowledged
through the acknowledgement journal):
  1. ``wave``: ``RecordAdjustment`` brings back ``ceil(N / factor)`` units through the
     message bus; the worker's relay hands ``BackInStock`` to the wave subscriber, which
     picks the N subscribers first come first served and queues one rendered message
     each (fr/en templates, signed unsubscribe link, List-Unsubscribe headers);
  2. ``send``: the worker's sender drains the queue to the sink.
``seconds`` = wave + send, the whole time from the restock to the last message.

Peer, same run: the same N messages (the very bytes the worker sent, built before the
clock starts) sent by a bare ``smtplib.SMTP.sendmail`` loop over one connection,
recording nothing. The sink is ``benchmarks/_smtp_sink.py`` (aiosmtpd) in its own
process; it records every Message-ID, and both runs must deliver N distinct messages.

    python benchmarks/notify_throughput.py [--messages 100000] [--crash 10000]

``--crash N`` also runs the crash test of tests/integration/test_delivery_crash.py at full
size: a worker process sending N messages to the sink is SIGKILLed at 5 random points and
restarted; the sink's mailbox must hold each of the N Message-IDs exactly once (keys
``crash_messages``, ``crash_delivered``, ``crash_distinct``,
``crash_repeated_transmissions``: copies the mailbox dropped as already held,
``crash_kills``, ``crash_seconds``).

Keys of benchmarks/results/notify_throughput.json: ``messages`` (N), ``seconds`` (restock
to last message), ``wave_seconds``, ``send_seconds``, ``messages_per_second``
(N / seconds), ``bare_smtplib_seconds``, ``ratio_to_bare_smtplib`` (seconds / bare
seconds), ``send_ratio_to_bare_smtplib`` (send seconds / bare seconds), ``setup_seconds``,
``distinct_received``, ``target_seconds`` (120), ``load_before`` (1-minute load average).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.deliveries import delivery_from_row
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.db.tables_subscriptions import BackInStockSubscriptionRow
from stockguard.adapters.notifications.ack_journal import FileAckJournal
from stockguard.adapters.notifications.templates import install_default
from stockguard.adapters.notifications.wire import wire_message
from stockguard.bootstrap import App, bootstrap
from stockguard.config import DatabaseSettings, Settings, SmtpSettings
from stockguard.domain import commands
from stockguard.domain.catalog import Location, Product
from stockguard.entrypoints.worker import build_worker

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "notify_throughput.json"
SENDER = "shop@shop.example"
SKU, LOCATION = "MUG-01", "PAR"
TARGET_SECONDS = 120.0
SUBSCRIPTIONS = t.table_of(BackInStockSubscriptionRow)
DELIVERIES = t.table_of(NotificationDeliveryRow)


def _seed(app: App, n: int) -> None:
    """The product, its location and ``n`` confirmed subscriptions (one a second)."""
    with app.unit_of_work() as uow:
        uow.products.add(
            Product(sku=SKU, title="Mug bleu", price=Decimal("12.50"), category="mugs")
        )
        uow.locations.add(Location(code=LOCATION, name="Paris"))
        uow.commit()
    signed_up = datetime(2026, 10, 1, tzinfo=UTC)
    rows = [
        {"sku": SKU, "channel": "email", "contact": f"c{i}@example.org", "status": "confirmed",
         "locale": "fr" if i % 2 else "en", "consent_text": "Tell me when it is back",
         "consent_at": signed_up + timedelta(seconds=i), "consent_source": "widget",
         "ip_hash": None, "created_at": signed_up + timedelta(seconds=i),
         "confirmed_at": signed_up + timedelta(seconds=i + 30), "unsubscribed_at": None}
        for i in range(n)
    ]  # fmt: skip
    with app.sessions() as session:
        for start in range(0, n, 5000):
            session.execute(insert(SUBSCRIPTIONS), rows[start : start + 5000])
        session.commit()


def _sent_messages(app: App) -> list[tuple[str, bytes]]:
    """(recipient, wire bytes) of every queued delivery, as the worker built them."""
    with app.sessions() as session:
        rows = session.execute(select(DELIVERIES).order_by(DELIVERIES.c.id)).all()
    return [(row.target, wire_message(SENDER, delivery_from_row(row))) for row in rows]


class Sink:
    def __init__(self, folder: Path, name: str) -> None:
        self.ids = folder / f"{name}.ids"
        port_file = folder / f"{name}.port"
        self.ids.touch()
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / "_smtp_sink.py"), str(self.ids), str(port_file)]
        )
        while not (port_file.exists() and port_file.read_text()):
            time.sleep(0.05)
        self.port = int(port_file.read_text())

    def received(self) -> list[str]:
        return [line for line in self.ids.read_text().splitlines() if line]

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


def run(n: int, folder: Path) -> dict[str, float | int | str]:
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    sink = Sink(folder, "worker")
    settings = Settings(
        database=DatabaseSettings(url=f"sqlite:///{folder / 'bench.sqlite3'}"),
        smtp=SmtpSettings(host="127.0.0.1", port=sink.port, sender=SENDER, keep_open=True),
    )
    app = bootstrap(settings)
    install_default()
    _seed(app, n)
    journal = FileAckJournal(folder / "acks.journal")
    worker = build_worker(app, journal=journal)
    units = math.ceil(n / settings.waves.factor)
    setup = time.perf_counter() - started
    try:
        t0 = time.perf_counter()
        app.bus.handle(
            commands.RecordAdjustment(SKU, LOCATION, units, datetime.now(UTC), "restock-1")
        )
        relayed = worker.relay_outbox_job()
        t1 = time.perf_counter()
        report = worker.sender.drain()
        t2 = time.perf_counter()
        time.sleep(0.2)
        received = sink.received()
    finally:
        sink.stop()
        journal.close()
    assert relayed.failed == 0, relayed
    assert report.sent == n, report
    messages = _sent_messages(app)
    bare = Sink(folder, "bare")
    try:
        t3 = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", bare.port) as client:
            for target, message in messages:
                client.sendmail(SENDER, [target], message)
        bare_seconds = time.perf_counter() - t3
        time.sleep(0.2)
        bare_received = bare.received()
    finally:
        bare.stop()
    seconds = t2 - t0
    return {
        "messages": n,
        "seconds": round(seconds, 2),
        "wave_seconds": round(t1 - t0, 2),
        "send_seconds": round(t2 - t1, 2),
        "messages_per_second": round(n / seconds, 1),
        "bare_smtplib_seconds": round(bare_seconds, 2),
        "bare_messages_per_second": round(n / bare_seconds, 1),
        "ratio_to_bare_smtplib": round(seconds / bare_seconds, 2),
        "send_ratio_to_bare_smtplib": round((t2 - t1) / bare_seconds, 2),
        "setup_seconds": round(setup, 2),
        "received": len(received),
        "distinct_received": len(set(received)),
        "bare_distinct_received": len(set(bare_received)),
        "target_seconds": TARGET_SECONDS,
        "senders": settings.worker.senders,
        "send_batch_size": settings.worker.send_batch_size,
        "load_before": round(load_before, 2),
        "machine": f"{platform.machine()} {platform.python_version()} {os.cpu_count()} CPUs",
    }


def _crash(n: int) -> dict[str, Any]:
    tests = HERE.parent / "tests"
    sys.path[:0] = [str(tests), str(tests / "integration")]
    from test_delivery_crash import run_crash_test  # the suite's function, full size

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        counts = run_crash_test(Path(tmp), n=n, kills=5, seed=n)
        seconds = time.perf_counter() - t0
    print(f"crash test: {counts} in {seconds:.1f} s")
    return {f"crash_{key}": value for key, value in counts.items()} | {
        "crash_seconds": round(seconds, 1)
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--messages", type=int, default=100_000, help="N (default 100000)")
    parser.add_argument("--crash", type=int, default=0, help="also the crash test with N messages")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        result: dict[str, Any] = dict(run(args.messages, Path(tmp)))
    if args.crash:
        result |= _crash(args.crash)
    rows = [
        ("stockguard: restock -> wave queued", result["wave_seconds"], ""),
        ("stockguard: queue -> sink", result["send_seconds"], ""),
        ("stockguard: total", result["seconds"], result["messages_per_second"]),
        ("bare smtplib loop, same bytes", result["bare_smtplib_seconds"],
         result["bare_messages_per_second"]),
    ]  # fmt: skip
    print(f"{'run (' + str(result['messages']) + ' messages)':<40}{'seconds':>10}{'msg/s':>10}")
    for name, secs, rate in rows:
        print(f"{name:<40}{secs:>10}{rate:>10}")
    print(f"ratio to bare smtplib: total {result['ratio_to_bare_smtplib']}, sending alone "
          f"{result['send_ratio_to_bare_smtplib']}  (distinct received: "
          f"{result['distinct_received']}, setup {result['setup_seconds']} s, target "
          f"<= {TARGET_SECONDS:.0f} s, load before {result['load_before']})")  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
