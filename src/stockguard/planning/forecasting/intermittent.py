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
import numpy.typing as npt

from stockguard.planning.forecasting._kernels import (
    FlatForecaster,
    SearchResult,
    column_gaps,
    demand_intervals,
    full_copy,
    grid_search_state,
    iter_columns,
    nan_mean,
    observed_update,
)
from stockguard.planning.forecasting.base import FloatArray, IntArray
from stockguard.planning.forecasting.smoothing import ses_optimal

TSB_ALPHAS: FloatArray = np.array([0.01, 0.05, 0.1, 0.2, 0.3, 0.5])
ROW_BLOCK = 4096
"""Series aggregated at a time by ADIDA/IMAPA (bounds the copy of y)."""
EXACT_INTEGER_LIMIT = 2.0**53
"""Row totals below this are summed exactly in float64 when the demand is integer."""


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
    shape = np.broadcast_shapes(np.shape(alpha), (y.shape[0],))
    alpha = full_copy(alpha, shape)
    size, interval = np.full(shape, np.nan), np.full(shape, np.nan)
    counter, spare = np.zeros(shape), np.empty(shape)
    started = np.zeros(y.shape[0], dtype=np.bool_)
    for column in iter_columns(y):
        missing = column_gaps(column)
        counter += 1.0 if missing is None else ~missing
        demand = column > 0
        if not demand.any():
            continue
        first = demand & ~started
        np.add(size, np.multiply(alpha, np.subtract(column, size, out=spare), out=spare),
               out=size, where=demand)  # fmt: skip
        np.add(interval, np.multiply(alpha, np.subtract(counter, interval, out=spare), out=spare),
               out=interval, where=demand)  # fmt: skip
        if first.any():  # the first demand initialises z and p
            np.copyto(size, column, where=first)
            np.copyto(interval, counter, where=first)
            started |= first
        np.copyto(counter, 0.0, where=demand)
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

    Implementation: p and z start at 0 (so p z = 0 until the first demand, as the NaN
    start of the equations gives) and are overwritten with d_t and y_t at the first
    observation and the first demand; a series never observed (without demand) ends
    with p (z) = NaN.
    """
    alpha_d, alpha_p = np.asarray(alpha_d, np.float64), np.asarray(alpha_p, np.float64)
    shape = np.broadcast_shapes(alpha_d.shape, alpha_p.shape, (y.shape[0],))
    alpha_d, alpha_p = full_copy(alpha_d, shape), full_copy(alpha_p, shape)
    prob, size, sse = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    err, spare = np.empty(shape), np.empty(shape)
    seen, started = np.zeros((2, y.shape[0]), dtype=np.bool_)
    for column in iter_columns(y):
        missing = column_gaps(column)
        np.subtract(column, np.multiply(prob, size, out=err), out=err)
        if missing is not None:
            np.copyto(err, 0.0, where=missing)
        sse += np.multiply(err, err, out=spare)
        demand = column > 0
        indicator = demand.astype(np.float64)
        np.add(prob, np.multiply(alpha_p, np.subtract(indicator, prob, out=spare), out=spare),
               out=spare)  # fmt: skip
        prob, spare = observed_update(prob, spare, missing)
        if not seen.all():
            first_seen = ~seen if missing is None else ~seen & ~missing
            np.copyto(prob, indicator, where=first_seen)
            seen |= first_seen
        if demand.any():
            np.add(size, np.multiply(alpha_d, np.subtract(column, size, out=err), out=err),
                   out=size, where=demand)  # fmt: skip
            first = demand & ~started
            if first.any():
                np.copyto(size, column, where=first)
                started |= first
    prob[..., ~seen] = np.nan
    size[..., ~started] = np.nan
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
    return tsb_optimal(y=y, alpha_d=alpha_d, alpha_p=alpha_p, alphas=alphas).params


def tsb_optimal(
    *,
    y: FloatArray,
    alpha_d: float | None = None,
    alpha_p: float | None = None,
    alphas: FloatArray = TSB_ALPHAS,
) -> SearchResult:
    """``tsb_optimal_alphas`` with the final state ``(probability, size)`` at the chosen
    alphas (one filtering pass when both alphas are given)."""

    def evaluate(params: Mapping[str, FloatArray]) -> tuple[FloatArray, tuple[FloatArray, ...]]:
        state = tsb_filter(y=y, alpha_d=params["alpha_d"], alpha_p=params["alpha_p"])
        assert state.sse is not None
        assert state.probability is not None
        return state.sse, (state.probability, state.size)

    n_series = y.shape[0]
    start = {
        "alpha_d": np.full(n_series, 0.1 if alpha_d is None else alpha_d),
        "alpha_p": np.full(n_series, 0.1 if alpha_p is None else alpha_p),
    }
    grids = {name: alphas for name, v in (("alpha_p", alpha_p), ("alpha_d", alpha_d)) if v is None}
    return grid_search_state(evaluate=evaluate, grids=grids, start=start)


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
    return optimal_ses_level(aggregate_means(y=y, level=level))


def optimal_ses_level(buckets: FloatArray) -> FloatArray:
    """(n_series,) SES level of ``buckets`` with the per-series SSE-optimal alpha."""
    return ses_optimal(y=buckets).state[0]


@dataclass(frozen=True, slots=True)
class CumulativeDemand:
    """Running totals that give any bucket mean in O(1) per bucket.

    Attributes:
        total: (n_series, n_periods + 1) sum of observed y before each period, units.
        count: (n_series, n_periods + 1) number of observed periods before each period.

    Only built when every partial sum is exact in float64 (integer-valued demand with
    row totals below 2**53), so a bucket sum ``total[b] - total[a]`` equals the direct
    sum bit for bit and the bucket means equal ``aggregate_means``.
    """

    total: FloatArray
    count: npt.NDArray[np.int32]

    @classmethod
    def exact(cls, y: FloatArray) -> CumulativeDemand | None:
        """The running totals of ``y``, or None when they would not be exact."""
        observed = ~np.isnan(y)
        values = np.where(observed, y, 0.0)
        for start in range(0, y.shape[0], ROW_BLOCK):  # checked in blocks: no full temporaries
            part = values[start : start + ROW_BLOCK]
            if not np.array_equal(part, np.rint(part)):
                return None
            if part.size and float(np.abs(part).sum(axis=1).max()) >= EXACT_INTEGER_LIMIT:
                return None
        total = np.zeros((y.shape[0], y.shape[1] + 1))
        np.cumsum(values, axis=1, out=total[:, 1:])
        count = np.zeros(total.shape, dtype=np.int32)
        np.cumsum(observed, axis=1, out=count[:, 1:])
        return cls(total=total, count=count)

    def bucket_means(self, *, rows: IntArray, level: int) -> FloatArray:
        """(len(rows), n_periods // k) bucket means as ``aggregate_means`` computes them."""
        n_periods = self.total.shape[1] - 1
        edges = n_periods - level * np.arange(n_periods // level, -1, -1)
        index = np.ix_(rows, edges)
        total = np.diff(self.total[index], axis=1)
        count = np.diff(self.count[index], axis=1)
        return np.where(count > 0, total / np.maximum(count, 1), np.nan)


def _bucket_means(
    y: FloatArray, cumulative: CumulativeDemand | None, rows: IntArray, level: int
) -> FloatArray:
    if level == 1:
        return y[rows]  # one-period buckets are the series itself
    if cumulative is None:
        return aggregate_means(y=y[rows], level=level)
    return cumulative.bucket_means(rows=rows, level=level)


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
    for k in np.unique(levels[levels > 0]):  # each series is aggregated once: no totals
        for block in _blocks(np.flatnonzero(levels == k)):
            result[block] = optimal_ses_level(_bucket_means(y, None, block, int(k)))
    return result


def imapa_level(*, y: FloatArray) -> FloatArray:
    """IMAPA (Petropoulos & Kourentzes 2015): mean of ADIDA-style forecasts over
    aggregation levels k = 1..round(ADI) of each series. Units per period,
    (n_series,); 0 where there is no demand.
    """
    max_levels = aggregation_levels(y)
    cumulative = CumulativeDemand.exact(y) if max_levels.max(initial=0) > 1 else None
    total = np.zeros(y.shape[0])
    for k in range(1, int(max_levels.max(initial=0)) + 1):
        for block in _blocks(np.flatnonzero(max_levels >= k)):
            level = optimal_ses_level(_bucket_means(y, cumulative, block, k))
            total[block] += np.nan_to_num(level, nan=0.0)
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
        probability, size = tsb_optimal(y=y, alpha_d=self.alpha_d, alpha_p=self.alpha_p).state
        return probability * size


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
