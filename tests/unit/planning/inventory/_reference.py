"""Plain scalar references for the inventory kernels: one row at a time, loops, brentq.

They follow the textbook definitions directly (no closed-form loss functions, no
vectorised bisection) so that the vectorised kernels can be checked against them.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import optimize, stats

POLICY_FIELDS = ("safety_stock", "reorder_point", "order_up_to", "order_quantity")


def normal_loss(k: float) -> float:
    """E[(Z - k)^+] = phi(k) - k (1 - Phi(k)), with scipy's normal pdf and survival function."""
    return float(stats.norm.pdf(k) - k * stats.norm.sf(k))


def normal_loss_by_integration(k: float) -> float:
    """E[(Z - k)^+] by numerical integration of (z - k) phi(z) over z > k."""
    return float(stats.norm.expect(lambda z: z - k, lb=k, ub=math.inf))


def normal_reorder_point(level: float, fill: bool, mean: float, std: float, q: float) -> float:
    if std == 0.0:
        return mean
    if fill:
        target = (1.0 - level) * q / std
        k = optimize.brentq(lambda x: normal_loss(x) - target, -target - 2.0, 15.0, xtol=1e-13)
    else:
        k = stats.norm.ppf(level)
    return float(mean + max(k, 0.0) * std)


def _smallest_whole(condition: object, start: int) -> int:
    s = start
    while not condition(s):  # type: ignore[operator]
        s += 1
    return s


def discrete_reorder_point(
    level: float, fill: bool, distribution: stats.rv_discrete, q: float
) -> float:
    """Smallest whole s meeting the target, by walking up from 0 (never negative here)."""
    mean = float(distribution.mean())
    if fill:
        top = int(distribution.ppf(1 - 1e-14)) + 2
        x = np.arange(top + 1)
        pmf = distribution.pmf(x)

        def shortage(s: int) -> float:
            return float(sum((xi - s) * p for xi, p in zip(x, pmf, strict=True) if xi > s))

        s = _smallest_whole(lambda s: shortage(s) <= (1 - level) * q, 0)
    else:
        s = _smallest_whole(lambda s: distribution.cdf(s) >= level - 1e-12, 0)
    return max(float(s), mean)


def empirical_reorder_point(level: float, fill: bool, samples: list[float], q: float) -> float:
    values = sorted(samples)
    m = len(values)
    mean = sum(values) / m
    if values[0] == values[-1]:
        return mean
    if fill:
        target = (1 - level) * q

        def shortage(s: float) -> float:
            return sum(max(x - s, 0.0) for x in values) / m - target

        s = optimize.brentq(shortage, values[0] - target - 1.0, values[-1], xtol=1e-12)
    else:
        s = next(x for j, x in enumerate(values, start=1) if j / m >= level - 1e-12)
    return float(max(s, mean))


def policy_row(
    kind: int, distribution: int, row: dict[str, float], samples: list[float]
) -> dict[str, float]:
    """One row's policy, written out by kind (the PolicyKind and DemandDistribution values)."""
    periodic = kind == 3
    interval = row["lead_time"] + (row["review"] if periodic else 0.0)
    d, sd = row["demand"], row["demand_std"]
    mean = d * interval
    std = math.sqrt(interval * sd**2 + d**2 * row["lead_time_std"] ** 2)
    eoq = math.sqrt(2 * d * 365.0 * row["ordering_cost"] / row["holding_cost"])
    lot = max(row["fixed_q"] if kind == 1 else eoq, 1.0)
    cycle = d * row["review"] if periodic else lot
    fill = bool(row["fill"])
    level = row["level"]
    if distribution == 0:
        s = normal_reorder_point(level, fill, mean, std, cycle)
    elif distribution == 1:
        s = discrete_reorder_point(level, fill, stats.poisson(mean), cycle)
    elif distribution == 2 and std**2 > mean * (1 + 1e-6):
        variance = std**2
        nb = stats.nbinom(mean**2 / (variance - mean), mean / variance)
        s = discrete_reorder_point(level, fill, nb, cycle) if std > 0 else mean
    elif distribution == 2:
        s = discrete_reorder_point(level, fill, stats.poisson(mean), cycle) if std > 0 else mean
    else:
        s = empirical_reorder_point(level, fill, samples, cycle)
        mean = sum(samples) / len(samples)
    if kind in (0, 1):
        return {"reorder_point": s, "order_up_to": s + lot, "order_quantity": lot, "mean": mean}
    if kind in (2, 4):
        return {"reorder_point": s, "order_up_to": s + eoq, "order_quantity": eoq, "mean": mean}
    if kind == 3:
        return {"reorder_point": s, "order_up_to": s, "order_quantity": cycle, "mean": mean}
    if kind == 5:
        return {"reorder_point": 0.0, "order_up_to": 0.0, "order_quantity": 0.0, "mean": mean}
    low, high = row["manual_min"], row["manual_max"]
    return {"reorder_point": low, "order_up_to": high, "order_quantity": high - low, "mean": mean}


def order_now(kind: int, position: float, policy: dict[str, float]) -> float:
    """Units to order at this inventory position, by kind."""
    s, big_s, q = policy["reorder_point"], policy["order_up_to"], policy["order_quantity"]
    if kind in (0, 1):
        ordered = 0.0
        while position + ordered <= s:
            ordered += q
        return ordered
    if kind == 2:
        return big_s - position if position <= s else 0.0
    if kind == 3:
        return max(big_s - position, 0.0)
    if kind == 5:
        return max(-position, 0.0)
    return big_s - position if position < s else 0.0
