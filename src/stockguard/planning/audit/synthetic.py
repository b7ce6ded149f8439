"""A sales-only shop with known stock-outs, to measure the inferred mask against the truth.

Generator (all draws from the injected ``rng``):

* demand: Poisson per day, rate ``lambda_i`` log-uniform on [1, 20] units/day per series,
  times a weekly profile (weekend days x1.3, others x0.88, mean 1);
* prices: every series is priced on every day except one off-sale window per series with
  probability 0.3, 10 to 40 days long, during which it sells nothing and is not on sale;
* stock-outs: 1 to 3 per series, 7 to 30 days each (uniform), at uniform random starts
  on on-sale days; sales are zero during them while the item stays priced.

``truth`` holds the stock-out days (on-sale days only); the off-sale windows are not
stock-outs and a good detector must leave them alone.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stockguard.planning.audit.stockouts import BoolArray, FloatArray

WEEKLY_PROFILE = np.array([0.88, 0.88, 0.88, 0.88, 0.88, 1.3, 1.3])
RATE_RANGE = (1.0, 20.0)
STOCKOUT_DAYS = (7, 30)
STOCKOUTS_PER_SERIES = (1, 3)
OFF_SALE_DAYS = (10, 40)
OFF_SALE_SHARE = 0.3


@dataclass(frozen=True, slots=True)
class SyntheticShop:
    """sales, on_sale, truth: (n_series, n_days); rate: (n_series,) units/day."""

    sales: FloatArray
    on_sale: BoolArray
    truth: BoolArray
    rate: FloatArray


def synthetic_shop(
    *,
    n_series: int,
    n_days: int,
    rng: np.random.Generator,
    rate_range: tuple[float, float] = RATE_RANGE,
) -> SyntheticShop:
    """The shop of the module docstring (needs ``n_days >= 60``); ``rate_range`` changes the
    bounds of the log-uniform demand rate (units/day)."""
    if n_series < 1 or n_days < 60:
        raise ValueError("synthetic_shop needs at least 1 series and 60 days")
    if not 0 < rate_range[0] <= rate_range[1]:
        raise ValueError(f"rate_range must be 0 < low <= high, got {rate_range}")
    low, high = np.log(rate_range[0]), np.log(rate_range[1])
    rate = np.exp(rng.uniform(low, high, n_series))
    profile = np.resize(WEEKLY_PROFILE, n_days)
    demand = rng.poisson(rate[:, None] * profile[None, :]).astype(np.float64)
    on_sale = ~_windows(rng, n_series, n_days, OFF_SALE_DAYS, share=OFF_SALE_SHARE)
    truth = _stockouts(rng, n_series, n_days) & on_sale
    sales = np.where(truth | ~on_sale, 0.0, demand)
    return SyntheticShop(sales=sales, on_sale=on_sale, truth=truth, rate=rate)


def _windows(
    rng: np.random.Generator,
    n_series: int,
    n_days: int,
    length: tuple[int, int],
    *,
    share: float,
) -> BoolArray:
    """One window of ``length`` days (uniform) at a random start on a ``share`` of series."""
    has = rng.random(n_series) < share
    days = rng.integers(length[0], length[1] + 1, n_series)
    start = rng.integers(0, n_days - days)
    column = np.arange(n_days)[None, :]
    inside = (column >= start[:, None]) & (column < (start + days)[:, None])
    return inside & has[:, None]


def _stockouts(rng: np.random.Generator, n_series: int, n_days: int) -> BoolArray:
    """1 to 3 stock-out windows of 7 to 30 days per series (they may overlap)."""
    count = rng.integers(STOCKOUTS_PER_SERIES[0], STOCKOUTS_PER_SERIES[1] + 1, n_series)
    truth = np.zeros((n_series, n_days), dtype=np.bool_)
    for k in range(STOCKOUTS_PER_SERIES[1]):
        window = _windows(rng, n_series, n_days, STOCKOUT_DAYS, share=1.0)
        truth |= window & (count > k)[:, None]
    return truth
