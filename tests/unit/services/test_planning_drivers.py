"""The planning run with the drivers step: prices and promotions from a fake source."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import numpy as np
import pytest

from stockguard.domain import ledger
from stockguard.planning.forecasting.base import FloatArray
from stockguard.services.planning import drivers, run
from unit.services.fakes import FakeUnitOfWork

TODAY = date(2026, 3, 1)
NOW = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
DAYS, HORIZON = 120, 7
FIRST = TODAY - timedelta(days=DAYS)


def _promotion_days() -> list[date]:
    """Every fourth day, from the first day of history to the end of the horizon."""
    return [FIRST + timedelta(days=offset) for offset in range(0, DAYS + HORIZON, 4)]


def _uow() -> FakeUnitOfWork:
    """MUG sells 10 a day on promotion days and 2 otherwise; never out of stock."""
    uow = FakeUnitOfWork()
    at = datetime.combine(FIRST, time(9), tzinfo=UTC)
    kind = ledger.MovementKind
    moves = [ledger.StockMovement("MUG", "WH1", kind.RECEIPT, 10_000, at, "in")]
    promoted = set(_promotion_days())
    for offset in range(DAYS):
        day = FIRST + timedelta(days=offset)
        sold = 10 if day in promoted else 2
        stamp = datetime.combine(day, time(12), tzinfo=UTC)
        moves.append(ledger.StockMovement("MUG", "WH1", kind.SALE, -sold, stamp, f"s{offset}"))
    uow.store.movements.extend(moves)
    return uow


@dataclass
class FakeSource:
    spans: list[drivers.PromotionSpan] = field(
        default_factory=lambda: [
            drivers.PromotionSpan("MUG", None, day, day, 20.0) for day in _promotion_days()
        ]
    )
    prices: list[drivers.DailyPrice] = field(default_factory=list)

    def catalog_prices(self, skus: Sequence[str]) -> list[drivers.CatalogPrice]:
        return [drivers.CatalogPrice(sku, 5.0, "kitchen") for sku in skus]

    def daily_prices(
        self, *, start: date, end: date, skus: Sequence[str]
    ) -> list[drivers.DailyPrice]:
        return [p for p in self.prices if start <= p.day <= end and p.sku in skus]

    def promotions(self, *, start: date, end: date) -> list[drivers.PromotionSpan]:
        return [s for s in self.spans if s.starts_on <= end and s.ends_on >= start]


@dataclass
class PromotionOracle:
    """Forecasts 2 + 8 * promotion and records the seed it was built with."""

    seed: int
    alias: str = "FakeGBM"

    def forecast(
        self,
        y: FloatArray,
        *,
        horizon: int,
        start: date,
        prices: FloatArray | None,
        regressors: Mapping[str, FloatArray],
        progress: Callable[[int, int], None] | None = None,
    ) -> FloatArray:
        assert prices is not None
        return 2.0 + 8.0 * regressors["promotion"][:, y.shape[1] :]


def _run(
    uow: FakeUnitOfWork, source: FakeSource | None = None, requested: bool | None = True
) -> run.PlanningRunSummary:
    setup = run.PlanningDrivers(
        model_for_seed=PromotionOracle,
        source=source or FakeSource(),
        requested=requested,
    )
    return run.run_forecast(
        uow, today=TODAY, seed=5, history_days=DAYS, horizon=HORIZON, clock=lambda: NOW,
        drivers=setup,
    )  # fmt: skip


def test_a_series_that_follows_its_promotions_is_stored_with_the_drivers_model() -> None:
    uow = _uow()
    seeds: list[int] = []

    def model_for_seed(seed: int) -> PromotionOracle:
        seeds.append(seed)
        return PromotionOracle(seed)

    setup = run.PlanningDrivers(model_for_seed, FakeSource(), requested=True)
    summary = run.run_forecast(
        uow, today=TODAY, seed=5, history_days=DAYS, horizon=HORIZON, clock=lambda: NOW,
        drivers=setup,
    )  # fmt: skip
    assert seeds == [5]  # the run's seed trains the drivers model
    ((record, rows),) = uow.store.planning_runs
    assert {row["model"] for row in rows} == {"FakeGBM"}
    promoted = set(_promotion_days())
    for row in rows:
        assert row["mean"] == pytest.approx(10.0 if row["day"] in promoted else 2.0)
    assert record.parameters["drivers"] is True
    assert summary.drivers is not None
    assert summary.drivers.drivers == 1
    assert summary.drivers.regressors == ("promotion", "discount", "price")


def test_the_promotions_are_part_of_the_inputs_hash() -> None:
    uow = _uow()
    first = _run(uow).inputs_hash
    assert _run(uow).inputs_hash == first
    fewer = FakeSource()
    fewer.spans = fewer.spans[:-1]
    assert _run(uow, fewer).inputs_hash != first


def test_by_default_a_single_series_runs_without_the_drivers_model() -> None:
    uow = _uow()
    summary = _run(uow, requested=None)
    ((record, rows),) = uow.store.planning_runs
    assert summary.drivers is None
    assert record.parameters["drivers"] is False
    assert "FakeGBM" not in {row["model"] for row in rows}


def test_prices_come_from_orders_then_the_base_price_with_discounts() -> None:
    observed = np.array([[np.nan, 4.0, np.nan, 3.0, np.nan, np.nan, np.nan]])
    discount = np.array([[0.0, 0.0, 0.0, 0.25, 0.0, 0.5, 0.0]])
    prices = drivers.effective_prices(observed=observed, catalog=np.array([5.0]), discount=discount)
    # before any order: catalogue; day 3's discounted order price is not a base price
    np.testing.assert_allclose(prices[0], [5.0, 4.0, 4.0, 3.0, 4.0, 2.0, 4.0])


def test_promotions_on_a_category_reach_its_skus_and_the_deepest_discount_wins() -> None:
    spans = [
        drivers.PromotionSpan(None, "kitchen", date(2026, 1, 2), date(2026, 1, 3), 10.0),
        drivers.PromotionSpan("MUG", None, date(2026, 1, 3), date(2026, 1, 9), 30.0),
        drivers.PromotionSpan("TEA", None, date(2025, 12, 1), date(2026, 1, 1), None),
    ]
    promotion, discount = drivers.promotion_grids(
        ["MUG", "TEA", "PAN"], ["kitchen", "food", "kitchen"], spans,
        start=date(2026, 1, 1), n_days=4,
    )  # fmt: skip
    np.testing.assert_array_equal(promotion, [[0, 1, 1, 1], [1, 0, 0, 0], [0, 1, 1, 0]])
    np.testing.assert_allclose(discount, [[0, 0.1, 0.3, 0.3], [0.0, 0, 0, 0], [0, 0.1, 0.1, 0]])
