"""Transfers between locations of the same SKU: from excess stock to a location that must
reorder, when moving the units costs less than buying them.

Per row (SKU x location) with inventory position ``IP``, on-hand units free to move
``A = on_hand - allocated - reserved``, reorder point ``s`` and order-up-to level ``S``:

* a row **needs** ``n = ceil(need)`` units when its policy orders now (``need`` from
  ``policies.order_quantity_needed``);
* a row has **excess** ``x = floor(min(IP - S - margin, A))^+`` where ``margin`` is the
  buffer above the order-up-to level a location keeps (``margin = max(margin_units,
  margin_share * S)``), and only when it does not need units itself.

Matching (lateral transshipment, Paterson, Kiesmüller, Teunter & Glazebrook 2011, "Inventory
models with lateral transshipments: a review", EJOR 210): within each SKU, needs are served
largest first from excesses largest first. Both are laid end to end on one axis per SKU,
needs as ``[N_{i-1}, N_i)`` and excesses as ``[X_{j-1}, X_j)`` (running totals), and needing
row ``i`` receives ``|[N_{i-1}, N_i) & [X_{j-1}, X_j)|`` units from excess row ``j``; all SKUs
are matched at once by shifting each SKU's axis past the previous one's.

**Cheaper than ordering**: a transfer of ``t`` units is kept when::

    fixed_transfer_cost + unit_transfer_cost * t < ordering_cost + unit_cost * t

the right side being what buying the same units costs (the excess is already paid for).

Example: one SKU, needs 30 (row 0) and 5 (row 1), excesses 20 (row 2) and 20 (row 3):
row 0 gets 20 from row 2 and 10 from row 3, row 1 gets 5 from row 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import (
    BoolArray,
    IntArray,
    as_float,
    check_range,
)


def excess_units(
    *,
    position: Any,
    free_on_hand: Any,
    order_up_to: Any,
    needs_order: Any,
    margin_units: Any = 0.0,
    margin_share: Any = 0.0,
) -> IntArray:
    """Whole units a row can give away, ``x`` of the module docstring; shape (n,) int64.

    Args:
        position: (n,) inventory position ``IP``, units.
        free_on_hand: (n,) ``on_hand - allocated - reserved``, units.
        order_up_to: (n,) ``S``, units.
        needs_order: (n,) True where the row orders now (it then gives nothing).
        margin_units: (n,) or scalar units kept above ``S`` (>= 0).
        margin_share: (n,) or scalar share of ``S`` kept above it (>= 0).

    Example: IP = 130, A = 100, S = 60, margin 10% gives floor(min(130 - 60 - 6, 100)) = 64.
    """
    ip = as_float("position", position)
    n = ip.size
    free = as_float("free_on_hand", free_on_hand, n)
    target = as_float("order_up_to", order_up_to, n)
    units = as_float("margin_units", margin_units, n)
    share = as_float("margin_share", margin_share, n)
    check_range("margin_units", units, low=0.0)
    check_range("margin_share", share, low=0.0)
    ordering = np.broadcast_to(np.asarray(needs_order, dtype=np.bool_), (n,))
    margin = np.maximum(units, share * np.maximum(target, 0.0))
    giveable = np.floor(np.minimum(ip - target - margin, free) + 1e-9)
    return np.where(ordering, 0, np.maximum(giveable, 0.0)).astype(np.int64)


@dataclass(frozen=True, slots=True)
class TransferPlan:
    """Transfers matched within SKUs, one row per (source, destination) pair, all (n_pairs,).

    Attributes:
        source: int64 row giving the units.
        destination: int64 row receiving them.
        quantity: int64 units moved, > 0.
    """

    source: IntArray
    destination: IntArray
    quantity: IntArray


def match_transfers(*, sku: Any, need: Any, excess: Any) -> TransferPlan:
    """Match needs with excesses of the same SKU (module's matching rule).

    Args:
        sku: (n,) int64 SKU index of each row (rows of a SKU need not be adjacent).
        need: (n,) int64 units each row wants (0 = none).
        excess: (n,) int64 units each row can give (0 = none).

    Returns: pairs sorted by source row's SKU, then largest need, then largest excess.
    """
    group = np.asarray(sku)
    n = group.size
    wanted = _whole("need", need, n)
    spare = _whole("excess", excess, n)
    if group.shape != (n,) or (n and not np.issubdtype(group.dtype, np.integer)):
        raise ValueError(f"sku: expected ({n},) integers, got {group.dtype} {group.shape}")
    receivers = _ordered(group, wanted)
    givers = _ordered(group, spare)
    axis = _sku_offsets(group, wanted, spare)
    need_end = _laid_end_to_end(group, wanted, receivers, axis)
    give_end = _laid_end_to_end(group, spare, givers, axis)
    edges = [need_end, give_end, need_end - wanted[receivers], give_end - spare[givers]]
    points = np.unique(np.concatenate(edges))
    if points.size < 2:
        return _empty_plan()
    starts, lengths = points[:-1], np.diff(points)
    to = np.searchsorted(need_end, starts, side="right")
    by = np.searchsorted(give_end, starts, side="right")
    inside = (to < receivers.size) & (by < givers.size)
    to, by, starts, lengths = to[inside], by[inside], starts[inside], lengths[inside]
    in_need = starts >= need_end[to] - wanted[receivers[to]]
    in_give = starts >= give_end[by] - spare[givers[by]]
    same = group[receivers[to]] == group[givers[by]]
    keep = in_need & in_give & same & (lengths > 0)
    return _merge(givers[by[keep]], receivers[to[keep]], lengths[keep])


def cheaper_than_ordering(
    *,
    quantity: Any,
    unit_cost: Any,
    ordering_cost: Any = 0.0,
    unit_transfer_cost: Any = 0.0,
    fixed_transfer_cost: Any = 0.0,
) -> BoolArray:
    """(n,) True where moving ``quantity`` units costs less than buying them (module rule).

    Args:
        quantity: (n,) units transferred ``t``.
        unit_cost: (n,) money per unit bought (landed cost of the best offer).
        ordering_cost: (n,) or scalar money per purchase order line.
        unit_transfer_cost: (n,) or scalar money per unit moved.
        fixed_transfer_cost: (n,) or scalar money per transfer.
    """
    t = as_float("quantity", quantity)
    n = t.size
    buy = as_float("ordering_cost", ordering_cost, n) + as_float("unit_cost", unit_cost, n) * t
    move = as_float("fixed_transfer_cost", fixed_transfer_cost, n)
    move = move + as_float("unit_transfer_cost", unit_transfer_cost, n) * t
    return np.asarray(move < buy, dtype=np.bool_)


def _whole(name: str, values: Any, size: int) -> IntArray:
    array = np.asarray(values)
    if array.shape != (size,) or (size and not np.issubdtype(array.dtype, np.integer)):
        raise ValueError(f"{name}: expected ({size},) integers, got {array.dtype} {array.shape}")
    check_range(name, array.astype(np.float64), low=0.0)
    return array.astype(np.int64)


def _ordered(group: IntArray, amount: IntArray) -> IntArray:
    """Rows with a positive amount, by SKU then largest amount first (then row)."""
    rows = np.flatnonzero(amount > 0)
    return rows[np.lexsort((rows, -amount[rows], group[rows]))].astype(np.int64)


def _sku_offsets(group: IntArray, wanted: IntArray, spare: IntArray) -> dict[str, Any]:
    """Start of each SKU's stretch of the shared axis, past the longer side of the previous."""
    skus, index = np.unique(group, return_inverse=True)
    longest = np.maximum(
        np.bincount(index, wanted, skus.size), np.bincount(index, spare, skus.size)
    ).astype(np.int64)
    start = np.concatenate([[0], np.cumsum(longest)[:-1]]).astype(np.int64)
    return {"skus": skus, "start": start}


def _laid_end_to_end(
    group: IntArray, amount: IntArray, rows: IntArray, axis: dict[str, Any]
) -> IntArray:
    """End point of each row's interval on the shared axis (rows in ``_ordered`` order)."""
    if rows.size == 0:
        return np.zeros(0, dtype=np.int64)
    sku = np.searchsorted(axis["skus"], group[rows])
    values = amount[rows]
    total = np.cumsum(values)
    first = np.flatnonzero(np.r_[True, sku[1:] != sku[:-1]])
    before = np.repeat(total[first] - values[first], np.diff(np.r_[first, rows.size]))
    return np.asarray(axis["start"][sku] + total - before, dtype=np.int64)


def _merge(source: IntArray, destination: IntArray, quantity: IntArray) -> TransferPlan:
    """Sum the pieces of each (source, destination) pair, keeping first-seen order."""
    if source.size == 0:
        return _empty_plan()
    pairs = np.stack([source, destination], axis=1)
    unique, first, inverse = np.unique(pairs, axis=0, return_index=True, return_inverse=True)
    totals = np.bincount(inverse.reshape(-1), quantity, unique.shape[0]).astype(np.int64)
    order = np.argsort(first, kind="stable")
    return TransferPlan(
        source=unique[order, 0].astype(np.int64),
        destination=unique[order, 1].astype(np.int64),
        quantity=totals[order],
    )


def _empty_plan() -> TransferPlan:
    empty = np.zeros(0, dtype=np.int64)
    return TransferPlan(source=empty, destination=empty, quantity=empty)
