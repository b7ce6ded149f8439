"""The group figures a run pools with (``services.replenishment.run_priors``): learnt and
applied, they give what ``planning.inventory.pooled_rate.pooled_rates`` gives, bit for
bit; stored as JSON and read back they give the same; one SKU's rows pooled with the
stored figures get the rates the run gave them."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stockguard.planning.inventory import pooled_rate
from stockguard.services.replenishment import pooling, run_priors

CATEGORIES = ("Bolts", "Nuts", None, "Washers")


def _history(
    seed: int, n: int = 400, days: int = 91
) -> tuple[np.ndarray, list[str | None], np.ndarray]:
    """Random slow and fast rows: some never sold, some launched mid-window, fractional
    lower-bound days, unobserved (NaN) days; categories of very unequal sizes."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.5, 0.2, n) * (rng.random(n) < 0.8) + (rng.random(n) < 0.15) * 3.0
    sales = rng.poisson(rate[:, None], size=(n, days)).astype(np.float64)
    launched = rng.random(n) < 0.1
    sales[launched, : days // 2] = 0.0
    sales[rng.random((n, days)) < 0.05] = np.nan
    sales[rng.random((n, days)) < 0.01] += 0.37
    weights = np.array([0.6, 0.3, 0.08, 0.02])
    categories = [CATEGORIES[int(i)] for i in rng.choice(4, n, p=weights)]
    forecast = np.where(rng.random(n) < 0.2, 0.0, rate * rng.uniform(0.5, 1.5, n))
    return sales, categories, forecast


@pytest.mark.parametrize(("seed", "small_group"), [(1, True), (2, True), (3, False)])
def test_learnt_and_applied_figures_give_the_planning_function_s_rates_bit_for_bit(
    seed: int, small_group: bool
) -> None:
    """``small_group`` False: every group has its own figures (the fallback is then
    learnt again, no group reaching the minimum)."""
    sales, categories, forecast = _history(seed)
    if not small_group:  # two halves: rows without a category and Bolts
        categories = [None if i % 2 else "Bolts" for i in range(len(categories))]
    horizon = np.full(len(categories), 6.0)
    expected = _run_rates(sales, categories, forecast, horizon)
    priors = run_priors.estimate(sales=sales, categories=categories, forecast_rate=forecast)
    stored = run_priors.from_json(json.loads(json.dumps(priors.to_json())))
    assert stored == priors
    for figures in (priors, stored):
        assert figures is not None
        found = run_priors.pooled_rates(
            figures, sales=sales, categories=categories, forecast_rate=forecast, horizon=horizon
        )
        for name in pooled_rate.PooledRates.__slots__:
            np.testing.assert_array_equal(getattr(found, name), getattr(expected, name), name)
    assert set(expected.source.tolist()) == {0, 1, 2}  # every source is exercised
    own = [x.prior_rows > 0 and x.launch_rows > 0 for x in priors.groups.values()]
    assert (len(own) == len(set(categories)) and all(own)) is not small_group


def _run_rates(
    sales: np.ndarray, categories: list[str | None], forecast: np.ndarray, horizon: np.ndarray
) -> pooled_rate.PooledRates:
    """The pooled rates a planning run computes for these rows (the replays' path)."""
    return pooled_rate.pooled_rates(
        sales=sales,
        group=pooling.group_codes(categories),
        forecast_rate=forecast,
        horizon=horizon,
        shrink_forecast=True,
    )


def test_one_sku_s_rows_pooled_with_the_stored_figures_get_the_run_s_rates() -> None:
    sales, categories, forecast = _history(4)
    horizon = np.linspace(0.0, 20.0, len(categories))
    run = _run_rates(sales, categories, forecast, horizon)
    priors = run_priors.estimate(sales=sales, categories=categories, forecast_rate=forecast)
    for row in range(0, len(categories), 37):
        alone = run_priors.pooled_rates(
            priors,
            sales=sales[row : row + 1],
            categories=categories[row : row + 1],
            forecast_rate=forecast[row : row + 1],
            horizon=horizon[row : row + 1],
        )
        assert alone.source[0] == run.source[row]
        assert alone.rate[0] == run.rate[row]
        np.testing.assert_array_equal(alone.variance[0], run.variance[row])


def test_small_categories_borrow_the_figures_of_all_slow_rows() -> None:
    sales, categories, forecast = _history(5)
    categories[:5] = ["Anchors"] * 5  # 5 rows: fewer than 10
    priors = run_priors.estimate(sales=sales, categories=categories, forecast_rate=forecast)
    assert "Anchors" not in priors.groups
    assert priors.figures("Anchors") == priors.figures("Never seen") == priors.fallback
    assert priors.groups["Bolts"].prior_rows >= pooled_rate.MIN_GROUP_ROWS
    assert priors.slow_rows >= priors.groups["Bolts"].prior_rows


def test_damaged_or_absent_figures_read_as_none() -> None:
    sales, categories, forecast = _history(6)
    good = run_priors.estimate(sales=sales, categories=categories, forecast_rate=forecast).to_json()
    assert run_priors.from_json({}) is None
    assert run_priors.from_json({**good, "format": 99}) is None
    assert run_priors.from_json({**good, "fallback": {"shape": 1.0}}) is None
    broken = {**good, "fallback": {**good["fallback"], "rate": 0.0}}
    assert run_priors.from_json(broken) is None
