"""The outbox relay and the alert rules on SQLite and PostgreSQL: atomic relay, throttled
storms, daily digests, rules refused as a whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from integration.alert_receivers import put_event
from stockguard.adapters.db import tables as t
from stockguard.adapters.db.alerts import read_rules
from stockguard.adapters.db.outbox_relay import SqlRelayUnitOfWork
from stockguard.adapters.db.tables_alerts import AlertRow, NotificationDeliveryRow
from stockguard.bootstrap import App
from stockguard.domain import commands, events
from stockguard.entrypoints.worker import build_worker
from stockguard.services.alerts import handlers
from stockguard.services.alerts.validation import AlertRulesRejected, parse_rules_text
from stockguard.services.outbox.model import OutboxMessage
from stockguard.services.outbox.relay import Relay

from builders import a_location, a_product
from conftest import random_sku

START = datetime(2026, 11, 2, 0, 0, tzinfo=UTC)
ALERTS = t.table_of(AlertRow)
DELIVERIES = t.table_of(NotificationDeliveryRow)
OUTBOX = t.table_of(t.OutboxRow)


def seed(app: App, sku: str, *, category: str = "Mugs") -> None:
    with app.unit_of_work() as uow:
        uow.products.add(a_product(sku, category=category, title="Blue mug"))
        if uow.locations.get("PAR") is None:
            uow.locations.add(a_location("PAR", name="Paris"))
        uow.commit()


def add_rules(app: App, text: str, now: datetime = START) -> None:
    rules = parse_rules_text(text, "rules.yaml")
    handlers.save_rules(rules, "rules.yaml", lambda: SqlRelayUnitOfWork(app.sessions), now)


def raised(sku: str, probability: float = 0.8) -> events.StockoutRiskRaised:
    return events.StockoutRiskRaised(
        sku=sku,
        location="PAR",
        state="at_risk",
        previous_state="watch",
        probability=probability,
        projected_stockout="2026-12-03",
        expected_lost_revenue="1240.00",
    )


def cleared(sku: str) -> events.RiskCleared:
    return events.RiskCleared(sku=sku, location="PAR", state="ok", previous_state="at_risk")


def statuses(app: App, sku: str) -> dict[str, int]:
    with app.sessions() as session:
        rows = session.execute(
            select(ALERTS.c.status, func.count())
            .where(ALERTS.c.sku == sku)
            .group_by(ALERTS.c.status)
        ).all()
    return {status: count for status, count in rows}


def test_an_alert_storm_gives_one_alert_per_window_and_counts_what_it_held_back(app: App) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    add_rules(
        app,
        f"""rules:
  - name: storm-{sku}
    events: [StockoutRiskRaised, RiskCleared]
    skus: [{sku}]
    webhook: https://hooks.example.com/ops
    throttle_hours: 6
""",
    )
    for flip in range(100):  # 50 raised + 50 cleared, one flip every 14.4 minutes
        event = raised(sku) if flip % 2 == 0 else cleared(sku)
        put_event(app, event, START + timedelta(minutes=14.4 * flip))
    worker = build_worker(app, clock=lambda: START + timedelta(days=1), channel_transports={})

    report = worker.relay_outbox_job()

    assert report.relayed == 100
    counts = statuses(app, sku)
    assert counts["sent"] == 8  # 24 h / 6 h windows x 2 event types
    assert counts["suppressed"] == 92
    with app.sessions() as session:
        bodies = session.execute(
            select(ALERTS.c.body, ALERTS.c.suppressed_before)
            .where(ALERTS.c.sku == sku, ALERTS.c.status == "sent")
            .order_by(ALERTS.c.id)
        ).all()
        queued = session.execute(select(func.count()).select_from(DELIVERIES)).scalar_one()
    assert queued == 8
    assert bodies[0].suppressed_before == 0
    assert "80% chance of running out before the next delivery" in bodies[0].body
    assert "projected stock-out on 3 Dec 2026" in bodies[0].body
    assert "EUR 1,240" in bodies[0].body
    later = [row for row in bodies[2:] if row.suppressed_before > 0]
    assert later
    assert f"{later[0].suppressed_before} similar alert(s) held back" in later[0].body


def test_the_relay_marks_a_row_relayed_only_with_what_its_subscribers_wrote(app: App) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    add_rules(
        app,
        f"rules:\n  - {{name: r-{sku}, skus: [{sku}], email: [ops@example.com], "
        "throttle_hours: 0}\n",
    )
    good = put_event(app, events.StockedOut(sku=sku, location="PAR", on_hand=0), START)
    bad = put_event(app, events.BackInStock(sku=sku, location="PAR", available=3), START)
    worker = build_worker(app, clock=lambda: START, channel_transports={})
    relay: Relay[SqlRelayUnitOfWork] = worker.relay  # type: ignore[assignment]

    def explode(message: OutboxMessage, _uow: object) -> None:
        if message.id == bad:
            raise RuntimeError("subscriber crashed after the alert subscriber wrote")

    relay.subscribers.subscribe("BackInStock", explode)
    report = relay.drain()

    assert (report.relayed, report.failed) == (1, 1)
    with app.sessions() as session:
        query = select(OUTBOX.c.id, OUTBOX.c.relayed_at).where(OUTBOX.c.id.in_([good, bad]))
        relayed = {row.id: row.relayed_at for row in session.execute(query)}
        alerted = set(
            session.execute(select(ALERTS.c.outbox_id).where(ALERTS.c.sku == sku)).scalars()
        )
    assert relayed[good] is not None
    assert relayed[bad] is None
    assert alerted == {good}  # the failed row's alert was rolled back with it


def test_a_daily_digest_collects_the_days_alerts_into_one_message_at_its_hour(app: App) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    add_rules(
        app,
        f"""rules:
  - name: digest-{sku}
    skus: [{sku}]
    email: [buyer@example.com, owner@example.com]
    digest: daily
    digest_hour: 8
