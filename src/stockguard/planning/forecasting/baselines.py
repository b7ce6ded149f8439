"""Baseline forecasters: Naive, SeasonalNaive, WindowAverage, HistoricAverage.

All are closed forms over the history (no recursion). ``y`` is (n_series, n_periods)
units per period, NaN = unobserved; a series with no observation forecasts 0.
Definitions follow Hyndman & Athanasopoulos, *Forecasting: Principles and Practice*
3e, section 5.2 ("Some simple forecasting methods"). Naive, SeasonalNaive and
WindowAverage read each series backwards from the origin in compiled code and stop as
soon as the answer is known (``_baseline_kernels``); HistoricAverage is a numpy mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np

from stockguard.planning.forecasting import _baseline_kernels
from stockguard.planning.forecasting._kernels import (
    FlatForecaster,
    as_cuts,
    as_panel,
    nan_mean,
    whole,
)
from stockguard.planning.forecasting.base import FloatArray, IntArray

__all__ = [
    "HistoricAverage",
    "Naive",
    "SeasonalNaive",
    "WindowAverage",
    "seasonal_last_observed",
    "window_average",
]


def seasonal_profiles_at(*, y: FloatArray, cuts: IntArray, season_length: int) -> FloatArray:
    """(n_origins, n_series, season_length) ``seasonal_last_observed`` of ``y[:, :c]``."""
    last = _baseline_kernels.seasonal_last_values(as_panel(y), cuts, season_length)
    naive = np.where(np.isnan(last[:, :, :1]), 0.0, last[:, :, :1])
    seasonal = last[:, :, 1:]
    return np.where(np.isnan(seasonal), naive, seasonal)


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
    panel = as_panel(y)
    profiles = seasonal_profiles_at(y=panel, cuts=whole(panel), season_length=season_length)
    profile: FloatArray = profiles[0]
    return profile


def window_average(*, y: FloatArray, window_size: int) -> FloatArray:
    """Mean of the last ``window_size`` observed (non-NaN) values of each series.

    Equation: yhat = (1/k) * sum of the last k observed y_t, k = min(window_size,
    n_observed). NaN periods are skipped, so the window reaches further back past
    censored days. Units per period; (n_series,); 0 for an all-NaN series.
    """
    panel = as_panel(y)
    level: FloatArray = _baseline_kernels.window_means(panel, whole(panel), window_size)[0]
    return level


class Naive(FlatForecaster):
    """Last observed value (FPP3 5.2: yhat_{T+h} = y_T), units per period."""

    alias = "Naive"

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        last = _baseline_kernels.seasonal_last_values(y, cuts, 1)[:, :, 0]
        return np.where(np.isnan(last), 0.0, last)


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

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        return _baseline_kernels.window_means(y, cuts, self.window_size)


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
        panel = as_panel(y)
        self.profile_ = seasonal_last_observed(y=panel, season_length=self.season_length)
        self.n_periods_ = int(panel.shape[1])
        return self

    def predict(self, horizon: int) -> FloatArray:
        return _seasonal_path(self.profile_, self.n_periods_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        panel = as_panel(y)
        profile = seasonal_last_observed(y=panel, season_length=self.season_length)
        return _seasonal_path(profile, int(panel.shape[1]), horizon)

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon): entry w equals ``forecast(y[:, :origins[w]])``."""
        panel = as_panel(y)
        cuts = as_cuts(origins, panel.shape[1])
        profiles = seasonal_profiles_at(y=panel, cuts=cuts, season_length=self.season_length)
        return np.stack([
            _seasonal_path(profile, int(cut), horizon)
            for profile, cut in zip(profiles, cuts, strict=True)
        ])  # fmt: skip

    def __repr__(self) -> str:
        return f"SeasonalNaive(season_length={self.season_length})"


def _seasonal_path(profile: FloatArray, n_periods: int, horizon: int) -> FloatArray:
    """(n_series, horizon) profile value of position (n_periods + h - 1) mod m, h = 1..H."""
    positions = (n_periods + np.arange(horizon)) % profile.shape[1]
    return np.maximum(np.nan_to_num(profile[:, positions], nan=0.0), 0.0)
