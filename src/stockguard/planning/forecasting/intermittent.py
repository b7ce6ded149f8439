"""Intermittent-demand forecasters: Croston, Croston-SBA, TSB, ADIDA and IMAPA.

One Python loop over time, each step a vector operation over series. NaN periods
(censored or not yet started) count neither as a demand nor as a zero: they do not
advance the inter-demand interval and do not update any state. A series with no
demand forecasts 0. Defaults alpha = 0.1 follow statsforecast's CrostonClassic/TSB
documentation; the code is independent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from stockguard.planning.forecasting._kernels import (
    FlatForecaster,
    demand_intervals,
    grid_search,
    iter_columns,
    nan_mean,
)
from stockguard.planning.forecasting.base import FloatArray, IntArray
from stockguard.planning.forecasting.smoothing import ses_filter, ses_optimal_alpha

TSB_ALPHAS: FloatArray = np.array([0.01, 0.05, 0.1, 0.2, 0.3, 0.5])
ROW_BLOCK = 4096
"""Series aggregated at a time by ADIDA/IMAPA (bounds the copy of y)."""


@dataclass(frozen=True, slots=True)
class IntermittentState:
    """Final smoothed components, (n_series,) or the broadcast parameter shape.

    size: units per demand occurrence (NaN before the first demand).
    interval: observed periods per demand (Croston) or None.
    probability: demand probability per period (TSB) or None.
    sse: in-sample one-step squared error, units squared (TSB) or None.
    """

    size: FloatArray
    interval: FloatArray | None = None
    probability: FloatArray | None = None
    sse: FloatArray | None = None


def croston_filter(*, y: FloatArray, alpha: float | FloatArray = 0.1) -> IntermittentState:
    """Croston's method (Croston 1972), skipping NaN.

    At each demand (y_t > 0), with q_t = observed periods since the previous demand
    (the first one counted from the first observed period):
        z <- z + alpha (y_t - z);  p <- p + alpha (q_t - p)
    initialised at the first demand (z = y_t, p = q_t). Forecast per period: z / p.

    Args:
        y: (n_series, n_periods) units per period. alpha: broadcastable to (n_series,).
    """
    n_series = y.shape[0]
    size = np.full(n_series, np.nan)
    interval = np.full(n_series, np.nan)
    counter = np.zeros(n_series)
    for column in iter_columns(y):
        counter += ~np.isnan(column)
        demand = column > 0
        first = demand & np.isnan(size)
        update = demand & ~first
        size = np.where(first, column, np.where(update, size + alpha * (column - size), size))
        interval = np.where(
            first, counter, np.where(update, interval + alpha * (counter - interval), interval)
        )
        counter[demand] = 0.0
    return IntermittentState(size=size, interval=interval)


def tsb_filter(
    *, y: FloatArray, alpha_d: float | FloatArray = 0.1, alpha_p: float | FloatArray = 0.1
) -> IntermittentState:
    """Teunter-Syntetos-Babai (2011) method, skipping NaN.

    Every observed period, with d_t = 1 if y_t > 0 else 0:
        p <- p + alpha_p (d_t - p)              (p initialised at the first d_t)
    at each demand:
        z <- z + alpha_d (y_t - z)              (z initialised at the first demand)
    Forecast per period: p z (0 before the first demand). The in-sample one-step
    error e_t = y_t - p_{t-1} z_{t-1} is summed squared over observed periods.

    Args:
        y: (n_series, n_periods) units per period. alpha_d, alpha_p: broadcastable
        with (n_series,), e.g. (n_grid, n_series).
    """
    alpha_d, alpha_p = np.asarray(alpha_d, np.float64), np.asarray(alpha_p, np.float64)
    shape = np.broadcast_shapes(alpha_d.shape, alpha_p.shape, (y.shape[0],))
    prob = np.full(shape, np.nan)
    size = np.full(shape, np.nan)
    sse = np.zeros(shape)
    for column in iter_columns(y):
        observed = ~np.isnan(column)
        demand = column > 0
        err = np.where(observed, column - np.nan_to_num(prob * size, nan=0.0), 0.0)
        sse += err * err
        indicator = demand.astype(np.float64)
        smoothed = np.where(np.isnan(prob), indicator, prob + alpha_p * (indicator - prob))
        prob = np.where(observed, smoothed, prob)
        grown = np.where(np.isnan(size), column, size + alpha_d * (column - size))
        size = np.where(demand, grown, size)
    return IntermittentState(size=size, probability=prob, sse=sse)


def tsb_optimal_alphas(
    *,
    y: FloatArray,
    alpha_d: float | None = None,
    alpha_p: float | None = None,
    alphas: FloatArray = TSB_ALPHAS,
) -> dict[str, FloatArray]:
    """Per-series alpha_p then alpha_d (those given as None) from ``alphas``, chosen by
    the lowest TSB one-step SSE; a given value is kept fixed. Returns (n_series,) each."""

    def sse(params: Mapping[str, FloatArray]) -> FloatArray:
        state = tsb_filter(y=y, alpha_d=params["alpha_d"], alpha_p=params["alpha_p"])
        return state.sse if state.sse is not None else np.zeros(0)

    n_series = y.shape[0]
    start = {
        "alpha_d": np.full(n_series, 0.1 if alpha_d is None else alpha_d),
        "alpha_p": np.full(n_series, 0.1 if alpha_p is None else alpha_p),
    }
    grids = {name: alphas for name, v in (("alpha_p", alpha_p), ("alpha_d", alpha_d)) if v is None}
    return grid_search(sse=sse, grids=grids, start=start)


def aggregate_means(*, y: FloatArray, level: int) -> FloatArray:
    """Non-overlapping temporal aggregation (Nikolopoulos et al. 2011).

    Drops the oldest n_periods mod k periods so buckets end at the last period, then
    takes the NaN-aware mean of each bucket of k = ``level`` periods (a partly
    censored bucket is scaled from its observed days; an unobserved one is NaN).

    Returns:
        (n_series, n_periods // k) units per period.
    """
    n_series, n_periods = y.shape
    n_buckets = n_periods // level
    cut = y[:, n_periods - n_buckets * level :]
    return nan_mean(cut.reshape(n_series, n_buckets, level), axis=2)


def aggregated_ses_level(*, y: FloatArray, level: int) -> FloatArray:
    """(n_series,) optimised-SES level of the k-period bucket means, units per period.

    ADIDA's "aggregate, forecast with SES, disaggregate evenly": the SES forecast of
    bucket sums divided by k equals the SES forecast of bucket means (the SSE scales
    by k**2, so the chosen alpha is the same).
    """
    buckets = aggregate_means(y=y, level=level)
    return ses_filter(y=buckets, alpha=ses_optimal_alpha(y=buckets)).level


def aggregation_levels(y: FloatArray) -> IntArray:
    """(n_series,) round(mean inter-demand interval), >= 1; 0 for no demand."""
    mean_interval, n_demand = demand_intervals(y)
    rounded = np.round(np.nan_to_num(mean_interval, nan=0.0)).astype(np.int64)
    return np.where(n_demand > 0, np.maximum(rounded, 1), 0)


def _blocks(rows: IntArray) -> Iterator[IntArray]:
    for start in range(0, rows.size, ROW_BLOCK):
        yield rows[start : start + ROW_BLOCK]


def adida_level(*, y: FloatArray) -> FloatArray:
    """ADIDA (Nikolopoulos et al. 2011): SES on buckets of k = round(ADI) periods.

    Series are grouped by k and each group runs vectorised. Units per period,
    (n_series,); 0 where there is no demand.
    """
    levels = aggregation_levels(y)
    result = np.zeros(y.shape[0])
    for k in np.unique(levels[levels > 0]):
        for block in _blocks(np.flatnonzero(levels == k)):
            result[block] = aggregated_ses_level(y=y[block], level=int(k))
    return result


def imapa_level(*, y: FloatArray) -> FloatArray:
    """IMAPA (Petropoulos & Kourentzes 2015): mean of ADIDA-style forecasts over
    aggregation levels k = 1..round(ADI) of each series. Units per period,
    (n_series,); 0 where there is no demand.
    """
    max_levels = aggregation_levels(y)
    total = np.zeros(y.shape[0])
    for k in range(1, int(max_levels.max(initial=0)) + 1):
        for block in _blocks(np.flatnonzero(max_levels >= k)):
            total[block] += np.nan_to_num(aggregated_ses_level(y=y[block], level=k), nan=0.0)
    return np.where(max_levels > 0, total / np.maximum(max_levels, 1), 0.0)


class Croston(FlatForecaster):
    """Classic Croston (``croston_filter``): z / p per period."""

    alias = "Croston"

    def __init__(self, alpha: float = 0.1) -> None:
        self.alpha = alpha

    def _level(self, y: FloatArray) -> FloatArray:
        state = croston_filter(y=y, alpha=self.alpha)
        assert state.interval is not None
        return state.size / state.interval


class CrostonSBA(FlatForecaster):
    """Syntetos-Boylan approximation (Syntetos & Boylan 2005): (1 - alpha/2) z / p."""

    alias = "CrostonSBA"

    def __init__(self, alpha: float = 0.1) -> None:
        self.alpha = alpha

    def _level(self, y: FloatArray) -> FloatArray:
        state = croston_filter(y=y, alpha=self.alpha)
        assert state.interval is not None
        return (1 - self.alpha / 2) * state.size / state.interval


class TSB(FlatForecaster):
    """TSB (``tsb_filter``): p z per period; an alpha of None is chosen per series."""

    alias = "TSB"

    def __init__(self, alpha_d: float | None = 0.1, alpha_p: float | None = 0.1) -> None:
        self.alpha_d = alpha_d
        self.alpha_p = alpha_p

    def _level(self, y: FloatArray) -> FloatArray:
        best = tsb_optimal_alphas(y=y, alpha_d=self.alpha_d, alpha_p=self.alpha_p)
        state = tsb_filter(y=y, alpha_d=best["alpha_d"], alpha_p=best["alpha_p"])
        assert state.probability is not None
        return state.probability * state.size


class ADIDA(FlatForecaster):
    """ADIDA (``adida_level``)."""

    alias = "ADIDA"

    def _level(self, y: FloatArray) -> FloatArray:
        return adida_level(y=y)


class IMAPA(FlatForecaster):
    """IMAPA (``imapa_level``)."""

    alias = "IMAPA"

    def _level(self, y: FloatArray) -> FloatArray:
        return imapa_level(y=y)
