"""The rate ratio of the shop's own forecasts (ADR 0022) on SQLite and PostgreSQL.

Planted: a year of weekly planning runs (each forecasting 14 days) and the ledger of what
sold. Slow SKUs were forecast 0.5 a day and sold 1 a day on every day they were in
stock, but were out of stock half the time (7 units received every 14 days, sold out in
7): counted with its empty-shelf zeros the forecast looks right (7 sold against 7
forecast per 14 days), counted on in-stock days it was half. Fast SKUs were forecast
exactly what they sold (20 a day, never out). A refresh then reads the slow band's rate
about doubled (shrunk toward 1 by 200 pseudo SKU-origins), the fast band's unchanged,
stores the ratio with the map and the drift, and a movement applies the stored ratio.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import numpy as np
import pytest

from integration.replenishment_shop import NOW, TODAY, seed_replenishment_shop
from stockguard.adapters.db.risk import forget_calibration, latest_corrections
from stockguard.bootstrap import App
from stockguard.domain import commands, ledger
from stockguard.planning.risk import drift, rate_ratio
from stockguard.services import ports
from stockguard.services.risk import assess
from stockguard.services.risk.refresh import refresh_risk

from builders import a_location, a_product
from conftest import random_sku

N_SLOW, N_FAST, N_RUNS = 10, 4, 40
"""Series and weekly settled runs (first days TODAY - 14 - 7 j): 400 slow SKU-origins."""
HISTORY = 300
"""Days of sales before TODAY (every run's 14 days lie inside)."""


@pytest.fixture(autouse=True)
def _no_cached_map() -> Iterator[None]:
    """Movements cache the stored corrections per engine: forget them around each test."""
    forget_calibration()
    yield
    forget_calibration()


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _move(
    sku: str, store: str, kind: ledger.MovementKind, units: int, at: datetime
) -> ledger.StockMovement:
    key = f"{sku}-{kind.value}-{at.isoformat()}"
    return ledger.StockMovement(sku, store, kind, units, at, key)


def _ledger(store: str, slow: list[str], fast: list[str]) -> list[ledger.StockMovement]:
    """Slow: 7 units every 14 days, 1 sold on each of the 7 days after (the 7th day ends
    at 0, then 7 days out of stock). Fast: ample stock, 20 sold every day."""
    first = TODAY - timedelta(days=HISTORY)
    moves = []
    for sku in slow:
        for cycle in range(0, HISTORY, 14):
            day = first + timedelta(days=cycle)
            moves.append(_move(sku, store, ledger.MovementKind.RECEIPT, 7, _at(day, 1)))
            for step in range(min(7, HISTORY - cycle)):
                at = _at(day + timedelta(days=step), 12)
                moves.append(_move(sku, store, ledger.MovementKind.SALE, -1, at))
    for sku in fast:
        moves.append(_move(sku, store, ledger.MovementKind.RECEIPT, 10**6, _at(first, 1)))
        for step in range(HISTORY):
            at = _at(first + timedelta(days=step), 12)
            moves.append(_move(sku, store, ledger.MovementKind.SALE, -20, at))
    return moves


def _run(
    first_day: date, rates: dict[str, float], store: str
) -> tuple[ports.PlanningRunRecord, list[dict[str, object]]]:
    record = ports.PlanningRunRecord(
        started_at=_at(first_day, 3),
        finished_at=_at(first_day, 3),
        seed=1,
        horizon=14,
        history_start_on=first_day - timedelta(days=90),
        history_end_on=first_day - timedelta(days=1),
        inputs_hash="f" * 64,
        n_series=len(rates),
        status="completed",
        parameters={},
    )
    quantiles = ("p50", "p80", "p90", "p95", "p99", "lower_80", "lower_95", "upper_95")
    rows = [
        {"sku": sku, "location": store, "day": first_day + timedelta(days=step), "mean": rate}
        | dict.fromkeys(quantiles, rate)
        | {"model": "planted"}
        for sku, rate in rates.items()
        for step in range(14)
    ]
    return record, rows


def _plant_history(app: App, *, with_runs: bool) -> None:
    store = random_sku("STO")[:16]
    slow = [random_sku("SLOW") for _ in range(N_SLOW)]
    fast = [random_sku("FAST") for _ in range(N_FAST)]
    rates = dict.fromkeys(slow, 0.5) | dict.fromkeys(fast, 20.0)
    bad = random_sku("BAD")
    with app.unit_of_work() as uow:
        uow.locations.add(a_location(store))
        for sku in [*slow, *fast, bad]:
            uow.products.add(a_product(sku, price=Decimal("5")))
        uow.bulk.record_movements(_ledger(store, slow, fast))
        for j in range(N_RUNS if with_runs else 0):
            planted = rates | ({bad: -1.0} if j == 0 else {})
            record, rows = _run(TODAY - timedelta(days=14 + 7 * j), planted, store)
            uow.forecasts.add_run(record, rows)
        uow.commit()


def test_the_slow_bands_rate_is_read_about_doubled_out_of_stock_days_ignored(app: App) -> None:
    _plant_history(app, with_runs=True)  # before the shop's run, the latest
    shop = seed_replenishment_shop(app)
    app.bus.handle(commands.RecordStockCount(shop.sku, shop.paris, 40, NOW, f"{shop.sku}-r"))

    summary = refresh_risk(app.unit_of_work(), now=NOW, rate_ratio=True)

    found = summary.rate_ratio
    assert found.applied
    assert found.runs == N_RUNS
    assert found.rejected == 1  # the run with a negative mean for one series
    # the fast SKUs' velocity (20 a day, the only series with full drift windows) is the
    # one band edge: 0.5 (and the shop's 3.0) fall below it, 20 above
    assert found.ratio.edges.tolist() == [20.0]
    slow_origins = N_SLOW * N_RUNS
    assert found.ratio.origins.tolist() == [slow_origins, N_FAST * N_RUNS]
    # 6 in-stock days per 14 (the 7th sells the last unit and ends at 0), 1 sold on each
    # against 0.5 forecast: raw ratio 2, shrunk with k = 200 pseudo SKU-origins
    k = drift.PRIOR_ORIGINS
    expected = (2 * slow_origins + k) / (slow_origins + k)
    assert found.ratio.ratio[0] == pytest.approx(expected, rel=1e-9)
    assert found.ratio.ratio[1] == pytest.approx(1.0, rel=1e-12)
    with app.sessions() as session:
        stored = latest_corrections(session)
    assert stored.rate_ratio.to_json() == found.ratio.to_json()

    # the shop's row (forecast 3 a day, band 0) is assessed at b x 3; its basis keeps 3
    with app.unit_of_work() as uow:
        paris = uow.risk.get(shop.sku, shop.paris)
    assert paris is not None
    assert paris.demand_mean == pytest.approx(3.0)
    assert paris.days_of_cover == pytest.approx(40 / (3.0 * expected))
    today = NOW.date()
    (plain,) = assess.reassess([paris], today=today, now=NOW, drift=summary.level_drift)
    assert paris.probability > plain.probability + 0.05

    # a movement in another process (nothing cached) applies the stored ratio
    forget_calibration()
    later = NOW + timedelta(hours=2)
    app.bus.handle(commands.RecordSale(shop.sku, shop.paris, 4, later, f"{shop.sku}-s"))
    with app.unit_of_work() as uow:
        moved = uow.risk.get(shop.sku, shop.paris)
    assert moved is not None
    (again,) = assess.reassess(
        [moved], today=today, now=later, drift=summary.level_drift, rate_ratio=found.ratio
    )
    assert moved.probability == pytest.approx(again.probability)
    assert moved.days_of_cover == pytest.approx(36 / (3.0 * expected))


def test_without_settled_runs_the_rate_is_unchanged(app: App) -> None:
    _plant_history(app, with_runs=False)
    shop = seed_replenishment_shop(app)
    app.bus.handle(commands.RecordStockCount(shop.sku, shop.paris, 40, NOW, f"{shop.sku}-r"))

    summary = refresh_risk(app.unit_of_work(), now=NOW, rate_ratio=True)

    assert summary.rate_ratio.runs == 0
    assert np.all(summary.rate_ratio.ratio.ratio == 1.0)
    with app.unit_of_work() as uow:
        paris = uow.risk.get(shop.sku, shop.paris)
    assert paris is not None
    assert paris.days_of_cover == pytest.approx(40 / 3.0)
    with app.sessions() as session:
        assert latest_corrections(session).rate_ratio.neutral


def test_without_the_ratio_no_run_is_read_and_b_1_is_stored(app: App) -> None:
    _plant_history(app, with_runs=True)  # before the shop's run, the latest
    shop = seed_replenishment_shop(app)
    app.bus.handle(commands.RecordStockCount(shop.sku, shop.paris, 40, NOW, f"{shop.sku}-r"))

    summary = refresh_risk(app.unit_of_work(), now=NOW, rate_ratio=False)

    assert not summary.rate_ratio.applied
    assert summary.rate_ratio.runs == 0
    assert set(summary.rate_ratio.ratio.ratio.tolist()) == {1.0}
    with app.unit_of_work() as uow:
        paris = uow.risk.get(shop.sku, shop.paris)
    assert paris is not None
    assert paris.days_of_cover == pytest.approx(40 / 3.0)
    with app.sessions() as session:
        assert latest_corrections(session).rate_ratio.to_json() == (
            rate_ratio.RateRatio(np.array([20.0]), np.ones(2), np.zeros(2, np.int64)).to_json()
        )
