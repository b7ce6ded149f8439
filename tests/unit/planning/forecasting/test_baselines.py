from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings

from stockguard.planning.forecasting.base import Forecaster
from stockguard.planning.forecasting.baselines import (
    HistoricAverage,
    Naive,
    SeasonalNaive,
    WindowAverage,
)
from unit.planning.forecasting._panels import assert_valid, panels

H = 9


def ref_last(row: list[float]) -> float:
    observed = [v for v in row if not math.isnan(v)]
    return observed[-1] if observed else 0.0


def ref_seasonal_naive(row: list[float], m: int, horizon: int) -> list[float]:
    out = []
    for h in range(1, horizon + 1):
        position = (len(row) + h - 1) % m
        same = [v for t, v in enumerate(row) if t % m == position and not math.isnan(v)]
        out.append(same[-1] if same else ref_last(row))
    return out


def ref_window(row: list[float], window: int) -> float:
    observed = [v for v in row if not math.isnan(v)][-window:]
    return sum(observed) / len(observed) if observed else 0.0


def ref_historic(row: list[float]) -> float:
    observed = [v for v in row if not math.isnan(v)]
    return sum(observed) / len(observed) if observed else 0.0


@settings(max_examples=60, deadline=None)
@given(panels())
def test_baselines_equal_scalar_reference(y: np.ndarray) -> None:
    rows = y.tolist()
    n = y.shape[0]
    cases: list[tuple[Forecaster, list[list[float]]]] = [
        (Naive(), [[ref_last(r)] * H for r in rows]),
        (SeasonalNaive(season_length=3), [ref_seasonal_naive(r, 3, H) for r in rows]),
        (WindowAverage(window_size=5), [[ref_window(r, 5)] * H for r in rows]),
        (HistoricAverage(), [[ref_historic(r)] * H for r in rows]),
    ]
    for model, expected in cases:
        fitted = model.fit(y).predict(H)
        assert_valid(fitted, n, H)
        np.testing.assert_allclose(fitted, expected, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(model.forecast(y, H), fitted, rtol=0, atol=0)


def test_seasonal_naive_known_values_and_fallback() -> None:
    y = np.array([[1.0, 2.0, 3.0, 4.0, np.nan, 6.0, 7.0]])
    # length 7, m = 3: next periods 7, 8, 9 -> positions 1, 2, 0
    # position 1: t=1 (2), t=4 (NaN), t=7? none -> 2; position 2: t=2,5 -> 6; position 0: 7
    np.testing.assert_array_equal(SeasonalNaive(3).forecast(y, 3), [[2.0, 6.0, 7.0]])
    only_one = np.array([[np.nan, np.nan, 5.0]])
    np.testing.assert_array_equal(SeasonalNaive(3).forecast(only_one, 3), [[5.0, 5.0, 5.0]])


def test_window_average_skips_nan_and_reaches_back() -> None:
    y = np.array([[1.0, 2.0, 3.0, np.nan, np.nan]])
    np.testing.assert_allclose(WindowAverage(2).forecast(y, 1), [[2.5]])


def test_all_nan_series_forecasts_zero() -> None:
    y = np.array([[np.nan] * 10, [1.0] * 10])
    for model in (Naive(), SeasonalNaive(), WindowAverage(), HistoricAverage()):
        out = model.forecast(y, 4)
        np.testing.assert_array_equal(out[0], 0.0)
        np.testing.assert_array_equal(out[1], 1.0)
