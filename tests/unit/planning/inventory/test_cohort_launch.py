"""The never-sold cohort's launch moments (ADR 0041): ``pooled_rate.cohort_moments``."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.inventory import pooled_rate
from stockguard.planning.inventory.pooled_rate import Launch, RateSource


def _reference(sales: np.ndarray, horizon: int) -> tuple[float, float, float, int]:
    """The cohort's raw moments by looping over the origins (ADR 0041's equation)."""
    n_rows, n_periods = sales.shape
    sums, periods, rows = np.zeros(3), 0.0, set()
    for t in range(1, n_periods - horizon + 1):
        for i in range(n_rows):
            before = sales[i, :t]
            if not np.isfinite(before).any() or np.nansum(before) > 0:
                continue
            after = sales[i, t : t + horizon]
            seen = after[np.isfinite(after)]
            sums += [seen.sum(), (seen**2).sum(), (seen**3).sum()]
            periods += seen.size
            if seen.size:
                rows.add(i)
    if periods == 0:
        return 0.0, 0.0, 0.0, 0
    return sums[0] / periods, sums[1] / periods, sums[2] / periods, len(rows)


def test_docstring_example() -> None:
    sales = np.zeros((10, 4))
    sales[0, 2] = 3.0
    moments = pooled_rate.cohort_moments(
        sales=sales, group=np.zeros(10, np.int64), n_groups=1, horizon=2
    )
    assert moments.m1[0] == 6.0 / 40.0
    assert moments.m2[0] == 18.0 / 40.0
    assert moments.rows[0] == 10


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**31 - 1),
    horizon=st.integers(1, 4),
    n_periods=st.integers(2, 9),
)
def test_equals_the_loop_over_origins(seed: int, horizon: int, n_periods: int) -> None:
    rng = np.random.default_rng(seed)
    n_rows = 14
    sales = rng.poisson(1.5, (n_rows, n_periods)) * (rng.random((n_rows, n_periods)) < 0.25)
    values = np.where(rng.random((n_rows, n_periods)) < 0.15, np.nan, sales.astype(float))
    moments = pooled_rate.cohort_moments(
        sales=values,
        group=np.zeros(n_rows, np.int64),
        n_groups=1,
        horizon=horizon,
        min_group_rows=1,
    )
    m1, m2, m3, rows = _reference(values, horizon)
    np.testing.assert_allclose([moments.m1[0], moments.m2[0], moments.m3[0]], [m1, m2, m3])
    assert moments.total_rows == rows


def test_a_small_group_borrows_all_groups_cohort() -> None:
    sales = np.zeros((25, 6))
    sales[:5, 3] = 4.0
    group = np.r_[np.zeros(5, np.int64), np.ones(20, np.int64)]
    moments = pooled_rate.cohort_moments(sales=sales, group=group, n_groups=2, horizon=2)
    assert moments.rows.tolist() == [0, 20]
    assert moments.m1[1] == 0.0
    # all rows: origins 1-4, 2 periods each; the 5 sellers leave after origin 3 and
    # their period 3 counts twice: 40 units in 20 x 8 + 5 x 6 periods
    assert moments.m1[0] == 5 * 2 * 4.0 / (20 * 8 + 5 * 6)


def test_pooled_rates_give_never_sold_rows_the_cohort_rate() -> None:
    sales = np.zeros((30, 8))
    sales[:10, 5] = 2.0  # ten rows start selling late; twenty never sell
    group, forecast, horizon = np.zeros(30, np.int64), np.zeros(30), np.ones(30)
    halves = pooled_rate.pooled_rates(
        sales=sales, group=group, forecast_rate=forecast, horizon=horizon, shrink_forecast=True
    )
    cohort = pooled_rate.pooled_rates(
        sales=sales,
        group=group,
        forecast_rate=forecast,
        horizon=horizon,
        shrink_forecast=True,
        launch=Launch.COHORT,
        launch_horizon=3,
    )
    never = slice(10, 30)
    assert np.all(cohort.source[never] == RateSource.LAUNCH)
    assert np.array_equal(cohort.source, halves.source)
    expected = pooled_rate.cohort_moments(
        sales=sales, group=np.zeros(30, np.int64), n_groups=1, horizon=3
    ).m1[0]
    assert np.all(cohort.rate[never] == expected)
    # cohort: origins 1-5, 3 periods; the ten sellers' period 5 counts 3 times
    assert expected == 10 * 2.0 * 3 / (30 * 15)
    # halves: all thirty silent in periods 0-3, 20 units in 30 x 4 periods after
    assert np.all(halves.rate[never] == 20.0 / 120.0)
    assert pooled_rate.LAUNCH_DEFAULT == Launch.HALVES


def test_cohort_horizon_is_the_lead_time_plus_one_review() -> None:
    assert pooled_rate.cohort_horizon(np.array([1.07, 1.07])) == 3
    assert pooled_rate.cohort_horizon(np.array([0.2])) == 2
    assert pooled_rate.cohort_horizon(np.array([7.0, 9.0])) == 9
