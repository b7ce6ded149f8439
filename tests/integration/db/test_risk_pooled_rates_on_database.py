"""The risk refresh reads the pooled rate the replenishment run plans with when asked
(``refresh_risk(pooled_rates=True)``; off by default, ADR 0024), on SQLite and
PostgreSQL, through the service layer (``ProposeReplenishment`` on the bus,
``refresh_risk``).

The planted shop, at one store, all in one category: twelve slow fasteners, each
received once 120 days ago with exactly the units it then sold, 1 unit on 1 to 4 of the
91 days the run reads (so intermittent, and out of stock now), with a stored forecast of
0.05 a day; and one smooth SKU that sells 3 a day every day (forecast 3 a day). The run
pools the twelve toward their category (ADR 0018), the smooth SKU keeps its forecast.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from stockguard.adapters.db import tables as t
from stockguard.adapters.db.tables_risk import StockRiskRow
from stockguard.bootstrap import App
from stockguard.domain import commands, ledger
from stockguard.planning.inventory.pooled_rate import RateSource
from stockguard.services import ports
from stockguard.services.replenishment.inputs import gather_inputs
from stockguard.services.replenishment.propose import ProposalSummary
from stockguard.services.risk import refresh
from stockguard.services.risk.refresh import refresh_risk

from builders import a_location, a_product, a_supplier
from conftest import random_sku

TODAY = date(2026, 9, 1)
NOW = datetime(2026, 9, 1, 6, 0, tzinfo=UTC)
HORIZON = 14
SLOW_FORECAST = 0.05
SALE_DAYS = (10, 40, 70, 85)
"""Days (of the 91 before ``TODAY``) on which a slow SKU sells a unit: the first 1..4."""


def _move(sku: str, store: str, kind: ledger.MovementKind, units: int, at: datetime) -> Any:
    key = f"{sku}-{kind.value}-{at.isoformat()}"
    return ledger.StockMovement(sku, store, kind, units, at, key)


def _forecast(skus: list[str], smooth: str, store: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for sku in skus:
        mean = 3.0 if sku == smooth else SLOW_FORECAST
        low, high = (1.7, 4.3) if sku == smooth else (0.0, 0.15)
        rows += [
            {
                "sku": sku,
                "location": store,
                "day": TODAY + timedelta(days=step),
                "mean": mean,
                "lower_80": low,
                "p90": high,
                "model": "test",
                "p50": mean,
                "p80": high,
                "p95": high,
                "p99": high,
                "lower_95": low,
                "upper_95": high,
            }
            for step in range(HORIZON)
        ]
    return rows


def _run() -> ports.PlanningRunRecord:
    return ports.PlanningRunRecord(
        started_at=NOW,
        finished_at=NOW,
        seed=7,
        horizon=HORIZON,
        history_start_on=TODAY - timedelta(days=120),
        history_end_on=TODAY - timedelta(days=1),
        inputs_hash="f" * 64,
        n_series=13,
        status="completed",
        parameters={},
    )


def _slow_shop(app: App) -> tuple[list[str], str, str]:
    """The module docstring's shop: (slow SKUs, smooth SKU, store), random keys."""
    store = random_sku("STO")[:16]
    supplier = random_sku("SUP")
    category = random_sku("Fasteners")
    slow = [random_sku("SLOW") for _ in range(12)]
    smooth = random_sku("SMOOTH")
    first = NOW - timedelta(days=120)
    window = NOW - timedelta(days=91)
    receipt, sale = ledger.MovementKind.RECEIPT, ledger.MovementKind.SALE
    moves = []
    for k, sku in enumerate(slow):
        days = SALE_DAYS[: 1 + k % 4]
        moves.append(_move(sku, store, receipt, len(days), first))
        moves += [_move(sku, store, sale, -1, window + timedelta(days=d, hours=3)) for d in days]
    moves.append(_move(smooth, store, receipt, 10_000, first))
    moves += [
        _move(smooth, store, sale, -3, window + timedelta(days=d, hours=3)) for d in range(91)
    ]
    offers = [
        {
            "supplier": supplier,
            "sku": sku,
            "unit_cost": Decimal("1.00"),
            "currency": "EUR",
            "minimum_order_quantity": 0,
            "pack_size": 1,
            "lead_time_days": 7,
        }
        for sku in [*slow, smooth]
    ]
    with app.unit_of_work() as uow:
        uow.locations.add(a_location(store))
        uow.suppliers.add(a_supplier(supplier))
        for sku in [*slow, smooth]:
            uow.products.add(a_product(sku, price=Decimal("3"), category=category))
        uow.bulk.upsert(ports.Entity.SUPPLIER_OFFER, offers)
        uow.bulk.record_movements(moves)
        uow.forecasts.add_run(_run(), _forecast([*slow, smooth], smooth, store))
        uow.commit()
    return slow, smooth, store


