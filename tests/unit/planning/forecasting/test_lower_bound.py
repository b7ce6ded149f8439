"""The day the shelf emptied reads max(sales, recent observed mean), not NaN
(``planning.forecasting.lower_bound``, ``DemandPanel.observed``)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from stockguard.planning.forecasting import baselines
from stockguard.planning.forecasting.lower_bound import (
    emptying_day_demand,
    trailing_observed_mean,
)
from stockguard.planning.panel import DemandPanel

NAN = np.nan


def test_worked_example_of_the_module_docstring() -> None:
    sales = np.array([[4.0, 2, 6, 1, 0, 3, 2]])
    censored = np.array([[False, False, False, True, True, False, True]])
    np.testing.assert_array_equal(
        trailing_observed_mean(sales, ~censored, window=3), [[NAN, 4, 3, 4, 4, 6, 3]]
    )
    np.testing.assert_array_equal(
        emptying_day_demand(sales, censored, window=3), [[4, 2, 6, 4, NAN, 3, 3]]
    )


def test_emptying_day_sales_above_the_recent_mean_are_kept() -> None:
    sales = np.array([[1.0, 1, 1, 9]])
    censored = np.array([[False, False, False, True]])
    assert emptying_day_demand(sales, censored)[0, 3] == 9


def test_censored_days_without_sales_and_unknown_days_stay_nan() -> None:
    sales = np.array([[2.0, 0, 0, NAN, NAN]])
    censored = np.array([[False, True, True, True, False]])
    result = emptying_day_demand(sales, censored)
    assert result[0, 0] == 2
    assert np.isnan(result[0, 1:]).all()


def test_without_stock_outs_the_sales_are_unchanged() -> None:
    rng = np.random.default_rng(3)
    sales = rng.poisson(2.0, (5, 60)).astype(np.float64)
    sales[1, 7] = NAN
    result = emptying_day_demand(sales, np.zeros(sales.shape, dtype=np.bool_))
    np.testing.assert_array_equal(result, sales)


def test_a_first_censored_day_with_nothing_observed_before_reads_its_sales() -> None:
    sales = np.array([[3.0, 5]])
    censored = np.array([[True, False]])
    np.testing.assert_array_equal(emptying_day_demand(sales, censored), [[3, 5]])


def test_trailing_mean_matches_a_direct_loop() -> None:
    rng = np.random.default_rng(11)
    values = rng.poisson(3.0, (4, 90)).astype(np.float64)
    values[rng.random(values.shape) < 0.1] = NAN
    observed = rng.random(values.shape) < 0.6
    window = 28
    fast = trailing_observed_mean(values, observed, window)
    for i in range(values.shape[0]):
        for t in range(values.shape[1]):
            span = slice(max(t - window, 0), t)
            seen = values[i, span][observed[i, span] & ~np.isnan(values[i, span])]
            expected = seen.mean() if seen.size else NAN
            np.testing.assert_allclose(fast[i, t], expected, rtol=1e-12, equal_nan=True)


def test_mismatched_shapes_and_bad_window_are_refused() -> None:
    with pytest.raises(ValueError, match="differs from values shape"):
        emptying_day_demand(np.zeros((2, 3)), np.zeros((2, 4), dtype=np.bool_))
    with pytest.raises(ValueError, match="at least 1 period"):
        trailing_observed_mean(np.zeros((1, 3)), np.ones((1, 3), dtype=np.bool_), window=0)


def test_the_panel_gives_every_reader_the_lower_bound_and_keeps_the_plain_mask() -> None:
    sales = np.array([[4.0, 2, 6, 1, 0]])
    stockout = np.array([[False, False, False, True, True]])
    panel = DemandPanel(sales, stockout, ("A",), ("WH",), date(2026, 1, 1))
    np.testing.assert_array_equal(panel.observed(), [[4, 2, 6, 4, NAN]])
    np.testing.assert_array_equal(panel.uncensored(), [[4, 2, 6, NAN, NAN]])


def slow_mover_shop(seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(sales, stock-out mask, true rate): 300 slow movers, Poisson 0.3 to 1.5 units a day
    for 365 days, restocked every 3 to 8 days up to 20% to 50% of the demand of the
    review period (at least one unit). Most sales empty the shelf, so the emptying day
    carries nearly all the demand seen and about two days in three are censored."""
    n, days = 300, 365
    rng = np.random.default_rng(seed)
    rate = rng.uniform(0.3, 1.5, n)
    demand = rng.poisson(rate[:, None], (n, days)).astype(np.float64)
    review, phase = rng.integers(3, 9, n), rng.integers(0, 9, n)
    up_to = np.maximum(np.ceil(rate * review * rng.uniform(0.2, 0.5, n)), 1.0)
    on_hand = up_to.copy()
    sales = np.zeros_like(demand)
    stockout = np.zeros(demand.shape, dtype=np.bool_)
    for day in range(days):  # loop over time, vector over series
        on_hand = np.where((day + phase) % review == 0, np.maximum(on_hand, up_to), on_hand)
        sales[:, day] = np.minimum(demand[:, day], on_hand)
        on_hand -= sales[:, day]
        stockout[:, day] = on_hand <= 0
    return sales, stockout, rate


def test_slow_movers_emptying_day_sales_lift_the_forecast_the_nan_rule_dragged_down() -> None:
    """The old rule (every stock-out day NaN) keeps mostly the zero days between sales and
    forecasts about half the demand; the lower bound recovers most of it and, being a
    lower bound, does not overshoot."""
    sales, stockout, rate = slow_mover_shop()
    panel = DemandPanel(sales, stockout, tuple(map(str, range(300))), ("WH",) * 300, date.min)
    model = baselines.WindowAverage(28)

    def bias(y: np.ndarray) -> float:
        return float(model.forecast(y, 28).mean(axis=1).sum() / rate.sum() - 1.0)

    old, new = bias(panel.uncensored()), bias(panel.observed())
    print(f"slow movers WindowAverage(28) bias: NaN rule {old:+.1%}, lower bound {new:+.1%}")
    assert 0.5 < stockout.mean() < 0.8
    assert old < -0.4
    assert -0.25 < new < 0.0


def test_a_panel_maps_each_sku_location_pair_to_its_row_or_minus_one() -> None:
    panel = DemandPanel(
        values=np.zeros((2, 3)),
        stockout=np.zeros((2, 3), dtype=bool),
        skus=("A", "B"),
        locations=("L1", "L1"),
        start=date(2026, 1, 1),
    )
    rows = panel.rows_of(["B", "C", "A", "A"], ["L1", "L1", "L1", "L2"])
    np.testing.assert_array_equal(rows, [1, -1, 0, -1])
