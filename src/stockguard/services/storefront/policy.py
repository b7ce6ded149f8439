"""The next order date of a SKU x location without an open purchase order.

A restock without a purchase order waits for the replenishment policy to order, then
for the supplier's lead time. The order date comes from the stored policy (the rules,
resolved as a replenishment run resolves them) and the latest risk basis:

* periodic review (R, S): the next review day on or after today, counted in review
  periods ``R`` (the rule's, else the run's default of 7 days) from the last day the
  SKU x location was ordered: ``anchor + R * ceil((today - anchor) / R)``; without any
  past order the review may be up to a period away, so ``today + R`` (the later end);
* continuous review (the other policies: order when the position reaches the reorder
  point ``s``): the projected crossing ``today + ceil(max(0, position - s) / mu)``
  with ``mu`` the forecast demand in units/day; None when the position is above ``s``
  and nothing sells, or so little that the crossing lies beyond ``MAX_CROSSING_DAYS``
  (no order foreseen).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from stockguard.domain import replenishment as r
from stockguard.services.replenishment.compute import Parameters
from stockguard.services.replenishment.settings import (
    POLICIES,
    RowKeys,
    classify_abc,
    resolve_settings,
)

MAX_CROSSING_DAYS = 3650
"""Horizon of a projected reorder-point crossing, in days (ten years): a later one is no
foreseen order (and a demand of 1e-300 units/day would overflow a date)."""


@dataclass(frozen=True, slots=True)
class PolicyFacts:
    """One SKU x location's facts for its next order date.

    ``position`` and ``reorder_point`` in units (the latest risk basis), ``demand_mean``
    units/day, ``unit_price`` money/unit (for the ABC class a rule may be scoped by),
    ``last_ordered_on`` the order day of its latest purchase order (None: never).
    """

    sku: str
    location: str
    category: str | None
    position: float
    reorder_point: float
    demand_mean: float
    unit_price: float
    last_ordered_on: date | None = None


def next_order_dates(
    facts: Sequence[PolicyFacts], rules: Sequence[r.ReplenishmentRule], *, today: date
) -> list[date | None]:
    """The next order date of each row (module docstring), in ``facts``' order."""
    if not facts:
        return []
    skus = sorted({f.sku for f in facts})
    index = {sku: i for i, sku in enumerate(skus)}
    group = np.array([index[f.sku] for f in facts], dtype=np.int64)
    revenue = np.array([max(f.demand_mean, 0.0) * max(f.unit_price, 0.0) for f in facts])
    abc = classify_abc(group=group, revenue=revenue, n_groups=len(skus))
    keys = RowKeys(
        [f.sku for f in facts],
        [f.location for f in facts],
        [f.category for f in facts],
        [abc[g] for g in group.tolist()],
    )
    settings = resolve_settings(rules, keys).values
    periodic = float(POLICIES.index(r.PolicyName.PERIODIC))
    default_review = Parameters().default_review_period_days
    dates: list[date | None] = []
    for i, row in enumerate(facts):
        if settings["policy"][i] == periodic:
            review = settings["review_period_days"][i]
            period = int(review) if np.isfinite(review) and review >= 1 else int(default_review)
            dates.append(next_review(row.last_ordered_on, period, today))
        else:
            dates.append(reorder_point_crossing(row, today))
    return dates


def next_review(anchor: date | None, period_days: int, today: date) -> date:
    """The first review day on or after ``today``: ``anchor + R * ceil((today - anchor)
    / R)`` (``R = period_days``); ``today + R`` without an anchor."""
    if anchor is None:
        return today + timedelta(days=period_days)
    periods = max(0, math.ceil((today - anchor).days / period_days))
    return anchor + timedelta(days=periods * period_days)


def reorder_point_crossing(row: PolicyFacts, today: date) -> date | None:
    """``today + ceil(max(0, position - s) / mu)`` days; None when the position is above
    the reorder point and the demand is zero or the crossing is beyond
    ``MAX_CROSSING_DAYS``."""
    above = row.position - row.reorder_point
    if above <= 0:
        return today
    if row.demand_mean <= 0 or above / row.demand_mean > MAX_CROSSING_DAYS:
        return None
    return today + timedelta(days=math.ceil(above / row.demand_mean))
