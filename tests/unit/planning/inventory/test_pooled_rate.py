"""Pooled (empirical-Bayes, gamma-Poisson) demand rates (``inventory.pooled_rate``): the
docstring's worked example, a scalar reference, and properties of the shrinkage."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.forecasting import classification
from stockguard.planning.inventory import pooled_rate
from stockguard.planning.inventory.pooled_rate import RateSource


def _scalar_prior(units: list[float], periods: list[float]) -> tuple[float, float]:
    """The module's moment equations, one member at a time (reference)."""
    k, total, exposure = len(units), sum(units), sum(periods)
    m = total / exposure
    spread = sum(n * (s / n - m) ** 2 for s, n in zip(units, periods, strict=True))
    denominator = exposure - sum(n * n for n in periods) / exposure
    between = (spread - (k - 1) * m) / denominator if denominator > 0 else -1.0
    if k < 2 or between <= 0 or m <= 0:
        return m * pooled_rate.COMPLETE_POOLING, pooled_rate.COMPLETE_POOLING
    return m * m / between, m / between


def test_worked_example_of_the_docstring() -> None:
    prior = pooled_rate.gamma_prior(
        units=[0, 1, 2, 5], periods=[10] * 4, group=[0] * 4, n_groups=1, min_group_rows=2
    )
    np.testing.assert_allclose(prior.shape, [1.5], rtol=1e-12)
    np.testing.assert_allclose(prior.rate, [7.5], rtol=1e-12)
    sales = np.zeros((4, 10))
    sales[1, 3] = 1
    sales[2, [2, 6]] = 1
    sales[3, [1, 5, 8]] = [2, 2, 1]
    rates = pooled_rate.pooled_rates(
        sales=sales,
        group=np.zeros(4, np.int64),
        forecast_rate=np.ones(4),
        horizon=np.zeros(4),
        min_group_rows=2,
    )
    expected = [1.5 / 17.5, 2.5 / 17.5, 3.5 / 17.5, 6.5 / 17.5]
    np.testing.assert_allclose(rates.rate, expected, rtol=1e-12)
    # the SKU without a sale has a positive forecast (and no launch is known): pooled
    assert rates.source.tolist() == [RateSource.POOLED] * 4


def test_without_a_population_of_slow_skus_the_forecast_stays() -> None:
    sales = np.zeros((3, 10))
    sales[1, 4] = 2.0
    rates = pooled_rate.pooled_rates(
        sales=sales,
        group=np.zeros(3, np.int64),
        forecast_rate=np.array([0.0, 0.3, 2.0]),
        horizon=np.zeros(3),
    )
    assert rates.source.tolist() == [RateSource.FORECAST] * 3
    np.testing.assert_array_equal(rates.rate, [0.0, 0.3, 2.0])


def test_launch_moments_of_the_docstring() -> None:
    sales = np.zeros((20, 10))
    sales[0, 7] = 3
    moments = pooled_rate.launch_moments(sales=sales, group=np.zeros(20, np.int64), n_groups=1)
    np.testing.assert_allclose([moments.m1[0], moments.m2[0], moments.m3[0]], [0.03, 0.09, 0.27])
    assert moments.rows.tolist() == [20]


def test_never_sold_rows_take_the_launch_lumps_as_their_undershoot() -> None:
    # 30 SKUs silent for 6 periods; 6 of them then sell 4 units once: l = (4, 16, 64) x 6/180
    sales = np.zeros((40, 12))
    sales[:6, 8] = 4.0
    sales[30:, ::2] = 1.0  # ten SKUs selling every other period (intermittent)
    rates = pooled_rate.pooled_rates(
        sales=sales,
        group=np.zeros(40, np.int64),
        forecast_rate=np.zeros(40),
        horizon=np.zeros(40),
    )
    never = np.flatnonzero(rates.source == RateSource.LAUNCH)
    assert never.tolist() == list(range(6, 30))
    l1, l2, l3 = 4 * 6 / 180, 16 * 6 / 180, 64 * 6 / 180
    np.testing.assert_allclose(rates.rate[never], l1)
    # E[U] = (l2 - l1) / (2 l1) = (16 - 4) / 8 = 1.5: a first sale of 4 leaves 0..3 below
    np.testing.assert_allclose(rates.undershoot_mean[never], 1.5)
    second = (2 * l3 - 3 * l2 + l1) / (6 * l1)
    np.testing.assert_allclose(rates.undershoot_variance[never], second - 1.5**2)
    assert np.isnan(rates.undershoot_mean[rates.source != RateSource.LAUNCH]).all()


def test_smooth_rows_and_rows_never_observed_keep_their_forecast() -> None:
    sales = np.full((3, 20), 5.0)
    sales[1] = np.nan
    sales[2, ::5] = 0.0  # a zero now and then: 16 sales in 20 days, ADI 1.25 < 1.32, smooth
    rates = pooled_rate.pooled_rates(
        sales=sales,
        group=np.zeros(3, np.int64),
        forecast_rate=np.array([4.0, 2.0, 3.0]),
        horizon=np.full(3, 7.0),
    )
    assert rates.source.tolist() == [RateSource.FORECAST] * 3
    np.testing.assert_array_equal(rates.rate, [4.0, 2.0, 3.0])


