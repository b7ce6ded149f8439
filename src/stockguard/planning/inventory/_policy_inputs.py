"""Validation of the per-row inputs of ``policies.compute_policies``.

Every check names the argument and the first offending row, so the caller can point at
the SKU x location and the field. Nothing is computed from invalid input.
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
from stockguard.planning.inventory.kinds import PolicyKind

_EOQ = PolicyKind.REORDER_POINT_EOQ
_FIXED_QUANTITY = PolicyKind.REORDER_POINT_FIXED_QUANTITY
_ORDER_UP_TO = PolicyKind.REORDER_POINT_ORDER_UP_TO
_PERIODIC = PolicyKind.PERIODIC_ORDER_UP_TO
_MIN_MAX = PolicyKind.MIN_MAX
_JUST_IN_TIME = PolicyKind.JUST_IN_TIME
_MANUAL = PolicyKind.MANUAL
_KINDS = [int(k) for k in PolicyKind]


@dataclass(frozen=True, slots=True)
class PolicyInputs:
    """Validated inputs: (n,) arrays, and (n, horizon) daily demand; NaN = not given."""

    kind: IntArray
    demand_mean: FloatArray
    demand_std: FloatArray
    lead_time_mean: FloatArray
    lead_time_std: FloatArray
    service_level: FloatArray
    review_period: FloatArray
    fixed_order_quantity: FloatArray
    ordering_cost: FloatArray
    holding_cost: FloatArray
    manual_minimum: FloatArray
    manual_maximum: FloatArray


def _optional(name: str, values: Any, size: int) -> FloatArray:
    """(size,) float64 with NaN where not given (None gives all NaN)."""
    if values is None:
        return np.full(size, np.nan)
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return np.full(size, float(array))
    if array.shape != (size,):
        raise ValueError(f"{name}: expected shape ({size},), got {array.shape}")
    return array


def _required(name: str, values: FloatArray, rows: BoolArray, why: str) -> None:
    missing = np.flatnonzero(rows & ~np.isfinite(values))
    if missing.size:
        raise ValueError(f"{name}: row {int(missing[0])} has no value, required {why}")


def _daily(name: str, values: Any, size: int) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        array = np.full((size, 1), float(array))
    elif array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] != size or array.shape[1] == 0:
        raise ValueError(
            f"{name}: expected shape ({size},) or ({size}, horizon), got {array.shape}"
        )
    bad = np.flatnonzero(~np.all(np.isfinite(array) & (array >= 0), axis=1))
    if bad.size:
        raise ValueError(f"{name}: row {int(bad[0])} has a negative, NaN or infinite value")
    return array


def _kinds(values: Any) -> IntArray:
    kind = np.atleast_1d(np.asarray(values))
    if kind.ndim != 1 or not np.issubdtype(kind.dtype, np.integer):
        raise ValueError(
            f"kind: expected a 1-D array of PolicyKind values, got {kind.dtype} {kind.shape}"
        )
    unknown = np.flatnonzero(~np.isin(kind, _KINDS))
    if unknown.size:
        raise ValueError(
            f"kind: row {int(unknown[0])} is {int(kind[unknown[0]])}, not a PolicyKind"
        )
    return kind.astype(np.int64)


def validate_policy_inputs(**values: Any) -> PolicyInputs:
    """Check shapes, ranges and the parameters each row's kind requires.

    Raises:
        ValueError: naming the argument, the first invalid row and the reason.
    """
    kind = _kinds(values["kind"])
    size = kind.size
    inputs = PolicyInputs(
        kind=kind,
        demand_mean=_daily("demand_mean", values["demand_mean"], size),
        demand_std=_daily("demand_std", values["demand_std"], size),
        lead_time_mean=as_float("lead_time_mean", values["lead_time_mean"], size),
        lead_time_std=as_float("lead_time_std", values["lead_time_std"], size),
        service_level=_optional("service_level", values["service_level"], size),
        **{
            name: _optional(name, values[name], size)
            for name in (
                "review_period",
                "fixed_order_quantity",
                "ordering_cost",
                "holding_cost",
                "manual_minimum",
                "manual_maximum",
            )
        },
    )
    if inputs.demand_std.shape != inputs.demand_mean.shape:
        raise ValueError("demand_std: must have the shape of demand_mean")
    _check_ranges(inputs)
    _check_required(inputs)
    return inputs


def _check_ranges(inputs: PolicyInputs) -> None:
    check_range("lead_time_mean", inputs.lead_time_mean, low=0.0)
    check_range("lead_time_std", inputs.lead_time_std, low=0.0)
    stocked = ~np.isin(inputs.kind, [_JUST_IN_TIME, _MANUAL])
    _required("service_level", inputs.service_level, stocked, "for a policy that keeps stock")
    check_range(
        "service_level",
        inputs.service_level,
        low=0.0,
        high=1.0,
        low_inclusive=False,
        high_inclusive=False,
        rows=stocked,
    )
    for name in ("review_period", "fixed_order_quantity", "holding_cost"):
        values = getattr(inputs, name)
        check_range(name, values, low=0.0, low_inclusive=False, rows=~np.isnan(values))
    for name in ("ordering_cost", "manual_minimum", "manual_maximum"):
        values = getattr(inputs, name)
        check_range(name, values, low=0.0, rows=~np.isnan(values))


def _check_required(inputs: PolicyInputs) -> None:
    kind = inputs.kind
    _required("review_period", inputs.review_period, kind == _PERIODIC, "for (R,S) rows")
    _required(
        "fixed_order_quantity",
        inputs.fixed_order_quantity,
        kind == _FIXED_QUANTITY,
        "for fixed-quantity (s,Q) rows",
    )
    has_costs = np.isfinite(inputs.ordering_cost) & np.isfinite(inputs.holding_cost)
    _required("ordering_cost", inputs.ordering_cost, kind == _EOQ, "for EOQ rows")
    _required("holding_cost", inputs.holding_cost, kind == _EOQ, "for EOQ rows")
    lot_rows = np.isin(kind, [_ORDER_UP_TO, _MIN_MAX]) & ~has_costs
    _required(
        "fixed_order_quantity",
        inputs.fixed_order_quantity,
        lot_rows,
        "for (s,S) and min/max rows without ordering_cost and holding_cost",
    )
    manual = kind == _MANUAL
    _required("manual_minimum", inputs.manual_minimum, manual, "for manual rows")
    _required("manual_maximum", inputs.manual_maximum, manual, "for manual rows")
    inverted = np.flatnonzero(manual & (inputs.manual_maximum < inputs.manual_minimum))
    if inverted.size:
        raise ValueError(f"manual_maximum: row {int(inverted[0])} is below manual_minimum")
