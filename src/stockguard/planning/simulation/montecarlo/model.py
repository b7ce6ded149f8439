"""What the Monte Carlo engine simulates: rows (SKU x location), supply calendars and plans.

All arrays are plain numpy; the service layer builds them from the shop's data and the
scenario (``services.scenarios.inputs``). Days are indices ``0 .. horizon - 1`` from the
scenario's first day. Shapes use ``n`` rows, ``H`` days, ``m`` suppliers (plus one last
row, index ``m``, for "no supplier": always available, no delays), ``k`` locations and
``P`` plans (plan 0 is the baseline).

Rows (``Rows``), per row ``i``:
    demand: the day's demand is negative binomial with mean ``demand_mean[i, t]`` and
    variance ``dispersion[i] * demand_mean[i, t]`` (Poisson when ``dispersion == 1``),
    drawn by inversion from one uniform; above ``NORMAL_ABOVE`` units/day a rounded normal
    with the same two moments is used instead. ``base_mean[i, t]`` is the mean before the
    scenario's demand shocks (what a per-customer limit is measured against).

    policy: ``kind`` (``PolicyKind``), ``reorder_point`` s, ``order_up_to`` S,
    ``order_quantity`` Q, ``review_period`` R, rounding to ``minimum_order_quantity``
    and ``pack_size``; ``safety_stock`` is what ``raise_safety_stock`` scales.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

NORMAL_ABOVE = 60.0
"""Mean daily demand (units) above which the normal approximation is drawn."""


@dataclass(frozen=True, slots=True)
class Rows:
    """Per row (SKU x location): demand, stock, policy, sourcing and money (see module).

    Attributes (all (n,) unless stated):
        demand_mean: (n, H) units/day under the scenario.
        base_mean: (n, H) units/day before the scenario's demand shocks.
        dispersion: variance / mean of daily demand, >= 1.
        on_hand: int64 units free to sell at the start (on hand - allocated - reserved).
        scheduled: (n, H) int64 units of open purchase orders arriving each day.
        kind, review_period, minimum_order_quantity, pack_size: int64.
        reorder_point, order_up_to, order_quantity, safety_stock: units.
        supplier: int64 index of the usual supplier (m = none); lead_time: int64 its
            stated lead time in days (>= 1).
        alternate: int64 index of the second source (m = none); alternate_lead_time;
            alternate_premium: extra money per unit when ordering from it (>= 0).
        location: int64 location index.
        price: money per unit sold (lost revenue); unit_cost: money per unit bought.
    """

    demand_mean: FloatArray
    base_mean: FloatArray
    dispersion: FloatArray
    on_hand: IntArray
    scheduled: IntArray
    kind: IntArray
    reorder_point: FloatArray
    order_up_to: FloatArray
    order_quantity: FloatArray
    safety_stock: FloatArray
    review_period: IntArray
    minimum_order_quantity: IntArray
    pack_size: IntArray
    supplier: IntArray
    lead_time: IntArray
    alternate: IntArray
    alternate_lead_time: IntArray
    alternate_premium: FloatArray
    location: IntArray
    price: FloatArray
    unit_cost: FloatArray

    def __post_init__(self) -> None:
        n = self.on_hand.shape[0]
        if self.demand_mean.ndim != 2 or self.demand_mean.shape[0] != n:
            raise ValueError(f"demand_mean: expected (n={n}, H), got {self.demand_mean.shape}")
        shape = self.demand_mean.shape
        for name in ("base_mean", "scheduled"):
            if getattr(self, name).shape != shape:
                raise ValueError(f"{name}: expected {shape}, got {getattr(self, name).shape}")
        for name in self.__slots__:
            values = getattr(self, name)
            if values.ndim == 1 and values.shape != (n,):
                raise ValueError(f"{name}: expected ({n},), got {values.shape}")
        if np.any(~np.isfinite(self.demand_mean)) or np.any(self.demand_mean < 0):
            raise ValueError("demand_mean: expected finite units/day >= 0")
        if np.any(~(self.dispersion >= 1.0)):
            raise ValueError("dispersion: expected variance / mean >= 1")
        if np.any(self.lead_time < 1) or np.any(self.alternate_lead_time < 1):
            raise ValueError("lead_time: expected >= 1 day")
        if np.any(self.pack_size < 1):
            raise ValueError("pack_size: expected >= 1 unit")

    @property
    def n_rows(self) -> int:
        return int(self.on_hand.shape[0])

    @property
    def horizon(self) -> int:
        return int(self.demand_mean.shape[1])


@dataclass(frozen=True, slots=True)
class Calendar:
    """When suppliers deliver and locations receive and sell, over ``H`` days.

    Attributes:
        supplier_release: (m + 1, H) int64: the day a delivery from the supplier due on
            day ``d`` arrives (``>= d``; ``H`` = not within the horizon): outages, country
            closures and carrier strikes hold deliveries.
        supplier_out_days: (m + 1, H) int64 consecutive days the supplier has been out
            up to and including day ``t`` (0 = delivering).
        lead_time_factor: (m + 1, H) multiplier of the lead time of orders placed on ``t``.
        delay_indptr: (m + 2,) int64 CSR offsets of ``delays`` per supplier.
        delays: int64 observed delivery delays in days (late > 0), drawn uniformly; a
            supplier without any draws no delay.
        location_release: (k, H) int64: the day a delivery due on ``d`` is received.
        location_open: (k, H) bool: False on days a location neither sells nor receives.
    """

    supplier_release: IntArray
    supplier_out_days: IntArray
    lead_time_factor: FloatArray
    delay_indptr: IntArray
    delays: IntArray
    location_release: IntArray
    location_open: BoolArray

    @classmethod
    def open_every_day(cls, *, n_suppliers: int, n_locations: int, horizon: int) -> Calendar:
        """Everyone delivers, sells and receives every day; no delays."""
        days = np.arange(horizon, dtype=np.int64)
        return cls(
            supplier_release=np.tile(days, (n_suppliers + 1, 1)),
            supplier_out_days=np.zeros((n_suppliers + 1, horizon), dtype=np.int64),
            lead_time_factor=np.ones((n_suppliers + 1, horizon)),
            delay_indptr=np.zeros(n_suppliers + 2, dtype=np.int64),
            delays=np.zeros(0, dtype=np.int64),
            location_release=np.tile(days, (n_locations, 1)),
            location_open=np.ones((n_locations, horizon), dtype=np.bool_),
        )


@dataclass(frozen=True, slots=True)
class Plans:
    """The plans' actions as arrays; plan 0 must be the baseline (no action).

    Attributes:
        demand_cap: (P, H) a day's demand is capped at ``ceil(demand_cap * base_mean)``
            (inf: no cap); the units above are not demand (a per-customer limit).
        safety_stock_added: (P, H) s and S are raised by this times the safety stock.
        expedite_cut: (P, H) int64 days cut from the lead time of orders placed on ``t``.
        expedite_cost_per_unit, expedite_cost_share: (P,) extra money per expedited unit:
            ``per_unit + share * unit_cost``.
        expedite_supplier: (P,) int64 supplier index expedited, -1 = all.
        switch_after: (P,) int64 days of outage of the usual supplier after which orders
            go to the alternate (open orders with the usual supplier are cancelled);
            -1 = never. switch_supplier: (P,) int64, -1 = any supplier.
        transfer_days: (P,) int64 days a transfer takes, -1 = no transfers;
            transfer_cost: (P,) money per unit; transfer_units: (P, n) int64 units the
            other location can give each row over the horizon.
        prebuild_day: (P,) int64 day pre-built units arrive; prebuild_units: (P, n) int64.
        holding_cost: (P, n) money per unit and day of stock held above the baseline's.
    """

    demand_cap: FloatArray
    safety_stock_added: FloatArray
    expedite_cut: IntArray
    expedite_cost_per_unit: FloatArray
    expedite_cost_share: FloatArray
    expedite_supplier: IntArray
    switch_after: IntArray
    switch_supplier: IntArray
    transfer_days: IntArray
    transfer_cost: FloatArray
    transfer_units: IntArray
    prebuild_day: IntArray
    prebuild_units: IntArray
    holding_cost: FloatArray

    @classmethod
    def baseline_only(cls, *, n_rows: int, horizon: int, n_plans: int = 1) -> Plans:
        """``n_plans`` plans with no actions."""
        p, n, h = n_plans, n_rows, horizon
        return cls(
            demand_cap=np.full((p, h), np.inf),
            safety_stock_added=np.zeros((p, h)),
            expedite_cut=np.zeros((p, h), dtype=np.int64),
            expedite_cost_per_unit=np.zeros(p),
            expedite_cost_share=np.zeros(p),
            expedite_supplier=np.full(p, -1, dtype=np.int64),
            switch_after=np.full(p, -1, dtype=np.int64),
            switch_supplier=np.full(p, -1, dtype=np.int64),
            transfer_days=np.full(p, -1, dtype=np.int64),
            transfer_cost=np.zeros(p),
            transfer_units=np.zeros((p, n), dtype=np.int64),
            prebuild_day=np.zeros(p, dtype=np.int64),
            prebuild_units=np.zeros((p, n), dtype=np.int64),
            holding_cost=np.zeros((p, n)),
        )

    @property
    def n_plans(self) -> int:
        return int(self.switch_after.shape[0])
