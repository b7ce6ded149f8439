"""Stock-out days inferred from sales alone: improbably long runs of zero sales while on sale.

When the ledger cannot say whether a SKU was in stock (a sales-only history such as the M5
files), a stock-out shows up as a run of zero-sale days while the item is still priced. A
run is flagged when it is too long to be chance for that series' demand: with ``p`` the
share of on-sale days with a sale, a run of ``L`` zero days among independent days has
probability

    P(run >= L) = (1 - p) ** L,

and the run is taken as a stock-out when that is below ``significance``. ``p`` is first
estimated on every observed on-sale day, then again without the runs flagged so far (the
stock-outs themselves pull ``p`` down, which makes the first pass conservative).

Example: a SKU that sells on half of its days (p = 0.5) needs 10 zero days in a row to be
flagged at the default significance 0.001 (0.5 ** 10 = 0.00098); one that sells on 5% of
its days needs 135 (0.95 ** 135 = 0.00098).

Unobserved days (NaN) and days off sale neither extend nor break a run: they are skipped,
as a model skips them. Flagged days become unobserved for the forecast
(``np.where(mask, nan, y)``). Flagged days sold nothing, so this agrees with the ledger's
stock-out mask as the panel reads it (``DemandPanel.observed``): a stock-out day that sold
nothing is unobserved there too, while one that sold ``s > 0`` (the day the shelf
emptied) reads the lower bound of ``lower_bound.emptying_day_demand``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting.base import FloatArray

BoolArray = npt.NDArray[np.bool_]

DEFAULT_SIGNIFICANCE = 1e-3
"""Probability under which a run of zero sales is too long to be chance."""


def zero_run_lengths(*, zero: BoolArray, skip: BoolArray) -> npt.NDArray[np.int64]:
    """Length of the run of zero days each zero day belongs to; 0 on other days.

    Shapes: zero, skip (n_series, n_periods) bool; returns (n_series, n_periods) int64.
    Skipped days neither count nor break a run (their own entry is 0). One forward pass
    counts ``run[t] = run[t-1] + 1`` on zero days, one backward pass spreads each run's
    final count to all its days; both loop over time and vectorise over series.
    """
    n_series, n_periods = zero.shape
    running = np.zeros((n_series, n_periods), dtype=np.int64)
    count = np.zeros(n_series, dtype=np.int64)
    for t in range(n_periods):
        count = np.where(zero[:, t], count + 1, np.where(skip[:, t], count, 0))
        running[:, t] = np.where(zero[:, t], count, 0)
    total = np.zeros_like(running)
    carried = np.zeros(n_series, dtype=np.int64)
    for t in range(n_periods - 1, -1, -1):
        carried = np.where(zero[:, t], np.maximum(carried, running[:, t]), carried)
        carried = np.where(zero[:, t] | skip[:, t], carried, 0)
        total[:, t] = np.where(zero[:, t], carried, 0)
    return total


def infer_stockouts(
    *,
    y: FloatArray,
    on_sale: BoolArray | None = None,
    significance: float = DEFAULT_SIGNIFICANCE,
    passes: int = 2,
) -> BoolArray:
    """Days that are probably stock-outs: zero sales in a run too long for the series.

    Args:
        y: (n_series, n_periods) units sold per day, NaN = unobserved.
        on_sale: (n_series, n_periods) True where the item was offered (priced); default
            every observed day.
        significance: flag a run of length L when (1 - p) ** L < significance.
        passes: estimations of p; pass k excludes the runs flagged by pass k - 1.

    Returns:
        (n_series, n_periods) True on inferred stock-out days. A series with no sale on
        any on-sale day gets no flag (nothing tells a stock-out from no demand).
    """
    if not 0.0 < significance < 1.0:
        raise ValueError(f"significance must be between 0 and 1, got {significance}")
    observed = ~np.isnan(y)
    selling = observed if on_sale is None else observed & np.asarray(on_sale, dtype=np.bool_)
    zero = selling & (np.nan_to_num(y) == 0.0)
    runs = zero_run_lengths(zero=zero, skip=~selling)
    sale_days = (selling & (np.nan_to_num(y) > 0)).sum(axis=1)
    flagged = np.zeros_like(zero)
    for _ in range(max(passes, 1)):
        days = (selling & ~flagged).sum(axis=1)
        share = np.where(days > 0, sale_days / np.maximum(days, 1), 0.0)
        # smallest L with (1 - p) ** L < significance, i.e. L > log(significance) / log(1 - p)
        with np.errstate(divide="ignore"):
            threshold = np.log(significance) / np.log1p(-np.minimum(share, 1.0 - 1e-12))
        threshold = np.where(share > 0, threshold, np.inf)
        flagged = zero & (runs > threshold[:, None])
    return np.asarray(flagged, dtype=np.bool_)
