"""The sign rule for the intermittent default (an option, ADR 0036): the choice replaces
the default only if it wins most of the backtest windows."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.forecasting.auto import AutoForecaster
from stockguard.planning.forecasting.backtest import BacktestResult
from stockguard.planning.forecasting.selection import (
    DEFAULT_RULE,
    Selection,
    beaten_in_most_windows,
    keep_default,
)

NAN = np.nan


def _windows(values: list[list[float]]) -> np.ndarray:
    """(n_windows, 1 series, horizon 1) from one value per window."""
    return np.array(values, dtype=np.float64)[:, None, :]


def test_the_shipped_rule_pools_the_windows() -> None:
    assert DEFAULT_RULE == "mean"
    assert AutoForecaster().default_rule == "mean"


def test_two_of_three_windows_beat_the_default_even_when_the_third_is_far_worse() -> None:
    actuals = _windows([[1.0], [1.0], [1.0]])
    chosen = _windows([[1.1], [1.1], [9.0]])  # wins twice, loses the third badly
    default = _windows([[2.0], [2.0], [1.0]])
    np.testing.assert_array_equal(
        beaten_in_most_windows(chosen=chosen, default=default, actuals=actuals), [True]
    )
    # one win in three is not a majority, however large the win
    one_win = _windows([[1.0], [2.5], [2.5]])  # exact in window 1, worse in windows 2 and 3
    other = _windows([[1.0], [2.0], [1.0]])
    np.testing.assert_array_equal(
        beaten_in_most_windows(chosen=one_win, default=default, actuals=other), [False]
    )


def test_ties_do_not_count_and_only_scored_windows_are_counted() -> None:
    actuals = _windows([[NAN], [1.0], [1.0]])  # first window not scored: 2 windows remain
    default = _windows([[5.0], [2.0], [2.0]])
    tie_and_win = _windows([[1.0], [0.0], [1.5]])  # a tie (|1 - 0| = |1 - 2|) and a win
    both_win = _windows([[9.0], [1.0], [1.5]])
    result = beaten_in_most_windows(
        chosen=np.concatenate([tie_and_win, both_win], axis=1),
        default=np.concatenate([default, default], axis=1),
        actuals=np.concatenate([actuals, actuals], axis=1),
    )
    np.testing.assert_array_equal(result, [False, True])


def test_keep_default_with_the_windows_rule_reads_the_backtest() -> None:
    actuals = _windows([[1.0], [1.0], [1.0]])
    forecasts = np.stack([_windows([[2.0], [2.0], [1.0]]), _windows([[1.1], [1.1], [9.0]])])
    errors = np.array([[2.0 / 3.0], [64.02 / 3.0]])  # pooled: the default is far better
    result = BacktestResult(
        aliases=("default", "other"),
        origins=np.array([1, 2, 3]),
        forecasts=forecasts,
        actuals=actuals,
        scale=np.ones(1),
        errors=errors,
    )
    chosen = Selection(weights=np.array([[0.0], [1.0]]), error=errors[1].copy())
    eligible = np.ones(1, dtype=bool)
    pooled = keep_default(selection=chosen, errors=errors, default=0, eligible=eligible)
    counted = keep_default(
        selection=chosen, errors=errors, default=0, eligible=eligible, rule="windows", result=result
    )
    np.testing.assert_array_equal(pooled.weights[:, 0], [1.0, 0.0])
    np.testing.assert_array_equal(counted.weights[:, 0], [0.0, 1.0])
    with pytest.raises(ValueError, match="needs the backtest"):
        keep_default(selection=chosen, errors=errors, default=0, eligible=eligible, rule="windows")
    with pytest.raises(ValueError, match="rule must be"):
        keep_default(selection=chosen, errors=errors, default=0, eligible=eligible, rule="median")


def test_auto_forecaster_passes_the_rule_on_and_keeps_it_in_forecast() -> None:
    rng = np.random.default_rng(36)
    y = (rng.binomial(1, 0.2, (60, 48)) * rng.poisson(3.0, (60, 48))).astype(np.float64)
    pooled = AutoForecaster(season_length=12).fit(y, 6)
    counted = AutoForecaster(season_length=12, default_rule="windows")
    names = np.array(counted.fit(y, 6).predict().model)
    assert (names != np.array(pooled.predict().model)).any()
    np.testing.assert_allclose(counted.forecast(y, 6).mean, counted.predict().mean)
