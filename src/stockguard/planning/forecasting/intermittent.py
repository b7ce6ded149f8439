"""Intermittent-demand forecasters: Croston, Croston-SBA, TSB, ADIDA and IMAPA.

The recursions run compiled, one series at a time (``_croston_kernels``,
``_ses_kernels``; ADR 0008). NaN periods (censored or not yet started) count neither
as a demand nor as a zero: they do not advance the inter-demand interval and do not
update any state. A series with no demand forecasts 0. Defaults alpha = 0.1 follow
statsforecast's CrostonClassic/TSB documentation; the code is independent.

Every model forecasts from several origins in one call (``forecast_origins``), equal
to fitting each prefix ``y[:, :origin]`` on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting import _croston_kernels, _ses_kernels
from stockguard.planning.forecasting._kernels import (
    FlatForecaster,
    SearchResult,
    as_panel,
    demand_intervals_at,
    nan_mean,
    whole,
)
from stockguard.planning.forecasting.base import FloatArray, IntArray
from stockguard.planning.forecasting.smoothing import alpha_grid, refined_offsets

TSB_ALPHAS: FloatArray = np.array([0.01, 0.05, 0.1, 0.2, 0.3, 0.5])
ROW_BLOCK = 4096
"""Series checked at a time by ``CumulativeDemand.exact`` (bounds its temporaries)."""
EXACT_INTEGER_LIMIT = 2.0**53
"""Row totals below this are summed exactly in float64 when the demand is integer."""


@dataclass(frozen=True, slots=True)
class IntermittentState:
    """Final smoothed components, (n_series,).

    size: units per demand occurrence (NaN before the first demand).
    interval: observed periods per demand (Croston) or None.
    probability: demand probability per period (TSB) or None.
    """

    size: FloatArray
    interval: FloatArray | None = None
    probability: FloatArray | None = None


def croston_filter(*, y: FloatArray, alpha: float | FloatArray = 0.1) -> IntermittentState:
    """Croston's method (Croston 1972), skipping NaN.

    At each demand (y_t > 0), with q_t = observed periods since the previous demand
    (the first one counted from the first observed period):
        z <- z + alpha (y_t - z);  p <- p + alpha (q_t - p)
    initialised at the first demand (z = y_t, p = q_t). Forecast per period: z / p.

    Args:
        y: (n_series, n_periods) units per period. alpha: broadcastable to (n_series,).
    """
    panel = as_panel(y)
    size, interval = croston_at(y=panel, alpha=alpha, cuts=whole(panel))
    return IntermittentState(size=size[0], interval=interval[0])


def croston_at(
    *, y: FloatArray, alpha: float | FloatArray, cuts: IntArray
) -> tuple[FloatArray, FloatArray]:
    """``croston_filter`` of ``y[:, :c]`` for every cut: size z and interval p, each
    (n_origins, n_series)."""
    weights = np.ascontiguousarray(np.broadcast_to(alpha, (y.shape[0],)), dtype=np.float64)
    size, interval = _croston_kernels.croston_states(as_panel(y), weights, cuts)
    return size, interval


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
    alphas (one filtering pass when both alphas are given).

    TSB (Teunter, Syntetos & Babai 2011), every observed period with d_t = [y_t > 0]:
        p <- p + alpha_p (d_t - p)              (p initialised at the first d_t)
    at each demand:
        z <- z + alpha_d (y_t - z)              (z initialised at the first demand)
    Forecast per period: p z (0 before the first demand). The in-sample one-step
    error e_t = y_t - p_{t-1} z_{t-1} is summed squared over observed periods.
    A series never observed (without demand) ends with p (z) = NaN.
    """
    panel = as_panel(y)
    return tsb_optimal_at(
        y=panel, cuts=whole(panel), alpha_d=alpha_d, alpha_p=alpha_p, alphas=alphas
    ).at(0)


def tsb_optimal_at(
    *,
    y: FloatArray,
    cuts: IntArray,
    alpha_d: float | None = None,
    alpha_p: float | None = None,
    alphas: FloatArray = TSB_ALPHAS,
) -> SearchResult:
    """``tsb_optimal`` of ``y[:, :c]`` for every cut; (n_origins, n_series) arrays."""
    stages = [index for index, value in ((1, alpha_p), (0, alpha_d)) if value is None]
    start = np.array([0.1 if alpha_d is None else alpha_d, 0.1 if alpha_p is None else alpha_p])
    params, state = _croston_kernels.tsb_search(
        as_panel(y), np.ascontiguousarray(alphas, dtype=np.float64),
        np.array(stages, dtype=np.int64), start, cuts,
    )  # fmt: skip
    return SearchResult(
        params={"alpha_d": params[:, :, 0].T.copy(), "alpha_p": params[:, :, 1].T.copy()},
        state=(state[:, :, 0].T.copy(), state[:, :, 1].T.copy()),
    )


def aggregate_means(*, y: FloatArray, level: int) -> FloatArray:
    """Non-overlapping temporal aggregation (Nikolopoulos et al. 2011).

    Drops the oldest n_periods mod k periods so buckets end at the last period, then
    takes the NaN-aware mean of each bucket of k = ``level`` periods (a partly
    censored bucket is scaled from its observed days; an unobserved one is NaN).
    ADIDA and IMAPA compute the same means per series inside their kernel.

    Returns:
        (n_series, n_periods // k) units per period.
    """
    n_series, n_periods = y.shape
    n_buckets = n_periods // level
    cut = y[:, n_periods - n_buckets * level :]
    return nan_mean(cut.reshape(n_series, n_buckets, level), axis=2)


