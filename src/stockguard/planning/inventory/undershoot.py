"""Undershoot of a period-review (s,S) policy whose lot is small against demand's lumps.

``lost_sales`` (item 1) takes the undershoot ``U`` below the reorder point from the
stationary renewal law ``P(U = u) = P(D > u) / m_1``, the limit of a lot ``Q`` that is
many periods of demand. After an order the position is exactly ``S = s + Q`` (the
position counts what is on order), so the next order comes when the demand summed since,
``C``, first reaches ``Q``, and the undershoot is ``U = C - Q`` at that moment: the
overshoot of a random walk over the level ``Q``, not its limit. With whole-unit demand
``D`` per period (``p_k = P(D = k)``, zero periods only pass time) and ``n = ceil(Q)``,
the walk of the positive periods ``D+`` (``q_k = p_k / (1 - p_0)``, ``k >= 1``) visits
the level ``j`` with the renewal mass

    h(0) = 1,   h(j) = sum_{k=1}^{j} h(j - k) q_k     (j = 1 .. n - 1)

and leaves ``0 .. n - 1`` from ``j`` with a step of at least ``n - j``, so

    E[U_n]   = sum_{j < n} h(j) E[(D+ - (n - j))^+]
    E[U_n^2] = sum_{j < n} h(j) E[((D+ - (n - j))^+)^2]
    U        = U_n + (n - Q)                        (a fractional lot)

(Feller 1968, vol. I, ch. XIII on recurrent events; the overshoot of a renewal process,
e.g. Tijms 2003, "A First Course in Stochastic Models", sec. 8.1). As ``Q`` grows the law
tends to ``lost_sales``' renewal one. Where ``Q`` is about one period's demand and demand
comes in lumps the two part: demand 0 or 10 per period with a lot of 3 gives ``U = 7``
always, the renewal law ``E[U] = 4.5``. Car parts' replay orders a month's demand each
month (``Q = m_1``), the regime where the limit under-states the fast parts' undershoot.

Cost: ``O(n^2 + n W)`` per row (``W`` periods of history), vectorised over rows; rows
whose lot is above ``max_units`` keep the renewal law (at ``n`` periods' worth of steps
it is close; the cap is for speed, not chosen on any data set's figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray

MAX_LOT_UNITS = 64
"""Largest lot (units) computed exactly; larger lots keep the renewal law."""


def lot_undershoot_moments(
    *, sales: Any, window: int, lot: Any, max_units: int = MAX_LOT_UNITS
) -> tuple[FloatArray, FloatArray, np.ndarray[Any, np.dtype[np.bool_]]]:
    """Mean and variance of ``U`` for each row's lot (module docstring), from history.

    The per-period demand law is the empirical one of the last ``window`` observed
    periods of ``sales`` (values rounded to whole units; NaN = not observed).

    Args:
        sales: (n, n_periods) units per period, NaN where unobserved.
        window: periods read from the end, >= 1.
        lot: (n,) ``Q`` > 0, units.
        max_units: rows with ``ceil(Q)`` above it are not computed.

    Returns: ((n,) units, (n,) units^2, (n,) bool ``done``): rows not done (lot above
    ``max_units``, or no positive sale in the window) carry 0 and are left to the caller.

    Example: sales 0, 10, 0, 10 and Q = 3: D+ = 10 always, h = (1, 0, 0), E[U_3] =
    10 - 3 = 7, Var[U] = 0. Constant 10 a period with Q = 20: the walk lands on 20,
    E[U] = 0 (the renewal law says 4.5).
    """
    if window < 1:
        raise ValueError(f"window: expected >= 1 period, got {window}")
    values = np.asarray(sales, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"sales: expected (n, n_periods), got {values.shape}")
    n_rows = values.shape[0]
    size = np.asarray(lot, dtype=np.float64).reshape(-1)
    if size.shape != (n_rows,) or np.any(~(size > 0)):
        raise ValueError(f"lot: expected ({n_rows},) values > 0")
    recent = np.rint(values[:, -window:])
    positive = np.where(np.isfinite(recent) & (recent > 0), recent, 0.0)
    count = (positive > 0).sum(axis=1)
    steps = np.maximum(np.ceil(size - 1e-9), 1.0).astype(np.int64)
    done = (count > 0) & (steps <= max_units)
    mean = np.zeros(n_rows)
    variance = np.zeros(n_rows)
    rows = np.flatnonzero(done)
    if rows.size:
        first, second = _overshoot(positive[rows], count[rows], steps[rows])
        extra = steps[rows] - size[rows]
        mean[rows] = first + extra
        variance[rows] = np.maximum(second - first**2, 0.0)
    return mean, variance, done


def _overshoot(
    positive: FloatArray, count: np.ndarray[Any, np.dtype[np.int64]], steps: Any
) -> tuple[FloatArray, FloatArray]:
    """``E[U_n]`` and ``E[U_n^2]`` per row (module docstring); ``positive`` (m, W) holds
    each row's positive periods (0 elsewhere), ``count`` (m,) how many, ``steps`` (m,) n."""
    n_max = int(np.max(steps))
    share = 1.0 / count.astype(np.float64)
    # q_k for k = 1 .. n_max - 1 (a step of n_max or more always leaves)
    q = np.zeros((positive.shape[0], n_max))
    for k in range(1, n_max):
        q[:, k] = (positive == k).sum(axis=1) * share
    h = np.zeros((positive.shape[0], n_max))
    h[:, 0] = 1.0
    for j in range(1, n_max):
        h[:, j] = np.einsum("ij,ij->i", h[:, :j][:, ::-1], q[:, 1 : j + 1])
    first = np.zeros(positive.shape[0])
    second = np.zeros(positive.shape[0])
    for j in range(n_max):
        distance = steps - j  # n - j, only rows with j < n count
        live = distance > 0
        excess = np.maximum(positive - distance[:, None], 0.0) * (positive > 0)
        weight = np.where(live, h[:, j], 0.0) * share
        first += weight * excess.sum(axis=1)
        second += weight * np.einsum("ij,ij->i", excess, excess)
    return first, second


