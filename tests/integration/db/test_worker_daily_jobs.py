"""The worker's daily promotion readiness check: once per UTC day from its hour, its
PromotionAtRisk warning relayed in the same cycle, nothing repeated on later cycles."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from integration.replenishment_shop import NOW, TODAY, seed_replenishment_shop
from stockguard.adapters.db import tables as t
from stockguard.bootstrap import App
from stockguard.entrypoints.worker import DailyJob, build_worker
from stockguard.services import ports

MORNING = NOW.replace(hour=7, minute=0)


def _promotion_outbox(app: App) -> list[Any]:
    table = t.table_of(t.OutboxRow)
    query = select(table.c.relayed_at).where(table.c.event_type == "PromotionAtRisk")
    with app.sessions() as session:
        return list(session.scalars(query))


def _promote(app: App) -> None:
    shop = seed_replenishment_shop(app)
    row = {
        "code": f"{shop.sku}-B2S",
        "kind": "discount",
        "sku": shop.sku,
        "category": None,
        "starts_on": TODAY + timedelta(days=10),
        "ends_on": TODAY + timedelta(days=13),
        "discount_percent": None,
        "owner": "marketing@shop.test",
    }
    with app.unit_of_work() as uow:
        uow.bulk.upsert(ports.Entity.PROMOTION, [row])
        uow.commit()


def test_the_daily_check_warns_once_a_day_and_the_warning_is_relayed_in_the_same_cycle(
    app: App,
) -> None:
    _promote(app)
    clock = [MORNING.replace(hour=5)]
    worker = build_worker(app, clock=lambda: clock[0])

    worker.cycle()  # before the default hour (6 UTC): no check yet
    assert _promotion_outbox(app) == []

    clock[0] = MORNING
    worker.cycle()
    warned = _promotion_outbox(app)
    assert len(warned) >= 1
    assert all(relayed is not None for relayed in warned)

    clock[0] = MORNING + timedelta(hours=3)
    worker.cycle()
    assert len(_promotion_outbox(app)) == len(warned)


def test_a_failing_daily_job_is_retried_on_the_next_cycle_then_runs_once() -> None:
    calls: list[datetime] = []

    def flaky(at: datetime) -> None:
        calls.append(at)
        if len(calls) == 1:
            raise RuntimeError("database unavailable")

    job = DailyJob("flaky", 6, flaky)
    assert job.run_if_due(MORNING) is False  # failed: logged, not marked done
    assert job.run_if_due(MORNING + timedelta(minutes=1)) is True
    assert job.run_if_due(MORNING + timedelta(hours=2)) is False
    assert job.run_if_due(MORNING + timedelta(days=1)) is True
    assert len(calls) == 3
