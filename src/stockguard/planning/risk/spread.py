"""The daily demand variance the risk figures read: the forecast's, floored by the sales'.

The count model of the stock-out probability (``planning.risk.probability``) needs the
daily variance ``sigma^2`` of demand around its rate. The product reads it from the
forecast's p10..p90 spread as if demand were normal, ``((p90 - p10) / 2.563)^2``. For
slow and lumpy series that misses the tail the probability lives in: the quantiles of a
skewed count sit close together while single large orders fall far above p90 (a
Poisson rate of 0.3 a day has p10 = 0 and p90 = 1, so the normal reading gives 0.15
against a true 0.3; a wholesale buyer's order of 50 in a series selling 5 a day moves
no quantile below p95 at all). ADR 0027 measured it on the risk replay: the realised
squared error of demand over the days before a receipt ran 2 to 7 times ``sigma^2 k``
on the slow half of M5 and 3 to 17 times on Online Retail, without a trend in the
horizon ``k`` (so the daily term, not the rate's drift ``c^2``).

The shop's own sales carry that tail. The floor is the sample variance of the last
``WINDOW`` in-stock days (days out of stock, not yet on sale or inferred stock-outs
unobserved, NaN):

    ``s^2 = sum_j (x_j - xbar)^2 / (n - 1)`` over those ``n`` days (0 when ``n < 2``),
    ``sigma^2_used = max(sigma^2_forecast, s^2)``.

It only widens (a forecast that knows more, e.g. a promotion's extra spread, keeps its
own figure) and it changes neither the rate ``mu`` nor any mean. ``WINDOW`` is the 56
days the rate's sampling error ``sigma^2 / 56`` (``probability.level_variance``) and the
drift's trailing mean (``planning.risk.drift``) already read, chosen with them, not on
the replay.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray

WINDOW = 56
"""In-stock days the observed variance reads (the drift's and the level term's window)."""
BLOCK_ROWS = 8192
"""Series per block of ``trailing_variance``: a year of 300,000 series is 870 MB as
float64, so the temporaries are made a block at a time (about 24 MB each)."""


def trailing_variance(values: Any, window: int = WINDOW) -> FloatArray:
    """(n,) sample variance of the last ``window`` finite values of each row, units^2/day.

    Equation: ``sum_j (x_j - xbar)^2 / (n - 1)`` over the last ``n <= window`` finite
    days of the row (NaN: unobserved, skipped); 0 when ``n < 2``.

    Args:
        values: (n_series, n_days) daily sales, oldest first, NaN where unobserved.
        window: days read at most (>= 2).

    Example: a row (NaN, 0, 0, 4, 0) with window 3 reads (0, 4, 0): mean 4/3, variance
    (16/9 + 64/9 + 16/9) / 2 = 5.333.
    """
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 2:
        raise ValueError(f"values: expected shape (n_series, n_days), got {x.shape}")
    if window < 2:
        raise ValueError(f"window must be at least 2 days, got {window}")
    found = np.zeros(x.shape[0])
    for first in range(0, x.shape[0], BLOCK_ROWS):
        found[first : first + BLOCK_ROWS] = _block_variance(x[first : first + BLOCK_ROWS], window)
    return found


def _block_variance(x: FloatArray, window: int) -> FloatArray:
    """``trailing_variance`` of one block of rows (temporaries of the block's size)."""
    usable = np.isfinite(x)
    rank = np.cumsum(usable[:, ::-1], axis=1)[:, ::-1]
    used = usable & (rank <= window)
    count = used.sum(axis=1)
    kept = np.where(used, x, 0.0)
    mean = kept.sum(axis=1) / np.maximum(count, 1)
    squares = np.where(used, (kept - mean[:, None]) ** 2, 0.0).sum(axis=1)
    return np.asarray(np.where(count >= 2, squares / np.maximum(count - 1, 1), 0.0), np.float64)


def floored_variance(forecast_var: Any, observed_var: Any) -> FloatArray:
    """(n,) ``max(sigma^2_forecast, s^2)``, units^2/day (module docstring); NaN in
    either reads as 0.

    Example: forecast 0.15, observed 0.41 gives 0.41; forecast 2.0, observed 1.1 keeps
    2.0.
    """
    forecast = np.nan_to_num(np.asarray(forecast_var, dtype=np.float64))
    observed = np.nan_to_num(np.asarray(observed_var, dtype=np.float64))
    return np.asarray(np.maximum(np.maximum(forecast, observed), 0.0), dtype=np.float64)
