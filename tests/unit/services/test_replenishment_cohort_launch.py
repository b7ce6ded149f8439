"""A run's never-sold rows with the cohort's launch moments (ADR 0041): learnt as a
run's figures (``pool_demand_with``) they give what the replays' ``pool_demand`` gives."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.inventory import pooled_rate
from stockguard.planning.inventory.pooled_rate import Launch, RateSource
from stockguard.services.replenishment import pooling

CATEGORIES = ("Bolts", "Nuts", None)


def _rows(seed: int, n: int = 300, days: int = 91) -> tuple[np.ndarray, list[str | None]]:
    """Slow rows, a tenth launching late in the window, some never selling."""
    rng = np.random.default_rng(seed)
    rate = rng.gamma(0.4, 0.2, n) * (rng.random(n) < 0.7)
    sales = rng.poisson(rate[:, None], size=(n, days)).astype(np.float64)
    sales[rng.random(n) < 0.1, : days * 2 // 3] = 0.0
    sales[rng.random((n, days)) < 0.05] = np.nan
    return sales, [CATEGORIES[int(i)] for i in rng.choice(3, n, p=[0.6, 0.3, 0.1])]


@pytest.mark.parametrize("seed", [1, 2])
def test_a_run_s_figures_give_the_replays_cohort_rates(seed: int) -> None:
    sales, categories = _rows(seed)
    n = len(categories)
    mean, std = np.zeros((n, 28)), np.zeros((n, 28))
    lead = np.full(n, 6.5)
    replay = pooling.pool_demand(
        daily_mean=mean,
        daily_std=std,
        sales_history=sales,
        group=pooling.group_codes(categories),
        lead_time_mean=lead,
        launch=Launch.COHORT,
    )
    run, figures = pooling.pool_demand_with(
        None,
        daily_mean=mean,
        daily_std=std,
        sales_history=sales,
        categories=categories,
        lead_time_mean=lead,
        launch=Launch.COHORT,
    )
    np.testing.assert_array_equal(run.rates.rate, replay.rates.rate)
    np.testing.assert_array_equal(run.terms, replay.terms)
    halves = pooling.pool_demand(
        daily_mean=mean,
        daily_std=std,
        sales_history=sales,
        group=pooling.group_codes(categories),
        lead_time_mean=lead,
    )
    launched = replay.rates.source == RateSource.LAUNCH
    assert launched.any()
    assert not np.array_equal(replay.rates.rate[launched], halves.rates.rate[launched])
    expected = pooled_rate.cohort_moments(
        sales=sales,
        group=pooling.group_codes(categories),
        n_groups=len(CATEGORIES),
        horizon=pooled_rate.cohort_horizon(lead),
    ).m1
    assert set(replay.rates.rate[launched].tolist()) <= set(expected.tolist())
    assert figures.fallback.launch_rate > 0
