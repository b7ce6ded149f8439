"""ADIDA at the horizon's level: forecast the demand of a whole horizon, spread evenly.

Temporal aggregation (Nikolopoulos et al. 2011, "An aggregate-disaggregate intermittent
demand approach (ADIDA) to forecasting", JORS 62(3)) sums an intermittent series into
non-overlapping buckets, where demand is less intermittent and less noisy, forecasts
the bucket series and divides the forecast back into periods. ``ADIDA`` in
``intermittent`` uses buckets of the mean inter-demand interval, as statsforecast
does; the paper also aggregates to the lead time, the span whose total demand a
replenishment decision needs. ``HorizonADIDA`` does the latter with the forecast
horizon as the bucket:

    k = bucket (default: the horizon h), B = floor(T / k) buckets ending at period T
    (the oldest T mod k periods are dropped);
    m_b = mean of the observed y_t in bucket b (units per period; NaN if none observed);
    level = SES with SSE-optimal alpha on m_1..m_B (NaN buckets skipped);
    yhat_{T+j} = level for j = 1..h (units per period, >= 0).

With fewer than k periods the whole history is the one bucket. A series with no
observation forecasts 0. On monthly car-parts demand (horizon 6) this is the model
the automatic selection falls back on for intermittent series (``auto``).

Cost: one pass over the panel for all origins of a backtest (running totals,
``ROW_BLOCK`` series at a time) and a compiled SES search on B << T values per series
and origin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np

from stockguard.planning.forecasting._kernels import as_cuts, as_panel, flat
from stockguard.planning.forecasting.base import ROW_BLOCK, FloatArray, IntArray
from stockguard.planning.forecasting.smoothing import alpha_grid, ses_optimal_at


def bucket_edges(*, cut: int, bucket: int) -> IntArray:
    """Period indices bounding the buckets of ``y[:, :cut]``: ``cut - k * (B, ..., 1, 0)``
    for B = floor(cut / k) >= 1 buckets of k = ``bucket`` periods, or ``(0, cut)`` (the
    whole prefix as one bucket) when cut < k."""
    if cut < bucket:
        return np.array([0, cut], dtype=np.int64)
    return np.asarray(cut - bucket * np.arange(cut // bucket, -1, -1), dtype=np.int64)


def bucket_means_at(*, y: FloatArray, bucket: int, cuts: IntArray) -> list[FloatArray]:
    """Bucket means of ``y[:, :c]`` for every cut c: one (n_series, n_buckets(c)) array each.

    A bucket's mean is its observed total over its observed periods (units per period),
    NaN when none is observed; the buckets are ``bucket_edges``. Running totals and
    counts of observations are built once per ``ROW_BLOCK`` series and every bucket is a
    difference of two of them, so all cuts cost one pass over the panel. Running sums
    accumulate left to right, so the means of a cut equal those computed on the prefix
    ``y[:, :c]`` alone, bit for bit (for integer demand they also equal
    ``intermittent.aggregate_means``).
    """
    edges = [bucket_edges(cut=int(cut), bucket=bucket) for cut in cuts]
    out = [np.empty((y.shape[0], edge.size - 1)) for edge in edges]
    for low in range(0, y.shape[0], ROW_BLOCK):
        rows = y[low : low + ROW_BLOCK]
        observed = ~np.isnan(rows)
        total = np.zeros((rows.shape[0], rows.shape[1] + 1))
        np.cumsum(np.where(observed, rows, 0.0), axis=1, out=total[:, 1:])
        count = np.zeros(total.shape, dtype=np.int64)
        np.cumsum(observed, axis=1, out=count[:, 1:])
        for edge, means in zip(edges, out, strict=True):
            sums, counts = np.diff(total[:, edge], axis=1), np.diff(count[:, edge], axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                means[low : low + ROW_BLOCK] = np.where(counts > 0, sums / counts, np.nan)
    return out


def bucket_means(*, y: FloatArray, bucket: int, cut: int | None = None) -> FloatArray:
    """``bucket_means_at`` of one cut (default: the whole history)."""
    end = y.shape[1] if cut is None else int(cut)
    return bucket_means_at(y=y, bucket=bucket, cuts=np.array([end], dtype=np.int64))[0]


def ses_level(means: FloatArray, alpha_range: tuple[float, float] | None = None) -> FloatArray:
    """(n_series,) SES level (alpha optimised per series by SSE, within ``alpha_range``;
    ``smoothing.alpha_grid``) of bucket means, units per period, >= 0; 0 for a series
    with no observed bucket."""
    panel = as_panel(means)
    coarse, bounds = alpha_grid(alpha_range)
    cuts = np.array([panel.shape[1]], dtype=np.int64)
    level = ses_optimal_at(y=panel, cuts=cuts, alphas=coarse, bounds=bounds).state[0][0]
    return np.asarray(np.maximum(np.nan_to_num(level, nan=0.0), 0.0), dtype=np.float64)


def horizon_level(
    *,
    y: FloatArray,
    bucket: int,
    cut: int | None = None,
    alpha_range: tuple[float, float] | None = None,
) -> FloatArray:
    """(n_series,) SES level of the bucket means of ``y[:, :cut]`` (the module
    docstring's equations), units per period; 0 for a series with no observation."""
    if bucket < 1:
        raise ValueError(f"bucket must be at least 1 period, got {bucket}")
    return ses_level(bucket_means(y=y, bucket=bucket, cut=cut), alpha_range)


class HorizonADIDA:
    """SES on buckets of ``bucket`` periods (None: the forecast horizon), flat forecast;
    ``alpha_range`` bounds the SES alpha (None: [0.01, 0.99]; [0.1, 0.3] was worse on
    the car-parts development windows, docs/forecasting.md).

    ``fit`` keeps the history (``history_``), since the bucket is the horizon given to
    ``predict``. Forecasts are units per period, (n_series, horizon), never negative.
    """

    alias = "HorizonADIDA"
    history_: FloatArray

    def __init__(
        self, bucket: int | None = None, alpha_range: tuple[float, float] | None = None
    ) -> None:
        self.bucket = bucket
        self.alpha_range = alpha_range

    def _bucket(self, horizon: int) -> int:
        return self.bucket if self.bucket is not None else max(horizon, 1)

    def fit(self, y: FloatArray) -> Self:
        self.history_ = as_panel(y)
        return self

    def predict(self, horizon: int) -> FloatArray:
        return self.forecast(self.history_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        level = horizon_level(
            y=as_panel(y), bucket=self._bucket(horizon), alpha_range=self.alpha_range
        )
        return flat(level, horizon)

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon): entry w equals ``forecast(y[:, :origins[w]])``."""
        panel = as_panel(y)
        cuts = as_cuts(origins, panel.shape[1])
        bucket = self._bucket(horizon)
        if bucket < 1:
            raise ValueError(f"bucket must be at least 1 period, got {bucket}")
        means = bucket_means_at(y=panel, bucket=bucket, cuts=cuts)
        return np.stack([flat(ses_level(part, self.alpha_range), horizon) for part in means])

    def __repr__(self) -> str:
        return f"HorizonADIDA(bucket={self.bucket!r}, alpha_range={self.alpha_range!r})"
