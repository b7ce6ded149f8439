"""Order quantities rounded up to the supplier's minimum order quantity and pack size.

This is the output boundary where quantities become whole units (int64, STYLE K.7):

    q1 = ceil(need)                      (whole units)
    q2 = max(q1, MOQ)                    (at least the minimum order quantity)
    q  = ceil(q2 / pack) * pack          (whole packs)

with ``q = 0`` where nothing is needed (``need <= 0``). The result is never below the need
or the MOQ and is a multiple of the pack size. The record keeps how many units each step
added, so a proposal can explain its quantity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import FloatArray, IntArray, as_float, check_range

_TOLERANCE = 1e-9
"""Needs within this many units above an integer are read as that integer (float noise)."""


@dataclass(frozen=True, slots=True)
class RoundedOrders:
    """Rounded order quantities and what rounding added, all (n,).

    Attributes:
        quantity: int64 units to order, 0 where nothing is needed.
        need: float64 units needed before rounding (negative needs read as 0).
        added_by_minimum: int64 units added to reach the minimum order quantity.
        added_by_pack: int64 units added to complete the last pack.
        added: float64 total units added, ``quantity - need`` (0 where nothing is ordered).
    """

    quantity: IntArray
    need: FloatArray
    added_by_minimum: IntArray
    added_by_pack: IntArray
    added: FloatArray


def round_order_quantities(
    *,
    quantity: Any,
    minimum_order_quantity: Any = 0,
    pack_size: Any = 1,
) -> RoundedOrders:
    """Round needed quantities up to the MOQ, then to a multiple of the pack size.

    Args:
        quantity: (n,) units needed (float, e.g. ``order_quantity_needed``); <= 0 means none.
        minimum_order_quantity: (n,) or scalar, units >= 0 (whole numbers).
        pack_size: (n,) or scalar, units per pack >= 1 (whole numbers).

    Example: need 37.2, MOQ 50, pack 12: ceil gives 38, the MOQ 50, packs 60
    (added_by_minimum 12, added_by_pack 10, added 22.8).

    Raises:
        ValueError: naming the argument and the first row that is NaN, negative or not whole.
    """
    need = np.maximum(as_float("quantity", quantity), 0.0)
    size = need.size
    minimum = _whole("minimum_order_quantity", minimum_order_quantity, size, low=0)
    pack = _whole("pack_size", pack_size, size, low=1)
    check_range("quantity", need, low=0.0, high=np.inf, high_inclusive=False)
    wanted = need > 0
    units = np.ceil(need - _TOLERANCE).astype(np.int64)
    floored = np.where(wanted, np.maximum(units, minimum), 0)
    packed = -(-floored // pack) * pack
    return RoundedOrders(
        quantity=packed,
        need=need,
        added_by_minimum=floored - np.where(wanted, units, 0),
        added_by_pack=packed - floored,
        added=np.where(wanted, packed - need, 0.0),
    )


def _whole(name: str, values: Any, size: int, *, low: int) -> IntArray:
    """(size,) int64 from whole-number input >= ``low``."""
    array = as_float(name, values, size)
    check_range(name, array, low=float(low), high=np.inf, high_inclusive=False)
    fractional = np.flatnonzero(array != np.round(array))
    if fractional.size:
        first = int(fractional[0])
        raise ValueError(f"{name}: row {first} is {float(array[first])!r}, expected a whole number")
    return array.astype(np.int64)
