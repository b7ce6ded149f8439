"""Stock health per series: velocity, days since the last sale, days of cover, and the slow,
dead and excess flags of the stock audit.

Over a sales history of ``n_days`` days (NaN = unobserved, e.g. stock-out days):

    velocity_i       = sum(sales_i) / observed days_i            (units/day, window mean)
    days_since_sale  = n_days - 1 - (last column with a sale)    (n_days when none)
    demand_rate_i    = mean daily sales over the last ``cover_days`` observed days
    days_of_cover_i  = on_hand_i / demand_rate_i                 (inf when the rate is 0)

    dead_i   = on_hand_i > 0  and  days_since_sale_i >= dead_after_days
    excess_i = on_hand_i > 0  and  days_of_cover_i > excess_cover_days  and  not dead_i
    slow_i   = velocity_i < slow_velocity  and  (on_hand_i > 0 or velocity_i > 0)
               and not dead_i
    excess_units_i = on_hand_i - ceil(excess_cover_days * demand_rate_i)   on excess rows

Example: 100 days of history, a sale of 2 units on day 40 only, 30 on hand: velocity
0.02/day, last sale 59 days ago (not dead at 90), rate over the last 90 days 2/90, cover
1,350 days; with an excess threshold of 120 days the excess is 30 - ceil(2.67) = 27 units.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.audit.stockouts import BoolArray, FloatArray, IntArray

DEFAULT_DEAD_AFTER_DAYS = 90
DEFAULT_EXCESS_COVER_DAYS = 120.0
DEFAULT_SLOW_VELOCITY = 0.1
"""Units per day under which a series is a slow mover (about 3 a month)."""
DEFAULT_COVER_DAYS = 90


@dataclass(frozen=True, slots=True)
class StockHealth:
    """Per-series figures and flags, all (n,) (module docstring for the equations)."""

    velocity: FloatArray
    days_since_sale: IntArray
    demand_rate: FloatArray
    days_of_cover: FloatArray
    slow: BoolArray
    dead: BoolArray
    excess: BoolArray
    excess_units: IntArray


def stock_health(
    *,
    sales: Any,
    on_hand: Any,
    dead_after_days: int = DEFAULT_DEAD_AFTER_DAYS,
    excess_cover_days: float = DEFAULT_EXCESS_COVER_DAYS,
    slow_velocity: float = DEFAULT_SLOW_VELOCITY,
    cover_days: int = DEFAULT_COVER_DAYS,
) -> StockHealth:
    """Slow, dead and excess stock of every series.

    Args:
        sales: (n, n_days) units sold per day, NaN = unobserved; last column is yesterday.
        on_hand: (n,) units on hand now.
        dead_after_days: no sale for this many days with stock on hand is dead stock.
        excess_cover_days: days of cover above which stock is excess.
        slow_velocity: units/day under which a series is slow.
        cover_days: days at the end of the history the demand rate is measured on.
    """
    y = np.asarray(sales, dtype=np.float64)
    stock = np.asarray(on_hand, dtype=np.float64)
    if y.ndim != 2 or stock.shape != (y.shape[0],):
        raise ValueError("sales must be (n, n_days) and on_hand (n,)")
    observed = (~np.isnan(y)).sum(axis=1)
    velocity = np.nansum(y, axis=1) / np.maximum(observed, 1)
    n_days = y.shape[1]
    sold = np.nan_to_num(y) > 0
    last = np.where(sold.any(axis=1), n_days - 1 - np.argmax(sold[:, ::-1], axis=1), -1)
    days_since = np.where(last >= 0, n_days - 1 - last, n_days).astype(np.int64)
    recent = y[:, max(n_days - cover_days, 0) :]
    recent_days = (~np.isnan(recent)).sum(axis=1)
    rate = np.nansum(recent, axis=1) / np.maximum(recent_days, 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        cover = np.where(rate > 0, stock / np.where(rate > 0, rate, 1.0), np.inf)
    in_stock = stock > 0
    dead = in_stock & (days_since >= dead_after_days)
    excess = in_stock & (cover > excess_cover_days) & ~dead
    slow = (velocity < slow_velocity) & (in_stock | (velocity > 0)) & ~dead
    target = np.ceil(excess_cover_days * rate - 1e-9)
    excess_units = np.where(excess, np.maximum(stock - target, 0), 0).astype(np.int64)
    return StockHealth(
        velocity=velocity,
        days_since_sale=days_since,
        demand_rate=rate,
        days_of_cover=cover.astype(np.float64),
        slow=slow,
        dead=dead,
        excess=excess,
        excess_units=excess_units,
    )
