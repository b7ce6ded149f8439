"""Demand panels: daily demand of many series as one struct-of-arrays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


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

    def observed(self) -> FloatArray:
        """Demand with censored (stock-out) days set to NaN, shape (n_series, n_days)."""
        return np.where(self.stockout, np.nan, self.values)
