"""Deliveries through the worker: at least once with a stable idempotency key, a lease so
two workers never send one row together, exponential backoff, permanent refusals."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from integration.alert_receivers import put_event, webhook_receiver
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_alerts import NotificationDeliveryRow
from stockguard.adapters.notifications.webhook import WebhookTransport
from stockguard.bootstrap import App
from stockguard.domain import commands, events
from stockguard.entrypoints.worker import CycleReport, build_worker
from stockguard.services.alerts import handlers
from stockguard.services.alerts.validation import parse_rules_text
from stockguard.services.outbox.model import Channel, Delivery

from builders import a_location, a_product
from conftest import random_sku

T0 = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
DELIVERIES = t.table_of(NotificationDeliveryRow)


class Crash(Exception):
    """The worker process dies (power cut, OOM kill) right after the transport sent."""


class CrashAfterSend:
    def __init__(self, inner: WebhookTransport) -> None:
        self.inner = inner

    def send(self, delivery: Delivery) -> None:
        self.inner.send(delivery)
        raise Crash("killed between send and acknowledge")


def one_stock_out(app: App, url: str) -> str:
    """A rule posting to ``url`` and one StockedOut event in the outbox; returns the SKU."""
    sku = random_sku("MUG")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()
    rules = parse_rules_text(f"rules:\n  - {{name: hook-{sku}, webhook: '{url}'}}\n", "r.yaml")
    handlers.save_rules(rules, "r.yaml", lambda: SqlRelayUnitOfWork(app.sessions), T0)
    put_event(app, events.StockedOut(sku=sku, location="PAR", on_hand=0), T0)
    return sku


def delivery_row(app: App) -> Any:
    with app.sessions() as session:
        return session.execute(select(DELIVERIES)).one()


def test_a_crash_between_send_and_acknowledge_resends_once_with_the_same_key(app: App) -> None:
    with webhook_receiver() as hook:
        sku = one_stock_out(app, hook.url)
        now = [T0]
        crashing = {Channel.WEBHOOK: CrashAfterSend(WebhookTransport(timeout=5))}
        first = build_worker(app, clock=lambda: now[0], channel_transports=crashing)
        try:
            first.cycle()
            raise AssertionError("the worker should have crashed")
        except Crash:
            pass
        assert len(hook.calls) == 1
        assert (delivery_row(app).status, delivery_row(app).attempts) == ("sending", 1)

        restarted = build_worker(
            app, clock=lambda: now[0], channel_transports={Channel.WEBHOOK: WebhookTransport()}
        )
        assert restarted.cycle().sent.sent == 0  # the lease still holds: no concurrent resend
        now[0] = T0 + timedelta(seconds=app.settings.worker.lease_seconds + 1)
        assert restarted.cycle().sent.sent == 1
        assert restarted.cycle().idle

    assert len(hook.calls) == 2  # at least once: the receiver got it twice...
    assert hook.distinct_keys == {delivery_row(app).idempotency_key}  # ...under one key
    row = delivery_row(app)
    assert (row.status, row.attempts, row.sent_at) == ("sent", 2, now[0])
    assert f"Out of stock: {sku}" in hook.calls[0][1]["text"]


def test_failed_webhooks_back_off_exponentially_then_succeed(app: App) -> None:
    with webhook_receiver() as hook:
        one_stock_out(app, hook.url)
        hook.status = 503
        now = [T0]
        worker = build_worker(app, clock=lambda: now[0])
        report = worker.cycle()
        assert (report.relayed.relayed, report.sent.retrying) == (1, 1)
        row = delivery_row(app)
        assert (row.status, row.next_attempt_at) == ("pending", T0 + timedelta(seconds=30))
        assert row.last_error == "HTTP 503 from 127.0.0.1"

        now[0] = T0 + timedelta(seconds=30)
        worker.cycle()
        assert delivery_row(app).next_attempt_at == now[0] + timedelta(seconds=60)
        now[0] += timedelta(seconds=59)
        assert worker.cycle().idle  # not due yet
        hook.status = 200
        now[0] += timedelta(seconds=1)
        assert worker.cycle().sent.sent == 1

    assert len(hook.calls) == 3
    assert len(hook.distinct_keys) == 1
    assert (delivery_row(app).status, delivery_row(app).attempts) == ("sent", 3)


def test_a_webhook_answering_404_fails_for_good_at_once(app: App) -> None:
    with webhook_receiver() as hook:
        one_stock_out(app, hook.url)
        hook.status = 404
        worker = build_worker(app, clock=lambda: T0)
        assert worker.cycle().sent.failed == 1
        assert worker.cycle().idle
    row = delivery_row(app)
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "HTTP 404 from 127.0.0.1")


def test_a_sale_that_empties_the_shelf_reaches_the_webhook_through_the_outbox(app: App) -> None:
    sku = random_sku("MUG")
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()
    with webhook_receiver() as hook:
        document = (
            f"rules:\n  - {{name: out-{sku}, skus: [{sku}], events: [StockedOut], "
            f"webhook: '{hook.url}'}}\n"
        )
        rules = parse_rules_text(document, "r.yaml")
        handlers.save_rules(rules, "r.yaml", lambda: SqlRelayUnitOfWork(app.sessions), T0)
        app.bus.handle(commands.RecordAdjustment(sku, "PAR", 5, T0, f"{sku}-found"))
        app.bus.handle(commands.RecordSale(sku, "PAR", 5, T0, f"{sku}-sale"))
        # the events are stamped when recorded (real time), so the worker's clock must be
        # past that, not past T0: a fixed clock made this test fail once T0 was in the past
        soon = datetime.now(UTC) + timedelta(minutes=1)
        worker = build_worker(app, clock=lambda: soon)
        stop = threading.Event()
        reports: list[CycleReport] = []

        def after_cycle(report: CycleReport) -> None:
            reports.append(report)
            stop.set()

        worker.run(stop, on_cycle=after_cycle)

    [report] = reports
    assert report.relayed.relayed >= 4  # 2 MovementRecorded, BackInStock, StockedOut
    assert report.sent.sent == 1
    [(_, body)] = hook.calls
    assert body["text"].startswith(f"Out of stock: {sku} (Product {sku}) at Paris")
