"""Lead-time demand samples by bootstrap of daily history and observed lead times.

Each sample draws a lead time ``L`` from the row's observed lead times (adding the review
period ``R`` for periodic review) and a start day ``t`` uniformly over the history, then
sums the demand of the ``L + R`` days from ``t`` on, the history read as a circle
(a circular block bootstrap, Politis & Romano 1992, "A circular block-resampling
procedure for stationary data"). Whole windows keep the weekly pattern and the
autocorrelation of demand that independent daily draws would lose:

    D = sum_{u = t}^{t + w - 1} y_u + f y_{t + w},   w = floor(L + R),  f = L + R - w.

Unobserved days (NaN: censored stock-out days, days before the series began) are left out
and the window is scaled by ``(L + R) / observed weight``; a window with no observed day
takes the row's mean daily demand times ``L + R``. The history is stationary here (no
trend or season beyond what windows carry); forecast quantiles
(``empirical.samples_from_quantiles``) are the path that follows a forecast.

Random numbers come from the ``rng`` argument only (STYLE K.5), drawn for all rows
before the rows are processed in blocks, so the block size never changes the result.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray

_BLOCK_CELLS = 8_000_000
"""Cells of the cumulative-sum table processed at once (about 64 MB of float64)."""


def _rows_with_values(name: str, values: Any) -> tuple[FloatArray, FloatArray]:
    """(n, k) float64 sorted with NaN last, and the (n,) count of non-NaN entries."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValueError(f"{name}: expected shape (n, n_values), got {array.shape}")
    count = np.sum(~np.isnan(array), axis=1)
    empty = np.flatnonzero(count == 0)
    if empty.size:
        raise ValueError(f"{name}: row {int(empty[0])} has no observed value")
    negative = np.flatnonzero(np.any(array < 0, axis=1) | np.any(np.isinf(array), axis=1))
    if negative.size:
        raise ValueError(f"{name}: row {int(negative[0])} has a negative or infinite value")
    return np.sort(array, axis=1), count.astype(np.float64)


def bootstrap_lead_time_demand(
    *,
    daily_demand: Any,
    lead_times: Any,
    n_samples: int,
    rng: np.random.Generator,
    review_period: Any = 0.0,
) -> FloatArray:
    """Samples of demand over the protection interval ``L + R`` per row (module docstring).

    Args:
        daily_demand: (n, n_days) units per day; NaN where demand was not observed.
        lead_times: (n, n_observations) observed lead times in days; NaN pads short rows.
        n_samples: ``m``, samples per row (> 0).
        rng: the random generator (the caller seeds it).
        review_period: (n,) or scalar ``R`` in days (0 for continuous review).

    Returns: (n, m) units, for ``empirical.empirical_safety_stock``.

    Raises:
        ValueError: naming the argument and the first row without observations or with a
            negative value.
    """
    history = np.asarray(daily_demand, dtype=np.float64)
    if history.ndim != 2 or history.shape[1] == 0:
        raise ValueError(f"daily_demand: expected shape (n, n_days), got {history.shape}")
    _rows_with_values("daily_demand", history)
    lead, lead_count = _rows_with_values("lead_times", lead_times)
    if lead.shape[0] != history.shape[0]:
        raise ValueError("lead_times: expected one row per row of daily_demand")
    if n_samples <= 0:
        raise ValueError(f"n_samples: must be positive, got {n_samples}")
    size, days = history.shape
    draw = np.floor(rng.random((size, n_samples)) * lead_count[:, None]).astype(np.int64)
    interval = np.take_along_axis(lead, draw, axis=1)
    interval = interval + np.broadcast_to(np.asarray(review_period, np.float64), (size,))[:, None]
    start = rng.integers(0, days, size=(size, n_samples))
    samples = np.empty((size, n_samples))
    turns = 1 + int(np.ceil((float(interval.max()) + 1.0) / days))
    block = max(1, _BLOCK_CELLS // (days * turns + 1))
    for first in range(0, size, block):
        rows = slice(first, first + block)
        samples[rows] = _window_sums(history[rows], interval[rows], start[rows], turns)
    return samples


def _window_sums(history: FloatArray, interval: FloatArray, start: Any, turns: int) -> FloatArray:
    """Demand of the windows ``[start, start + interval)`` on the circular history."""
    observed = ~np.isnan(history)
    circle_values = np.tile(np.nan_to_num(history), (1, turns))
    circle_seen = np.tile(observed.astype(np.float64), (1, turns))
    zero = np.zeros((history.shape[0], 1))
    total = np.concatenate([zero, circle_values.cumsum(axis=1)], axis=1)
    seen = np.concatenate([zero, circle_seen.cumsum(axis=1)], axis=1)
    whole = np.floor(interval).astype(np.int64)
    fraction = interval - whole

    def window(cumulative: FloatArray) -> FloatArray:
        at = np.take_along_axis
        head = at(cumulative, start + whole, axis=1) - at(cumulative, start, axis=1)
        tail = at(cumulative, start + whole + 1, axis=1) - at(cumulative, start + whole, axis=1)
        return np.asarray(head + fraction * tail, dtype=np.float64)

    demand, weight = window(total), window(seen)
    daily_mean = np.nansum(history, axis=1) / observed.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        scaled = demand * interval / weight
    return np.asarray(np.where(weight > 0, scaled, daily_mean[:, None] * interval), np.float64)
