"""Empirical lead-time demand: samples from forecast quantiles and by bootstrap."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import special

from stockguard.planning.forecasting import leadtime
from stockguard.planning.inventory import bootstrap, empirical


def test_samples_from_normal_quantiles_are_the_normal_quantile_function() -> None:
    levels = np.array([0.5, 0.8, 0.9, 0.95, 0.99])
    quantiles = 40.0 + 11.66 * special.ndtri(levels)[None, :]
    samples = empirical.samples_from_quantiles(quantiles=quantiles, levels=levels, n_samples=100)
    u = (np.arange(100) + 0.5) / 100
    np.testing.assert_allclose(samples[0], np.maximum(40.0 + 11.66 * special.ndtri(u), 0.0))


def test_forecast_lead_time_quantiles_give_a_reorder_point_near_the_normal_one() -> None:
    demand = leadtime.lead_time_demand(
        demand_mean=np.full((1, 28), 10.0),
        demand_std=np.full((1, 28), 3.0),
        lead_time_mean=np.array([4.0]),
        lead_time_std=np.array([1.0]),
    )
    samples = empirical.samples_from_quantiles(
        quantiles=demand.quantiles, levels=demand.levels, n_samples=2000
    )
    result = empirical.empirical_safety_stock(service_level=[0.95], samples=samples)
    assert result.reorder_point[0] == pytest.approx(40.0 + 1.644854 * np.sqrt(136.0), rel=2e-3)


def test_bootstrap_mean_is_lead_time_times_mean_daily_demand() -> None:
    rng = np.random.default_rng(3)
    history = rng.poisson(4.0, size=(2, 200)).astype(float)
    history[1, ::3] = np.nan  # unobserved days are left out, not read as zero
    lead_times = np.array([[5.0, 7.0, np.nan], [2.5, 2.5, 2.5]])
    samples = bootstrap.bootstrap_lead_time_demand(
        daily_demand=history, lead_times=lead_times, n_samples=20_000, rng=rng
    )
    expected = np.array([6.0 * np.nanmean(history[0]), 2.5 * np.nanmean(history[1])])
    standard_error = samples.std(axis=1) / np.sqrt(samples.shape[1])
    assert np.all(np.abs(samples.mean(axis=1) - expected) < 4 * standard_error + 0.05)


def test_bootstrap_adds_the_review_period_and_repeats_with_the_same_seed() -> None:
    history = np.ones((1, 30))
    draw = bootstrap.bootstrap_lead_time_demand(
        daily_demand=history,
        lead_times=np.array([[3.0]]),
        n_samples=5,
        rng=np.random.default_rng(1),
        review_period=7.0,
    )
    np.testing.assert_allclose(draw, 10.0)
    again = [
        bootstrap.bootstrap_lead_time_demand(
            daily_demand=np.arange(30.0)[None, :],
            lead_times=np.array([[3.0, 9.5]]),
            n_samples=50,
            rng=np.random.default_rng(11),
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(again[0], again[1])


@pytest.mark.parametrize(
    ("history", "lead_times", "message"),
    [
        (np.full((1, 5), np.nan), np.array([[2.0]]), "daily_demand: row 0 has no observed"),
        (np.ones((1, 5)), np.array([[np.nan]]), "lead_times: row 0 has no observed"),
        (np.ones((1, 5)), np.array([[-1.0]]), "lead_times: row 0 has a negative"),
    ],
)
def test_bootstrap_refuses_rows_without_observations(
    history: np.ndarray, lead_times: np.ndarray, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        bootstrap.bootstrap_lead_time_demand(
            daily_demand=history, lead_times=lead_times, n_samples=3, rng=np.random.default_rng(0)
        )
