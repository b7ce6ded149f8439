"""The drivers step with the real LightGBM model on a panel where a promotion drives demand.

Half the series sell four times more on promotion days; the other half ignore the flag
(pure Poisson noise around a constant level). The forecast is scored on the 14 days after
the history against the true expected demand.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from stockguard.adapters.forecasting.gbm import GbmDriversModel
from stockguard.planning.forecasting import auto
from stockguard.planning.forecasting import driver_choice as dc
from stockguard.planning.forecasting.base import ProbabilisticForecast
from stockguard.services.forecasting import drivers

pytestmark = pytest.mark.slow

HORIZON = 14
N_HALF, N_DAYS = 30, 240


def _panel() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(y history, promo over history + horizon, true mean of the horizon, driven mask)."""
    rng = np.random.default_rng(0)
    promo = (rng.random((2 * N_HALF, N_DAYS + HORIZON)) < 0.3).astype(np.float64)
    level = rng.uniform(2.0, 6.0, (2 * N_HALF, 1))
    driven = np.arange(2 * N_HALF) < N_HALF
    mean = level * np.where(driven[:, None] & (promo > 0), 4.0, 1.0)
    y = rng.poisson(mean[:, :N_DAYS]).astype(np.float64)
    return y, promo, mean[:, N_DAYS:], driven


def _statistical(y: np.ndarray, horizon: int) -> ProbabilisticForecast:
    return auto.AutoForecaster(season_length=7, n_windows=3).fit(y, horizon).predict()


def test_driven_series_use_the_drivers_model_and_noise_gains_nothing_from_it() -> None:
    y, promo, truth, driven = _panel()
    outcome = drivers.forecast_with_drivers(
        y,
        HORIZON,
        statistical=_statistical,
        model=GbmDriversModel(num_boost_round=100),
        inputs=drivers.DriverInputs(start=date(2025, 1, 1), regressors={"promo": promo}),
    )
    assert outcome.choice is not None
    choice = outcome.choice.choice
    assert np.isin(choice[driven], [dc.DRIVERS, dc.MEAN]).all()
    assert np.mean(choice[~driven] == dc.DRIVERS) <= 0.4
    statistical = _statistical(y, HORIZON).mean
    error = ((outcome.forecast.mean - truth) ** 2).mean(axis=1)
    statistical_error = ((statistical - truth) ** 2).mean(axis=1)
    assert error[driven].mean() < 0.2 * statistical_error[driven].mean()
    assert error[~driven].mean() < 1.25 * statistical_error[~driven].mean()
    quantiles = outcome.forecast.quantiles
    assert (np.diff(quantiles, axis=1) >= 0).all()
    assert outcome.seconds > 0


def test_the_same_seed_gives_the_same_drivers_forecast() -> None:
    y, promo, _, _ = _panel()
    inputs = {"promo": promo[:10]}
    runs = [
        GbmDriversModel(seed=3, num_boost_round=30).forecast(
            y[:10], horizon=HORIZON, start=date(2025, 1, 1), prices=None, regressors=inputs
        )
        for _ in range(2)
    ]
    np.testing.assert_array_equal(runs[0], runs[1])
    assert runs[0].shape == (10, HORIZON)