SHAPE_GROUP_ROWS = 10
"""Rows a group needs for its own shape; fewer: the shape of all rows together."""


@dataclass(frozen=True, slots=True)
class CommonShapes:
    """The common lump shapes ``k`` learnt from a set of rows (``common_shapes``).

    Attributes:
        own: (n_groups,) each group code's own ``k`` (by ``np.unique`` order of codes).
        rows: (n_groups,) rows with a sale and two observed periods each ``k`` rests on.
        overall: ``k`` of all such rows together (groups under ``min_group_rows`` take it).
        codes: (n_groups,) the group codes, sorted.
        per_row: (n,) the ``k`` each row takes, >= 0.
    """

    own: FloatArray
    rows: FloatArray
    overall: float
    codes: np.ndarray[Any, np.dtype[Any]]
    per_row: FloatArray


def common_shapes(
    *, sales: Any, window: int, group: Any, min_group_rows: int = SHAPE_GROUP_ROWS
) -> CommonShapes:
    """Each group's common negative-binomial squared-CV excess ``k`` (``1 / r``).

    By the method of moments over the group's rows with at least two observed periods
    and a sale in the last ``window`` (``s_i^2`` the unbiased sample variance of the
    ``n_i`` observed periods, ``ybar_i`` their mean):

        E[s_i^2 - ybar_i] = k mu_i^2,   E[ybar_i^2 - s_i^2 / n_i] = mu_i^2
        k = max(0, sum_i (s_i^2 - ybar_i) / sum_i (ybar_i^2 - s_i^2 / n_i))

    A group with fewer than ``min_group_rows`` such rows takes the ``k`` of all rows.

    Args:
        sales: (n, n_periods) units per period, NaN where unobserved.
        window: periods read from the end, >= 1.
        group: (n,) integer group of each row (a category).
        min_group_rows: rows a group needs for its own ``k``.

    Returns: CommonShapes.

    Example: two rows of a group, each 0, 4, 0, 4 (mean 2, s^2 = 16 / 3): each adds
    16 / 3 - 2 = 10 / 3 above and 4 - 4 / 3 = 8 / 3 below, so k = 10 / 8 = 1.25.
    """
    if window < 1:
        raise ValueError(f"window: expected >= 1 period, got {window}")
    values = np.asarray(sales, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"sales: expected (n, n_periods), got {values.shape}")
    codes = np.asarray(group).reshape(-1)
    if codes.shape != (values.shape[0],):
        raise ValueError(f"group: expected ({values.shape[0]},) codes, got {codes.shape}")
    n, mean, variance = _window_moments(values, window)
    usable = (n >= 2) & (mean > 0)
    top = np.where(usable, variance - mean, 0.0)
    bottom = np.where(usable, mean**2 - variance / np.maximum(n, 1.0), 0.0)
    unique, index = np.unique(codes, return_inverse=True)
    index = index.reshape(-1)
    members = np.bincount(index, weights=usable.astype(np.float64))
    own = np.bincount(index, weights=top) / np.maximum(np.bincount(index, weights=bottom), 1e-12)
    overall = top.sum() / max(float(bottom.sum()), 1e-12)
    chosen = np.maximum(np.where(members >= min_group_rows, own, overall), 0.0)
    return CommonShapes(
        own=np.maximum(own, 0.0),
        rows=np.asarray(members, dtype=np.float64),
        overall=max(float(overall), 0.0),
        codes=unique,
        per_row=np.asarray(chosen[index], dtype=np.float64),
    )