@dataclass(frozen=True, slots=True)
class CumulativeDemand:
    """Running totals that give any bucket mean in O(1) per bucket.

    Attributes:
        total: (n_series, n_periods + 1) sum of observed y before each period, units.
        count: (n_series, n_periods + 1) number of observed periods before each period.

    Only built when every partial sum is exact in float64 (integer-valued demand with
    row totals below 2**53), so a bucket sum ``total[b] - total[a]`` equals the direct
    sum bit for bit and the bucket means equal ``aggregate_means``. The IMAPA kernel
    applies the same rule per series (``_ses_kernels.exact_running_totals``).
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


def aggregation_levels_at(y: FloatArray, cuts: IntArray) -> IntArray:
    """(n_origins, n_series) round(mean inter-demand interval) of ``y[:, :c]``, >= 1;
    0 for no demand (half-way values round to even)."""
    mean_interval, n_demand = demand_intervals_at(y, cuts)
    rounded = np.round(np.nan_to_num(mean_interval, nan=0.0)).astype(np.int64)
    return np.where(n_demand > 0, np.maximum(rounded, 1), 0)


def aggregation_levels(y: FloatArray) -> IntArray:
    """(n_series,) round(mean inter-demand interval), >= 1; 0 for no demand."""
    panel = as_panel(y)
    levels: IntArray = aggregation_levels_at(panel, whole(panel))[0]
    return levels


def temporal_levels_at(
    *,
    y: FloatArray,
    cuts: IntArray,
    all_levels: bool,
    alpha_range: tuple[float, float] | None = None,
) -> FloatArray:
    """(n_origins, n_series) ADIDA (``all_levels`` False) or IMAPA (True) level of
    ``y[:, :c]``, units per period; 0 where there is no demand.

    ADIDA (Nikolopoulos et al. 2011): SES with SSE-optimal alpha (``ses_optimal``) on
    the means of buckets of k = round(ADI) periods (``aggregate_means``); the SES
    forecast of bucket sums divided by k equals that of bucket means (the SSE scales by
    k**2, so the chosen alpha is the same). IMAPA (Petropoulos & Kourentzes 2015): the
    mean of those levels over k = 1..round(ADI), a NaN level counted as 0. The SES
    alpha is searched in ``alpha_range`` (``smoothing.alpha_grid``; default [0.01, 0.99]).
    """
    panel = as_panel(y)
    levels = aggregation_levels_at(panel, cuts)
    coarse, bounds = alpha_grid(alpha_range)
    grids = (coarse, refined_offsets(coarse), bounds)
    return _ses_kernels.aggregated_levels(panel, cuts, levels, grids, all_levels)


def adida_level(*, y: FloatArray) -> FloatArray:
    """ADIDA (Nikolopoulos et al. 2011): SES on buckets of k = round(ADI) periods.

    Units per period, (n_series,); 0 where there is no demand.
    """
    panel = as_panel(y)
    level: FloatArray = temporal_levels_at(y=panel, cuts=whole(panel), all_levels=False)[0]
    return level


def imapa_level(*, y: FloatArray) -> FloatArray:
    """IMAPA (Petropoulos & Kourentzes 2015): mean of ADIDA-style forecasts over
    aggregation levels k = 1..round(ADI) of each series. Units per period,
    (n_series,); 0 where there is no demand.
    """
    panel = as_panel(y)
    level: FloatArray = temporal_levels_at(y=panel, cuts=whole(panel), all_levels=True)[0]
    return level


class Croston(FlatForecaster):
    """Classic Croston (``croston_filter``): z / p per period."""

    alias = "Croston"

    def __init__(self, alpha: float = 0.1) -> None:
        self.alpha = alpha

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        size, interval = croston_at(y=y, alpha=self.alpha, cuts=cuts)
        return size / interval


class CrostonSBA(FlatForecaster):
    """Syntetos-Boylan approximation (Syntetos & Boylan 2005): (1 - alpha/2) z / p."""

    alias = "CrostonSBA"

    def __init__(self, alpha: float = 0.1) -> None:
        self.alpha = alpha

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        size, interval = croston_at(y=y, alpha=self.alpha, cuts=cuts)
        return (1 - self.alpha / 2) * size / interval


class TSB(FlatForecaster):
    """TSB (``tsb_optimal``): p z per period; an alpha of None is chosen per series."""

    alias = "TSB"

    def __init__(self, alpha_d: float | None = 0.1, alpha_p: float | None = 0.1) -> None:
        self.alpha_d = alpha_d
        self.alpha_p = alpha_p

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        result = tsb_optimal_at(y=y, cuts=cuts, alpha_d=self.alpha_d, alpha_p=self.alpha_p)
        probability, size = result.state
        return probability * size


class ADIDA(FlatForecaster):
    """ADIDA (``adida_level``); ``alpha_range`` bounds the SES alpha (None: [0.01, 0.99];
    statsforecast uses (0.1, 0.3), which was worse on the car-parts development
    windows, docs/forecasting.md)."""

    alias = "ADIDA"

    def __init__(self, alpha_range: tuple[float, float] | None = None) -> None:
        self.alpha_range = alpha_range

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        return temporal_levels_at(y=y, cuts=cuts, all_levels=False, alpha_range=self.alpha_range)


class IMAPA(FlatForecaster):
    """IMAPA (``imapa_level``); ``alpha_range`` as in ``ADIDA``."""

    alias = "IMAPA"

    def __init__(self, alpha_range: tuple[float, float] | None = None) -> None:
        self.alpha_range = alpha_range

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        return temporal_levels_at(y=y, cuts=cuts, all_levels=True, alpha_range=self.alpha_range)
