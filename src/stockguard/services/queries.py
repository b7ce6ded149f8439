"""Read-side queries that feed planning: the demand panel built from the ledger."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from stockguard.planning.audit import stockouts as stockouts_mask
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
    day (0 on days without sales), and ``stockout`` the ``censored`` days of
    ``planning.audit.stockouts.stockout_mask``: True on days that ended with
    ``on_hand <= 0``, where sales understate demand (before the first stock of a series
    too: nothing was on sale). A series whose on-hand stock was
    never positive in the window (for example a sales-only history with no receipts
    or counts) carries no stock information; its mask is inferred from runs of zero
    sales too long to be chance, counted from its first movement in the window (or
    from ``start`` when it had stock then), as the history audit lists them.

    Series are sorted by (sku, location); only series with a movement in the window
    or stock at its start appear.
    """
    ledger = ledger_arrays(history, start=start, end=end, skus=skus, locations=locations)
    stockouts = ledger.stockouts()
    return DemandPanel(
        values=ledger.sold,
        stockout=stockouts.censored,
        skus=tuple(k[0] for k in ledger.series),
        locations=tuple(k[1] for k in ledger.series),
        start=start,
    )


@dataclass(frozen=True, slots=True)
class LedgerArrays:
    """Daily ledger figures of every series, shapes (n_series, n_days) unless stated.

    Attributes:
        series: (n_series,) (sku, location), sorted.
        sold: units sold per day.
        end_of_day: on_hand at the end of each day.
        levels_known: (n_series,) True where on_hand was positive at some point in the
            window (the ledger then tells stock-outs; otherwise it holds sales only).
        on_sale: True from the series' first movement in the window on (from column 0
            when it had stock at the start).
    """

    series: list[tuple[str, str]]
    sold: npt.NDArray[np.float64]
    end_of_day: npt.NDArray[np.float64]
    levels_known: npt.NDArray[np.bool_]
    on_sale: npt.NDArray[np.bool_]

    def stockouts(self) -> stockouts_mask.StockoutMask:
        """The one stock-out mask (ledger where levels are known, inferred elsewhere)."""
        return stockouts_mask.stockout_mask(
            sales=self.sold,
            end_of_day_on_hand=self.end_of_day,
            levels_known=self.levels_known,
            on_sale=self.on_sale,
        )


def ledger_arrays(
    history: ports.LedgerHistory,
    *,
    start: date,
    end: date,
    skus: Sequence[str] = (),
    locations: Sequence[str] = (),
) -> LedgerArrays:
    """Daily sales and end-of-day stock of every series between ``start`` and ``end``."""
    if end < start:
        raise ValueError(f"end {end} is before start {start}")
    totals = history.daily_totals(start=start, end=end, skus=skus, locations=locations)
    opening = history.balances_before(start=start, skus=skus, locations=locations)
    series = sorted({(t.sku, t.location) for t in totals} | {k for k, v in opening.items() if v})
    index = {key: row for row, key in enumerate(series)}
    n_days = (end - start).days + 1
    sold = np.zeros((len(series), n_days))
    change = np.zeros((len(series), n_days))
    moved = np.zeros((len(series), n_days), dtype=np.bool_)
    for total in totals:
        row, col = index[(total.sku, total.location)], (total.day - start).days
        sold[row, col] += total.sold
        change[row, col] += total.net_change
        moved[row, col] = True
    balance = np.array([opening.get(key, 0) for key in series], dtype=np.float64)
    end_of_day = balance[:, None] + np.cumsum(change, axis=1)
    had_stock = (end_of_day > 0).any(axis=1) | (balance > 0)
    on_sale = np.logical_or.accumulate(moved, axis=1) | (balance > 0)[:, None]
    return LedgerArrays(series, sold, end_of_day, had_stock, on_sale)
