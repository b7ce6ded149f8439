"""Choosing per series from backtest errors pooled within groups of alike series."""

from __future__ import annotations

from typing import Self

import numpy as np

from stockguard.planning.forecasting.auto import AutoForecaster
from stockguard.planning.forecasting.backtest import backtest
from stockguard.planning.forecasting.selection import (
    credibility_weights,
    group_means,
    relative_errors,
    select_models,
    shrink,
)

INF = np.inf


class Flat:
    """A flat forecast: the mean of the last ``window`` observations plus ``shift``."""

    def __init__(self, alias: str, window: int, shift: float = 0.0) -> None:
        self.alias, self.window, self.shift = alias, window, shift

    def fit(self, y: np.ndarray) -> Self:
        self.level_ = np.nanmean(y[:, -self.window :], axis=1) + self.shift
        return self

    def predict(self, horizon: int) -> np.ndarray:
        return np.repeat(np.maximum(self.level_, 0.0)[:, None], horizon, axis=1)

    def forecast(self, y: np.ndarray, horizon: int) -> np.ndarray:
        return Flat(self.alias, self.window, self.shift).fit(y).predict(horizon)


def _stationary_demand(n_series: int = 200, n_periods: int = 120) -> np.ndarray:
    """Poisson demand around a fixed mean of 4: the long average is right for all."""
    return np.random.default_rng(5).poisson(4.0, size=(n_series, n_periods)).astype(np.float64)


def test_pooling_the_choice_beats_noisy_series_by_series_choice() -> None:
    y = _stationary_demand()
    models = [Flat("Last", 1), Flat("Week", 7), Flat("Long", 100)]
    alone = AutoForecaster(models=models, n_windows=2, combine=False, prior_windows=0)
    pooled = AutoForecaster(models=models, n_windows=2, combine=False)
    by_series, by_group = alone.fit(y, 7).predict(), pooled.fit(y, 7).predict()
    assert by_series.model.count("Long") < 150  # lucky short windows often win alone
    assert by_group.model.count("Long") > 180
    true_error = [np.mean((forecast.mean - 4.0) ** 2) for forecast in (by_series, by_group)]
    assert true_error[1] < 0.3 * true_error[0]  # about 0.10 against 0.52


def test_groups_are_pooled_separately() -> None:
    rng = np.random.default_rng(6)
    steady = rng.poisson(4.0, size=(60, 120)).astype(np.float64)
    level = 20.0 + np.cumsum(rng.normal(0.0, 2.0, size=(60, 120)), axis=1)
    y = np.vstack([steady, np.maximum(level, 0.0)])
    models = [Flat("Last", 1), Flat("Long", 100)]
    groups = np.repeat([0, 1], 60)
    forecast = AutoForecaster(models=models, n_windows=2, combine=False).fit(y, 7, groups=groups)
    assert forecast.predict().model[:60].count("Long") >= 58
    assert forecast.predict().model[60:].count("Last") >= 58


def test_without_prior_windows_each_series_takes_its_lowest_error() -> None:
    y = _stationary_demand(n_series=30)
    result = backtest(models=[Flat("Last", 1), Flat("Long", 100)], y=y, horizon=7, n_windows=2)
    selection = select_models(result=result, combine=False, prior_windows=0.0)
    np.testing.assert_array_equal(
        np.argmax(selection.weights, axis=0), np.argmin(result.errors, axis=0)
    )
    np.testing.assert_allclose(selection.error, result.errors.min(axis=0))


def test_combination_is_kept_where_its_shrunk_error_is_lower() -> None:
    y = np.full((5, 60), 10.0)
    models = [Flat("High", 7, 2.0), Flat("Low", 7, -2.0), Flat("Far", 7, 5.0)]
    result = backtest(models=models, y=y, horizon=7, n_windows=2)
    selection = select_models(
        result=result, combination_size=2, groups=np.zeros(5, np.int64), prior_windows=3.0
    )
    np.testing.assert_allclose(selection.weights, [[0.5] * 5, [0.5] * 5, [0.0] * 5])
    np.testing.assert_allclose(selection.error, 0.0)


def test_relative_errors_are_per_series_ratios_to_the_mean_over_models() -> None:
    errors = np.array([[1.0, 0.0, np.nan], [3.0, 0.0, np.nan], [np.nan, 0.0, np.nan]])
    relative, reference = relative_errors(errors)
    np.testing.assert_allclose(reference, [2.0, 0.0, np.nan])
    np.testing.assert_array_equal(relative, [[0.5, 0.0, INF], [1.5, 0.0, INF], [INF, 0.0, INF]])


def test_shrinkage_moves_each_series_toward_its_group_mean_by_its_credibility() -> None:
    relative = np.array([[0.5, 1.5, 1.0, INF], [1.5, 0.5, 1.0, INF]])
    groups = np.array([0, 0, 1, 1])
    np.testing.assert_allclose(group_means(relative, groups), [[1.0] * 4, [1.0] * 4])
    credibility = credibility_weights(scored_windows=np.array([3, 1, 3, 0]), prior_windows=3.0)
    np.testing.assert_allclose(credibility, [0.5, 0.25, 0.5, 0.0])
    shrunk = shrink(relative=relative, groups=groups, credibility=credibility)
    np.testing.assert_allclose(shrunk[:, :3], [[0.75, 1.125, 1.0], [1.25, 0.875, 1.0]])
    assert np.all(np.isinf(shrunk[:, 3]))