def test_a_zero_forecast_is_pooled_even_when_the_history_is_smooth() -> None:
    sales = np.full((12, 20), 1.0)
    sales[:, ::2] = 0.0
    sales[0] = 2.0
    rates = pooled_rate.pooled_rates(
        sales=sales,
        group=np.zeros(12, np.int64),
        forecast_rate=np.array([0.0] + [0.5] * 11),
        horizon=np.zeros(12),
    )
    assert rates.source[0] == RateSource.POOLED


def test_predictive_variance_over_the_horizon_is_the_negative_binomial_one() -> None:
    sales = np.zeros((10, 30))
    for row in range(10):
        sales[row, : row + 1] = 1.0
        sales[row, ::5] = 0.0
    h = np.full(10, 6.0)
    rates = pooled_rate.pooled_rates(
        sales=sales, group=np.zeros(10, np.int64), forecast_rate=np.ones(10), horizon=h
    )
    members = rates.source != RateSource.FORECAST  # the prior rests on every slow row
    prior = pooled_rate.gamma_prior(
        units=rates.units[members],
        periods=rates.periods[members],
        group=np.zeros(members.sum(), int),
        n_groups=1,
    )
    rows = rates.source == RateSource.POOLED
    lam = rates.rate[rows]
    expected = h[rows] * lam + h[rows] ** 2 * lam / (prior.rate[0] + rates.periods[rows])
    np.testing.assert_allclose(h[rows] * rates.variance[rows], expected, rtol=1e-12)


def test_a_small_group_borrows_the_prior_of_all() -> None:
    units = [0, 1, 3, 0, 2, 6, 1, 0, 4, 2, 9, 1]
    group = [0] * 10 + [1] * 2
    prior = pooled_rate.gamma_prior(
        units=units, periods=[12] * 12, group=group, n_groups=2, min_group_rows=10
    )
    everyone = _scalar_prior([float(u) for u in units], [12.0] * 12)
    np.testing.assert_allclose([prior.shape[1], prior.rate[1]], everyone, rtol=1e-12)
    own = _scalar_prior([float(u) for u in units[:10]], [12.0] * 10)
    np.testing.assert_allclose([prior.shape[0], prior.rate[0]], own, rtol=1e-12)
    assert prior.rows.tolist() == [10, 0]


@st.composite
def _groups(draw: st.DrawFn) -> tuple[list[float], list[float], list[int]]:
    k = draw(st.integers(min_value=2, max_value=25))
    units = draw(st.lists(st.integers(0, 30), min_size=k, max_size=k))
    periods = draw(st.lists(st.integers(1, 40), min_size=k, max_size=k))
    group = draw(st.lists(st.integers(0, 2), min_size=k, max_size=k))
    return [float(u) for u in units], [float(n) for n in periods], group


@settings(max_examples=60, deadline=None)
@given(_groups())
def test_prior_equals_the_scalar_reference(
    case: tuple[list[float], list[float], list[int]],
) -> None:
    units, periods, group = case
    prior = pooled_rate.gamma_prior(
        units=units, periods=periods, group=group, n_groups=3, min_group_rows=1
    )
    for g in set(group):
        members = [i for i, x in enumerate(group) if x == g]
        expected = _scalar_prior([units[i] for i in members], [periods[i] for i in members])
        np.testing.assert_allclose([prior.shape[g], prior.rate[g]], expected, rtol=1e-9)


@settings(max_examples=60, deadline=None)
@given(_groups())
def test_posterior_lies_between_the_own_rate_and_the_group_mean(
    case: tuple[list[float], list[float], list[int]],
) -> None:
    units, periods, group = case
    prior = pooled_rate.gamma_prior(
        units=units, periods=periods, group=group, n_groups=3, min_group_rows=1
    )
    for i, g in enumerate(group):
        own, mean = units[i] / periods[i], prior.mean[g]
        posterior = (prior.shape[g] + units[i]) / (prior.rate[g] + periods[i])
        assert min(own, mean) - 1e-9 <= posterior <= max(own, mean) + 1e-9
        # more observed periods pull the posterior toward the SKU's own rate
        longer = (prior.shape[g] + 2 * units[i]) / (prior.rate[g] + 2 * periods[i])
        assert abs(longer - own) <= abs(posterior - own) + 1e-9


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=6, max_size=6),
        min_size=1,
        max_size=8,
    )
)
def test_demand_interval_is_the_classifications_adi(rows: list[list[int | None]]) -> None:
    sales = np.array([[np.nan if v is None else float(v) for v in row] for row in rows])
    expected = classification.classify_demand(sales).adi
    np.testing.assert_allclose(pooled_rate.demand_interval(sales), expected, equal_nan=True)