def shape_undershoot(*, sales: Any, window: int, shape: Any) -> tuple[FloatArray, FloatArray]:
    """Undershoot moments of a negative binomial with each row's own rate and shape ``k``.

    The row's rate ``mu`` is the mean of its last ``window`` observed periods; its law has
    ``v = mu + k mu^2`` and third central moment ``mu (1 + k mu) (1 + 2 k mu)``, whose
    raw moments give ``E[U]`` and ``Var[U]`` as in ``lost_sales.undershoot_moments``
    (``E[U] = mu (1 + k) / 2``).

    Args:
        sales: (n, n_periods) units per period, NaN where unobserved.
        window: periods read from the end, >= 1.
        shape: (n,) ``k`` >= 0 per row (``common_shapes(...).per_row``, or a run's stored
            group figures).

    Returns: ((n,) units, (n,) units^2); rows without a sale get 0.

    Example: mu = 2, k = 0.5: v = 4, m_2 = 8, mu_3 = 2 * 2 * 3 = 12, m_3 = 12 + 3 * 2 *
    4 + 8 = 44; E[U] = (8 - 2) / 4 = 1.5 (= 2 * 1.5 / 2), E[U^2] = (88 - 24 + 2) / 12 =
    5.5, Var[U] = 3.25.
    """
    if window < 1:
        raise ValueError(f"window: expected >= 1 period, got {window}")
    values = np.asarray(sales, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"sales: expected (n, n_periods), got {values.shape}")
    k = np.asarray(shape, dtype=np.float64).reshape(-1)
    if k.shape != (values.shape[0],) or not np.all(k >= 0):
        raise ValueError(f"shape: expected ({values.shape[0]},) values >= 0, got {k.shape}")
    _, mu = _window_mean(values, window)
    v = mu + k * mu**2
    m2 = v + mu**2
    m3 = mu * (1 + k * mu) * (1 + 2 * k * mu) + 3 * mu * v + mu**3
    safe = np.where(mu > 0, mu, 1.0)
    first = np.where(mu > 0, (m2 - mu) / (2 * safe), 0.0)
    second = np.where(mu > 0, (2 * m3 - 3 * m2 + mu) / (6 * safe), 0.0)
    return first, np.maximum(second - first**2, 0.0)


def common_shape_undershoot(
    *, sales: Any, window: int, group: Any, min_group_rows: int = SHAPE_GROUP_ROWS
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Undershoot moments of a negative binomial per-period law whose shape is its group's.

    A part's lumps learnt from a short history are too small: most short samples of a
    lumpy law miss its big periods, so ``m_2 / m_1`` comes out low (docs/replenishment.md,
    "Car parts' fast parts": 24 periods of a shape-0.5 law give 87.6% at a 95% target,
    200 periods 94.2%). Here each row keeps its own rate ``mu_i`` (the mean of its last
    ``window`` observed periods) and takes the **common** squared-CV excess ``k`` of its
    group (the negative binomial's ``1 / r``; a common dispersion, as in the
    empirical-Bayes count models of genomics, Robinson & Smyth 2008): ``common_shapes``
    learns it, ``shape_undershoot`` applies it (their docstrings give the equations).

    Args:
        sales: (n, n_periods) units per period, NaN where unobserved.
        window: periods read from the end, >= 1.
        group: (n,) integer group of each row (a category).
        min_group_rows: rows a group needs for its own ``k``.

    Returns: ((n,) units, (n,) units^2, (n,) ``k`` used); rows without a sale get 0.
    """
    shapes = common_shapes(sales=sales, window=window, group=group, min_group_rows=min_group_rows)
    first, variance = shape_undershoot(sales=sales, window=window, shape=shapes.per_row)
    return first, variance, shapes.per_row


def _window_mean(values: FloatArray, window: int) -> tuple[FloatArray, FloatArray]:
    """(n,) observed periods and mean of each row's last ``window`` (0 without any)."""
    recent = values[:, -window:]
    seen = np.isfinite(recent)
    n = seen.sum(axis=1).astype(np.float64)
    mean = np.where(seen, recent, 0.0).sum(axis=1) / np.maximum(n, 1.0)
    return n, mean


def _window_moments(values: FloatArray, window: int) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(n,) observed periods, mean and unbiased variance of each row's last ``window``."""
    recent = values[:, -window:]
    seen = np.isfinite(recent)
    n = seen.sum(axis=1).astype(np.float64)
    y = np.where(seen, recent, 0.0)
    mean = y.sum(axis=1) / np.maximum(n, 1.0)
    squares = np.einsum("ij,ij->i", y, y) - n * mean**2
    variance = np.maximum(squares, 0.0) / np.maximum(n - 1.0, 1.0)
    return n, mean, variance
