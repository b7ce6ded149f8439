"""Reorder points from an empirical lead-time demand distribution (samples).

The samples ``x_1 <= ... <= x_m`` of one row's demand over the protection interval come
from the forecast's quantiles (``samples_from_quantiles``) or from a bootstrap of the
row's daily history and of its supplier's observed lead times
(``bootstrap_lead_time_demand``). With ``F_m`` their empirical distribution function
(Silver, Pyke & Thomas 2017, 4th ed., ch. 6; Axsäter 2015, ch. 5):

* **cycle service level**: the smallest sample ``s = x_j`` with ``F_m(s) = j / m >= CSL``,
  so ``j = ceil(CSL m)``;
* **fill rate** ``beta``: the ``s`` with expected shortage
  ``ES(s) = (1/m) sum_i (x_i - s)^+ = (1 - beta) Q``. ``ES`` is piecewise linear and
  non-increasing, with ``ES(x_j) = (1/m) (sum_{i > j} x_i - (m - j) x_j)`` at the
  samples; ``s`` is interpolated exactly on the piece that crosses the target (slope
  ``-(m - j)/m`` between ``x_j`` and ``x_{j+1}``), and ``s = mean - (1 - beta) Q`` below
  the smallest sample.

Safety stock is ``s - mean``; unless ``allow_negative`` it is floored at 0. Rows may hold
fewer samples than others (NaN-padded); a row without samples is refused.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import special

from stockguard.planning.inventory._arrays import FloatArray, IntArray, as_float, check_range
from stockguard.planning.inventory.safety_stock import SafetyStock, fill_rate_mask

_LEVEL_TOLERANCE = 1e-9


def _sorted_samples(samples: Any) -> tuple[FloatArray, IntArray]:
    """Rows sorted ascending with NaN last, and the (n,) number of samples per row."""
    values = np.asarray(samples, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] == 0:
        raise ValueError(f"samples: expected shape (n, n_samples), got {values.shape}")
    if np.isinf(values).any():
        raise ValueError(
            f"samples: row {int(np.flatnonzero(np.isinf(values).any(1))[0])} is infinite"
        )
    count = np.sum(~np.isnan(values), axis=1).astype(np.int64)
    empty = np.flatnonzero(count == 0)
    if empty.size:
        raise ValueError(f"samples: row {int(empty[0])} has no sample")
    return np.sort(values, axis=1), count


def empirical_safety_stock(
    *,
    service_level: Any,
    samples: Any,
    service_measure: Any = 0,
    order_quantity: Any = None,
    allow_negative: bool = False,
) -> SafetyStock:
    """Reorder point and safety stock from samples of lead-time demand (module docstring).

    Args:
        service_level: (n,) CSL or fill rate in (0, 1).
        samples: (n, m) units of demand over the protection interval; NaN pads short rows.
        service_measure: a ServiceMeasure for all rows or (n,) ints.
        order_quantity: (n,) ``Q`` > 0, required for fill-rate rows.
        allow_negative: keep ``s`` below the sample mean.

    Example: samples 1, 2, ..., 10 (mean 5.5). CSL 0.9: j = 9, s = 9, SS = 3.5. Fill rate
    0.9 with Q = 10 (target ES = 1): ES(5) = 1.5 and ES(6) = (7 + 8 + 9 + 10 - 4 * 6) / 10
    = 1.0, so s = 6 and SS = 0.5.
    """
    ordered, count = _sorted_samples(samples)
    size = count.size
    level = as_float("service_level", service_level, size)
    check_range(
        "service_level", level, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    fill = fill_rate_mask(service_measure, size)
    rows = np.arange(size)
    filled = np.nan_to_num(ordered)
    mean = filled.sum(axis=1) / count
    position = np.ceil(level * count - _LEVEL_TOLERANCE).astype(np.int64) - 1
    s = ordered[rows, np.clip(position, 0, count - 1)]
    if fill.any():
        if order_quantity is None:
            raise ValueError("order_quantity: required for fill-rate rows")
        quantity = as_float("order_quantity", order_quantity, size)
        check_range("order_quantity", quantity, low=0.0, low_inclusive=False, rows=fill)
        target = (1.0 - level) * quantity
        s = np.where(fill, _fill_rate_point(filled, count, mean, target), s)
    spread = ordered[rows, count - 1] - ordered[:, 0]
    s = np.where(spread > 0, s, mean)
    if not allow_negative:
        s = np.maximum(s, mean)
    safety = s - mean
    std = np.sqrt(np.nansum((ordered - mean[:, None]) ** 2, axis=1) / count)
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(std > 0, safety / std, 0.0)
    return SafetyStock(safety_stock=safety, reorder_point=s, safety_factor=factor)


def _fill_rate_point(
    ordered: FloatArray, count: IntArray, mean: FloatArray, target: FloatArray
) -> FloatArray:
    """(n,) ``s`` with ``ES(s) = target`` on sorted, zero-padded-at-the-end samples."""
    size, width = ordered.shape
    index = np.arange(width)[None, :]
    valid = index < count[:, None]
    above = ordered[:, ::-1].cumsum(axis=1)[:, ::-1] - ordered  # sum of x_i for i > j
    remaining = count[:, None] - 1 - index
    shortage = np.where(valid, (above - remaining * ordered) / count[:, None], -np.inf)
    crossing = np.sum(shortage > target[:, None], axis=1)  # first j with ES(x_j) <= target
    rows = np.arange(size)
    before = np.maximum(crossing - 1, 0)
    slope = (count - crossing).astype(np.float64) / count
    interpolated = ordered[rows, before] + (shortage[rows, before] - target) / np.where(
        slope > 0, slope, 1.0
    )
    return np.asarray(np.where(crossing == 0, mean - target, interpolated), dtype=np.float64)


def samples_from_quantiles(*, quantiles: Any, levels: Any, n_samples: int = 200) -> FloatArray:
    """Evenly spaced samples of a distribution known by some of its quantiles.

    The quantile function is read as piecewise linear in ``z = Phi^-1(u)`` through the
    given points (exact for a normal), extended beyond the outer levels with the slope of
    the nearest piece, and clipped at 0 (demand is never negative); it is evaluated at
    ``u_i = (i + 1/2) / m``. Use it with the ``quantiles`` of
    ``forecasting.leadtime.LeadTimeDemand``.

    Args:
        quantiles: (n, n_levels) units, non-decreasing along levels.
        levels: (n_levels,) increasing levels in (0, 1).
        n_samples: ``m``, samples per row.

    Returns: (n, m) units, sorted ascending per row.

    Example: quantiles (40, 59.18) at levels (0.5, 0.95) is N(40, 11.66) and gives samples
    ``40 + 11.66 Phi^-1(u_i)``.
    """
    values = np.asarray(quantiles, dtype=np.float64)
    z_points = special.ndtri(as_float("levels", levels))
    if values.ndim != 2 or values.shape[1] != z_points.size:
        raise ValueError(f"quantiles: expected shape (n, {z_points.size}), got {values.shape}")
    if np.any(np.diff(z_points) <= 0) or not np.all(np.isfinite(z_points)):
        raise ValueError("levels: must be increasing and inside (0, 1)")
    bad = np.flatnonzero(~np.all(np.isfinite(values), axis=1) | np.any(np.diff(values) < 0, 1))
    if bad.size:
        raise ValueError(f"quantiles: row {int(bad[0])} is not finite and non-decreasing")
    z = special.ndtri((np.arange(n_samples) + 0.5) / n_samples)
    if z_points.size == 1:
        return np.repeat(np.maximum(values, 0.0), n_samples, axis=1)
    piece = np.clip(np.searchsorted(z_points, z) - 1, 0, z_points.size - 2)
    z_low, z_high = z_points[piece], z_points[piece + 1]
    q_low, q_high = values[:, piece], values[:, piece + 1]
    sampled = q_low + (q_high - q_low) * ((z - z_low) / (z_high - z_low))[None, :]
    return np.asarray(np.maximum(sampled, 0.0), dtype=np.float64)
