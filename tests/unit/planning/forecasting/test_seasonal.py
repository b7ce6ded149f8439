from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.forecasting.seasonal import (
    ALPHAS,
    GAMMAS,
    SeasonalExponentialSmoothing,
    position_profile,
    seasonal_filter,
)
from unit.planning.forecasting._panels import assert_valid, panels


def ref_filter(
    row: list[float], alpha: float, gamma: float, init: list[float]
) -> tuple[float, list[float], float]:
    """Scalar ETS(A,N,A) with NaN skipped: (level, season by position, SSE)."""
    m = len(init)
    season = list(init)
    observed = [t for t, v in enumerate(row) if not math.isnan(v)]
    if not observed:
        return math.nan, season, 0.0
    first = observed[0]
    level = row[first] - season[first % m]
    sse = 0.0
    for t, value in enumerate(row):
        if math.isnan(value):
            continue
        error = value - level - season[t % m]
        sse += error * error
        level += alpha * error
        season[t % m] += gamma * error
    return level, season, sse


@settings(max_examples=60, deadline=None)
@given(panels(), st.sampled_from(list(ALPHAS)), st.sampled_from(list(GAMMAS)), st.integers(1, 8))
def test_filter_equals_scalar_reference(
    y: np.ndarray, alpha: float, gamma: float, season_length: int
) -> None:
    init = position_profile(y=y, season_length=season_length)
    n = y.shape[0]
    state = seasonal_filter(
        y=y, alpha=np.full((1, n), alpha), gamma=np.full((1, n), gamma), season_init=init
    )
    for i, row in enumerate(y.tolist()):
        level, season, sse = ref_filter(row, alpha, gamma, init[i].tolist())
        np.testing.assert_allclose(state.level[0, i], level, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(state.season[:, 0, i], season, rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(state.sse[0, i], sse, rtol=1e-9, atol=1e-6)


def test_profile_is_the_centred_mean_of_each_position_over_observed_days() -> None:
    y = np.array([[1.0, 5.0, np.nan, 3.0, 7.0, 2.0]])  # positions 0, 1, 2, 0, 1, 2 (m = 3)
    profile = position_profile(y=y, season_length=3)
    np.testing.assert_allclose(profile, np.array([[2.0, 6.0, 2.0]]) - 10.0 / 3.0)


def test_a_pure_weekly_pattern_is_continued_on_the_right_weekdays() -> None:
    week = np.array([3.0, 1.0, 1.0, 2.0, 2.0, 5.0, 8.0])
    y = np.tile(week, 10)[None, :-3]  # ends on a Thursday: the forecast starts on Friday
    forecast = SeasonalExponentialSmoothing(season_length=7).forecast(y, 7)
    np.testing.assert_allclose(forecast[0], np.roll(week, 3), atol=1e-9)


def test_has_no_trend_so_a_step_in_level_is_not_extrapolated() -> None:
    y = np.concatenate([np.full(70, 10.0), np.full(14, 20.0)])[None, :]
    forecast = SeasonalExponentialSmoothing(season_length=7).forecast(y, 28)[0]
    np.testing.assert_allclose(forecast[7:], forecast[:-7], atol=1e-12)  # same every week
    assert abs(forecast[:7].mean() - 20.0) < 0.1


def test_awkward_rows_give_valid_forecasts_and_zero_for_unobserved_series() -> None:
    rng = np.random.default_rng(3)
    y = rng.poisson(2.0, size=(4, 50)).astype(np.float64)
    y[0] = np.nan
    y[1, :45] = np.nan
    y[2] = 0.0
    model = SeasonalExponentialSmoothing(season_length=7).fit(y)
    forecast = model.predict(10)
    assert_valid(forecast, 4, 10)
    np.testing.assert_array_equal(forecast[[0, 2]], 0.0)
    assert set(model.alpha_) <= set(ALPHAS)
    assert set(model.gamma_) <= set(GAMMAS)
    assert_valid(SeasonalExponentialSmoothing().forecast(np.empty((2, 0)), 3), 2, 3)


def test_forecast_origins_equal_forecasts_of_each_prefix() -> None:
    rng = np.random.default_rng(4)
    y = rng.poisson(3.0, size=(3, 60)).astype(np.float64)
    model = SeasonalExponentialSmoothing(season_length=7)
    both = model.forecast_origins(y, [40, 53], 5)
    np.testing.assert_array_equal(both[0], model.forecast(y[:, :40], 5))
    np.testing.assert_array_equal(both[1], model.forecast(y[:, :53], 5))