""",
    )
    for hour in range(10, 20):
        put_event(app, raised(sku), START + timedelta(hours=hour))
    now = [START + timedelta(days=1, hours=7)]
    worker = build_worker(app, clock=lambda: now[0], channel_transports={})
    worker.relay_outbox_job()

    assert statuses(app, sku) == {"digested": 10}
    assert worker.send_digests_job() == 0  # 07:00: not yet
    now[0] = START + timedelta(days=1, hours=8, minutes=5)
    assert worker.send_digests_job() == 1
    assert worker.send_digests_job() == 0  # once a day
    with app.sessions() as session:
        sent = session.execute(
            select(DELIVERIES.c.target, DELIVERIES.c.subject, DELIVERIES.c.body).where(
                DELIVERIES.c.source == "alert-digest"
            )
        ).all()
    assert sorted(row.target for row in sent) == ["buyer@example.com", "owner@example.com"]
    assert "10 alert(s)" in sent[0].subject
    assert sent[0].body.count("80% chance of running out") == 10


def test_rules_naming_unknown_places_are_refused_and_nothing_is_written(app: App) -> None:
    sku = random_sku("MUG")
    seed(app, sku)
    add_rules(app, f"rules:\n  - {{name: keep-{sku}, skus: [{sku}], email: [a@example.com]}}\n")
    with app.sessions() as session:
        before = read_rules(session)

    with pytest.raises(AlertRulesRejected) as refused:
        add_rules(
            app,
            f"""rules:
  - name: keep-{sku}
    webhook: https://hooks.example.com/x
  - name: lyon-{sku}
    locations: [LYS]
    categories: [Mugs, Teapots]
    email: [b@example.com]
""",
        )

    message = str(refused.value)
    assert f"rules.yaml, rule 2 'lyon-{sku}', field locations: unknown location 'LYS'" in message
    assert "field categories: unknown category 'Teapots'" in message
    assert "nothing was written" in message
    with app.sessions() as session:
        assert read_rules(session) == before


def test_an_abc_scoped_rule_alerts_on_the_skus_that_make_the_revenue(app: App) -> None:
    best, slow = random_sku("BEST"), random_sku("SLOW")
    seed(app, best)
    seed(app, slow)
    sold_at = START - timedelta(days=10)
    app.bus.handle(commands.RecordAdjustment(best, "PAR", 40, sold_at, f"{best}-in"))
    app.bus.handle(commands.RecordSale(best, "PAR", 40, sold_at, f"{best}-out"))
    add_rules(app, f"rules:\n  - {{name: a-{best}, abc_classes: [A], email: [a@example.com]}}\n")
    for sku in (best, slow):
        put_event(app, events.StockedOut(sku=sku, location="PAR", on_hand=0), START)

    build_worker(app, clock=lambda: START, channel_transports={}).relay_outbox_job()

    with app.sessions() as session:
        query = select(ALERTS.c.sku).where(ALERTS.c.rule_name == f"a-{best}")
        alerted = set(session.execute(query).scalars())
    assert alerted == {best}
