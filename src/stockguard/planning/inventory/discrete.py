"""Reorder points for discrete (count) lead-time demand: Poisson and negative binomial.

For slow movers demand over the lead time is a count, and a normal model misstates both
tails. With ``F`` the distribution function of lead-time demand ``D_L`` and ``mu`` its mean
(Axsäter 2015, "Inventory Control", 3rd ed., ch. 5; Silver, Pyke & Thomas 2017, 4th ed.,
ch. 6 and 7; Snyder & Shen 2019, 2nd ed., ch. 4-5):

* **cycle service level**: the smallest whole ``s`` with ``P(D_L <= s) = F(s) >= CSL``;
* **fill rate** ``beta``: the smallest whole ``s`` whose expected shortage per cycle
  ``ES(s) = E[(D_L - s)^+] = sum_{x > s} (x - s) p(x)`` is at most ``(1 - beta) Q``.

Closed forms of the expected shortage (``ES(s) = mu - s`` for ``s < 0``), from
``x p(x) = mu p'(x - 1)`` where ``p'`` is ``p`` itself for the Poisson and the negative
binomial with one more success (``r + 1``) for the negative binomial:

* Poisson(``mu``): ``ES(s) = (mu - s)(1 - F(s)) + mu p(s)``;
* negative binomial(``r``, ``p``), mean ``mu = r (1 - p) / p``:
  ``ES(s) = mu (1 - F_{r+1}(s - 1)) - s (1 - F_r(s))``.

The negative binomial is matched to the mean and variance, ``p = mu / sigma^2`` and
``r = mu^2 / (sigma^2 - mu)``; rows whose variance does not exceed the mean (by more
than one part in a million) use the Poisson. Rows without variance (``sigma = 0``, or
``mu = 0``) are deterministic: ``s = mu``. The fill-rate ``s`` is found by bisection
over whole numbers on all rows at once. Safety stock is ``s - mu``; unless
``allow_negative`` it is floored at 0 (``s >= mu``).

Caveat: at a fixed mean the negative binomial grows in convex order with its variance, so
the fill-rate ``s`` never falls as the variance rises; its quantiles do not behave so, and
for very lumpy demand a cycle service level can ask for *less* stock at a higher variance
(most cycles see no demand at all). A fill rate is the better target for such items.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from scipy import stats

from stockguard.planning.inventory._arrays import FloatArray, IntArray, as_float, check_range
from stockguard.planning.inventory.safety_stock import (
    SafetyStock,
    fill_rate_mask,
    normal_loss_inverse,
)

_POISSON_TOLERANCE = 1e-6
"""Variances within this relative margin of the mean are read as Poisson (r would explode)."""

RowFunction = Callable[[Any, FloatArray], FloatArray]
"""``(rows, x) -> value`` on the selected rows (an index array): a quantile or ``ES(s)``."""


def poisson_expected_shortage(*, mean: Any, reorder_point: Any) -> FloatArray:
    """``E[(D - s)^+]`` for ``D ~ Poisson(mean)``, units; broadcast shapes.

    Equation: ``(mu - s)(1 - F(k)) + mu p(k)``, ``k = floor(s)``, for ``s >= 0`` and
    ``mu - s`` below 0 (``E[D; D >= k + 1] = mu P(D >= k)``); a whole ``s`` is ``k``.
    With ``p(s)`` in place of ``p(k)`` a fractional ``s`` read ``p = 0`` and gave a
    value below the true one, even negative (``carried`` evaluates ``ES`` at ``s + Q +
    E[U]``; ADR 0035).

    Example: mu = 2, s = 3: (2 - 3) * 0.142877 + 2 * 0.180447 = 0.218017; s = 3.5:
    (2 - 3.5) * 0.142877 + 2 * 0.180447 = 0.146579 (between ES(3) and ES(4) = 0.075141).
    """
    mu = np.asarray(mean, dtype=np.float64)
    s = np.asarray(reorder_point, dtype=np.float64)
    whole = np.floor(s)
    shortage = (mu - s) * stats.poisson.sf(s, mu) + mu * stats.poisson.pmf(whole, mu)
    return np.asarray(np.where(s < 0, mu - s, shortage), dtype=np.float64)


def negative_binomial_expected_shortage(
    *, successes: Any, probability: Any, reorder_point: Any
) -> FloatArray:
    """``E[(D - s)^+]`` for ``D ~ NB(r, p)`` (scipy's ``nbinom(r, p)``), units.

    Equation: ``mu (1 - F_{r+1}(s - 1)) - s (1 - F_r(s))`` with ``mu = r (1 - p) / p``,
    and ``mu - s`` for ``s < 0``.
    """
    r = np.asarray(successes, dtype=np.float64)
    p = np.asarray(probability, dtype=np.float64)
    s = np.asarray(reorder_point, dtype=np.float64)
    mu = r * (1.0 - p) / p
    shortage = mu * stats.nbinom.sf(s - 1.0, r + 1.0, p) - s * stats.nbinom.sf(s, r, p)
    return np.asarray(np.where(s < 0, mu - s, shortage), dtype=np.float64)


def poisson_safety_stock(
    *,
    service_level: Any,
    lead_time_demand_mean: Any,
    service_measure: Any = 0,
    order_quantity: Any = None,
    allow_negative: bool = False,
) -> SafetyStock:
    """Reorder point and safety stock for Poisson lead-time demand (module docstring).

    Args:
        service_level: (n,) CSL or fill rate in (0, 1).
        lead_time_demand_mean: (n,) ``mu``, units (>= 0).
        service_measure: a ServiceMeasure for all rows or (n,) ints.
        order_quantity: (n,) ``Q`` > 0, required for fill-rate rows.
        allow_negative: keep ``s < mu``.

    Example: mu = 2, CSL = 0.95: F(4) = 0.947347 < 0.95 <= F(5) = 0.983436, so s = 5.
    """
    mean = as_float("lead_time_demand_mean", lead_time_demand_mean)
    check_range("lead_time_demand_mean", mean, low=0.0, high=np.inf, high_inclusive=False)
    return _discrete(
        mean=mean,
        std=np.sqrt(mean),
        service_level=service_level,
        service_measure=service_measure,
        order_quantity=order_quantity,
        allow_negative=allow_negative,
        quantile=lambda rows, level: stats.poisson.ppf(level, mean[rows]),
        shortage=lambda rows, s: poisson_expected_shortage(mean=mean[rows], reorder_point=s),
    )


def negative_binomial_safety_stock(
    *,
    service_level: Any,
    lead_time_demand_mean: Any,
    lead_time_demand_std: Any,
    service_measure: Any = 0,
    order_quantity: Any = None,
    allow_negative: bool = False,
) -> SafetyStock:
    """Reorder point and safety stock for negative binomial lead-time demand.

    Matched to the mean and variance (module docstring); Poisson where
    ``sigma^2 <= mu``.

    Args:
        service_level: (n,) CSL or fill rate in (0, 1).
        lead_time_demand_mean: (n,) ``mu``, units (>= 0).
        lead_time_demand_std: (n,) ``sigma``, units (>= 0).
        service_measure: a ServiceMeasure for all rows or (n,) ints.
        order_quantity: (n,) ``Q`` > 0, required for fill-rate rows.
        allow_negative: keep ``s < mu``.

    Example: mu = 4, sigma^2 = 8 gives p = 0.5, r = 4; CSL 0.9 gives s = 8
    (F(7) = 0.886719, F(8) = 0.927002).
    """
    mean = as_float("lead_time_demand_mean", lead_time_demand_mean)
    std = as_float("lead_time_demand_std", lead_time_demand_std, mean.size)
    check_range("lead_time_demand_mean", mean, low=0.0, high=np.inf, high_inclusive=False)
    check_range("lead_time_demand_std", std, low=0.0, high=np.inf, high_inclusive=False)
    variance = std**2
    # a zero mean has no demand to spread: Poisson(0), never NB with p = 0
    over = (variance > mean * (1.0 + _POISSON_TOLERANCE)) & (mean > 0.0)
    p = np.where(over, mean / np.where(over, variance, 1.0), 1.0)
    r = np.where(over, mean**2 / np.where(over, variance - mean, 1.0), 1.0)

    def quantile(rows: Any, level: FloatArray) -> FloatArray:
        nb = stats.nbinom.ppf(level, r[rows], p[rows])
        return np.asarray(np.where(over[rows], nb, stats.poisson.ppf(level, mean[rows])))

    def shortage(rows: Any, s: FloatArray) -> FloatArray:
        nb = negative_binomial_expected_shortage(
            successes=r[rows], probability=p[rows], reorder_point=s
        )
        poisson = poisson_expected_shortage(mean=mean[rows], reorder_point=s)
        return np.asarray(np.where(over[rows], nb, poisson), dtype=np.float64)

    return _discrete(
        mean=mean,
        std=np.where(over, std, np.sqrt(mean)) * (std > 0),
        service_level=service_level,
        service_measure=service_measure,
        order_quantity=order_quantity,
        allow_negative=allow_negative,
        quantile=quantile,
        shortage=shortage,
    )


def _discrete(
    *,
    mean: FloatArray,
    std: FloatArray,
    service_level: Any,
    service_measure: Any,
    order_quantity: Any,
    allow_negative: bool,
    quantile: RowFunction,
    shortage: RowFunction,
) -> SafetyStock:
    """Shared part of the discrete kernels: CSL by quantile, fill rate by bisection."""
    size = mean.size
    level = as_float("service_level", service_level, size)
    check_range(
        "service_level", level, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    fill = fill_rate_mask(service_measure, size)
    s = np.zeros(size)
    cycle_rows = np.flatnonzero(~fill)
    if cycle_rows.size:
        s[cycle_rows] = np.asarray(quantile(cycle_rows, level[cycle_rows]), dtype=np.float64)
    if fill.any():
        if order_quantity is None:
            raise ValueError("order_quantity: required for fill-rate rows")
        quantity = as_float("order_quantity", order_quantity, size)
        check_range("order_quantity", quantity, low=0.0, low_inclusive=False, rows=fill)
        rows = np.flatnonzero(fill)
        target = (1.0 - level[rows]) * quantity[rows]
        s[rows] = smallest_whole_with_shortage_at_most(
            lambda subset, s_rows: shortage(rows[subset], s_rows),
            mean=mean[rows],
            std=std[rows],
            target=target,
        )
    s = np.where(std > 0, s, mean)
    if not allow_negative:
        s = np.maximum(s, mean)
    safety = s - mean
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(std > 0, safety / std, 0.0)
    return SafetyStock(safety_stock=safety, reorder_point=s, safety_factor=factor)


_TIE_TOLERANCE = 1e-12
"""Relative slack (units) under which an expected shortage counts as equal to its target."""


def with_tie_tolerance(target: FloatArray) -> FloatArray:
    """The largest shortage that still meets ``target`` (units, any shape):
    ``t + 1e-12 max(|t|, 1)``, so a shortage equal to the target computed with rounding
    error (``mu = r (1 - p) / p`` a few ulps above it) stays on the feasible side."""
    return np.asarray(target + _TIE_TOLERANCE * np.maximum(np.abs(target), 1.0), dtype=np.float64)


def smallest_whole_with_shortage_at_most(
    shortage: RowFunction,
    *,
    mean: FloatArray,
    std: FloatArray,
    target: FloatArray,
) -> FloatArray:
    """(n,) smallest whole ``s`` with ``shortage(rows, s) <= target``, by bisection.

    ``shortage(rows, s)`` gives the expected shortage of ``rows`` (an index array into
    the n rows) at ``s`` (one value per row of ``rows``); it must be non-increasing in
    ``s`` with ``shortage(s) >= mean - s``. The search brackets the answer from the
    normal approximation ``s_0`` (``G(k) = target / sigma``, ``s_0 = mu + k sigma``):
    ``low = s_0 - 1`` and ``high = s_0 + w`` with ``w = ceil(sigma / 2) + 1`` (count
    demand is skewed to the right, so its ``s`` is rarely below ``s_0``), each moved
    outwards (doubling the step) until ``low`` is infeasible and ``high`` feasible,
    ``low`` never below ``floor(mu - target) - 1`` (infeasible, since
    ``ES(low) >= mu - low > target``). Each step then halves ``high - low`` on the rows
    not yet settled. The answer is the same as from any other valid bracket: the search
    only narrows sooner, since count demand is close
    to its normal approximation except in the tails.
    """
    floor_low = np.floor(mean - target) - 1.0
    target = with_tie_tolerance(target)  # a shortage equal to the target meets it
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(std > 0, target / np.where(std > 0, std, 1.0), 1.0)
    guess = np.round(mean + std * normal_loss_inverse(ratio))
    width = np.ceil(0.5 * std) + 1.0
    low = np.maximum(guess - 1.0, floor_low)
    high = np.maximum(guess + width, low + 1.0)
    unsure = np.flatnonzero(low > floor_low)
    low = _widen(shortage, low, width, target, unsure, feasible=False, limit=floor_low)
    everything = np.arange(mean.size)
    high = _widen(shortage, high, width, target, everything, feasible=True, limit=None)
    active = np.flatnonzero(high - low > 1.0)
    while active.size:
        middle = np.floor(0.5 * (low[active] + high[active]))
        # beyond 2^53 whole numbers are no longer all floats: a middle equal to an end
        # cannot narrow the bracket, and the row keeps its feasible end
        moving = (middle > low[active]) & (middle < high[active])
        active, middle = active[moving], middle[moving]
        feasible = shortage(active, middle) <= target[active]
        high[active] = np.where(feasible, middle, high[active])
        low[active] = np.where(feasible, low[active], middle)
        active = active[high[active] - low[active] > 1.0]
    return np.asarray(high, dtype=np.float64)


def _widen(
    shortage: RowFunction,
    bound: FloatArray,
    width: FloatArray,
    target: FloatArray,
    rows: IntArray,
    *,
    feasible: bool,
    limit: FloatArray | None,
) -> FloatArray:
    """Move ``bound`` outwards (doubling the step) until it is feasible (``feasible``) or
    infeasible; a lower bound stops at ``limit``, which is infeasible by construction."""
    bound, step = bound.copy(), width.copy()
    for _ in range(64):
        ok = shortage(rows, bound[rows]) <= target[rows]
        wrong = ok != feasible
        if limit is not None:
            wrong &= bound[rows] > limit[rows]
        rows = rows[wrong]
        if rows.size == 0:
            break
        step[rows] *= 2.0
        if feasible:
            bound[rows] = bound[rows] + step[rows]
        else:
            bound[rows] = np.maximum(bound[rows] - step[rows], limit[rows])  # type: ignore[index]
    return bound
