"""Rolling-origin backtests with tiny test forecasters."""

from __future__ import annotations

from typing import Self

import numpy as np
import pytest

from stockguard.planning.forecasting.backtest import backtest, rolling_origins, scaled_errors
from stockguard.planning.forecasting.base import Forecaster

NAN = np.nan


class LastValue:
    """Naive: the last observed value, 0 without history."""

    alias = "Naive"

    def fit(self, y: np.ndarray) -> Self:
        observed = np.isfinite(y)
        last = y.shape[1] - 1 - np.argmax(observed[:, ::-1], axis=1)
        level = y[np.arange(y.shape[0]), last]
        self.level_ = np.where(observed.any(axis=1), level, 0.0)
        return self

    def predict(self, horizon: int) -> np.ndarray:
        return np.repeat(self.level_[:, None], horizon, axis=1)

    def forecast(self, y: np.ndarray, horizon: int) -> np.ndarray:
        return LastValue().fit(y).predict(horizon)


class Constant:
    alias = "Constant"

    def __init__(self, value: float) -> None:
        self.value = value

    def fit(self, y: np.ndarray) -> Self:
        self.n_series_ = y.shape[0]
        return self

    def predict(self, horizon: int) -> np.ndarray:
        return np.full((self.n_series_, horizon), self.value)

    def forecast(self, y: np.ndarray, horizon: int) -> np.ndarray:
        return Constant(self.value).fit(y).predict(horizon)


def test_rolling_origins_step_back_from_the_end() -> None:
    np.testing.assert_array_equal(
        rolling_origins(n_periods=100, horizon=28, n_windows=3), [16, 44, 72]
    )
    np.testing.assert_array_equal(
        rolling_origins(n_periods=100, horizon=28, n_windows=3, step=7), [58, 65, 72]
    )


def test_rolling_origins_refuse_windows_without_training_data() -> None:
    with pytest.raises(ValueError, match="need more than"):
        rolling_origins(n_periods=56, horizon=28, n_windows=2)


def test_backtest_keeps_horizon_length_forecasts_and_actuals() -> None:
    y = np.arange(40, dtype=np.float64).reshape(2, 20)
    result = backtest(models=[LastValue(), Constant(1.0)], y=y, horizon=4, n_windows=3)
    assert result.aliases == ("Naive", "Constant")
    np.testing.assert_array_equal(result.origins, [8, 12, 16])
    assert result.forecasts.shape == (2, 3, 2, 4)
    assert result.actuals.shape == (3, 2, 4)
    np.testing.assert_array_equal(result.forecasts[0, 1, 0], [11.0] * 4)
    np.testing.assert_array_equal(result.actuals[1, 0], [12.0, 13.0, 14.0, 15.0])
    assert result.errors.shape == (2, 2)


def test_errors_are_pooled_squared_scaled_errors() -> None:
    y = np.array([[0.0, 1.0, 0.0, 1.0, 0.0, 1.0, 0.0, 1.0]])  # one-step naive scale 1
    result = backtest(models=[Constant(0.0), Constant(0.5)], y=y, horizon=2, n_windows=2)
    # actuals are (0, 1) in both windows
    np.testing.assert_allclose(result.errors[:, 0], [0.5, 0.25])


def test_censored_actuals_are_not_scored() -> None:
    y = np.array([[1.0, 2.0, 1.0, 2.0, 1.0, NAN, 1.0, NAN]])
    result = backtest(models=[Constant(1.0)], y=y, horizon=2, n_windows=2)
    assert np.isnan(result.actuals[:, 0, 1]).all()
    assert result.errors[0, 0] == 0.0


def test_young_series_are_scored_only_in_windows_with_enough_training_data() -> None:
    y = np.ones((2, 12))
    y[1, :7] = NAN  # starts at period 7: no data before origins 4 and 6
    result = backtest(models=[Constant(1.0)], y=y, horizon=2, n_windows=4, min_training=2)
    np.testing.assert_array_equal(result.origins, [4, 6, 8, 10])
    np.testing.assert_array_equal(result.scored_windows(), [4, 1])


def test_a_model_that_cannot_forecast_a_scored_series_has_infinite_error() -> None:
    forecasts = np.array([[[[NAN, 1.0]]]])
    actuals = np.array([[[1.0, 1.0]]])
    errors = scaled_errors(forecasts=forecasts, actuals=actuals, scale=np.ones(1))
    assert np.isinf(errors[0, 0])


def test_explicit_origins_give_the_rolling_windows_and_a_subset_is_a_backtest_of_its_own() -> None:
    from stockguard.planning.forecasting.backtest import later_windows

    y = np.random.default_rng(31).poisson(4.0, size=(5, 60)).astype(np.float64)
    y[1, :20] = NAN
    models: list[Forecaster] = [LastValue(), Constant(4.0)]
    rolling = backtest(models=models, y=y, horizon=7, n_windows=3, step=4)
    explicit = backtest(models=models, y=y, horizon=7, n_windows=99, origins=rolling.origins)
    np.testing.assert_array_equal(explicit.forecasts, rolling.forecasts)
    np.testing.assert_array_equal(explicit.errors, rolling.errors)
    wider = backtest(models=models, y=y, horizon=7, n_windows=1, origins=np.array([10, 25, 46, 53]))
    alone = backtest(models=models, y=y, horizon=7, n_windows=1, origins=np.array([46, 53]))
    part = later_windows(wider, 2, y)
    np.testing.assert_array_equal(part.origins, alone.origins)
    np.testing.assert_array_equal(part.forecasts, alone.forecasts)
    np.testing.assert_array_equal(part.scale, alone.scale)
    np.testing.assert_array_equal(part.errors, alone.errors)


@pytest.mark.parametrize("origins", [[0, 10], [10, 54], [20, 10], []])
def test_explicit_origins_outside_the_panel_or_unordered_are_refused(origins: list[int]) -> None:
    y = np.ones((2, 60))
    with pytest.raises(ValueError, match="origins must increase"):
        backtest(models=[LastValue()], y=y, horizon=7, n_windows=1, origins=np.array(origins))
