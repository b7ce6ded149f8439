"""Will stock last through a planned promotion? Uplift, projected demand, order needed.

Vectorised over rows (one row per promotion x SKU x location), all arrays (n,) float64.

**Uplift** (``promotion_uplift``): the ratio of average daily sales on the days a past
promotion ran to the average on the other observed days of the same series,

    u = (sum_{t in P} y_t / |P|) / (sum_{t not in P} y_t / |not P|),

NaN where the series has no promoted day, or no sale outside them (no baseline).

**Demand until the promotion ends** (``promotion_demand``): ``b`` days at the baseline
``mu`` (units/day, variance ``sigma^2`` units^2/day) before the start, then ``w`` days of
the promotion at ``u mu``. Daily demands are independent and a promoted day brings ``u``
times the buyers of a baseline day (its variance grows like its mean, the dispersion
``v / m`` stays that of the baseline), so

    m = mu (b + u w),    v = sigma^2 (b + u w).

With a fixed dispersion the negative binomial only shifts up as ``u`` grows, so a larger
uplift never asks for less stock.

**Stock needed** (``readiness``): the smallest whole ``s`` with ``P(D <= s) >= CSL``
(cycle service level) for ``D`` negative binomial (Poisson when ``v <= m``: demand is a
count, never less spread than the Poisson) with mean ``m`` and variance ``v``
(``inventory.discrete.negative_binomial_safety_stock``); the safety margin is ``s - m``.
What is on hand and arriving before the end, ``a``, falls short by ``q = max(0, s - a)``
units: the quantity to order, ``ceil(q)``. The chance of running out with no order is
``P(D > a)`` (``risk.probability.stockout_probability``).

Worked example: ``mu = 3``, ``sigma^2 = 6``, 4 days before a 7-day promotion with
``u = 2``: ``m = 3 (4 + 14) = 54``, ``v = 6 (4 + 14) = 108``; at CSL 0.95 ``s = 72``
(NB with ``p = 0.5``, ``r = 54``); with 20 on hand and 10 arriving, order 42.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory import discrete
from stockguard.planning.inventory._arrays import FloatArray, as_float, check_range
from stockguard.planning.risk.probability import stockout_probability


def promotion_uplift(*, sales: Any, promoted: Any, observed: Any) -> FloatArray:
    """Ratio of daily sales on promoted days to the other observed days (module docstring).

    Args:
        sales: (n, d) units sold per day.
        promoted: (n, d) bool, True on the days a past promotion of the row ran.
        observed: (n, d) bool, True on the days that count (on sale, not stocked out).

    Returns: (n,) uplift ``u`` (dimensionless), NaN without promoted or baseline sales.

    Example: 2/day outside, 5/day during a promotion give 2.5.
    """
    y = np.asarray(sales, dtype=np.float64)
    seen = np.asarray(observed, dtype=np.bool_)
    during = np.asarray(promoted, dtype=np.bool_) & seen
    outside = ~np.asarray(promoted, dtype=np.bool_) & seen
    with np.errstate(divide="ignore", invalid="ignore"):
        promo_rate = np.where(during, y, 0.0).sum(axis=1) / during.sum(axis=1)
        base_rate = np.where(outside, y, 0.0).sum(axis=1) / outside.sum(axis=1)
        uplift = promo_rate / base_rate
    usable = during.any(axis=1) & (base_rate > 0)
    return np.asarray(np.where(usable, uplift, np.nan), dtype=np.float64)


def promotion_demand(
    *,
    demand_mean: Any,
    demand_var: Any,
    days_before: Any,
    promotion_days: Any,
    uplift: Any,
) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of demand from now to the promotion's end, units and units^2.

    Equation: ``m = mu (b + u w)``, ``v = sigma^2 (b + u w)``.

    Args:
        demand_mean: (n,) ``mu`` units/day; demand_var: (n,) ``sigma^2`` units^2/day.
        days_before: (n,) ``b`` days from now to the start (0 once it runs).
        promotion_days: (n,) ``w`` days of the promotion still to come.
        uplift: (n,) ``u`` > 0.

    Example: mu = 3, sigma^2 = 6, b = 4, w = 7, u = 2 give (54, 108).
    """
    mu = as_float("demand_mean", demand_mean)
    size = mu.size
    sigma2 = as_float("demand_var", demand_var, size)
    before = as_float("days_before", days_before, size)
    window = as_float("promotion_days", promotion_days, size)
    lift = as_float("uplift", uplift, size)
    for name, values in (("demand_mean", mu), ("demand_var", sigma2)):
        check_range(name, values, low=0.0, high=np.inf, high_inclusive=False)
    for name, values in (("days_before", before), ("promotion_days", window)):
        check_range(name, values, low=0.0, high=np.inf, high_inclusive=False)
    check_range("uplift", lift, low=0.0, high=np.inf, low_inclusive=False, high_inclusive=False)
    return mu * (before + lift * window), sigma2 * (before + lift * window)


@dataclass(frozen=True, slots=True)
class Readiness:
    """Figures per row, (n,) arrays.

    Attributes:
        projected_demand: ``m`` units until the promotion ends.
        needed: ``s`` units to meet the service level (``m`` + safety margin).
        safety_margin: ``s - m`` units.
        order_quantity: ``ceil(max(0, s - a))`` whole units.
        stockout_probability: ``P(D > a)`` without a new order.
    """

    projected_demand: FloatArray
    needed: FloatArray
    safety_margin: FloatArray
    order_quantity: FloatArray
    stockout_probability: FloatArray


def readiness(
    *, demand_mean: Any, demand_var: Any, available: Any, service_level: Any
) -> Readiness:
    """Stock needed through the promotion and the shortfall to order (module docstring).

    Args:
        demand_mean: (n,) ``m`` units until the end (``promotion_demand``).
        demand_var: (n,) ``v`` units^2.
        available: (n,) ``a`` units on hand (less allocations and reservations) plus
            those arriving before the promotion ends.
        service_level: scalar or (n,) cycle service level in (0, 1).

    Example: m = 54, v = 108, a = 30, CSL 0.95 give s = 72 and an order of 42.
    """
    m = as_float("demand_mean", demand_mean)
    v = as_float("demand_var", demand_var, m.size)
    a = as_float("available", available, m.size)
    level = as_float("service_level", service_level, m.size)
    # demand is a count: never less spread than the Poisson (as in stockout_probability)
    table = discrete.negative_binomial_safety_stock(
        service_level=level, lead_time_demand_mean=m, lead_time_demand_std=np.sqrt(np.maximum(v, m))
    )
    needed = np.ceil(table.reorder_point)
    probability = stockout_probability(a, m, v, np.ones(m.size), np.zeros(m.size))
    return Readiness(
        projected_demand=m,
        needed=needed,
        safety_margin=needed - m,
        order_quantity=np.ceil(np.maximum(needed - a, 0.0)),
        stockout_probability=probability,
    )
