"""NaN-aware helpers shared by the forecasting models (numpy only, pure functions).

Shapes: ``y`` is (n_series, n_periods) float64 units per period, NaN = unobserved.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Self

import numpy as np
import numpy.typing as npt

from stockguard.planning.forecasting.base import FloatArray, IntArray

BoolArray = npt.NDArray[np.bool_]

COLUMN_BLOCK = 256
"""Periods copied at a time when iterating over columns (keeps access contiguous)."""

StateFunction = Callable[[Mapping[str, FloatArray]], tuple[FloatArray, tuple[FloatArray, ...]]]


def iter_columns(y: FloatArray, *, block: int = COLUMN_BLOCK) -> Iterator[FloatArray]:
    """Yield ``y[:, t]`` for t = 0..n_periods-1 as contiguous (n_series,) arrays.

    Copies ``block`` periods at a time (memory O(block x n_series)) so each step reads
    contiguous memory instead of a stride of n_periods.
    """
    n_periods = y.shape[1]
    for start in range(0, n_periods, block):
        chunk = np.ascontiguousarray(y[:, start : start + block].T)
        yield from chunk


def full_copy(value: FloatArray | float, shape: tuple[int, ...]) -> FloatArray:
    """A writable contiguous copy of ``value`` broadcast to ``shape``.

    Recursive filters keep parameters and state in such arrays: ufunc loops over
    equal-shaped contiguous operands are markedly faster than broadcasting ones.
    """
    return np.array(np.broadcast_to(value, shape), dtype=np.float64, order="C")


def column_gaps(column: FloatArray) -> BoolArray | None:
    """NaN mask of one period, or None when every series is observed (the fast path)."""
    missing = np.isnan(column)
    return missing if missing.any() else None


def observed_update(
    target: FloatArray, new: FloatArray, missing: BoolArray | None
) -> tuple[FloatArray, FloatArray]:
    """Take ``new`` where the period is observed and keep ``target`` where it is NaN.

    Returns (updated state, spare buffer); with no gap the two buffers are swapped.
    """
    if missing is None:
        return new, target
    np.copyto(target, new, where=~missing)
    return target, new


def last_observed(y: FloatArray, *, default: float = 0.0) -> FloatArray:
    """(n_series,) last non-NaN value of each row, ``default`` for an all-NaN row."""
    observed = ~np.isnan(y)
    if y.shape[1] == 0:
        return np.full(y.shape[0], default)
    last = y.shape[1] - 1 - np.argmax(observed[:, ::-1], axis=1)
    values = y[np.arange(y.shape[0]), last]
    return np.where(observed.any(axis=1), values, default)


def first_observed(y: FloatArray) -> FloatArray:
    """(n_series,) first non-NaN value of each row, NaN for an all-NaN row."""
    observed = ~np.isnan(y)
    if y.shape[1] == 0:
        return np.full(y.shape[0], np.nan)
    first = np.argmax(observed, axis=1)
    return np.where(observed.any(axis=1), y[np.arange(y.shape[0]), first], np.nan)


def nan_mean(y: FloatArray, *, axis: int = -1, default: float = np.nan) -> FloatArray:
    """Mean of the non-NaN entries along ``axis``; ``default`` where there are none.

    Unlike ``np.nanmean`` it never warns on an empty slice.
    """
    observed = ~np.isnan(y)
    count = observed.sum(axis=axis)
    total = np.where(observed, y, 0.0).sum(axis=axis)
    safe = np.maximum(count, 1)
    return np.where(count > 0, total / safe, default)


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
    observed = ~np.isnan(y)
    demand = np.where(observed, y, 0.0) > 0
    n_demand = demand.sum(axis=1).astype(np.int64)
    n_periods = y.shape[1]
    last = n_periods - 1 - np.argmax(demand[:, ::-1], axis=1) if n_periods else n_demand
    position = np.arange(n_periods)[None, :]
    through_last = np.count_nonzero(observed & (position <= last[:, None]), axis=1)
    mean_interval = np.where(n_demand > 0, through_last / np.maximum(n_demand, 1), np.nan)
    return mean_interval, n_demand


@dataclass(frozen=True, slots=True)
class SearchResult:
    """Chosen parameters and the filter state they end in.

    Attributes:
        params: name -> (n_series,) chosen value of every parameter.
        state: final state arrays of the last grid evaluated, at the chosen values,
            each (..., n_series) (the grid axis removed).
    """

    params: dict[str, FloatArray]
    state: tuple[FloatArray, ...]


def grid_search_state(
    *,
    evaluate: StateFunction,
    grids: Mapping[str, FloatArray],
    start: Mapping[str, FloatArray],
) -> SearchResult:
    """Per-series coordinate search over parameter grids, all series at once.

    For each parameter in ``grids`` order, the others fixed at their current per-series
    values, the filter is evaluated for every grid value: parameters are passed with
    shape (n_grid, n_series) or broadcastable to it. Each series keeps the value with
    the lowest in-sample one-step SSE (first one on ties). Memory is O(n_grid x n_series).

    Args:
        grids: name -> (n_grid,) shared grid or (n_grid, n_series) per-series grid.
        start: name -> (n_series,) starting value of every parameter the filter needs.

    ``evaluate(params)`` returns the (n_grid, n_series) SSE and the final state arrays,
    each (..., n_grid, n_series). The state of the last stage's winner is the state of
    the chosen parameters (the other parameters are fixed during that stage), so no
    final filtering pass is needed. With no grid, ``evaluate`` runs once at ``start``.
    """
    current = {name: np.asarray(value, dtype=np.float64) for name, value in start.items()}
    n_series = next(iter(current.values())).shape[0]
    if not grids:
        _, states = evaluate({key: value[None, :] for key, value in current.items()})
        return SearchResult(params=current, state=tuple(s[..., 0, :] for s in states))
    state: tuple[FloatArray, ...] = ()
    columns = np.arange(n_series)
    for name, grid in grids.items():
        candidates = grid[:, None] if grid.ndim == 1 else grid
        candidates = np.broadcast_to(candidates, (candidates.shape[0], n_series))
        params = {key: value[None, :] for key, value in current.items()}
        params[name] = candidates
        sse, states = evaluate(params)
        best = np.argmin(sse, axis=0)
        current[name] = candidates[best, columns]
        state = tuple(s[..., best, columns] for s in states)
    return SearchResult(params=current, state=state)


def refine_grid(*, best: FloatArray, step: float, lower: float, upper: float) -> FloatArray:
    """(n_fine, n_series) grid of ``best +- step`` in tenths of ``step``, clipped."""
    offsets = np.linspace(-step, step, 11)
    return np.clip(best[None, :] + offsets[:, None], lower, upper)


def flat(level: FloatArray, horizon: int) -> FloatArray:
    """(n_series, horizon) constant forecast, non-negative and NaN-free (NaN -> 0)."""
    clean = np.maximum(np.nan_to_num(level, nan=0.0, posinf=0.0, neginf=0.0), 0.0)
    return np.repeat(clean[:, None], horizon, axis=1)


class FlatForecaster:
    """Base of models whose forecast is one level per series for every step.

    Subclasses implement ``_level(y) -> (n_series,)``; ``fit`` stores it as ``level_``.
    """

    alias = "flat"
    level_: FloatArray

    def _level(self, y: FloatArray) -> FloatArray:
        raise NotImplementedError

    def fit(self, y: FloatArray) -> Self:
        self.level_ = self._level(np.asarray(y, dtype=np.float64))
        return self

    def predict(self, horizon: int) -> FloatArray:
        return flat(self.level_, horizon)

    def forecast(self, y: FloatArray, horizon: int) -> FloatArray:
        return flat(self._level(np.asarray(y, dtype=np.float64)), horizon)

    def __repr__(self) -> str:
        params = ", ".join(f"{k}={v!r}" for k, v in vars(self).items() if not k.endswith("_"))
        return f"{type(self).__name__}({params})"
