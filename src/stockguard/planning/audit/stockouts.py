"""The stock-out mask of a demand history, and the periods it is made of.

One function, ``stockout_mask``, decides which days of a sales history were stock-outs;
the planning run's panel and the history audit both call it, so the forecast censors
exactly the days the audit lists.

* **Ledger** (series whose stock levels are known): a day is out of stock when the
  end-of-day on-hand is ``<= 0``.
* **Inferred** (series without levels, e.g. a sales-only import as in M5): a run of zero
  sales while the item is on sale (priced) that is too long to be chance,
  ``(1 - p) ** L < significance`` with ``p`` the share of on-sale days with a sale
  (``planning.forecasting.censoring.infer_stockouts``).

The mask is the ledger mask where levels are known, the inferred one elsewhere, on days
the item is on sale:

    mask[i, t] = ledger[i, t]    if levels_known[i]
                 inferred[i, t]  otherwise

The inferred mask is computed for every series, so for series with levels it is a second
opinion that the audit can show beside the ledger's. ``censored`` is what the forecast
leaves out: the mask plus, on series with levels, the days before the item was first on
sale (no stock yet: demand unobserved, but no stock-out either).

Example: sales ``[3, 0, 0, 0, 2]`` with end-of-day on-hand ``[5, 0, 0, 4, 2]`` and levels
known: the mask is ``[F, T, T, F, F]``, one ledger period of 2 days starting at column 1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting.censoring import DEFAULT_SIGNIFICANCE, infer_stockouts
from stockguard.planning.forecasting.lower_bound import observed_prefix_sums

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

LEDGER = 0
"""``StockoutPeriods.source`` code of a period read from stock levels."""
INFERRED = 1
"""``StockoutPeriods.source`` code of a period inferred from zero sales while on sale."""
SOURCE_NAMES = ("ledger", "inferred")
DEFAULT_TRAILING_DAYS = 28
"""Days before a period whose mean in-stock sales estimate its daily lost units."""


@dataclass(frozen=True, slots=True)
class StockoutMask:
    """Stock-out days of every series, shapes (n_series, n_days) unless stated.

    Attributes:
        mask: stock-out days (ledger where levels are known, else inferred), on sale only.
        censored: ``mask`` plus the days before a series with levels was first on sale:
            the days a forecast must not take as observed demand.
        ledger: end-of-day on-hand <= 0 while on sale, only on series with known levels.
        inferred: zero-sale runs while on sale, on every series (second opinion).
        levels_known: (n_series,) True where the ledger gives stock levels.
    """

    mask: BoolArray
    censored: BoolArray
    ledger: BoolArray
    inferred: BoolArray
    levels_known: BoolArray


def stockout_mask(
    *,
    sales: FloatArray,
    end_of_day_on_hand: FloatArray,
    levels_known: BoolArray,
    on_sale: BoolArray | None = None,
    significance: float = DEFAULT_SIGNIFICANCE,
) -> StockoutMask:
    """Stock-out days from stock levels where known, from zero-sale runs elsewhere.

    Args:
        sales: (n_series, n_days) units sold per day, NaN = unobserved.
        end_of_day_on_hand: (n_series, n_days) units on hand at the end of each day;
            ignored on rows where ``levels_known`` is False.
        levels_known: (n_series,) True where the ledger holds stock levels.
        on_sale: (n_series, n_days) True where the item was offered (priced, or in the
            ledger from its first movement on); default every observed day.
        significance: probability under which a zero run is too long to be chance.

    Returns:
        A ``StockoutMask`` (module docstring for the rule). Deterministic.
    """
    sales = np.asarray(sales, dtype=np.float64)
    known = np.asarray(levels_known, dtype=np.bool_)
    if sales.ndim != 2 or np.shape(end_of_day_on_hand) != sales.shape:
        raise ValueError("sales and end_of_day_on_hand must be 2-D arrays of the same shape")
    if known.shape != (sales.shape[0],):
        raise ValueError(f"levels_known must have shape ({sales.shape[0]},), got {known.shape}")
    selling = np.ones(sales.shape, dtype=np.bool_) if on_sale is None else np.asarray(on_sale)
    empty = (np.asarray(end_of_day_on_hand) <= 0) & known[:, None]
    ledger = empty & selling
    inferred = infer_stockouts(y=sales, on_sale=on_sale, significance=significance)
    mask = np.where(known[:, None], ledger, inferred)
    return StockoutMask(
        mask=mask,
        censored=mask | empty,
        ledger=ledger,
        inferred=inferred,
        levels_known=known,
    )


@dataclass(frozen=True, slots=True)
class StockoutPeriods:
    """Runs of consecutive stock-out days, all (n_periods,), ordered by series then start.

    Attributes:
        series: row of the period's series.
        start, end: first and last column of the run (inclusive).
        days: ``end - start + 1``.
        source: LEDGER or INFERRED.
        daily_rate: mean sales per in-stock day over the ``trailing_days`` before the
            start (units/day); the series' mean over all its in-stock days when none.
        lost_units: ``daily_rate * days``, the estimate of demand not served.
    """

    series: IntArray
    start: IntArray
    end: IntArray
    days: IntArray
    source: IntArray
    daily_rate: FloatArray
    lost_units: FloatArray

    def __len__(self) -> int:
        return int(self.series.size)


def runs(mask: BoolArray) -> tuple[IntArray, IntArray, IntArray]:
    """(series, start, end) of every run of True in ``mask`` (n_series, n_days), in order.

    Vectorised with a padded difference: a run starts where the mask goes 0 -> 1 and ends
    where it goes 1 -> 0.
    """
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    step = np.diff(padded, axis=1)
    start_series, start = np.nonzero(step == 1)
    _, end_plus_one = np.nonzero(step == -1)
    return start_series.astype(np.int64), start.astype(np.int64), end_plus_one - 1


def stockout_periods(
    *,
    stockouts: StockoutMask,
    sales: FloatArray,
    trailing_days: int = DEFAULT_TRAILING_DAYS,
    second_opinion: bool = False,
) -> StockoutPeriods:
    """The periods of ``stockouts.mask`` (plus, with ``second_opinion``, the inferred runs of
    series with known levels), with their lost units.

    Lost units of a period starting at column ``s`` of series ``i``:

        rate = sum(sales[i, s-w:s] on in-stock days) / count(in-stock days in s-w..s-1)
        lost = rate * days

    with ``w = trailing_days`` and in-stock meaning not censored and observed; cumulative
    sums make it one vector operation over all periods.
    """
    if trailing_days < 1:
        raise ValueError(f"trailing_days must be at least 1, got {trailing_days}")
    series, start, end = runs(stockouts.mask)
    source = np.where(stockouts.levels_known[series], LEDGER, INFERRED).astype(np.int64)
    if second_opinion:
        extra = stockouts.inferred & stockouts.levels_known[:, None]
        e_series, e_start, e_end = runs(extra)
        series = np.concatenate([series, e_series])
        start = np.concatenate([start, e_start])
        end = np.concatenate([end, e_end])
        source = np.concatenate([source, np.full(e_series.size, INFERRED, dtype=np.int64)])
        order = np.lexsort((source, start, series))
        series, start, end, source = series[order], start[order], end[order], source[order]
    rate = _trailing_rate(sales, stockouts.censored, series, start, trailing_days)
    days = end - start + 1
    return StockoutPeriods(
        series=series,
        start=start,
        end=end,
        days=days,
        source=source,
        daily_rate=rate,
        lost_units=rate * days,
    )


def _trailing_rate(
    sales: FloatArray, mask: BoolArray, series: IntArray, start: IntArray, window: int
) -> FloatArray:
    """Mean in-stock sales per day over the ``window`` days before each period."""
    cum_units, cum_days = observed_prefix_sums(sales, ~mask)
    first = np.maximum(start - window, 0)
    total = cum_units[series, start] - cum_units[series, first]
    count = cum_days[series, start] - cum_days[series, first]
    overall = cum_units[:, -1] / np.maximum(cum_days[:, -1], 1)
    rate = np.where(count > 0, total / np.maximum(count, 1), overall[series])
    return np.asarray(rate, dtype=np.float64)


def precision_recall(*, predicted: BoolArray, truth: BoolArray) -> tuple[float, float]:
    """Day-level precision ``|P & T| / |P|`` and recall ``|P & T| / |T|`` (1.0 when empty)."""
    hits = float((predicted & truth).sum())
    n_predicted, n_true = float(predicted.sum()), float(truth.sum())
    precision = hits / n_predicted if n_predicted else 1.0
    recall = hits / n_true if n_true else 1.0
    return precision, recall
