"""Lead-time demand: sums of daily forecasts over a random lead time."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from stockguard.planning.forecasting import leadtime
from stockguard.planning.forecasting.base import ProbabilisticForecast


def _constant(value: float, n_series: int = 1, horizon: int = 28) -> np.ndarray:
    return np.full((n_series, horizon), value)


def test_mean_is_lead_time_times_daily_demand_and_variance_follows_the_textbook_formula() -> None:
    # d = 10, sigma_d = 3, L = 4, sigma_L = 1: E = 40, Var = 4 * 9 + 100 * 1 = 136
    result = leadtime.lead_time_demand(
        demand_mean=_constant(10.0),
        demand_std=_constant(3.0),
        lead_time_mean=np.array([4.0]),
        lead_time_std=np.array([1.0]),
    )
    np.testing.assert_allclose(result.mean, [40.0])
    np.testing.assert_allclose(result.std, [np.sqrt(136.0)])


def test_fractional_and_long_lead_times() -> None:
    result = leadtime.lead_time_demand(
        demand_mean=_constant(2.0, n_series=2, horizon=3),
        demand_std=_constant(1.0, n_series=2, horizon=3),
        lead_time_mean=np.array([2.5, 5.0]),  # the second one is longer than the horizon
        lead_time_std=np.zeros(2),
    )
    np.testing.assert_allclose(result.mean, [5.0, 10.0])
    np.testing.assert_allclose(result.std**2, [2.5, 5.0])


def test_mean_sums_the_daily_forecasts_over_the_lead_time() -> None:
    demand_mean = np.array([[1.0, 2.0, 3.0, 4.0]])
    result = leadtime.lead_time_demand(
        demand_mean=demand_mean,
        demand_std=np.zeros((1, 4)),
        lead_time_mean=np.array([3.0]),
        lead_time_std=np.zeros(1),
    )
    np.testing.assert_allclose(result.mean, [6.0])
    np.testing.assert_allclose(result.quantiles, 6.0)


def test_normal_quantiles_and_zero_demand() -> None:
    result = leadtime.lead_time_demand(
        demand_mean=np.vstack([_constant(10.0), _constant(0.0)]),
        demand_std=np.vstack([_constant(3.0), _constant(0.0)]),
        lead_time_mean=np.array([4.0, 4.0]),
        lead_time_std=np.array([1.0, 1.0]),
        levels=(0.5, 0.95),
    )
    expected = 40.0 + np.sqrt(136.0) * special.ndtri(0.95)
    np.testing.assert_allclose(result.quantiles[0], [40.0, expected])
    np.testing.assert_array_equal(result.quantiles[1], [0.0, 0.0])


def test_gamma_quantiles_are_skewed_non_negative_and_monotone() -> None:
    result = leadtime.lead_time_demand(
        demand_mean=_constant(0.2),
        demand_std=_constant(0.8),
        lead_time_mean=np.array([5.0]),
        lead_time_std=np.array([2.0]),
        levels=(0.1, 0.5, 0.9, 0.99),
        distribution="gamma",
    )
    quantiles = result.quantiles[0]
    assert (quantiles >= 0).all()
    assert (np.diff(quantiles) > 0).all()
    assert quantiles[1] < result.mean[0]  # right-skewed: median below the mean


def test_variance_formula_matches_monte_carlo_with_random_lead_times() -> None:
    rng = np.random.default_rng(11)
    n_paths, d, sigma_d = 200_000, 10.0, 3.0
    lead_time = rng.choice([3, 4, 5], size=n_paths)  # mean 4, variance 2/3
    daily = rng.normal(d, sigma_d, size=(n_paths, 5))
    demand = np.where(np.arange(5)[None, :] < lead_time[:, None], daily, 0.0).sum(axis=1)
    result = leadtime.lead_time_demand(
        demand_mean=_constant(d),
        demand_std=_constant(sigma_d),
        lead_time_mean=np.array([4.0]),
        lead_time_std=np.array([np.sqrt(2.0 / 3.0)]),
    )
    standard_error = demand.var() * np.sqrt(2.0 / n_paths) * 2.0  # generous, non-normal
    assert result.std[0] ** 2 == pytest.approx(demand.var(), abs=4 * standard_error)
    assert result.mean[0] == pytest.approx(demand.mean(), abs=4 * demand.std() / np.sqrt(n_paths))


def test_daily_spread_is_read_from_the_forecast_quantiles() -> None:
    levels = np.array([0.1, 0.5, 0.9])
    z = special.ndtri(levels)
    quantiles = (10.0 + 3.0 * z)[None, :, None] * np.ones((1, 3, 28))
    forecast = ProbabilisticForecast(
        mean=_constant(10.0), levels=levels, quantiles=quantiles, model=("SES",)
    )
    np.testing.assert_allclose(leadtime.std_from_quantiles(quantiles=quantiles, levels=levels), 3.0)
    result = leadtime.lead_time_demand_from_forecast(
        forecast=forecast, lead_time_mean=np.array([4.0]), lead_time_std=np.array([1.0])
    )
    np.testing.assert_allclose(result.std, [np.sqrt(136.0)])


def test_median_is_used_when_the_lower_level_is_missing() -> None:
    levels = np.array([0.5, 0.9])
    quantiles = np.array([[[10.0], [10.0 + 3.0 * special.ndtri(0.9)]]])
    np.testing.assert_allclose(
        leadtime.std_from_quantiles(quantiles=quantiles, levels=levels), [[3.0]]
    )
