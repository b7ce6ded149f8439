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

Cost: one pass over the panel per origin (bucket means, ``ROW_BLOCK`` series at a
time) and a compiled SES search on B << T values per series.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

import numpy as np

from stockguard.planning.forecasting._kernels import as_cuts, as_panel, flat, nan_mean
from stockguard.planning.forecasting.base import FloatArray, IntArray, by_row_blocks
from stockguard.planning.forecasting.intermittent import aggregate_means
from stockguard.planning.forecasting.smoothing import SimpleExponentialSmoothing


def bucket_means(*, y: FloatArray, bucket: int, cut: int | None = None) -> FloatArray:
    """(n_series, max(floor(c / k), 1)) means of non-overlapping buckets of k periods
    ending at period c (``intermittent.aggregate_means`` of ``y[:, :c]``), or the one
    mean of the whole prefix when c < k. Units per period; NaN for a bucket with no
    observation. ``ROW_BLOCK`` series at a time, so no panel-sized copy is made.
    Shapes: y (n_series, n_periods); c = ``cut``, default n_periods."""
    end = y.shape[1] if cut is None else int(cut)

    def rowwise(rows: FloatArray) -> FloatArray:
        prefix = rows[:, :end]
        if end < bucket:
            return nan_mean(prefix, axis=1)[:, None]
        return aggregate_means(y=prefix, level=bucket)

    means: FloatArray = by_row_blocks(rowwise, y)
    return means


def horizon_level(*, y: FloatArray, bucket: int, cut: int | None = None) -> FloatArray:
    """(n_series,) SES level (alpha optimised per series) of the bucket means of
    ``y[:, :cut]``, units per period; 0 for a series with no observation (the module
    docstring's equations)."""
    if bucket < 1:
        raise ValueError(f"bucket must be at least 1 period, got {bucket}")
    means = bucket_means(y=y, bucket=bucket, cut=cut)
    level = SimpleExponentialSmoothing().fit(means).level_
    return np.maximum(np.nan_to_num(level, nan=0.0), 0.0)


class HorizonADIDA:
    """SES on buckets of ``bucket`` periods (None: the forecast horizon), flat forecast.

    ``fit`` keeps the history (``history_``), since the bucket is the horizon given to
    ``predict``. Forecasts are units per period, (n_series, horizon), never negative.
    """

    alias = "HorizonADIDA"
    history_: FloatArray

    def __init__(self, bucket: int | None = None) -> None:
        self.bucket = bucket

    def _bucket(self, horizon: int) -> int:
        return self.bucket if self.bucket is not None else max(horizon, 1)

    def fit(self, y: FloatArray) -> Self:
        self.history_ = as_panel(y)
        return self

    def predict(self, horizon: int) -> FloatArray:
        return self.forecast(self.history_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        return flat(horizon_level(y=as_panel(y), bucket=self._bucket(horizon)), horizon)

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon): entry w equals ``forecast(y[:, :origins[w]])``."""
        panel = as_panel(y)
        cuts = as_cuts(origins, panel.shape[1])
        bucket = self._bucket(horizon)
        return np.stack(
            [flat(horizon_level(y=panel, bucket=bucket, cut=int(cut)), horizon) for cut in cuts]
        )

    def __repr__(self) -> str:
        return f"HorizonADIDA(bucket={self.bucket!r})"
