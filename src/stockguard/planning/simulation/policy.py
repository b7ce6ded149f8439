"""What a replay orders: a replenishment policy per SKU, or a fixed plan of orders.

A ``ReplayPolicy`` applies the policy rules of ``stockguard.planning.inventory.policies``
(``PolicyKind``) at the end of every day to the inventory position ``IP = on_hand +
on_order`` (lost sales: there are no backorders and nothing is allocated):

| kind | order at the end of day t |
|---|---|
| (s,Q), EOQ or fixed Q | ``n Q`` with ``n = floor((s - IP) / Q) + 1`` when ``IP <= s`` |
| (s,S) | ``S - IP`` when ``IP <= s`` |
| min/max, manual | ``S - IP`` when ``IP < s`` (``s`` = min, ``S`` = max) |
| (R,S) | ``max(S - IP, 0)`` on review days ``t % R == 0`` |
| just-in-time | ``max(-IP, 0)``, which is 0: with lost sales it never holds stock |

The quantity is then rounded up to whole units, the minimum order quantity and the pack
size (``inventory.rounding.round_order_quantities``).

The levels (``s``, ``S``, ``Q``) are given per SKU as ``PolicyLevels`` and may change
during the replay: as (n_plans, n_sku) arrays, plan ``p`` in force on days
``[p * replan_every, (p + 1) * replan_every)``, or as a ``Replanner`` callback called at
the end of every ``replan_every``-th day with what a planner could know then
(``ReplayState``: sales, stock-out days and positions so far, never the lost demand).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.policies import PolicyTable
from stockguard.planning.simulation.scenario import BoolArray, FloatArray, IntArray, check_cells

_LOT_KINDS = (PolicyKind.REORDER_POINT_EOQ, PolicyKind.REORDER_POINT_FIXED_QUANTITY)
_MIN_MAX_KINDS = (PolicyKind.MIN_MAX, PolicyKind.MANUAL)


@dataclass(frozen=True, slots=True)
class PolicyLevels:
    """Reorder point ``s``, order-up-to level ``S`` and lot ``Q`` in units.

    Each is (n_sku,) for one plan, or (n_plans, n_sku) for a schedule of plans. ``Q`` is
    used by (s,Q) rows only and must be > 0 there.
    """

    reorder_point: FloatArray
    order_up_to: FloatArray
    order_quantity: FloatArray

    @classmethod
    def from_table(cls, table: PolicyTable) -> PolicyLevels:
        """The levels of a ``PolicyTable`` computed by ``inventory.compute_policies``."""
        return cls(table.reorder_point, table.order_up_to, table.order_quantity)

    def plan(self, index: int) -> PolicyLevels:
        """The (n_sku,) levels of plan ``index`` (the levels themselves when 1-D)."""
        if self.reorder_point.ndim == 1:
            return self
        return PolicyLevels(
            self.reorder_point[index], self.order_up_to[index], self.order_quantity[index]
        )


@dataclass(frozen=True, slots=True)
class ReplayState:
    """What a planner knows at the end of day ``day`` (read-only views).

    Attributes:
        day: index of the day just ended.
        sales: (n_sku, day + 1) units served per day so far (demand lost is unknown).
        stocked_out: (n_sku, day + 1) True on stock-out days so far (see ``result``).
        on_hand: (n_sku,) units on hand now.
        on_order: (n_sku,) units ordered and not yet received.
    """

    day: int
    sales: FloatArray
    stocked_out: BoolArray
    on_hand: FloatArray
    on_order: FloatArray


Replanner = Callable[[ReplayState], PolicyLevels]
"""Returns the (n_sku,) levels in force from the end of ``state.day`` on."""


@dataclass(frozen=True, slots=True)
class ReplayPolicy:
    """A replenishment policy per SKU for ``simulate``.

    Attributes:
        kind: (n_sku,) PolicyKind values.
        levels: PolicyLevels ((n_sku,) or (n_plans, n_sku)) or a Replanner.
        replan_every: days between plans (or between Replanner calls), >= 1.
        review_period: (n_sku,) days between reviews ``R`` of (R,S) rows, >= 1.
        minimum_order_quantity: (n_sku,) whole units >= 0.
        pack_size: (n_sku,) whole units >= 1.
    """

    kind: IntArray
    levels: PolicyLevels | Replanner
    replan_every: int = 1
    review_period: IntArray = field(default_factory=lambda: np.ones(1, dtype=np.int64))
    minimum_order_quantity: FloatArray = field(default_factory=lambda: np.zeros(1))
    pack_size: FloatArray = field(default_factory=lambda: np.ones(1))

    def __post_init__(self) -> None:
        kind = self.kind
        if kind.ndim != 1 or not np.issubdtype(kind.dtype, np.integer):
            raise ValueError(f"kind: expected (n_sku,) PolicyKind integers, got {kind.dtype}")
        check_cells("kind", kind, ~np.isin(kind, [int(k) for k in PolicyKind]), "not a kind")
        if self.replan_every < 1:
            raise ValueError(f"replan_every: expected >= 1 day, got {self.replan_every}")
        for name, low in (("review_period", 1), ("minimum_order_quantity", 0), ("pack_size", 1)):
            values = np.asarray(getattr(self, name))
            if values.shape not in ((1,), kind.shape):
                raise ValueError(f"{name}: expected shape {kind.shape}, got {values.shape}")
            whole = np.isfinite(values) & (values == np.round(values)) & (values >= low)
            check_cells(name, values, ~whole, f"expected whole units >= {low}")

    @property
    def n_sku(self) -> int:
        return int(self.kind.size)


@dataclass(frozen=True, slots=True)
class OrderPlan:
    """Orders fixed in advance: ``orders[i, t]`` units placed at the end of day ``t``.

    Attributes:
        orders: (n_sku, n_days) units >= 0, placed as given (no rounding).
    """

    orders: FloatArray

    def __post_init__(self) -> None:
        if self.orders.ndim != 2:
            raise ValueError(f"orders: expected (n_sku, n_days), got {self.orders.shape}")
        bad = ~(np.isfinite(self.orders) & (self.orders >= 0))
        check_cells("orders", self.orders, bad, "expected >= 0")


def check_levels(levels: PolicyLevels, kind: IntArray, what: str) -> None:
    """Raise ValueError unless the levels fit ``kind`` (shape, finite, ``Q > 0`` on lots)."""
    n_sku = kind.size
    for name in ("reorder_point", "order_up_to", "order_quantity"):
        values: FloatArray = getattr(levels, name)
        if values.ndim not in (1, 2) or values.shape[-1] != n_sku:
            raise ValueError(
                f"{what} {name}: expected (n_sku,) or (n_plans, n_sku) with "
                f"n_sku={n_sku}, got {values.shape}"
            )
        check_cells(f"{what} {name}", values, ~np.isfinite(values), "expected a finite value")
    lots = np.isin(kind, [int(k) for k in _LOT_KINDS])
    quantity = levels.order_quantity
    check_cells(f"{what} order_quantity", quantity, lots & ~(quantity > 0), "expected > 0")


def units_needed(
    *, kind: IntArray, levels: PolicyLevels, position: FloatArray, review_due: BoolArray
) -> FloatArray:
    """Units to order now per SKU before rounding, (n_sku,) (module table).

    Args:
        kind: (n_sku,) PolicyKind values.
        levels: (n_sku,) levels in force.
        position: (n_sku,) inventory position ``IP``, units.
        review_due: (n_sku,) True where an (R,S) row reviews today.

    Example: (s,Q) with s = 10, Q = 25 and IP = 4 orders floor(6 / 25) + 1 = 1 lot, 25 units.
    """
    s, big_s, lot = levels.reorder_point, levels.order_up_to, levels.order_quantity
    with np.errstate(divide="ignore", invalid="ignore"):
        lots = np.where(position <= s, (np.floor((s - position) / lot) + 1.0) * lot, 0.0)
    up_to = np.maximum(big_s - position, 0.0)
    quantity = np.select(
        [
            np.isin(kind, [int(k) for k in _LOT_KINDS]),
            kind == PolicyKind.REORDER_POINT_ORDER_UP_TO,
            np.isin(kind, [int(k) for k in _MIN_MAX_KINDS]),
            kind == PolicyKind.PERIODIC_ORDER_UP_TO,
        ],
        [
            lots,
            np.where(position <= s, up_to, 0.0),
            np.where(position < s, up_to, 0.0),
            np.where(review_due, up_to, 0.0),
        ],
        default=np.maximum(-position, 0.0),
    )
    return np.asarray(quantity, dtype=np.float64)


def as_int_column(values: Any, n_sku: int) -> IntArray:
    """(n_sku,) int64 from a (1,) or (n_sku,) array of whole numbers."""
    return np.asarray(np.broadcast_to(np.asarray(values), (n_sku,)), dtype=np.int64)
