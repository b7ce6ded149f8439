"""Alert relay: an alert storm through the worker, throttled, against sending every flip.

A seeded storm of risk flips (``StockoutRiskRaised`` / ``RiskCleared`` alternating, at
random times over one day) for ``--skus`` SKUs at one location is written to the outbox of
a fresh database (a SQLite file, or ``--database``), with three rules: every alert event
by e-mail (6 h throttle), one category by webhook (6 h throttle) and a daily digest. The
worker then relays everything (``relay_outbox_job``), queues the digest at 08:00 the next
day, and sends the deliveries through a transport that only records them.

Peer, in the same run: a relay without throttling or digests, which sends one message per
matching event and rule (what a naive "notify on every state change" does); the table
shows how many messages each sends and the ratio.

Keys of benchmarks/results/alert_relay.json: ``events``, ``relay_seconds``,
``relay_events_per_second``, ``send_seconds``, ``send_deliveries_per_second``,
``messages_sent`` (deliveries, digests included), ``messages_without_throttle`` (peer),
``message_ratio_vs_unthrottled``, ``max_messages_per_key_per_window`` (must be 1),
``alerts_by_status``.

    python benchmarks/alert_relay.py [--skus 300] [--flips 24] [--database URL]

Needs no data files; a few seconds on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import func, insert, select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_alerts import AlertRow
from stockguard.bootstrap import App, bootstrap
from stockguard.config import DatabaseSettings, Settings
from stockguard.domain import catalog
from stockguard.services.alerts import handlers
from stockguard.services.alerts.validation import parse_rules_text
from stockguard.services.outbox.model import Channel, Delivery

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "alert_relay.json"
DAY = datetime(2026, 11, 2, tzinfo=UTC)
WINDOW_HOURS = 6
RULES = f"""rules:
  - {{name: ops, email: [ops@shop.example], throttle_hours: {WINDOW_HOURS}}}
  - {{name: mugs, categories: [Mugs], webhook: 'https://hooks.example.com/m',
      throttle_hours: {WINDOW_HOURS}}}
  - {{name: summary, email: [manager@shop.example], digest: daily, digest_hour: 8}}
