"""Stock-out probability and expected shortfall over a random horizon: scalar references
(sums over the probability mass function written out here) and properties."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from stockguard.planning.risk.probability import (
    LARGE_MEAN,
    demand_over_horizon,
    expected_shortfall,
    stockout_probability,
    stockout_probability_over_horizons,
)


def _poisson_pmf(x: int, mean: float) -> float:
    return math.exp(x * math.log(mean) - mean - math.lgamma(x + 1))


def _nb_pmf(x: int, mean: float, variance: float) -> float:
    p = mean / variance
    r = mean**2 / (variance - mean)
    log = math.lgamma(x + r) - math.lgamma(r) - math.lgamma(x + 1)
    return math.exp(log + r * math.log(p) + x * math.log(1.0 - p))


def _reference(available: float, mean: float, variance: float) -> tuple[float, float]:
    """(P(D > a), E[(D - a)^+]) from finite sums of the pmf over ``x <= a``:
    ``1 - sum p(x)`` and ``mean - a + sum (a - x) p(x)``."""
    masses = [
        _nb_pmf(x, mean, variance) if variance > mean else _poisson_pmf(x, mean)
        for x in range(math.floor(available) + 1)
    ]
    probability = 1.0 - sum(masses)
    shortfall = mean - available + sum((available - x) * m for x, m in enumerate(masses))
    return probability, shortfall


def test_demand_over_horizon_adds_the_horizon_variance() -> None:
    mean, variance = demand_over_horizon([2.0], [4.0], [5.0], [1.0])
    assert mean == pytest.approx([10.0])
    assert variance == pytest.approx([24.0])


def test_worked_example_of_the_module_docstring() -> None:
    p = stockout_probability([15.0], [2.0], [4.0], [5.0], [1.0])
    assert p == pytest.approx([0.13188852], abs=1e-7)


@pytest.mark.parametrize(
    ("available", "mean", "var", "t_mean", "t_var"),
    [
        (3.0, 0.4, 0.4, 5.0, 0.0),  # Poisson, m = 2
        (3.5, 0.4, 0.4, 5.0, 0.0),  # fractional availability
        (0.5, 0.1, 0.1, 3.0, 0.0),  # slow mover
        (15.0, 2.0, 4.0, 5.0, 1.0),  # negative binomial from both sources
        (12.0, 1.5, 1.5, 6.0, 4.0),  # over-dispersed only by the horizon
        (40.0, 3.0, 20.0, 10.0, 0.0),  # lumpy daily demand
        (2.0, 0.05, 0.6, 14.0, 9.0),  # very lumpy intermittent demand
    ],
)
def test_matches_the_summed_probability_mass_function(
    available: float, mean: float, var: float, t_mean: float, t_var: float
) -> None:
    m, v = demand_over_horizon([mean], [var], [t_mean], [t_var])
    probability, shortfall = _reference(available, float(m[0]), float(v[0]))
    args = ([available], [mean], [var], [t_mean], [t_var])
    assert stockout_probability(*args)[0] == pytest.approx(probability, abs=1e-9)
    assert expected_shortfall(*args)[0] == pytest.approx(shortfall, rel=1e-7, abs=1e-9)


def test_no_demand_never_stocks_out_and_empty_shelves_with_demand_always_do() -> None:
    args = (
        [0.0, -2.0, 0.0, -2.0],
        [0.0, 0.0, 1.0, 1.0],
        [0.0, 0.0, 1.0, 1.0],
        [5.0] * 4,
        [1.0] * 4,
    )
    assert stockout_probability(*args).tolist() == [0.0, 0.0, 1.0, 1.0]
    shortfall = expected_shortfall(*args)
    assert shortfall.tolist()[:2] == [0.0, 2.0]
    assert shortfall[2:] == pytest.approx([5.0, 7.0])


def test_zero_horizon_has_no_risk() -> None:
    assert stockout_probability([1.0], [3.0], [9.0], [0.0], [0.0]).tolist() == [0.0]


def test_large_means_use_a_gamma_close_to_the_normal() -> None:
    mean_per_day, days = 2.0 * LARGE_MEAN, 5.0
    m, v = mean_per_day * days, 4.0 * mean_per_day * days
    available = m + 1.5 * math.sqrt(v)
    p = stockout_probability([available], [mean_per_day], [4.0 * mean_per_day], [days], [0.0])
    assert p[0] == pytest.approx(0.5 * math.erfc(1.5 / math.sqrt(2.0)), abs=2e-3)
    shortfall = expected_shortfall(
        [m - 10.0 * math.sqrt(v)], [mean_per_day], [v / days], [days], [0]
    )
    assert shortfall[0] == pytest.approx(10.0 * math.sqrt(v), rel=1e-6)


def test_rejects_negative_variances_naming_the_row() -> None:
    with pytest.raises(ValueError, match=r"demand_var: row 1 is -1.0"):
        stockout_probability([1.0, 1.0], [1.0, 1.0], [1.0, -1.0], [2.0, 2.0], [0.0, 0.0])
    with pytest.raises(ValueError, match=r"available: row 0 is NaN"):
        expected_shortfall([math.nan], [1.0], [1.0], [2.0], [0.0])


means = st.floats(min_value=0.0, max_value=500.0)
ratios = st.floats(min_value=0.5, max_value=20.0)
horizons = st.floats(min_value=0.0, max_value=60.0)
horizon_sds = st.floats(min_value=0.0, max_value=20.0)
stocks = st.floats(min_value=-50.0, max_value=5000.0)


@settings(max_examples=200, deadline=None)
@given(means, ratios, horizons, horizon_sds, stocks, st.floats(min_value=0.0, max_value=100.0))
def test_probability_is_bounded_and_falls_as_stock_rises(
    mean: float, ratio: float, t_mean: float, t_sd: float, stock: float, extra: float
) -> None:
    args = ([mean] * 2, [mean * ratio] * 2, [t_mean] * 2, [t_sd**2] * 2)
    p = stockout_probability([stock, stock + extra], *args)
    assert np.all((p >= 0.0) & (p <= 1.0))
    assert p[1] <= p[0] + 1e-12
    shortfall = expected_shortfall([stock, stock + extra], *args)
    assert np.all(shortfall >= 0.0)
    assert shortfall[1] <= shortfall[0] + 1e-9 * (1.0 + shortfall[0])
    assert shortfall[0] >= mean * t_mean - stock - 1e-6 * (1.0 + mean * t_mean)


@settings(max_examples=200, deadline=None)
@given(means, ratios, horizons, horizon_sds, stocks, st.floats(min_value=1.0, max_value=4.0))
def test_probability_rises_with_a_longer_or_stretched_horizon(
    mean: float, ratio: float, t_mean: float, t_sd: float, stock: float, stretch: float
) -> None:
    p = stockout_probability(
        [stock] * 4,
        [mean] * 4,
        [mean * ratio] * 4,
        [t_mean, t_mean * stretch, t_mean, t_mean * stretch],
        [0.0, 0.0, t_sd**2, (stretch * t_sd) ** 2],
    )
    assert p[1] >= p[0] - 1e-9
    assert p[3] >= p[2] - 1e-9


def test_tiny_means_read_as_no_demand() -> None:
    p = stockout_probability([3.0], [1e-300], [3e-300], [20.0], [100.0])
    assert p.tolist() == [0.0]


def test_horizon_mixture_worked_example_and_the_cap_of_an_atom_at_zero() -> None:
    pmf = np.zeros((2, 6))
    pmf[0, [0, 5]] = [0.2, 0.8]
    pmf[1, 5] = 1.0

    p = stockout_probability_over_horizons([3.0, 3.0], [2.0, 2.0], [2.0, 2.0], pmf)

    assert p[0] == pytest.approx(0.8 * stats.poisson.sf(3, 10.0))
    assert p[0] <= 0.8  # next-day deliveries: nothing can run out in a fifth of the cases
    assert p[1] == pytest.approx(stockout_probability([3.0], [2.0], [2.0], [5.0], [0.0])[0])


def test_horizon_mixture_matches_a_sum_over_days_and_normalises_rows() -> None:
    pmf = np.array([[0.0, 1.0, 2.0, 0.0, 1.0]])  # sums to 4: read as 0.25, 0.5, 0.25
    # NB of k days: mean 1.5 k, variance 3 k, so p = 0.5 and r = 1.5 k
    expected = sum(
        w * stats.nbinom.sf(6, 1.5 * k, 0.5) for w, k in ((0.25, 1), (0.5, 2), (0.25, 4))
    )

    p = stockout_probability_over_horizons([6.0], [1.5], [3.0], pmf)

    assert p[0] == pytest.approx(expected)
    empty = stockout_probability_over_horizons([0.0, -1.0], [1.0, 0.0], [1.0, 0.0], np.eye(2))
    assert empty.tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="horizon_pmf"):
        stockout_probability_over_horizons([1.0], [1.0], [1.0], np.zeros((1, 3)))


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=0.0, max_value=50.0),
    st.floats(min_value=1.0, max_value=10.0),
    st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=2, max_size=30),
    stocks,
    st.floats(min_value=0.0, max_value=100.0),
)
def test_horizon_mixture_is_bounded_and_falls_as_stock_rises(
    mean: float, ratio: float, weights: list[float], stock: float, extra: float
) -> None:
    pmf = np.array([weights, weights]) + 1e-3
    p = stockout_probability_over_horizons(
        [stock, stock + extra], [mean] * 2, [mean * ratio] * 2, pmf
    )
    assert np.all((p >= 0.0) & (p <= 1.0))
    assert p[1] <= p[0] + 1e-12
