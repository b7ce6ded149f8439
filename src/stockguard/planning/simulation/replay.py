"""Replay of daily demand against a policy: one loop over days, vectors over SKUs.

Each day ``t`` of the scenario, for every SKU at once (lost sales, no backorders):

1. Receipts: ``due_t = A[:, t] + H`` where ``A`` holds the units scheduled to arrive on
   each day and ``H`` the units held back by an outage; where ``supply_available[:, t]``
   they are received, ``I += due_t``, ``H = 0``; elsewhere ``H = due_t``.
2. Sales: ``X_t = min(I, D_t)`` are served, ``D_t - X_t`` are lost, ``I -= X_t``.
3. Ordering, at the end of the day: the policy (``policy``) orders ``q_t`` from the
   inventory position ``IP = I + O`` (``O``: ordered, not yet received, including ``H``);
   the order is due on day ``t + L[:, t]``: ``A[:, t + L] += q_t``, ``O += q_t``. Orders
   due after the last day are placed but never received.

Because an order placed at the end of day ``t`` can serve demand from day ``t + L`` on,
and the next order can be placed at the end of day ``t + 1``, a daily-reviewed
continuous-review policy protects against the demand of ``L`` days, the textbook
protection interval; an (R,S) row reviewed every ``R`` days protects ``L + R - 1`` days.

Cost: ``n_days`` steps of O(n_sku) vector work, plus one ``Replanner`` call per plan
(13 s for 100,000 SKUs x 365 days with fixed levels on a shared 2-core machine).
Memory beyond the scenario: the arrivals due in the next ``max(L)`` days, a block of
``DAY_BLOCK`` days of inputs read day-major, and per-SKU totals; a ``Replanner`` adds
the sales and stock-out history (9 bytes per SKU-day) and ``keep_paths`` all five paths
(33 bytes per SKU-day).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import numpy.typing as npt

from stockguard.planning.inventory.rounding import round_order_quantities
from stockguard.planning.simulation.policy import (
    OrderPlan,
    PolicyLevels,
    ReplayPolicy,
    ReplayState,
    as_int_column,
    check_levels,
    units_needed,
)
from stockguard.planning.simulation.result import Recorder, ReplayResult
from stockguard.planning.simulation.scenario import FloatArray, Scenario, check_cells

DAY_BLOCK = 64
"""Days of inputs copied to a day-major block at a time (contiguous rows per day)."""


class _Orders:
    """The order decision of a ``ReplayPolicy`` for each day of one replay."""

    def __init__(self, policy: ReplayPolicy, n_days: int) -> None:
        self.policy = policy
        n_sku = policy.n_sku
        self.review_period = as_int_column(policy.review_period, n_sku)
        self.minimum = np.broadcast_to(policy.minimum_order_quantity, (n_sku,))
        self.pack = np.broadcast_to(policy.pack_size, (n_sku,))
        self.levels: PolicyLevels | None = None
        self.replanned = not isinstance(policy.levels, PolicyLevels)
        if isinstance(policy.levels, PolicyLevels):
            check_levels(policy.levels, policy.kind, "levels")
            plans = policy.levels.reorder_point.shape[0]
            needed = -(-n_days // policy.replan_every)
            if policy.levels.reorder_point.ndim == 2 and plans < needed:
                raise ValueError(
                    f"levels: {plans} plans cover {plans * policy.replan_every} days, "
                    f"the replay has {n_days} (replan_every={policy.replan_every})"
                )

    def __call__(
        self, day: int, on_hand: FloatArray, on_order: FloatArray, recorder: Recorder
    ) -> FloatArray:
        policy = self.policy
        if day % policy.replan_every == 0:
            self.levels = self._plan(day, on_hand, on_order, recorder)
        assert self.levels is not None
        need = units_needed(
            kind=policy.kind,
            levels=self.levels,
            position=on_hand + on_order,
            review_due=day % self.review_period == 0,
        )
        rounded = round_order_quantities(
            quantity=need, minimum_order_quantity=self.minimum, pack_size=self.pack
        )
        return rounded.quantity.astype(np.float64)

    def _plan(
        self, day: int, on_hand: FloatArray, on_order: FloatArray, recorder: Recorder
    ) -> PolicyLevels:
        levels = self.policy.levels
        if isinstance(levels, PolicyLevels):
            return levels.plan(day // self.policy.replan_every)
        state = ReplayState(
            day=day,
            sales=_read_only(recorder.sales[:, : day + 1]),
            stocked_out=_read_only(recorder.stocked_out[:, : day + 1]),
            on_hand=_read_only(on_hand),
            on_order=_read_only(on_order),
        )
        planned = levels(state)
        check_levels(planned, self.policy.kind, f"day {day}: replanned")
        if planned.reorder_point.ndim != 1:
            raise ValueError(f"day {day}: the replanner must return (n_sku,) levels")
        return planned


class _Planned:
    """The order decision of an ``OrderPlan``: the planned column of the day."""

    replanned = False

    def __init__(self, plan: OrderPlan) -> None:
        self.orders = np.asfortranarray(plan.orders)

    def __call__(
        self, day: int, on_hand: FloatArray, on_order: FloatArray, recorder: Recorder
    ) -> FloatArray:
        return np.asarray(self.orders[:, day], dtype=np.float64)


def _read_only(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    view = values.view()
    view.flags.writeable = False
    return view


def _decision(policy: ReplayPolicy | OrderPlan, scenario: Scenario) -> _Orders | _Planned:
    if isinstance(policy, OrderPlan):
        if policy.orders.shape != scenario.demand.shape:
            raise ValueError(
                f"orders: expected shape {scenario.demand.shape}, got {policy.orders.shape}"
            )
        return _Planned(policy)
    if policy.n_sku != scenario.n_sku:
        raise ValueError(f"kind: expected {scenario.n_sku} rows (one per SKU), got {policy.n_sku}")
    return _Orders(policy, scenario.n_days)


def _day_blocks(scenario: Scenario) -> Iterator[tuple[int, tuple[npt.NDArray[Any], ...]]]:
    """(first day, day-major copies of demand, lead time, availability, receipts) per block."""
    inputs = (
        scenario.demand,
        scenario.lead_time,
        scenario.supply_available,
        scenario.scheduled_receipts,
    )
    for first in range(0, scenario.n_days, DAY_BLOCK):
        days = slice(first, first + DAY_BLOCK)
        yield first, tuple(np.ascontiguousarray(values[:, days].T) for values in inputs)


def simulate(
    scenario: Scenario,
    policy: ReplayPolicy | OrderPlan,
    *,
    initial_on_hand: FloatArray,
    keep_paths: bool = False,
) -> ReplayResult:
    """Replay the scenario's demand day by day against a policy or an order plan.

    Equations: module docstring (receipts, sales, ordering) and ``result`` (measures).

    Args:
        scenario: demand, lead times, supply availability, open orders, unit costs.
        policy: a ReplayPolicy with one row per SKU, or an OrderPlan of the same shape
            as the demand.
        initial_on_hand: (n_sku,) units on hand at the start of day 0, >= 0.
        keep_paths: keep the day-by-day paths in the result.

    Returns: the ReplayResult. The scenario and the arguments are not modified.

    Example: demand 3/day, on hand 10, (s,S) = (6, 12), lead time 2: day 0 ends with 7,
    day 1 with 4 and orders 8 (due day 3), day 2 ends with 1 and orders nothing
    (IP = 9), day 3 receives 8 and ends with 6.
    """
    n_sku, n_days = scenario.demand.shape
    on_hand = np.array(np.broadcast_to(np.asarray(initial_on_hand, np.float64), (n_sku,)))
    check_cells("initial_on_hand", on_hand, ~(np.isfinite(on_hand) & (on_hand >= 0)), ">= 0")
    decide = _decision(policy, scenario)
    recorder = Recorder(n_sku, n_days, history=decide.replanned, paths=keep_paths)
    ring = int(scenario.lead_time.max(initial=0)) + 1
    due_by_slot = np.zeros((ring, n_sku))  # units due on day d sit in row d % ring
    on_order = scenario.scheduled_receipts.sum(axis=1)
    held = np.zeros(n_sku)
    rows = np.arange(n_sku)
    for first, (demand, lead, available, scheduled) in _day_blocks(scenario):
        for offset in range(demand.shape[0]):
            day = first + offset
            due = due_by_slot[day % ring] + scheduled[offset] + held
            due_by_slot[day % ring] = 0.0
            received = np.where(available[offset], due, 0.0)
            held = due - received
            start = on_hand + received
            on_order -= received
            recorder.receive(day, received)
            served = np.minimum(start, demand[offset])
            on_hand = start - served
            recorder.sell(day, start, served, served < demand[offset])
            quantity = decide(day, on_hand, on_order, recorder)
            recorder.order(day, quantity)
            on_order += quantity
            arrive = day + lead[offset]
            placed = (quantity > 0) & (arrive < n_days)
            due_by_slot[arrive[placed] % ring, rows[placed]] += quantity[placed]
    return recorder.result(scenario.demand, scenario.unit_cost, on_order)
