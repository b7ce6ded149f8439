"""Per-group statistics of flat observation arrays, without a Python loop over groups.

Observations carry a group index in ``[0, n_groups)``; sums use ``np.bincount``, order
statistics sort once by (group, value) and read each group's slice through ``indptr``
(the CSR layout of ``planning.panel``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from stockguard.planning.inventory._arrays import BoolArray, FloatArray, IntArray


def group_sum(group: IntArray, values: FloatArray, n_groups: int) -> FloatArray:
    """``S_g = sum_{i: group_i = g} values_i``, shape (n_groups,)."""
    return np.bincount(group, weights=values, minlength=n_groups).astype(np.float64)


def group_count(group: IntArray, n_groups: int, mask: BoolArray | None = None) -> FloatArray:
    """Number of observations per group (those where ``mask`` is true), shape (n_groups,)."""
    weights = None if mask is None else mask.astype(np.float64)
    return np.bincount(group, weights=weights, minlength=n_groups).astype(np.float64)


def ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """``numerator / denominator`` element-wise, NaN where the denominator is 0."""
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


@dataclass(frozen=True, slots=True)
class SortedGroups:
    """Observations sorted by (group, value) with each group's slice ``[indptr[g], indptr[g+1])``.

    Attributes:
        values: (n_obs,) sorted values; group: (n_obs,) their groups (non-decreasing).
        indptr: (n_groups + 1,) int64 slice bounds; count: (n_groups,) int64 sizes.
        rank: (n_obs,) int64 0-based position of each value inside its group.
    """

    values: FloatArray
    group: IntArray
    indptr: IntArray
    count: IntArray
    rank: IntArray


def sort_groups(group: IntArray, values: FloatArray, n_groups: int) -> SortedGroups:
    """Sort ``values`` by group then value (stable, ``np.lexsort``)."""
    order = np.lexsort((values, group))
    count = np.bincount(group, minlength=n_groups).astype(np.int64)
    indptr = np.concatenate(([0], np.cumsum(count))).astype(np.int64)
    sorted_group = group[order]
    rank = np.arange(order.size, dtype=np.int64) - indptr[sorted_group]
    return SortedGroups(values[order], sorted_group, indptr, count, rank)


def group_quantiles(groups: SortedGroups, levels: FloatArray) -> FloatArray:
    """Empirical quantiles per group, shape (n_groups, n_levels); NaN for empty groups.

    Linear interpolation between order statistics (Hyndman and Fan type 7, numpy's
    default): with the group's sorted values ``x_(0) <= ... <= x_(n-1)``,
    ``h = (n - 1) p``, ``Q(p) = x_(floor h) + (h - floor h) (x_(floor h + 1) - x_(floor h))``.
    """
    count = groups.count[:, None].astype(np.float64)
    position = np.maximum(count - 1.0, 0.0) * levels[None, :]
    low = np.floor(position)
    fraction = position - low
    start = groups.indptr[:-1, None]
    last = np.maximum(groups.count[:, None] - 1, 0)
    low_index = start + low.astype(np.int64)
    high_index = start + np.minimum(low.astype(np.int64) + 1, last)
    if groups.values.size == 0:
        return np.full(position.shape, np.nan)
    safe_low = np.minimum(low_index, groups.values.size - 1)
    safe_high = np.minimum(high_index, groups.values.size - 1)
    lower, upper = groups.values[safe_low], groups.values[safe_high]
    quantiles = lower + fraction * (upper - lower)
    return np.where(count > 0, quantiles, np.nan)
