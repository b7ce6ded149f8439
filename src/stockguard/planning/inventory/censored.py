"""Lead-time figures from a record with open orders: Kaplan-Meier over right-censored times.

A received order gives an exact lead time ``x``; an order still open after ``c`` days
gives a right-censored one, ``L > c`` (its age so far). Per group (supplier, or supplier
x SKU), over the distinct values ``t_1 < ... < t_m`` of all its observations:

    n_j = #{observations >= t_j}   (at risk; censored at t_j still count)
    d_j = #{exact observations = t_j}
    S(t_j) = prod_{i <= j} (1 - d_i / n_i)        (product-limit estimator of P(L > t_j))

The distribution puts mass ``p_j = S(t_{j-1}) - S(t_j)`` (``S(t_0) = 1``) on each ``t_j``.
**Largest observation censored**: ``S(t_m) > 0`` is then left over; its mass is kept at
``t_m``, the order's age so far, which makes the mean a lower bound (the order will take
longer than that). With no censored observation the estimator is the sample itself.

Figures per group, with ``n`` all observations (exact and censored):

    mean  = sum_j p_j t_j
    std   = sqrt(sum_j p_j (t_j - mean)^2 * n / (n - ddof))
    cross = sum_j S(t_j) (1 - S(t_j)) (t_{j+1} - t_j)   (= E|L - L'| / 2, S(t_m) := 0)

``ddof = 1`` matches the sample standard deviation a receipts-only record reports, ``ddof
= 0`` the plug-in one; ``cross`` is ``lost_sales.crossing_spread`` of the same
distribution (Gini's mean difference over 2, ``integral F (1 - F)``).

Worked example (one group): exact 3, 5, 5, 8; censored 4, 9 (n = 6). At 3: n = 6, d = 1,
S = 5/6; at 4: censored only, S = 5/6; at 5: n = 4, d = 2, S = 5/12; at 8: n = 2, d = 1,
S = 5/24; at 9 (censored, the largest) the remaining 5/24 stays. Masses 4/24, 10/24,
5/24, 5/24 on 3, 5, 8, 9: mean = 147/24 = 6.125 (receipts alone: 5.25), plug-in
variance 4.609375, with ``ddof = 1`` 5.53125; cross = 675/576 = 1.171875.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class CensoredLeadTimes:
    """Per group (n_groups,): figures of the product-limit distribution (module docstring).

    Attributes:
        mean, std, crossing: days (or the record's period); NaN for groups without
            observations; std NaN where ``n <= ddof``.
        exact, censored: int64 counts of received and open observations.
    """

    mean: FloatArray
    std: FloatArray
    crossing: FloatArray
    exact: IntArray
    censored: IntArray


def kaplan_meier_lead_times(
    *,
    days: Any,
    received: Any,
    group: Any,
    n_groups: int,
    ddof: int = 1,
) -> CensoredLeadTimes:
    """Mean, std and crossing spread of every group's lead time, open orders censored.

    Args:
        days: (n_obs,) exact lead time where received, else the open order's age, days
            (finite; any sign, e.g. delays past a promised day).
        received: (n_obs,) bool, True for an exact (received) observation.
        group: (n_obs,) int64 group in ``[0, n_groups)``.
        n_groups: number of groups.
        ddof: 1 (sample std) or 0 (plug-in), module equations.

    Returns: ``CensoredLeadTimes``; the equations and a worked example are in the module
    docstring. Vectorised: one sort, then segmented cumulative sums (no loop over groups).
    """
    values = np.asarray(days, dtype=np.float64).reshape(-1)
    exact = np.asarray(received, dtype=np.bool_).reshape(-1)
    index = np.asarray(group, dtype=np.int64).reshape(-1)
    if values.shape != exact.shape or values.shape != index.shape:
        raise ValueError("days, received and group must have the same length")
    if not np.all(np.isfinite(values)):
        raise ValueError("days: expected finite values")
    if index.size and (index.min() < 0 or index.max() >= n_groups):
        raise ValueError(f"group: expected values in [0, {n_groups})")
    n_exact = np.bincount(index[exact], minlength=n_groups).astype(np.int64)
    n_all = np.bincount(index, minlength=n_groups).astype(np.int64)
    mean = np.full(n_groups, np.nan)
    std = np.full(n_groups, np.nan)
    crossing = np.full(n_groups, np.nan)
    if values.size:
        _fill(values, exact, index, n_all, (mean, std, crossing), ddof)
    return CensoredLeadTimes(mean, std, crossing, n_exact, n_all - n_exact)


def _fill(
    values: FloatArray,
    exact: Any,
    index: IntArray,
    n_all: IntArray,
    out: tuple[FloatArray, FloatArray, FloatArray],
    ddof: int,
) -> None:
    """Compute the figures of the groups with observations into ``out`` (in place)."""
    order = np.lexsort((~exact, values, index))
    v, e, g = values[order], exact[order], index[order]
    new_run = np.r_[True, (v[1:] != v[:-1]) | (g[1:] != g[:-1])]
    starts = np.flatnonzero(new_run)
    run_value, run_group = v[starts], g[starts]
    events = np.add.reduceat(e.astype(np.float64), starts)
    group_end = np.cumsum(n_all)[run_group]
    at_risk = (group_end - starts).astype(np.float64)
    hazard = events / at_risk
    survival = _segmented_survival(hazard, run_group)
    first = np.r_[True, run_group[1:] != run_group[:-1]]
    last = np.r_[run_group[1:] != run_group[:-1], True]
    before = np.where(first, 1.0, np.r_[1.0, survival[:-1]])
    survival = np.where(last, 0.0, survival)
    mass = before - survival
    groups = np.flatnonzero(n_all > 0)
    n_groups = n_all.size
    mean = np.bincount(run_group, mass * run_value, minlength=n_groups)
    square = np.bincount(run_group, mass * (run_value - mean[run_group]) ** 2, n_groups)
    gap = np.where(last, 0.0, np.r_[run_value[1:] - run_value[:-1], 0.0])
    cross = np.bincount(run_group, survival * (1.0 - survival) * gap, minlength=n_groups)
    count = n_all.astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        corrected = np.where(count > ddof, square * count / (count - ddof), np.nan)
    out[0][groups] = mean[groups]
    out[1][groups] = np.sqrt(corrected[groups])
    out[2][groups] = cross[groups]


def _segmented_survival(hazard: FloatArray, run_group: IntArray) -> FloatArray:
    """``prod (1 - h)`` cumulated within each group's runs (sorted by group).

    Log-sums restart at each group's first run; a hazard of 1 (all at risk received)
    makes the product 0 from there on, tracked as a count of such factors."""
    full = hazard >= 1.0
    logs = np.log1p(-np.where(full, 0.0, hazard))
    cum_logs, cum_full = np.cumsum(logs), np.cumsum(full)
    first = np.flatnonzero(np.r_[True, run_group[1:] != run_group[:-1]])
    sizes = np.diff(np.r_[first, hazard.size])
    base_logs = np.repeat(np.r_[0.0, cum_logs][first], sizes)
    base_full = np.repeat(np.r_[0, cum_full][first], sizes)
    inside = cum_full - base_full
    return np.asarray(np.where(inside > 0, 0.0, np.exp(cum_logs - base_logs)), np.float64)
