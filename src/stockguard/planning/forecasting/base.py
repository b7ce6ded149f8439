"""The forecaster contract (scikit-learn / statsforecast style) and result types.

``__init__`` stores parameters unchanged; ``fit(y)`` sets attributes ending in ``_``;
``predict(horizon)`` returns means; ``forecast(y, horizon)`` fits and predicts without
keeping state. ``y`` is (n_series, n_periods) float64 with NaN = unobserved (censored or
not yet started); models must skip NaN rather than read it as zero demand.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, Self

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

QUANTILE_LEVELS: tuple[float, ...] = (0.5, 0.8, 0.9, 0.95, 0.99)
"""The quantiles every probabilistic forecast reports (p50 p80 p90 p95 p99)."""


class Forecaster(Protocol):
    """A point forecaster vectorised over series."""

    alias: str

    def fit(self, y: FloatArray) -> Self: ...

    def predict(self, horizon: int) -> FloatArray:
        """Mean forecast, shape (n_series, horizon), never negative."""
        ...

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        """``fit(y).predict(horizon)`` without keeping the fitted state."""
        ...


@dataclass(frozen=True, slots=True)
class ProbabilisticForecast:
    """Means and quantiles for every series and horizon step.

    Attributes:
        mean: (n_series, horizon) expected units per period.
        levels: (n_levels,) quantile levels in (0, 1), increasing.
        quantiles: (n_series, n_levels, horizon) units, non-decreasing along levels.
        model: (n_series,) alias of the model (or combination) chosen per series.
    """

    mean: FloatArray
    levels: FloatArray
    quantiles: FloatArray
    model: tuple[str, ...]

    def __post_init__(self) -> None:
        n_series, horizon = self.mean.shape
        if self.quantiles.shape != (n_series, self.levels.size, horizon):
            raise ValueError(
                f"quantiles shape {self.quantiles.shape} does not match "
                f"(n_series={n_series}, n_levels={self.levels.size}, horizon={horizon})"
            )
        if len(self.model) != n_series:
            raise ValueError("one model alias per series")

    def quantile(self, level: float) -> FloatArray:
        """(n_series, horizon) values of the quantile at ``level`` (must be one of levels)."""
        index = np.flatnonzero(np.isclose(self.levels, level))
        if index.size == 0:
            raise KeyError(f"level {level} not in {self.levels.tolist()}")
        return self.quantiles[:, int(index[0]), :]


ROW_BLOCK = 512
"""Series per block in ``by_row_blocks``: 512 rows of a few thousand days stay in cache."""


def by_row_blocks(rowwise: Callable[[FloatArray], npt.NDArray[Any]], y: FloatArray) -> Any:
    """Apply ``rowwise`` (a function whose result row i depends only on ``y[i]``) to blocks
    of ``ROW_BLOCK`` rows and stack the results along the first axis.

    Same values as ``rowwise(y)``; on a large panel the temporaries of each block stay in
    the CPU cache instead of costing a panel-sized allocation each.
    """
    if y.shape[0] <= ROW_BLOCK:
        return rowwise(y)
    blocks = [rowwise(y[low : low + ROW_BLOCK]) for low in range(0, y.shape[0], ROW_BLOCK)]
    return np.concatenate(blocks, axis=0)
