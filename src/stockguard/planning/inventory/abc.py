"""ABC classes by share of annual revenue, default service targets per class, overrides.

Pareto (ABC) classification (the "distribution by value" analysis of Silver, Pyke &
Thomas 2017, 4th ed., in the chapter on the inventory management framework): sort rows
by annual revenue, descending, and accumulate their share of the total. With cut-offs
``a = 0.80`` and ``b = 0.95``, a row whose cumulative share *before* it is below ``a``
is class A (so the row that crosses 80% is still A), below ``b`` class B, otherwise C.
Rows without revenue are C.

Example: revenues 50, 30, 10, 6, 4 (total 100): shares before each row are 0, .50, .80,
.90, .96, so the classes are A, A, B, B, C.

Default service targets (the project's defaults, from issue #5): A 0.98, B 0.95, C 0.90;
``service_targets`` applies them and the planner's overrides (per SKU, location or
category) on top.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray, IntArray, as_float, check_range

DEFAULT_CUTOFFS: tuple[float, float] = (0.80, 0.95)
DEFAULT_TARGETS: tuple[float, float, float] = (0.98, 0.95, 0.90)


class AbcClass(IntEnum):
    """Revenue class of a row (stored as its integer value)."""

    A = 0
    B = 1
    C = 2


@dataclass(frozen=True, slots=True)
class AbcClassification:
    """ABC class per row, all (n,).

    Attributes:
        abc_class: AbcClass values, int64.
        revenue_share: the row's share of total revenue, in [0, 1].
        cumulative_share: share of the rows ranked before it plus its own.
    """

    abc_class: IntArray
    revenue_share: FloatArray
    cumulative_share: FloatArray


def classify_abc(
    *, annual_revenue: Any, cutoffs: tuple[float, float] = DEFAULT_CUTOFFS
) -> AbcClassification:
    """ABC classes by share of annual revenue (module docstring); ties keep row order.

    Args:
        annual_revenue: (n,) revenue per row over a year (any currency, >= 0).
        cutoffs: ``(a, b)`` with ``0 < a <= b <= 1``.

    Raises:
        ValueError: for a negative, NaN or infinite revenue (naming the row) or bad cut-offs.
    """
    revenue = as_float("annual_revenue", annual_revenue)
    check_range("annual_revenue", revenue, low=0.0, high=np.inf, high_inclusive=False)
    a, b = cutoffs
    if not 0.0 < a <= b <= 1.0:
        raise ValueError(f"cutoffs: expected 0 < a <= b <= 1, got {cutoffs}")
    total = float(revenue.sum())
    share = revenue / total if total > 0 else np.zeros_like(revenue)
    order = np.argsort(-share, kind="stable")
    cumulative_sorted = np.cumsum(share[order])
    before = np.empty_like(share)
    before[order] = cumulative_sorted - share[order]
    cumulative = before + share
    abc_class = np.where(before < a, AbcClass.A, np.where(before < b, AbcClass.B, AbcClass.C))
    abc_class = np.where(share > 0, abc_class, AbcClass.C).astype(np.int64)
    return AbcClassification(abc_class=abc_class, revenue_share=share, cumulative_share=cumulative)


def service_targets(
    *,
    abc_class: Any,
    class_targets: tuple[float, float, float] = DEFAULT_TARGETS,
    category_override: Any = None,
    location_override: Any = None,
    sku_override: Any = None,
) -> FloatArray:
    """(n,) service target per row: the class default, replaced by overrides where given.

    Precedence, most specific last: class default, then category, then location, then
    SKU (x location). Overrides are (n,) arrays with NaN where the row has none.

    Args:
        abc_class: (n,) AbcClass values.
        class_targets: targets for A, B and C, each in (0, 1).
        category_override, location_override, sku_override: (n,) targets or NaN.

    Example: classes A, B, C with a location override of 0.97 on the C row gives
    0.98, 0.95, 0.97.
    """
    classes = np.asarray(abc_class, dtype=np.int64)
    unknown = np.flatnonzero((classes < 0) | (classes > 2))
    if unknown.size:
        raise ValueError(f"abc_class: row {int(unknown[0])} is {int(classes[unknown[0]])}")
    defaults = as_float("class_targets", class_targets)
    check_range(
        "class_targets", defaults, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False
    )
    target = defaults[classes]
    for name, override in (
        ("category_override", category_override),
        ("location_override", location_override),
        ("sku_override", sku_override),
    ):
        if override is None:
            continue
        values = np.asarray(override, dtype=np.float64)
        if values.shape != target.shape:
            raise ValueError(f"{name}: expected shape {target.shape}, got {values.shape}")
        given = ~np.isnan(values)
        check_range(
            name, values, low=0.0, high=1.0, low_inclusive=False, high_inclusive=False, rows=given
        )
        target = np.where(given, values, target)
    return np.asarray(target, dtype=np.float64)
