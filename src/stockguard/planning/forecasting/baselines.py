"""Baseline forecasters: Naive, SeasonalNaive, WindowAverage, HistoricAverage.

All are closed forms over the history (no recursion), vectorised over series and time.
``y`` is (n_series, n_periods) units per period, NaN = unobserved; a series with no
observation forecasts 0. Definitions follow Hyndman & Athanasopoulos, *Forecasting:
Principles and Practice* 3e, section 5.2 ("Some simple forecasting methods").
"""

from __future__ import annotations

from typing import Self

import numpy as np

from stockguard.planning.forecasting._kernels import (
    FlatForecaster,
    iter_columns,
    last_observed,
    nan_mean,
)
from stockguard.planning.forecasting.base import FloatArray

__all__ = [
    "HistoricAverage",
    "Naive",
    "SeasonalNaive",
    "WindowAverage",
    "seasonal_last_observed",
    "window_average",
]


def seasonal_last_observed(*, y: FloatArray, season_length: int) -> FloatArray:
    """Last observed value at each season position.

    Season position of period t is ``t mod m`` (m = season_length, t = column index).
    Equation (FPP3 5.2): yhat_{T+h} = y_{T+h-m(k+1)}, k = floor((h-1)/m); here the
    *last observed* value of that position is taken, falling back to the last observed
    value of the series (Naive) where the position was never observed, and 0 for an
    all-NaN series.

    Returns:
        (n_series, season_length) units per period, column j = position j.
    """
    naive = last_observed(y)
    columns = [last_observed(y[:, j::season_length], default=np.nan) for j in range(season_length)]
    seasonal = np.stack(columns, axis=1)
    return np.where(np.isnan(seasonal), naive[:, None], seasonal)


def window_average(*, y: FloatArray, window_size: int) -> FloatArray:
    """Mean of the last ``window_size`` observed (non-NaN) values of each series.

    Equation: yhat = (1/k) * sum of the last k observed y_t, k = min(window_size,
    n_observed). NaN periods are skipped, so the window reaches further back past
    censored days. Units per period; (n_series,); 0 for an all-NaN series.
    Loops backwards over time and stops once every series has a full window.
    """
    n_series = y.shape[0]
    total = np.zeros(n_series)
    count = np.zeros(n_series, dtype=np.int64)
    reversed_y = y[:, ::-1]
    for step, column in enumerate(iter_columns(reversed_y)):
        take = ~np.isnan(column) & (count < window_size)
        total += np.where(take, column, 0.0)
        count += take
        if step % 64 == 63 and bool((count >= window_size).all()):
            break
    return np.where(count > 0, total / np.maximum(count, 1), 0.0)


class Naive(FlatForecaster):
    """Last observed value (FPP3 5.2: yhat_{T+h} = y_T), units per period."""

    alias = "Naive"

    def _level(self, y: FloatArray) -> FloatArray:
        return last_observed(y)


class HistoricAverage(FlatForecaster):
    """Mean of all observed values (FPP3 5.2 "mean method"), units per period."""

    alias = "HistoricAverage"

    def _level(self, y: FloatArray) -> FloatArray:
        return nan_mean(y, axis=1, default=0.0)


class WindowAverage(FlatForecaster):
    """Mean of the last ``window_size`` observed values (see ``window_average``)."""

    alias = "WindowAverage"

    def __init__(self, window_size: int = 28) -> None:
        self.window_size = window_size

    def _level(self, y: FloatArray) -> FloatArray:
        return window_average(y=y, window_size=self.window_size)


class SeasonalNaive:
    """Last observed value of the same season position (see ``seasonal_last_observed``).

    Fitted attributes: ``profile_`` (n_series, season_length) and ``n_periods_``.
    """

    alias = "SeasonalNaive"
    profile_: FloatArray
    n_periods_: int

    def __init__(self, season_length: int = 7) -> None:
        self.season_length = season_length

    def fit(self, y: FloatArray) -> Self:
        y = np.asarray(y, dtype=np.float64)
        self.profile_ = seasonal_last_observed(y=y, season_length=self.season_length)
        self.n_periods_ = int(y.shape[1])
        return self

    def predict(self, horizon: int) -> FloatArray:
        return _seasonal_path(self.profile_, self.n_periods_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        y = np.asarray(y, dtype=np.float64)
        profile = seasonal_last_observed(y=y, season_length=self.season_length)
        return _seasonal_path(profile, int(y.shape[1]), horizon)

    def __repr__(self) -> str:
        return f"SeasonalNaive(season_length={self.season_length})"


def _seasonal_path(profile: FloatArray, n_periods: int, horizon: int) -> FloatArray:
    """(n_series, horizon) profile value of position (n_periods + h - 1) mod m, h = 1..H."""
    positions = (n_periods + np.arange(horizon)) % profile.shape[1]
    return np.maximum(np.nan_to_num(profile[:, positions], nan=0.0), 0.0)
