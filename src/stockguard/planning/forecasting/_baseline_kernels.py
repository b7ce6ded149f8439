"""Compiled backward scans of the baseline forecasters (Naive, SeasonalNaive, WindowAverage).

Each series is read backwards from the origin and the scan stops as soon as the answer
is known, so the cost is a few periods per series instead of a pass over the panel
(ADR 0008); one thread is enough. Results are given for every origin ``c`` of ``cuts`` (the series
``y[:, :c]``). Definitions: FPP3 section 5.2; NaN periods are skipped.
"""

from __future__ import annotations

import numpy as np

from stockguard.planning.forecasting._jit import compiled
from stockguard.planning.forecasting.base import FloatArray, IntArray


@compiled
def window_means(y: FloatArray, cuts: IntArray, window: int) -> FloatArray:
    """(n_origins, n_series) mean of the last ``window`` observed values of ``y[:, :c]``.

    Equation: yhat = (1/k) sum of the last k observed y_t, k = min(window, n_observed),
    summed from the most recent value backwards; 0 when nothing is observed.
    """
    n_series = y.shape[0]
    out = np.zeros((cuts.size, n_series))
    for i in range(n_series):
        row = y[i]
        for w in range(cuts.size):
            total, count = 0.0, 0
            t = cuts[w] - 1
            while t >= 0 and count < window:
                if not np.isnan(row[t]):
                    total += row[t]
                    count += 1
                t -= 1
            out[w, i] = total / count if count > 0 else 0.0
    return out


@compiled
def seasonal_last_values(y: FloatArray, cuts: IntArray, season_length: int) -> FloatArray:
    """(n_origins, n_series, 1 + m) last observed value of ``y[:, :c]`` (column 0, NaN
    when none) and of each season position t mod m (columns 1..m, NaN when never
    observed), m = ``season_length``."""
    n_series, m = y.shape[0], season_length
    out = np.full((cuts.size, n_series, 1 + m), np.nan)
    for i in range(n_series):
        row = y[i]
        for w in range(cuts.size):
            found = 0
            t = cuts[w] - 1
            while t >= 0 and found < m:
                position = 1 + t % m
                if not np.isnan(row[t]) and np.isnan(out[w, i, position]):
                    out[w, i, position] = row[t]
                    if found == 0:
                        out[w, i, 0] = row[t]
                    found += 1
                t -= 1
    return out
