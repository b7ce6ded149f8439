"""What a replay plays against: daily demand, lead-time draws and supply availability.

A ``Scenario`` holds everything that is the same for every policy compared on it, so
that peers face exactly the same demand and exactly the same lead time for an order
placed on the same day. Crisis scenarios are scenarios too: a demand spike is a
changed ``demand``, a lead-time shock a changed ``lead_time`` window, a supplier outage
a window of ``supply_available = False``.

Lead times (``draw_lead_times``): the lead time of an order placed at the end of day
``t`` is the stated lead time plus a delay drawn from an empirical distribution of
observed delays (late > 0, early < 0), floored at ``minimum`` periods:

    L[i, t] = max(stated[i] + delta[i, t], minimum),  delta[i, t] ~ Uniform{delays}

The draws are independent across SKUs and days, so orders may cross (a later order can
arrive before an earlier one).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def first_bad(mask: npt.NDArray[np.bool_]) -> tuple[int, ...] | None:
    """Index of the first True cell of ``mask`` (row-major), or None."""
    flat = np.flatnonzero(mask)
    if flat.size == 0:
        return None
    return tuple(int(i) for i in np.unravel_index(int(flat[0]), mask.shape))


def check_cells(name: str, values: npt.NDArray[Any], bad: BoolArray, reason: str) -> None:
    """Raise ValueError naming ``name``, the first cell where ``bad`` holds and ``reason``."""
    where = first_bad(bad)
    if where is not None:
        cell = ", ".join(str(i) for i in where)
        raise ValueError(f"{name}: cell [{cell}] is {values[where].item()!r}, {reason}")


@dataclass(frozen=True, slots=True)
class Scenario:
    """Inputs shared by every policy replayed on them (validated on construction).

    Attributes:
        demand: (n_sku, n_days) units demanded per day, finite and >= 0.
        lead_time: (n_sku, n_days) int64 periods >= 1; an order placed at the end of day
            ``t`` is due at the start of day ``t + lead_time[i, t]``.
        supply_available: (n_sku, n_days) bool; deliveries due on a day where it is False
            wait for the next day where it is True (a supplier outage).
        scheduled_receipts: (n_sku, n_days) units >= 0 due at the start of each day from
            orders placed before the replay (open purchase orders).
        unit_cost: (n_sku,) value of one unit on hand (>= 0), for the on-hand value.

    ``Scenario.build`` fills the optional parts (all available, no receipts, unit cost 1)
    and broadcasts a (n_days,) availability mask over the SKUs.
    """

    demand: FloatArray
    lead_time: IntArray
    supply_available: BoolArray
    scheduled_receipts: FloatArray
    unit_cost: FloatArray

    def __post_init__(self) -> None:
        if self.demand.ndim != 2 or self.demand.shape[1] == 0:
            raise ValueError(
                f"demand: expected shape (n_sku, n_days >= 1), got {self.demand.shape}"
            )
        shape = self.demand.shape
        for name in ("lead_time", "supply_available", "scheduled_receipts"):
            got = getattr(self, name).shape
            if got != shape:
                raise ValueError(f"{name}: expected shape {shape}, got {got}")
        if self.unit_cost.shape != (shape[0],):
            raise ValueError(f"unit_cost: expected shape ({shape[0]},), got {self.unit_cost.shape}")
        if not np.issubdtype(self.lead_time.dtype, np.integer):
            raise ValueError(f"lead_time: expected whole periods, got dtype {self.lead_time.dtype}")
        if self.supply_available.dtype != np.bool_:
            raise ValueError("supply_available: expected a boolean mask")
        for name in ("demand", "scheduled_receipts", "unit_cost"):
            values = getattr(self, name)
            check_cells(name, values, ~(np.isfinite(values) & (values >= 0)), "expected >= 0")
        check_cells("lead_time", self.lead_time, self.lead_time < 1, "expected >= 1 period")

    @classmethod
    def build(
        cls,
        *,
        demand: Any,
        lead_time: Any,
        supply_available: Any = None,
        scheduled_receipts: Any = None,
        unit_cost: Any = None,
    ) -> Scenario:
        """A validated scenario from array-likes (see the class attributes for shapes)."""
        demand_array = np.array(demand, dtype=np.float64)
        if demand_array.ndim != 2:
            raise ValueError(f"demand: expected shape (n_sku, n_days), got {demand_array.shape}")
        shape = demand_array.shape
        lead_array = np.array(lead_time)
        if np.issubdtype(lead_array.dtype, np.floating):
            fractional = lead_array != np.round(lead_array)
            check_cells("lead_time", lead_array, fractional, "expected whole periods")
            lead_array = lead_array.astype(np.int64)
        available = np.ones(shape, dtype=np.bool_)
        if supply_available is not None:
            mask = np.asarray(supply_available)
            if mask.dtype != np.bool_:
                raise ValueError("supply_available: expected a boolean mask")
            if mask.shape not in (shape, (shape[1],)):
                raise ValueError(
                    f"supply_available: expected shape {shape} or ({shape[1]},), got {mask.shape}"
                )
            available = np.array(np.broadcast_to(mask, shape))
        receipts = np.zeros(shape)
        if scheduled_receipts is not None:
            receipts = np.array(scheduled_receipts, dtype=np.float64)
        cost = np.ones(shape[0])
        if unit_cost is not None:
            cost = np.array(np.broadcast_to(np.asarray(unit_cost, np.float64), (shape[0],)))
        return cls(demand_array, lead_array, available, receipts, cost)

    @property
    def n_sku(self) -> int:
        return int(self.demand.shape[0])

    @property
    def n_days(self) -> int:
        return int(self.demand.shape[1])


def draw_lead_times(
    *,
    stated_lead_time: Any,
    delays: Any,
    shape: tuple[int, int],
    rng: np.random.Generator,
    minimum: int = 1,
) -> IntArray:
    """Lead time per SKU and order day: stated lead time plus an observed delay.

    Equation (module docstring): ``L[i, t] = max(stated[i] + delta[i, t], minimum)`` with
    ``delta`` drawn uniformly, with replacement, from ``delays``.

    Args:
        stated_lead_time: scalar or (n_sku,) whole periods >= ``minimum``.
        delays: (m,) observed delays in whole periods (late > 0, early < 0), m >= 1.
        shape: (n_sku, n_days) of the result.
        rng: the random generator (the only source of randomness).
        minimum: shortest lead time in periods, >= 1.

    Returns: (n_sku, n_days) int64 periods.

    Example: stated 7 days and delays [-3, 0, 0, 12] give lead times drawn from
    {4, 7, 7, 19}; a delay of -10 would give max(-3, 1) = 1.
    """
    sample = np.asarray(delays)
    if sample.ndim != 1 or sample.size == 0:
        raise ValueError(f"delays: expected a non-empty 1-D array, got shape {sample.shape}")
    if not np.all(sample == np.round(sample)):
        raise ValueError("delays: expected whole periods")
    if minimum < 1:
        raise ValueError(f"minimum: expected >= 1 period, got {minimum}")
    stated = np.asarray(stated_lead_time)
    if np.any(stated != np.round(stated)) or np.any(stated < minimum):
        raise ValueError(f"stated_lead_time: expected whole periods >= {minimum}")
    stated_column = np.broadcast_to(stated.astype(np.int64).reshape(-1, 1), (shape[0], 1))
    drawn = rng.choice(sample.astype(np.int64), size=shape, replace=True)
    return np.asarray(np.maximum(stated_column + drawn, minimum), dtype=np.int64)
