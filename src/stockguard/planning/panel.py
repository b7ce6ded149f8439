"""Demand panels: daily demand of many series as one struct-of-arrays."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting.lower_bound import emptying_day_demand

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class DemandPanel:
    """Daily demand per series (SKU x location).

    Attributes:
        values: (n_series, n_days) units sold per day; NaN where nothing is known.
        stockout: (n_series, n_days) True where the series was out of stock at the end
            of the day, so the day's sales are a lower bound of demand (censored).
        skus, locations: (n_series,) identifiers of each row.
        start: date of column 0; column j is ``start + j`` days.
    """

    values: FloatArray
    stockout: BoolArray
    skus: tuple[str, ...]
    locations: tuple[str, ...]
    start: date

    def __post_init__(self) -> None:
        if self.values.ndim != 2:
            raise ValueError(f"values must be 2-D (n_series, n_days), got {self.values.shape}")
        if self.stockout.shape != self.values.shape:
            raise ValueError("stockout mask must have the same shape as values")
        if not len(self.skus) == len(self.locations) == self.values.shape[0]:
            raise ValueError("one sku and one location per row of values")

    @property
    def n_series(self) -> int:
        return int(self.values.shape[0])

    @property
    def n_days(self) -> int:
        return int(self.values.shape[1])

    def rows_of(self, skus: Sequence[str], locations: Sequence[str]) -> IntArray:
        """(n,) panel row of each (sku, location) pair, -1 where the panel holds no such
        series. Example: a panel of rows (A, L1), (B, L1) maps (B, L1), (C, L1) to 1, -1."""
        index = {key: row for row, key in enumerate(zip(self.skus, self.locations, strict=True))}
        found = [index.get(key, -1) for key in zip(skus, locations, strict=True)]
        return np.array(found, dtype=np.int64)

    def observed(self) -> FloatArray:
        """Demand as the forecast reads it, shape (n_series, n_days).

        Uncensored days keep their sales. A stock-out day that sold ``s > 0`` units (the
        day the shelf emptied) is a lower bound of demand and reads ``max(s, m)``, ``m``
        the mean of the series' uncensored days among the 28 before it
        (``forecasting.lower_bound.emptying_day_demand``). A stock-out day with no sale
        is NaN (unobserved). Example: sales 4, 2, 6 then a stock-out day selling 1 reads
        max(1, 4) = 4; the next stock-out day, selling 0, reads NaN.
        """
        return emptying_day_demand(self.values, self.stockout)

    def uncensored(self) -> FloatArray:
        """Sales with every stock-out day NaN, shape (n_series, n_days): what was seen
        sold on days that ended in stock (the forecast input before the emptying-day
        rule; charts of units sold use it)."""
        return np.where(self.stockout, np.nan, self.values)
