"""Two workers at once on PostgreSQL never handle one outbox row or one delivery twice.

Each worker has its own engine (as two processes would) on a database of this test's
own; a barrier starts them together and small batches make their claims interleave.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from integration.alert_receivers import put_event
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_alerts import AlertRow, NotificationDeliveryRow
from stockguard.bootstrap import App, bootstrap
from stockguard.config import DatabaseSettings, Settings, WorkerSettings
from stockguard.domain import events
from stockguard.entrypoints.worker import build_worker
from stockguard.services.alerts import handlers
from stockguard.services.alerts.validation import parse_rules_text
from stockguard.services.outbox.model import Channel, Delivery

from builders import a_location, a_product
from conftest import scratch_postgres_database

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
EVENTS = 240


@pytest.fixture
def database_url() -> Iterator[str]:
    with scratch_postgres_database("worker") as url:
        yield url


class SlowRecorder:
    """A transport that takes a little time and records every key it sent."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        self.lock = threading.Lock()

    def send(self, delivery: Delivery) -> None:
        time.sleep(0.002)
        with self.lock:
            self.keys.append(delivery.idempotency_key)


def wire(url: str) -> App:
    worker = WorkerSettings(batch_size=5)
    return bootstrap(Settings(database=DatabaseSettings(url=url), worker=worker))


def run_together(jobs: list[threading.Thread]) -> None:
    for job in jobs:
        job.start()
    for job in jobs:
        job.join(timeout=120)


def test_two_workers_relay_and_send_every_row_exactly_once(database_url: str) -> None:
    setup = wire(database_url)
    with setup.unit_of_work() as uow:
        uow.locations.add(a_location("PAR"))
        for n in range(10):
            uow.products.add(a_product(f"MUG-{n}"))
        uow.commit()
    rules = parse_rules_text(
        "rules:\n  - {name: all, webhook: 'http://x.invalid/h', throttle_hours: 0}\n", "r.yaml"
    )
    handlers.save_rules(rules, "r.yaml", lambda: SqlRelayUnitOfWork(setup.sessions), T0)
    for n in range(EVENTS):
        put_event(setup, events.StockedOut(sku=f"MUG-{n % 10}", location="PAR", on_hand=0), T0)

    apps = [wire(database_url), wire(database_url)]
    recorder = SlowRecorder()
    workers = [
        build_worker(app, clock=lambda: T0, channel_transports={Channel.WEBHOOK: recorder})
        for app in apps
    ]
    start = threading.Barrier(2)
    relayed = [0, 0]
    sent = [0, 0]

    def relay(index: int) -> None:
        start.wait()
        relayed[index] = workers[index].relay_outbox_job().relayed

    def send(index: int) -> None:
        start.wait()
        sent[index] = workers[index].send_deliveries_job().sent

    run_together([threading.Thread(target=relay, args=(i,)) for i in range(2)])
    run_together([threading.Thread(target=send, args=(i,)) for i in range(2)])

    with setup.sessions() as session:
        per_row = Counter(session.execute(select(t.table_of(AlertRow).c.outbox_id)).scalars())
        unrelayed = session.execute(
            select(func.count()).where(t.table_of(t.OutboxRow).c.relayed_at.is_(None))
        ).scalar_one()
        statuses = Counter(
            session.execute(select(t.table_of(NotificationDeliveryRow).c.status)).scalars()
        )
    for app in (setup, *apps):
        app.engine.dispose()
    assert sum(relayed) == EVENTS
    assert len(per_row) == EVENTS
    assert set(per_row.values()) == {1}
    assert unrelayed == 0
    assert sum(sent) == EVENTS
    assert statuses == {"sent": EVENTS}
    assert len(recorder.keys) == len(set(recorder.keys)) == EVENTS
