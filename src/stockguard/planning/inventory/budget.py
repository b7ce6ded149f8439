"""A spending cap over proposal lines: keep the lines that avoid the most lost margin per unit
of money, whole lines only.

**Value of a line** (money): the margin of the sales its order is expected to save over
the protection interval. With demand ``D`` over the interval normal with mean ``mu`` and
standard deviation ``sigma``, inventory position ``IP`` and order ``q``, the expected units
short are ``E[(D - y)^+] = sigma G((y - mu) / sigma)`` for a stock ``y``, ``G`` the standard
normal loss function (Silver, Pyke & Thomas 2017, ch. 6), so::

    value = margin * sigma * (G((IP - mu) / sigma) - G((IP + q - mu) / sigma))

and, without variance (or a negligible one), ``margin * ((mu - IP)^+ - (mu - IP - q)^+)``.
This reads the order as if it arrived at once: it ranks lines by urgency, it is not a
forecast of profit.

**Selection**: the greedy order of the fractional knapsack (Dantzig 1957), highest
``value / cost`` first (ties: higher value, then lower index), taking a line when its cost
fits in what is left of the overall budget and of its group's budget, and passing over it
otherwise; lines that cost nothing are always kept. The kernel runs this sequential rule
in vectorised passes: each pass keeps the longest run of candidates (lines that still fit
on their own) whose running costs fit, then drops what no longer fits; a line passed over
could never fit later, because budgets only shrink, so the result is the sequential
rule's.

Example: budget 100, lines (cost, value) = (60, 30), (50, 40), (40, 8): ratios 0.5, 0.8,
0.2, so the second line is kept first (50 left), the first does not fit, the third does
(10 left): kept = [False, True, True].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import (
    BoolArray,
    FloatArray,
    IntArray,
    as_float,
    check_range,
)
from stockguard.planning.inventory.safety_stock import normal_loss

_NEGLIGIBLE_STD = 1e-9
"""A ``sigma`` below this share of the quantities' scale is read as no variance (the
standardised values would overflow, and the exact formula is then the limit)."""


def expected_lost_margin_avoided(
    *,
    position: Any,
    order_quantity: Any,
    demand_mean: Any,
    demand_std: Any,
    unit_margin: Any,
) -> FloatArray:
    """Margin the order saves over the protection interval (module equation), shape (n,).

    Args:
        position: (n,) inventory position ``IP``, units.
        order_quantity: (n,) units ordered ``q`` >= 0.
        demand_mean: (n,) ``mu``, units over the protection interval.
        demand_std: (n,) ``sigma`` >= 0, units.
        unit_margin: (n,) price minus unit cost, money per unit (negative margins count 0).

    Example: IP = 0, q = 10, mu = 10, sigma = 0, margin 2 gives 2 * (10 - 0) = 20; with
    sigma = 5: 5 * (G(-2) - G(0)) * 2 = 5 * (2.008491 - 0.398942) * 2 = 16.0955.
    """
    ip = as_float("position", position)
    n = ip.size
    q = as_float("order_quantity", order_quantity, n)
    mu = as_float("demand_mean", demand_mean, n)
    sigma = as_float("demand_std", demand_std, n)
    margin = np.maximum(as_float("unit_margin", unit_margin, n), 0.0)
    check_range("order_quantity", q, low=0.0)
    check_range("demand_std", sigma, low=0.0)
    scale = np.maximum.reduce([np.ones(n), np.abs(mu - ip), q])
    random = sigma > _NEGLIGIBLE_STD * scale
    safe = np.where(random, sigma, 1.0)
    spread = sigma * (normal_loss((ip - mu) / safe) - normal_loss((ip + q - mu) / safe))
    exact = np.maximum(mu - ip, 0.0) - np.maximum(mu - ip - q, 0.0)
    return np.asarray(margin * np.where(random, spread, exact), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class BudgetSelection:
    """Which lines the budget keeps.

    Attributes:
        kept: (n,) True for lines kept.
        priority: (n,) int64 rank in the greedy order (0 = first considered).
        spent: money spent on the kept lines.
        group_spent: (n_groups,) money spent per group.
    """

    kept: BoolArray
    priority: IntArray
    spent: float
    group_spent: FloatArray


def select_within_budget(
    *,
    cost: Any,
    value: Any,
    budget: float | None = None,
    group: Any = None,
    group_budget: Any = None,
) -> BudgetSelection:
    """Greedy selection of whole lines under an overall cap and per-group caps.

    Args:
        cost: (n,) money per line >= 0.
        value: (n,) money >= 0 (``expected_lost_margin_avoided``).
        budget: overall cap, money >= 0; None = no overall cap.
        group: (n,) int64 group index per line in ``[0, n_groups)``; None = one group.
        group_budget: (n_groups,) caps, money; NaN or inf = no cap on that group.

    Raises:
        ValueError: naming the argument and first bad row.
    """
    price = as_float("cost", cost)
    n = price.size
    worth = as_float("value", value, n)
    check_range("cost", price, low=0.0)
    check_range("value", worth, low=0.0)
    groups, caps = _groups(group, group_budget, n)
    left_total = np.inf if budget is None else float(budget)
    if left_total < 0:
        raise ValueError(f"budget: {budget!r} is negative")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(price > 0, worth / price, np.inf)
    order = np.lexsort((np.arange(n), -worth, -ratio)).astype(np.int64)
    priority = np.empty(n, dtype=np.int64)
    priority[order] = np.arange(n)
    kept = np.zeros(n, dtype=np.bool_)
    left_group = np.where(np.isfinite(caps), caps, np.inf)
    pending = order
    while pending.size:
        fits = price[pending] <= np.minimum(left_total, left_group[groups[pending]])
        pending = pending[fits]
        if pending.size == 0:
            break
        taken = _leading_run(price[pending], groups[pending], left_total, left_group)
        kept[pending[:taken]] = True
        spent = np.bincount(groups[pending[:taken]], price[pending[:taken]], left_group.size)
        left_total -= float(spent.sum())
        left_group = left_group - spent
        pending = pending[taken:]
    group_spent = np.bincount(groups[kept], price[kept], caps.size).astype(np.float64)
    return BudgetSelection(
        kept=kept, priority=priority, spent=float(price[kept].sum()), group_spent=group_spent
    )


def _leading_run(
    price: FloatArray, group: IntArray, left_total: float, left_group: FloatArray
) -> int:
    """Length of the longest prefix whose running totals fit (>= 1: the first line fits)."""
    running = np.cumsum(price)
    order = np.argsort(group, kind="stable")
    sorted_price = price[order]
    sorted_group = group[order]
    starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
    within = np.cumsum(sorted_price)
    offsets = np.repeat(within[starts] - sorted_price[starts], np.diff(np.r_[starts, group.size]))
    running_group = np.empty_like(price)
    running_group[order] = within - offsets
    tolerance = 1e-9 * (1.0 + np.abs(running))
    fails = (running > left_total + tolerance) | (running_group > left_group[group] + tolerance)
    first = np.flatnonzero(fails)
    return int(first[0]) if first.size else int(price.size)


def _groups(group: Any, group_budget: Any, size: int) -> tuple[IntArray, FloatArray]:
    if group is None:
        return np.zeros(size, dtype=np.int64), np.array([np.inf])
    index = np.asarray(group)
    if index.shape != (size,) or (size and not np.issubdtype(index.dtype, np.integer)):
        raise ValueError(f"group: expected ({size},) integers, got {index.dtype} {index.shape}")
    caps = np.asarray(
        np.full(int(index.max(initial=-1)) + 1, np.inf) if group_budget is None else group_budget,
        dtype=np.float64,
    ).reshape(-1)
    bad = np.flatnonzero((index < 0) | (index >= caps.size))
    if bad.size:
        raise ValueError(f"group: row {int(bad[0])} is {int(index[bad[0]])}, no such group budget")
    negative = np.flatnonzero(caps < 0)
    if negative.size:
        raise ValueError(f"group_budget: group {int(negative[0])} is negative")
    return index.astype(np.int64), np.where(np.isnan(caps), np.inf, caps)
