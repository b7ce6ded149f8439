"""The distribution of the exposure ``T``: days of demand served from stock before the next
receipt, on a few support points per row.

Day convention (ADR 0011): figures are read at the end of today (day 0) from the stock
now. A receipt on day ``r`` (``r >= 0`` days from today) is booked before that day's
sales, so the demand that can be lost is that of days ``1 .. r - 1``:
``T = max(r - 1, 0)`` days; the receipt day's sales do not count. The rest of today's
demand (a movement during the day) is not modelled, at most part of one day.

Where ``r`` comes from:

* an open purchase order due in ``d`` days from a supplier whose past deliveries were
  late by ``delta_j`` days with probability ``w_j`` (its delay pmf):
  ``r_j = d + delta_j``; a point with ``r_j < 0`` (should have arrived already) is left
  out and the rest renormalised (the order is known not to have come); an order late
  beyond every past delay comes any day now (``T = 0``);
* otherwise a lead time ``L`` (its pmf: points ``l_j``, masses ``w_j``) after the order:
  ``T = max(L - 1, 0)`` counted from the order. Without units on order the order waits
  for the reorder point; those days are handled as known demand
  (``planning.risk.figures.demand_before_order``), not here.

A stored pmf has at most ``MAX_POINTS`` points (``compress``); rows without one get a
three-point rule matched to the stored mean and variance (``from_moments``).

Example: due in 4 days, delays -1, 0, 3 days with 0.2, 0.5, 0.3: receipt in 3, 4 or 7
days, ``T`` = 2, 3 or 6 days with 0.2, 0.5, 0.3.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray

MAX_POINTS = 8
"""Support points a stored pmf keeps at most (the scan costs one incomplete-beta call
per point and row: 8 points keep 300,000 rows near two seconds on a loaded machine)."""


def compress(values: Any, weights: Any = None, max_points: int = MAX_POINTS) -> FloatArray:
    """A pmf of at most ``max_points`` points of (m,) observed ``values`` (days), each
    counted with its weight (1 by default): ``[[point, mass], ...]`` as a (k, 2) array.

    Equation: the exact histogram when it has at most ``max_points`` distinct values;
    else the sorted values cut into ``max_points`` groups of about equal mass, each group
    a point at its weighted mean (the mean is kept, the spread within a group is lost).

    Example: values (7, 7, 8, 14) give [[7, 0.5], [8, 0.25], [14, 0.25]].
    """
    x = np.asarray(values, dtype=np.float64).reshape(-1)
    w = np.ones(x.size) if weights is None else np.asarray(weights, np.float64).reshape(-1)
    keep = w > 0.0
    x, w = x[keep], w[keep]
    if x.size == 0:
        return np.zeros((0, 2))
    points, index = np.unique(x, return_inverse=True)
    mass = np.bincount(index, weights=w)
    if points.size > max_points:
        edges = np.cumsum(mass) / mass.sum()
        group = np.minimum((edges * max_points - 1e-9).astype(np.int64), max_points - 1)
        _, first = np.unique(group, return_index=True)
        grouped = np.add.reduceat(mass, first)
        points, mass = np.add.reduceat(points * mass, first) / grouped, grouped
    return np.column_stack([points, mass / mass.sum()])


def from_moments(mean: Any, var: Any, floor: float = 0.0) -> tuple[FloatArray, FloatArray]:
    """(n, 3) points and masses matched to (n,) means (days) and variances (days^2).

    Equation: the three-point Gauss-Hermite rule ``mean - sqrt(3 var), mean,
    mean + sqrt(3 var)`` with masses 1/6, 2/3, 1/6 (mean, variance and the normal's
    fourth moment), points floored at ``floor`` (0 for a lead time; a delay may be
    negative). Example: mean 7, var 3 give 4, 7, 10.
    """
    m = np.asarray(mean, dtype=np.float64).reshape(-1)
    half = np.sqrt(3.0 * np.maximum(np.asarray(var, dtype=np.float64).reshape(-1), 0.0))
    points = np.maximum(np.column_stack([m - half, m, m + half]), floor)
    masses = np.broadcast_to(np.array([1.0, 4.0, 1.0]) / 6.0, points.shape).copy()
    return points, masses


def padded(
    pmfs: list[Any], fallback_mean: Any, fallback_var: Any, floor: float = 0.0
) -> tuple[FloatArray, FloatArray]:
    """(n, K) points and masses of n stored pmfs (``[[point, mass], ...]`` or None/empty:
    ``from_moments`` of the row's stored mean and variance), padded with zero mass."""
    arrays = [np.asarray(pmf, dtype=np.float64).reshape(-1, 2) if pmf else None for pmf in pmfs]
    width = max([3, *(a.shape[0] for a in arrays if a is not None)])
    points = np.zeros((len(pmfs), width))
    mass = np.zeros((len(pmfs), width))
    missing = [i for i, array in enumerate(arrays) if array is None]
    if missing:  # only then: the one-row path of a movement skips it
        fb_points, fb_mass = from_moments(
            np.asarray(fallback_mean, dtype=np.float64).reshape(-1)[missing],
            np.asarray(fallback_var, dtype=np.float64).reshape(-1)[missing],
            floor,
        )
        points[missing, :3], mass[missing, :3] = fb_points, fb_mass
    for i, array in enumerate(arrays):
        if array is not None:
            points[i, : array.shape[0]], mass[i, : array.shape[0]] = array[:, 0], array[:, 1]
    return points, mass


def exposure(
    *,
    dated: Any,
    days_to_receipt: Any,
    delay_points: Any,
    delay_mass: Any,
    lead_points: Any,
    lead_mass: Any,
) -> tuple[FloatArray, FloatArray]:
    """(n, K) points (days) and masses of the exposure ``T`` (module docstring).

    Args:
        dated: (n,) rows whose next receipt is an open order's date.
        days_to_receipt: (n,) ``d`` days to that date (NaN or anything where not dated).
        delay_points, delay_mass: (n, K1) the supplier's delay pmf, days.
        lead_points, lead_mass: (n, K2) the lead-time pmf, days.

    Returns: points ``T >= 0`` and masses summing to 1 per row, (n, max(K1, K2)).
    """
    is_dated = np.asarray(dated, dtype=np.bool_)[:, None]
    d = np.nan_to_num(np.asarray(days_to_receipt, dtype=np.float64))[:, None]
    width = max(np.shape(delay_points)[1], np.shape(lead_points)[1])
    arrival, arrival_mass = _widen(d + np.asarray(delay_points), delay_mass, width)
    lead, lead_w = _widen(np.asarray(lead_points), lead_mass, width)
    came = arrival < 0.0
    arrival_mass = np.where(came, 0.0, arrival_mass)
    overdue = arrival_mass.sum(axis=1, keepdims=True) <= 0.0
    first = np.arange(width)[None, :] == 0
    arrival = np.where(overdue, np.where(first, 1.0, 0.0), arrival)
    arrival_mass = np.where(overdue, np.where(first, 1.0, 0.0), arrival_mass)
    points = np.where(is_dated, np.maximum(arrival - 1.0, 0.0), np.maximum(lead - 1.0, 0.0))
    mass = np.where(is_dated, arrival_mass, lead_w)
    return points, mass / mass.sum(axis=1, keepdims=True)


def moments(points: Any, mass: Any) -> tuple[FloatArray, FloatArray]:
    """(n,) mean (days) and variance (days^2) of n point distributions (masses sum to 1)."""
    t = np.asarray(points, dtype=np.float64)
    w = np.asarray(mass, dtype=np.float64)
    mean = (t * w).sum(axis=1)
    var = np.maximum((t**2 * w).sum(axis=1) - mean**2, 0.0)
    return mean, var


def _widen(points: Any, mass: Any, width: int) -> tuple[FloatArray, FloatArray]:
    p = np.asarray(points, dtype=np.float64)
    w = np.asarray(mass, dtype=np.float64)
    extra = width - p.shape[1]
    if extra:
        p = np.pad(p, ((0, 0), (0, extra)))
        w = np.pad(w, ((0, 0), (0, extra)))
    return p, w
