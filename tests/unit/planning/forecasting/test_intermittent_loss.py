"""Intermittent and lumpy series selected by mean absolute scaled error (an option,
ADR 0038): one spike in the backtest windows no longer decides the choice alone."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.forecasting import classification
from stockguard.planning.forecasting.auto import INTERMITTENT_LOSS, AutoForecaster
from stockguard.planning.forecasting.backtest import BacktestResult, absolute_scaled_errors
from stockguard.planning.forecasting.selection import (
    SeriesLoss,
    keep_default,
    select_models,
    selection_errors,
)

NAN = np.nan


def _spike_backtest() -> BacktestResult:
    """Two series with the same five test cells (0, 0, 0, 0, 10) in one window; model
    "mean" forecasts 2 everywhere, model "zero" forecasts 0. Squared error: "mean" 16,
    "zero" 20; absolute error: "mean" 3.2, "zero" 2."""
    actuals = np.tile(np.array([0.0, 0.0, 0.0, 0.0, 10.0]), (1, 2, 1))  # (1, 2, 5)
    forecasts = np.stack([np.full((1, 2, 5), 2.0), np.zeros((1, 2, 5))])
    scale = np.ones(2)
    errors = np.array([[16.0, 16.0], [20.0, 20.0]])
    return BacktestResult(
        aliases=("mean", "zero"),
        origins=np.array([10]),
        forecasts=forecasts,
        actuals=actuals,
        scale=scale,
        errors=errors,
    )


def test_absolute_scaled_error_is_the_mean_absolute_error_over_the_scale() -> None:
    actuals = np.array([[[1.0, 3.0, NAN]], [[0.0, NAN, NAN]]])  # (2 windows, 1, 3)
    forecasts = np.array([[[2.0, 1.0, 7.0]], [[0.5, 4.0, 4.0]]])
    scaled = absolute_scaled_errors(forecasts=forecasts, actuals=actuals, scale=np.array([2.0]))
    np.testing.assert_allclose(scaled, [(1.0 + 2.0 + 0.5) / 3 / 2.0])
    missing = forecasts.copy()
    missing[0, 0, 0] = NAN
    assert absolute_scaled_errors(forecasts=missing, actuals=actuals, scale=np.ones(1))[0] == (
        np.inf
    )


def test_a_spike_decides_the_squared_choice_but_not_the_absolute_one() -> None:
    result = _spike_backtest()
    loss = SeriesLoss(absolute=np.array([True, False]), scale=np.ones(2))
    errors = selection_errors(forecasts=result.forecasts, result=result, loss=loss)
    np.testing.assert_allclose(errors, [[3.2, 16.0], [2.0, 20.0]])
    squared = select_models(result=result, combine=False)
    mixed = select_models(result=result, combine=False, loss=loss)
    np.testing.assert_array_equal(squared.weights, [[1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_array_equal(mixed.weights, [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(mixed.error, [2.0, 16.0])


def test_the_default_is_replaced_when_beaten_on_the_absolute_loss() -> None:
    result = _spike_backtest()
    loss = SeriesLoss(absolute=np.array([True, False]), scale=np.ones(2))
    errors = selection_errors(forecasts=result.forecasts, result=result, loss=loss)
    chosen = select_models(result=result, combine=False, loss=loss)
    kept = keep_default(selection=chosen, errors=errors, default=1, eligible=np.ones(2, bool))
    # series 0 (absolute): its choice is the default "zero" anyway; series 1 (squared):
    # "mean" (16) beats the default "zero" (20)
    np.testing.assert_array_equal(kept.weights, [[0.0, 1.0], [1.0, 0.0]])
    beaten_default = keep_default(
        selection=chosen, errors=errors, default=0, eligible=np.ones(2, bool)
    )
    # default "mean": series 0's choice "zero" scores 2.0 against 3.2 and replaces it
    np.testing.assert_array_equal(beaten_default.weights, [[0.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(beaten_default.error, [2.0, 16.0])


def test_the_shipped_loss_is_squared_and_an_unknown_loss_is_refused() -> None:
    assert INTERMITTENT_LOSS == "squared"
    assert AutoForecaster().intermittent_loss == "squared"
    with pytest.raises(ValueError, match="intermittent_loss must be"):
        AutoForecaster(intermittent_loss="huber")


def _mixed_panel() -> np.ndarray:
    """30 smooth series then 60 intermittent ones, 48 months."""
    rng = np.random.default_rng(38)
    smooth = rng.poisson(20.0, (30, 48)).astype(np.float64)
    sparse = rng.binomial(1, 0.2, (60, 48)) * rng.poisson(3.0, (60, 48))
    return np.vstack([smooth, sparse.astype(np.float64)])


def test_auto_forecaster_changes_the_choice_of_intermittent_series_only() -> None:
    y = _mixed_panel()
    codes = classification.classify_demand(y).code
    intermittent = np.isin(codes, (classification.INTERMITTENT, classification.LUMPY))
    assert intermittent.any()
    assert (~intermittent).any()
    squared = AutoForecaster(season_length=12).fit(y, 6).predict()
    absolute = AutoForecaster(season_length=12, intermittent_loss="absolute")
    changed = np.array(absolute.fit(y, 6).predict().model) != np.array(squared.model)
    assert changed[intermittent].any()
    assert not changed[~intermittent].any()
    np.testing.assert_allclose(absolute.forecast(y, 6).mean, absolute.predict().mean)
