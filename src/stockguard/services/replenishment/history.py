"""What the lost-sales fill-rate model reads besides the forecast: each row's recent sales
and each supplier's crossing spread.

* **Sales history** (``sales_history``): units sold per day over the ``days`` days before
  the forecast's first day, per SKU x location, from the ledger the planning run reads
  (``services.queries.demand_panel``); days that ended out of stock (or before the
  series' first stock) are NaN, not zero: their sales understate demand. Rows without
  any movement in the window are all NaN (the model then reads the forecast instead).
  With ``lower_bound`` (a run's default, ``LOWER_BOUND_DEFAULT``) a stock-out day that
  sold ``s > 0`` reads ``max(s, m)`` instead,
  ``m`` the mean of the observed days among the 28 before it, as the forecast reads the
  day the shelf emptied (``forecasting.lower_bound.emptying_day_demand``; ADR 0018).
  ``planning.inventory.lost_sales`` takes the undershoot moments and the dispersion of
  demand totals from it.
* **Crossing spread** (``crossing_by_supplier``): ``sum_k p_k (1 - p_k)`` of a supplier's
  lead time, ``= E|L - L'| / 2``, from its recorded delivery delays (lead time = stated
  + delay, the same spread), where it has at least ``MIN_DELIVERIES``; NaN elsewhere
  (the model then takes the normal ``sigma_LT / sqrt(pi)`` of the offer's spread).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np

from stockguard.planning.forecasting.lower_bound import DEFAULT_WINDOW, emptying_day_demand
from stockguard.planning.inventory import lost_sales
from stockguard.services import ports, queries
from stockguard.services.replenishment.settings import FloatArray

HISTORY_DAYS = lost_sales.HISTORY_WINDOW
"""Days of sales read before the forecast's first day (13 weeks)."""
LOWER_BOUND_DEFAULT = True
"""A run's sales history reads a stock-out day that sold as ``max(s, m)`` (ADR 0018:
adopted on the development windows of the replay)."""
MIN_DELIVERIES = 8
"""Deliveries a supplier needs before its own delays give its crossing spread (the
number of receipts after which a run trusts a supplier x SKU's observed lead time)."""


def sales_history(
    ledger: ports.LedgerHistory,
    *,
    skus: Sequence[str],
    locations: Sequence[str],
    first_day: date,
    days: int = HISTORY_DAYS,
    only_skus: Sequence[str] = (),
    lower_bound: bool = False,
) -> FloatArray:
    """(n, days) units sold per day before ``first_day`` for the rows ``(skus[i],
    locations[i])``, NaN on stock-out days and where nothing is known (module docstring).

    ``only_skus`` narrows the ledger query (empty: every SKU). ``lower_bound``: a
    stock-out day with sales reads ``max(s, m)`` (module docstring); the ``m`` of the
    first days sees the 28 days before the window.
    """
    before = DEFAULT_WINDOW if lower_bound else 0
    end = first_day - timedelta(days=1)
    start = first_day - timedelta(days=days + before)
    panel = queries.demand_panel(ledger, start=start, end=end, skus=only_skus)
    history = np.full((len(skus), days), np.nan)
    if not len(skus) or panel.values.shape[0] == 0:
        return history
    found = panel.rows_of(skus, locations)
    rows = np.flatnonzero(found >= 0)
    picked = found[rows]
    if lower_bound:
        values = emptying_day_demand(panel.values, panel.stockout, DEFAULT_WINDOW)
    else:
        values = panel.uncensored()
    history[rows] = values[picked][:, -days:]
    return history


def crossing_by_supplier(
    deliveries: Sequence[ports.Delivery], suppliers: dict[str, int]
) -> FloatArray:
    """(n_suppliers,) crossing spread in days per supplier index of ``suppliers``; NaN
    for suppliers with fewer than ``MIN_DELIVERIES`` deliveries (module docstring).

    Example: delays of 0 and 2 days, four of each: ``E|L - L'| / 2 = 0.5``.
    """
    delays: dict[int, list[int]] = defaultdict(list)
    for delivery in deliveries:
        delays[suppliers[delivery.supplier]].append(delivery.delay_days)
    spread = np.full(len(suppliers), np.nan)
    for index, found in delays.items():
        if len(found) >= MIN_DELIVERIES:
            spread[index] = lost_sales.crossing_spread(found)
    return spread