def _risk_rows(app: App, store: str) -> dict[str, Any]:
    table = t.table_of(StockRiskRow)
    with app.sessions() as session:
        found = session.execute(select(table).where(table.c.location == store)).all()
    return {row.sku: row for row in found}


def _lines(app: App, proposal_id: int) -> dict[str, Any]:
    table = t.table_of(t.ProposalLineRow)
    with app.reader() as session:
        found = session.execute(select(table).where(table.c.proposal_id == proposal_id)).all()
    return {row.sku: row for row in found}


def test_a_slow_skus_risk_row_reads_the_runs_pooled_rate_and_a_smooth_sku_its_forecast(
    app: App,
) -> None:
    slow, smooth, store = _slow_shop(app)
    summary: ProposalSummary = app.bus.handle(commands.ProposeReplenishment(created_at=NOW))

    refresh_risk(app.unit_of_work(), now=NOW, pooled_rates=True)

    rows, lines = _risk_rows(app, store), _lines(app, summary.proposal_id)
    ordered = [sku for sku in slow if sku in lines]
    assert ordered, "the slow SKUs are out of stock: the run orders some of them"
    for sku in ordered:
        rate = lines[sku].explanation["demand_rate"]
        assert rate["source"] == "pooled"
        # the line stores its rate rounded to 6 decimals
        assert rows[sku].demand_mean == pytest.approx(rate["rate_per_day"], abs=1e-6)
    means = sorted(rows[sku].demand_mean for sku in slow)
    # shrunk toward the category: neither the forecast's 0.05 nor each SKU's own 1..4 / 91
    assert all(m != pytest.approx(SLOW_FORECAST) for m in means)
    assert means[0] < means[-1] < SLOW_FORECAST
    assert rows[smooth].demand_mean == pytest.approx(3.0)
    assert rows[smooth].demand_var == pytest.approx(((4.3 - 1.7) / 2.5631) ** 2, rel=1e-3)


def test_a_slow_rows_variance_keeps_the_forecasts_dispersion_and_the_default_is_off(
    app: App,
) -> None:
    slow, smooth, store = _slow_shop(app)
    with app.unit_of_work() as uow:
        inputs = gather_inputs(uow.replenishment, run_id=None, currency="EUR")
        pooled = refresh.run_policy(inputs, uow.replenishment)[4]
    assert pooled is not None
    index = {sku: i for i, sku in enumerate(inputs.skus)}
    assert {int(pooled.source[index[sku]]) for sku in slow} == {RateSource.POOLED}
    assert int(pooled.source[index[smooth]]) == RateSource.FORECAST

    refresh_risk(app.unit_of_work(), now=NOW, pooled_rates=True)
    rows = _risk_rows(app, store)
    for sku in slow:
        i = index[sku]
        assert rows[sku].demand_mean == pytest.approx(pooled.rate[i], rel=1e-12)
        # the forecast's dispersion at the pooled rate: sigma^2 lambda_hat / mu
        forecast_var = float((inputs.daily_std[i] ** 2).mean())
        assert forecast_var == pytest.approx((0.15 / 2.5631) ** 2, rel=1e-3)
        expected = forecast_var * pooled.rate[i] / SLOW_FORECAST
        assert rows[sku].demand_var == pytest.approx(expected, rel=1e-9)

    refresh_risk(app.unit_of_work(), now=NOW)  # the default: off (ADR 0024)
    unpooled = _risk_rows(app, store)
    assert all(unpooled[sku].demand_mean == pytest.approx(SLOW_FORECAST) for sku in slow)
    assert unpooled[smooth].demand_mean == pytest.approx(rows[smooth].demand_mean)
    # the reorder point is the run's either way (it plans with the pooled rate)
    assert all(unpooled[sku].reorder_point == rows[sku].reorder_point for sku in slow)
