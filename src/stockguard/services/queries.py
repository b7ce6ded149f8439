"""Read-side queries that feed planning: the demand panel built from the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import numpy as np

from stockguard.planning.panel import DemandPanel
from stockguard.services import ports


def demand_panel(
    history: ports.LedgerHistory,
    *,
    start: date,
    end: date,
    skus: Sequence[str] = (),
    locations: Sequence[str] = (),
) -> DemandPanel:
    """Daily units sold per SKU x location between ``start`` and ``end`` (inclusive).

    Returns a DemandPanel with ``values`` of shape (n_series, n_days): units sold per
    day (0 on days without sales), and ``stockout`` True on days that ended with
    ``on_hand <= 0``, where sales understate demand. A series whose on-hand stock was
    never positive in the window (for example a sales-only history with no receipts
    or counts) carries no stock information, so its mask is all False.

    Series are sorted by (sku, location); only series with a movement in the window
    or stock at its start appear.
    """
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    totals = history.daily_totals(start=start, end=end, skus=skus, locations=locations)
    opening = history.balances_before(start=start, skus=skus, locations=locations)
    series = sorted({(t.sku, t.location) for t in totals} | {k for k, v in opening.items() if v})
    index = {key: row for row, key in enumerate(series)}
    n_days = (end - start).days + 1
    sold = np.zeros((len(series), n_days))
    change = np.zeros((len(series), n_days))
    for total in totals:
        row, col = index[(total.sku, total.location)], (total.day - start).days
        sold[row, col] += total.sold
        change[row, col] += total.net_change
    balance = np.array([opening.get(key, 0) for key in series], dtype=np.float64)
    end_of_day = balance[:, None] + np.cumsum(change, axis=1)
    had_stock = (end_of_day > 0).any(axis=1) | (balance > 0)
    stockout = (end_of_day <= 0) & had_stock[:, None]
    return DemandPanel(
        values=sold,
        stockout=stockout,
        skus=tuple(k[0] for k in series),
        locations=tuple(k[1] for k in series),
        start=start,
    )
