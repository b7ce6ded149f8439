"""Helpers shared by the forecasting models: panels, origins, NaN-aware closed forms.

Shapes: ``y`` is (n_series, n_periods) float64 units per period, NaN = unobserved.
The recursive filters themselves are compiled (``_ses_kernels``, ``_trend_kernels``,
``_croston_kernels``; ADR 0008); this module holds what they share on the numpy side.

*Origins* (``cuts``): every model can be fitted at several cut points at once, the
result at cut ``c`` being the one of the series ``y[:, :c]``; a rolling-origin backtest
then costs one pass per model instead of one per window. A plain fit is ``cuts = [n]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Self

import numpy as np

from stockguard.planning.forecasting._croston_kernels import interval_counts
from stockguard.planning.forecasting.base import FloatArray, IntArray


def as_panel(y: FloatArray) -> FloatArray:
    """``y`` as a C-contiguous float64 (n_series, n_periods) array (copied only if needed).

    The compiled kernels are specialised for this layout.
    """
    panel = np.ascontiguousarray(y, dtype=np.float64)
    if panel.ndim != 2:
        raise ValueError(f"expected a (n_series, n_periods) panel, got shape {panel.shape}")
    return panel


def as_cuts(origins: Sequence[int] | IntArray, n_periods: int) -> IntArray:
    """(n_origins,) int64 cut points, checked increasing and within [0, n_periods]."""
    cuts = np.ascontiguousarray(origins, dtype=np.int64).reshape(-1)
    if cuts.size == 0 or cuts[0] < 0 or cuts[-1] > n_periods or np.any(np.diff(cuts) <= 0):
        raise ValueError(f"origins must increase within [0, {n_periods}], got {cuts.tolist()}")
    return cuts


def whole(y: FloatArray) -> IntArray:
    """The single cut of a plain fit, ``[n_periods]``."""
    return np.array([y.shape[1]], dtype=np.int64)


def nan_mean(y: FloatArray, *, axis: int = -1, default: float = np.nan) -> FloatArray:
    """Mean of the non-NaN entries along ``axis``; ``default`` where there are none.

    Unlike ``np.nanmean`` it never warns on an empty slice.
    """
    observed = ~np.isnan(y)
    count = observed.sum(axis=axis)
    total = np.where(observed, y, 0.0).sum(axis=axis)
    safe = np.maximum(count, 1)
    return np.where(count > 0, total / safe, default)


def demand_intervals_at(y: FloatArray, cuts: IntArray) -> tuple[FloatArray, FloatArray]:
    """``demand_intervals`` of ``y[:, :c]`` for every cut: two (n_origins, n_series) arrays,
    the mean interval (NaN without demand) and the number of demands."""
    through_last, n_demand = interval_counts(as_panel(y), cuts)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_interval = np.where(n_demand > 0, through_last / n_demand, np.nan)
    return mean_interval, n_demand


def demand_intervals(y: FloatArray) -> tuple[FloatArray, IntArray]:
    """Mean inter-demand interval and number of demands per series.

    Intervals are counted in *observed* periods (NaN periods are neither demand nor
    zero); the first interval runs from the first observed period, as in Croston (1972)
    and statsforecast's ``_intervals``. The intervals telescope, so

        mean interval = (observed periods up to and including the last demand) / n_demand

    Returns:
        mean_interval: (n_series,) periods per demand, NaN where there is no demand.
        n_demand: (n_series,) number of periods with demand > 0.
    """
    panel = as_panel(y)
    mean_interval, n_demand = demand_intervals_at(panel, whole(panel))
    return mean_interval[0], n_demand[0].astype(np.int64)


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Chosen parameters and the filter state they end in.

    Attributes:
        params: name -> chosen value of every parameter, (n_series,) for one fit or
            (n_origins, n_series) for a fit at several origins.
        state: final state arrays at the chosen values, same leading shape.
    """

    params: dict[str, FloatArray]
    state: tuple[FloatArray, ...]

    def at(self, origin: int) -> SearchResult:
        """The result of one origin of a several-origin search."""
        return SearchResult(
            params={name: value[origin] for name, value in self.params.items()},
            state=tuple(value[origin] for value in self.state),
        )


def flat(level: FloatArray, horizon: int) -> FloatArray:
    """(n_series, horizon) constant forecast, non-negative and NaN-free (NaN -> 0)."""
    clean = np.maximum(np.nan_to_num(level, nan=0.0, posinf=0.0, neginf=0.0), 0.0)
    return np.repeat(clean[:, None], horizon, axis=1)


class FlatForecaster:
    """Base of models whose forecast is one level per series for every step.

    Subclasses implement ``_level(y) -> (n_series,)`` (a closed form) or, for a
    compiled filter, ``_levels(y, cuts) -> (n_origins, n_series)`` (all origins in one
    pass). ``fit`` stores the level as ``level_``; ``forecast_origins`` gives the
    forecasts from every origin of a backtest.
    """

    alias = "flat"
    level_: FloatArray

    def _level(self, y: FloatArray) -> FloatArray:
        raise NotImplementedError

    def _levels(self, y: FloatArray, cuts: IntArray) -> FloatArray:
        return np.stack([self._level(y[:, :cut]) for cut in cuts])

    def fit(self, y: FloatArray) -> Self:
        panel = as_panel(y)
        self.level_ = self._levels(panel, whole(panel))[0]
        return self

    def predict(self, horizon: int) -> FloatArray:
        return flat(self.level_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        panel = as_panel(y)
        return flat(self._levels(panel, whole(panel))[0], horizon)

    def forecast_origins(
        self, y: FloatArray, origins: Sequence[int] | IntArray, horizon: int
    ) -> FloatArray:
        """(n_origins, n_series, horizon): entry w equals ``forecast(y[:, :origins[w]])``."""
        panel = as_panel(y)
        levels = self._levels(panel, as_cuts(origins, panel.shape[1]))
        return np.stack([flat(level, horizon) for level in levels])

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({params})"