"""


class Recorder:
    def __init__(self) -> None:
        self.sent: list[Delivery] = []

    def send(self, delivery: Delivery) -> None:
        self.sent.append(delivery)


def seed(app: App, skus: int) -> None:
    with app.unit_of_work() as uow:
        uow.locations.add(catalog.Location(code="PAR", name="Paris"))
        for n in range(skus):
            category = "Mugs" if n % 3 == 0 else "Tea"
            uow.products.add(
                catalog.Product(
                    sku=f"SKU-{n:05d}", title=f"Item {n}", price=Decimal("10"), category=category
                )
            )
        uow.commit()
    rules = parse_rules_text(RULES, "benchmark rules")
    handlers.save_rules(rules, "benchmark", lambda: SqlRelayUnitOfWork(app.sessions), DAY)


def storm(skus: int, flips: int, rng: random.Random) -> list[dict[str, Any]]:
    """Outbox rows: per SKU ``flips`` alternating raised/cleared events, random times."""
    rows: list[dict[str, Any]] = []
    for n in range(skus):
        times = sorted(DAY + timedelta(seconds=rng.uniform(0, 86_400)) for _ in range(flips))
        for k, at in enumerate(times):
            base: dict[str, Any] = {"sku": f"SKU-{n:05d}", "location": "PAR"}
            if k % 2 == 0:
                payload = {
                    **base, "state": "at_risk", "previous_state": "ok",
                    "probability": round(rng.uniform(0.5, 0.95), 2),
                    "projected_stockout": "2026-11-05", "expected_lost_revenue": "120.00",
                }  # fmt: skip
                rows.append({"event_type": "StockoutRiskRaised", "payload": payload, "at": at})
            else:
                payload = {**base, "state": "ok", "previous_state": "at_risk"}
                rows.append({"event_type": "RiskCleared", "payload": payload, "at": at})
    rows.sort(key=lambda row: row["at"])
    return rows


def write_outbox(app: App, rows: list[dict[str, Any]]) -> None:
    values = [
        {"event_type": r["event_type"], "payload": r["payload"], "created_at": r["at"]}
        for r in rows
    ]
    with app.sessions() as session:
        session.execute(insert(t.table_of(t.OutboxRow)), values)
        session.commit()


def unthrottled_messages(rows: list[dict[str, Any]], skus: int) -> int:
    """The peer: one message per event per matching rule and recipient."""
    mugs = {f"SKU-{n:05d}" for n in range(skus) if n % 3 == 0}
    return sum(2 + (r["payload"]["sku"] in mugs) for r in rows)


def max_per_window(app: App) -> int:
    alerts = t.table_of(AlertRow)
    with app.sessions() as session:
        sent = session.execute(
            select(alerts.c.rule_id, alerts.c.sku, alerts.c.event_type, alerts.c.occurred_at)
            .where(alerts.c.status == "sent")
            .order_by(alerts.c.occurred_at)
        ).all()
    per_window = Counter(
        (row.rule_id, row.sku, row.event_type, row.occurred_at.hour // WINDOW_HOURS) for row in sent
    )
    return max(per_window.values(), default=0)


def run(args: argparse.Namespace, database: str) -> dict[str, Any]:
    from stockguard.entrypoints.worker import build_worker

    app = bootstrap(Settings(database=DatabaseSettings(url=database)))
    seed(app, args.skus)
    rows = storm(args.skus, args.flips, random.Random(args.seed))
    write_outbox(app, rows)
    recorder = Recorder()
    clock = [DAY + timedelta(days=1, hours=8)]
    transports = {Channel.EMAIL: recorder, Channel.WEBHOOK: recorder}
    worker = build_worker(app, clock=lambda: clock[0], channel_transports=transports)
    worker.relay.batch_size = args.batch_size

    started = time.perf_counter()
    relayed = worker.relay_outbox_job()
    relay_seconds = time.perf_counter() - started
    digests = worker.send_digests_job()
    started = time.perf_counter()
    sent = worker.send_deliveries_job()
    send_seconds = time.perf_counter() - started
    with app.sessions() as session:
        alerts = t.table_of(AlertRow)
        query = select(alerts.c.status, func.count()).group_by(alerts.c.status)
        by_status: dict[str, int] = {str(row[0]): int(row[1]) for row in session.execute(query)}
    messages_sent = len(recorder.sent)
    unthrottled = unthrottled_messages(rows, args.skus)
    result: dict[str, Any] = {
        "events": len(rows),
        "relayed": relayed.relayed,
        "relay_seconds": relay_seconds,
        "relay_events_per_second": len(rows) / relay_seconds,
        "digests": digests,
        "send_seconds": send_seconds,
        "send_deliveries_per_second": sent.sent / send_seconds if send_seconds else None,
        "messages_sent": messages_sent,
        "messages_without_throttle": unthrottled,
        "message_ratio_vs_unthrottled": messages_sent / unthrottled,
        "max_messages_per_key_per_window": max_per_window(app),
        "alerts_by_status": by_status,
    }
    app.engine.dispose()
    return result


def print_table(console: Console, result: dict[str, Any], database: str) -> None:
    table = Table(
        title=f"Alert storm: {result['events']:,} risk flips ({database.split(':', maxsplit=1)[0]})"
    )
    table.add_column("Relay")
    table.add_column("Messages", justify="right")
    table.add_column("Ratio", justify="right")
    table.add_row("without throttle (peer)", f"{result['messages_without_throttle']:,}", "1.000")
    table.add_row(
        f"stockguard ({WINDOW_HOURS} h throttle + digest)",
        f"{result['messages_sent']:,}",
        f"{result['message_ratio_vs_unthrottled']:.3f}",
    )
    console.print(table)
    speed = Table(title="Worker speed")
    for name in ("Step", "Seconds", "Per second"):
        speed.add_column(name, justify="right" if name != "Step" else "left")
    speed.add_row(
        "relay (alerts decided, deliveries queued)",
        f"{result['relay_seconds']:.2f}", f"{result['relay_events_per_second']:,.0f} events",
    )  # fmt: skip
    per_second = result["send_deliveries_per_second"] or 0.0
    speed.add_row(
        "send (recording transport)", f"{result['send_seconds']:.2f}",
        f"{per_second:,.0f} deliveries",
    )  # fmt: skip
    console.print(speed)
    console.print(
        f"alerts by status {result['alerts_by_status']}; max messages per rule x SKU x event "
        f"per {WINDOW_HOURS} h window: {result['max_messages_per_key_per_window']}"
    )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--skus", type=int, default=300, help="SKUs in the storm.")
    parser.add_argument("--flips", type=int, default=24, help="State changes per SKU per day.")
    parser.add_argument("--batch-size", type=int, default=50, help="Outbox rows per batch.")
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--database", help="Database URL [default: a temporary SQLite file].")
    parser.add_argument("--output", type=Path, default=RESULTS)
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=120)
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or f"sqlite:///{Path(folder) / 'alerts.sqlite3'}"
        result = run(args, database)
    print_table(console, result, database)
    payload = {
        "benchmark": "alert_relay",
        "parameters": {k: v for k, v in vars(args).items() if k not in ("output", "database")},
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        **result,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(payload, indent=2, default=str))
    console.print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
