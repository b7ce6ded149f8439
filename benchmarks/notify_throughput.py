"""Back-in-stock e-mail throughput: N customer messages through the worker's sender to a
local SMTP sink, against a bare smtplib loop sending the same messages in the same run.

Setup (not timed): a SQLite database in a temporary folder, N ``back_in_stock`` e-mails
for one SKU rendered with the product's templates (fr and en alternating, signed click
and unsubscribe links, List-Unsubscribe headers) and queued in ``notification_delivery``,
as a restock of one SKU with N confirmed subscribers and enough stock produces them. The
wave logic is not driven here: the benchmark measures delivery, from the queue to the
sink.

Timed: (1) the worker's ``Sender`` (``entrypoints.worker.build_worker``: claim a batch in
one transaction, send each message through ``SmtpTransport``, mark it sent in its own
transaction) until the queue is empty; (2) a bare loop: the same N ``EmailMessage``
objects sent with ``smtplib.SMTP.send_message`` over one connection, nothing recorded.
The sink is ``benchmarks/_smtp_sink.py`` (aiosmtpd) in its own process and counts every
message and Message-ID; both runs must deliver N distinct messages.

    python benchmarks/notify_throughput.py [--messages 100000] [--crash 10000]

``--crash N`` also runs the crash test of tests/integration/test_delivery_crash.py at full
size: a worker process sending N messages to the sink is SIGKILLed at 5 random points and
restarted; every Message-ID must arrive (keys ``crash_messages``, ``crash_received``,
``crash_distinct``, ``crash_duplicates``, ``crash_seconds``).

Keys of benchmarks/results/notify_throughput.json: ``messages`` (N), ``seconds`` (the
worker's sending time), ``messages_per_second``, ``bare_smtplib_seconds``,
``ratio_to_bare_smtplib`` (seconds / bare seconds: how many times slower than a loop that
records nothing), ``setup_seconds``, ``distinct_received``, ``target_seconds`` (120).
"""

from __future__ import annotations

import argparse
import json
import platform
import smtplib
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from stockguard.adapters.notifications.smtp import SmtpTransport
from stockguard.adapters.notifications.smtp_pool import PooledSmtpTransport, fast_message
from stockguard.adapters.notifications.templates import install_default
from stockguard.bootstrap import bootstrap, link_config
from stockguard.config import DatabaseSettings, Settings
from stockguard.entrypoints.worker import build_worker
from stockguard.services.consent.links import unsubscribe_headers, unsubscribe_url
from stockguard.services.messaging.compose import customer_delivery
from stockguard.services.messaging.links import Click, click_url
from stockguard.services.messaging.registry import SAMPLES
from stockguard.services.messaging.render import render
from stockguard.services.outbox.model import Channel, Delivery

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "notify_throughput.json"
SENDER = "shop@shop.example"
TARGET_SECONDS = 120.0


def _deliveries(settings: Settings, n: int) -> list[Delivery]:
    secret = settings.messaging.secret.get_secret_value().encode()
    links = link_config(settings)
    now = datetime.now(UTC)
    out = []
    for i in range(n):
        key = f"bis:MUG-01:restock-1:{i}"
        context = {
            **SAMPLES["back_in_stock"],
            "name": f"Client {i}",
            "link": click_url(secret, settings.messaging.public_base_url,
                              Click(key, "back_in_stock", "MUG-01", "https://shop.example/p/MUG-01")),
            "unsubscribe_link": unsubscribe_url(i + 1, links, now=now),
        }  # fmt: skip
        message = render("back_in_stock", "fr" if i % 2 else "en", context)
        out.append(customer_delivery(
            message, idempotency_key=key, channel=Channel.EMAIL, target=f"c{i}@example.org",
            template="back_in_stock", sku="MUG-01", created_at=now,
            headers=unsubscribe_headers(i + 1, links, now=now)))  # fmt: skip
    return out


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
    started = time.perf_counter()
    settings = Settings(database=DatabaseSettings(url=f"sqlite:///{folder / 'bench.sqlite3'}"))
    app = bootstrap(settings)
    install_default()
    deliveries = _deliveries(settings, n)
    worker = build_worker(app, channel_transports={})
    with worker.uow_factory() as uow:
        for delivery in deliveries:
            uow.deliveries.add(delivery)
        uow.commit()
    setup = time.perf_counter() - started

    sink = Sink(folder, "worker")
    try:
        transport = SmtpTransport(host="127.0.0.1", port=sink.port, sender=SENDER)
        pooled = PooledSmtpTransport(transport)
        worker = build_worker(app, channel_transports={Channel.EMAIL: pooled})
        worker.sender.batch_size = 200
        t0 = time.perf_counter()
        report = worker.sender.drain()
        seconds = time.perf_counter() - t0
        time.sleep(0.2)
        received = sink.received()
    finally:
        sink.stop()
    assert report.sent == n, report
    messages = [fast_message(transport, d) for d in deliveries]
    bare = Sink(folder, "bare")
    try:
        t0 = time.perf_counter()
        with smtplib.SMTP("127.0.0.1", bare.port) as client:
            for delivery, message in zip(deliveries, messages, strict=True):
                client.sendmail(SENDER, [delivery.target], message)
        bare_seconds = time.perf_counter() - t0
        time.sleep(0.2)
        bare_received = bare.received()
    finally:
        bare.stop()
    return {
        "messages": n,
        "seconds": round(seconds, 2),
        "messages_per_second": round(n / seconds, 1),
        "bare_smtplib_seconds": round(bare_seconds, 2),
        "bare_messages_per_second": round(n / bare_seconds, 1),
        "ratio_to_bare_smtplib": round(seconds / bare_seconds, 2),
        "setup_seconds": round(setup, 2),
        "received": len(received),
        "distinct_received": len(set(received)),
        "bare_distinct_received": len(set(bare_received)),
        "target_seconds": TARGET_SECONDS,
        "machine": f"{platform.machine()} {platform.python_version()}",
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
    print(f"{'run':<28}{'messages':>10}{'seconds':>10}{'msg/s':>10}")
    print(
        f"{'stockguard worker sender':<28}{result['messages']:>10}{result['seconds']:>10}"
        f"{result['messages_per_second']:>10}"
    )
    print(
        f"{'bare smtplib loop':<28}{result['messages']:>10}{result['bare_smtplib_seconds']:>10}"
        f"{result['bare_messages_per_second']:>10}"
    )
    print(f"ratio to bare smtplib: {result['ratio_to_bare_smtplib']}  "
          f"(distinct received: {result['distinct_received']}, setup {result['setup_seconds']} s, "
          f"target <= {TARGET_SECONDS:.0f} s)")  # fmt: skip
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
