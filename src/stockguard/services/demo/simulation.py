"""Day-by-day stock simulation of the demo shop (loop over days, vector over SKU x location).

Each day, in this order:
1. purchase orders due today arrive (accepted units enter stock, the line closes);
2. demand is drawn and served from stock on hand; a line that does not fit is lost
   (censored demand: lost sales are never recorded as sales);
3. the buyer's demand estimate learns from days that did not stock out (EWMA);
4. on each supplier's order weekday, SKU x location whose inventory position
   (on hand + on order) is at or below the reorder point are ordered up to S:
       s = d * (L + R) + z * sqrt(d * D * (L + R)),  S = s + d * C
   with d the estimate (units/day), L the stated lead time, R the 7-day review period,
   D the variance-to-mean ratio of daily units, z a per-SKU safety factor and C a cycle
   length in days; quantities are rounded up to the pack size and at least the MOQ.
   Actual lead times, short shipments and rejected units are drawn per supplier.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import numpy.typing as npt

from stockguard.services.demo import vocabulary as v
from stockguard.services.demo.catalogue import Catalogue, lead_time_parameters, stated_lead_time
from stockguard.services.demo.demand import DemandModel

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
REVIEW_DAYS = 7
LEARNING_RATE = 0.04
MINIMUM_ESTIMATE = 0.005  # units/day


@dataclass(frozen=True, slots=True)
class SalesLines:
    """Order lines served from stock, shape (n_line,) each; ``discount`` is a fraction."""

    day: IntArray
    sku: IntArray
    location: IntArray
    quantity: IntArray
    discount: FloatArray


@dataclass(frozen=True, slots=True)
class PurchaseHistory:
    """Purchase orders (shape (n_po,)) and their lines (shape (n_po_line,)).

    ``expected_day`` is the order day plus the supplier's stated lead time,
    ``arrival_day`` when it really arrives (>= n_days: still open at the end).
    ``shipped`` units were delivered, of which ``rejected`` failed inspection.
    """

    supplier: IntArray
    location: IntArray
    ordered_day: IntArray
    expected_day: IntArray
    arrival_day: IntArray
    line_order: IntArray
    line_sku: IntArray
    quantity: IntArray
    shipped: IntArray
    rejected: IntArray


@dataclass(frozen=True, slots=True)
class SimulationResult:
    """Outcome of the run; level arrays have shape (n_sku, n_location)."""

    initial_on_hand: IntArray
    final_on_hand: IntArray
    final_on_order: IntArray
    lost_units: IntArray
    stockout_days: IntArray
    sales: SalesLines
    purchases: PurchaseHistory


@dataclass(frozen=True, slots=True)
class _Policy:
    """Buyer's parameters per SKU, shape (n_sku,)."""

    safety_factor: FloatArray
    cycle_days: FloatArray
    lead_time: FloatArray
    dispersion: FloatArray
    order_weekday: IntArray


def simulate(
    rng: np.random.Generator, catalogue: Catalogue, demand: DemandModel
) -> SimulationResult:
    """Run the shop for ``demand.n_days`` days; see the module docstring."""
    shop = _Shop(rng, catalogue, demand)
    initial = shop.on_hand.copy()
    for day in range(demand.n_days):
        shop.receive(day)
        shop.sell(day)
        shop.reorder(day)
    return SimulationResult(
        initial_on_hand=initial,
        final_on_hand=shop.on_hand,
        final_on_order=shop.on_order,
        lost_units=shop.lost,
        stockout_days=shop.stockout_days,
        sales=shop.sales_lines(),
        purchases=shop.purchase_history(),
    )


class _Shop:
    """Mutable state of the simulation; arrays of shape (n_sku, n_location)."""

    def __init__(self, rng: np.random.Generator, catalogue: Catalogue, demand: DemandModel) -> None:
        self.rng, self.catalogue, self.demand = rng, catalogue, demand
        n_sku, n_location = catalogue.n_skus, demand.location_share.size
        self.shape = (n_sku, n_location)
        self.policy = _policy(rng, catalogue, demand)
        no_discount = np.zeros(n_sku)
        self.estimate = demand.line_rate(0, no_discount) * demand.mean_units_per_line()[:, None]
        _, order_up_to = self._targets(np.ones(n_sku, dtype=bool))
        start = order_up_to * rng.uniform(0.3, 1.1, self.shape)
        self.on_hand: IntArray = np.round(start).astype(np.int64)
        self.on_order: IntArray = np.zeros(self.shape, dtype=np.int64)
        self.lost: IntArray = np.zeros(self.shape, dtype=np.int64)
        self.stockout_days: IntArray = np.zeros(self.shape, dtype=np.int64)
        self.arrivals: dict[int, list[tuple[IntArray, IntArray, IntArray]]] = {}
        self._sales: list[tuple[IntArray, ...]] = []
        self._sales_discount: list[FloatArray] = []
        self._orders: list[tuple[IntArray, ...]] = []
        self._lines: list[tuple[IntArray, ...]] = []
        self.n_orders = 0

    def receive(self, day: int) -> None:
        for cells, accepted, ordered in self.arrivals.pop(day, []):
            np.add.at(self.on_hand.reshape(-1), cells, accepted)
            np.subtract.at(self.on_order.reshape(-1), cells, ordered)

    def sell(self, day: int) -> None:
        """Serve today's demand from stock; record served lines, lost units, learning."""
        discount = self.demand.discount(day)
        counts = self.rng.poisson(self.demand.line_rate(day, discount)).reshape(-1)
        cells = np.repeat(np.arange(counts.size, dtype=np.int64), counts)
        n_location = self.shape[1]
        quantity = 1 + self.rng.poisson(self.demand.extra_quantity[cells // n_location])
        filled = _fits(counts, quantity, self.on_hand.reshape(-1)[cells])
        size = counts.size
        sold = np.bincount(cells[filled], quantity[filled], size).astype(np.int64)
        lost = np.bincount(cells[~filled], quantity[~filled], size).astype(np.int64)
        self.on_hand -= sold.reshape(self.shape)
        self.lost += lost.reshape(self.shape)
        out = self.on_hand <= 0
        self.stockout_days += out
        learned = (1 - LEARNING_RATE) * self.estimate + LEARNING_RATE * sold.reshape(self.shape)
        self.estimate = np.where(out, self.estimate, np.maximum(learned, MINIMUM_ESTIMATE))
        served = cells[filled]
        sku = served // n_location
        self._sales.append((np.full(served.size, day), sku, served % n_location, quantity[filled]))
        self._sales_discount.append(discount[sku])

    def reorder(self, day: int) -> None:
        """Order up to S where the inventory position is at or below s (see module doc)."""
        weekday = (self.demand.first_day.weekday() + day) % 7
        ordering = (self.policy.order_weekday == weekday) & (day < self.catalogue.discontinued_day)
        if not ordering.any():
            return
        reorder_point, order_up_to = self._targets(ordering)
        position = self.on_hand[ordering] + self.on_order[ordering]
        need = (position <= reorder_point) & (order_up_to - position >= 0.5)
        rows, location = np.nonzero(need)
        if rows.size == 0:
            return
        sku = np.flatnonzero(ordering)[rows]
        shortfall = np.ceil(order_up_to[rows, location] - position[rows, location])
        pack = self.catalogue.pack_size[sku]
        quantity = np.maximum(
            -(-shortfall.astype(np.int64) // pack) * pack,
            self.catalogue.minimum_order_quantity[sku],
        )
        self._place_orders(day, sku, location, quantity)

    def _targets(self, ordering: npt.NDArray[np.bool_]) -> tuple[FloatArray, FloatArray]:
        """Reorder point s and order-up-to S of the selected SKUs, shape (k, n_location)."""
        policy = self.policy
        estimate = self.estimate[ordering]
        horizon = (policy.lead_time[ordering] + REVIEW_DAYS)[:, None]
        spread = np.sqrt(estimate * policy.dispersion[ordering][:, None] * horizon)
        reorder_point = estimate * horizon + policy.safety_factor[ordering][:, None] * spread
        return reorder_point, reorder_point + estimate * policy.cycle_days[ordering][:, None]

    def _place_orders(
        self, day: int, sku: IntArray, location: IntArray, quantity: IntArray
    ) -> None:
        """One PO per supplier x location; draw its lead time, fill and rejects."""
        supplier = self.catalogue.primary_supplier[sku]
        keys, po_of_line = np.unique(supplier * self.shape[1] + location, return_inverse=True)
        po_supplier = keys // self.shape[1]
        lead = _draw_lead_times(self.rng, po_supplier)
        spec = _supplier_vectors()
        full = self.rng.random(sku.size) < spec["fill_rate"][supplier]
        short = np.floor(quantity * self.rng.uniform(0.5, 0.95, sku.size)).astype(np.int64)
        shipped = np.where(full, quantity, short)
        rejected = self.rng.binomial(shipped, spec["reject_rate"][supplier]).astype(np.int64)
        arrival = day + lead
        stated = spec["stated_lead_time"][po_supplier].astype(np.int64)
        self._orders.append(
            (po_supplier, keys % self.shape[1], np.full(keys.size, day), day + stated, arrival)
        )
        po_index = self.n_orders + po_of_line.reshape(-1)
        self._lines.append((po_index, sku, quantity, shipped, rejected))
        self.n_orders += keys.size
        cells = sku * self.shape[1] + location
        np.add.at(self.on_order.reshape(-1), cells, quantity)
        for po in range(keys.size):
            mine = po_of_line.reshape(-1) == po
            due = self.arrivals.setdefault(int(arrival[po]), [])
            due.append((cells[mine], (shipped - rejected)[mine], quantity[mine]))

    def sales_lines(self) -> SalesLines:
        day, sku, location, quantity = (_concat(c) for c in zip(*self._sales, strict=True))
        discount = np.concatenate(self._sales_discount) if self._sales_discount else np.zeros(0)
        return SalesLines(day, sku, location, quantity, discount)

    def purchase_history(self) -> PurchaseHistory:
        orders = [_concat(c) for c in zip(*self._orders, strict=True)] or [_empty()] * 5
        lines = [_concat(c) for c in zip(*self._lines, strict=True)] or [_empty()] * 5
        return PurchaseHistory(*orders, *lines)


def _fits(counts: IntArray, quantity: IntArray, on_hand: IntArray) -> npt.NDArray[np.bool_]:
    """Which lines (grouped by cell, in order) fit into the cell's stock on hand.

    ``counts`` is (n_cell,) lines per cell, ``quantity`` and ``on_hand`` are (n_line,):
    each line's units and the on-hand stock of its cell. A line is served while the
    running total of its cell's lines stays within stock; later lines are lost.
    """
    if quantity.size == 0:
        return np.zeros(0, dtype=bool)
    running = np.cumsum(quantity)
    per_cell = counts[counts > 0]
    ends = np.cumsum(per_cell)
    before = np.concatenate(([0], running[ends[:-1] - 1]))
    within: IntArray = running - np.repeat(before, per_cell)
    fits: npt.NDArray[np.bool_] = within <= on_hand
    return fits


def _policy(rng: np.random.Generator, catalogue: Catalogue, demand: DemandModel) -> _Policy:
    n_sku = catalogue.n_skus
    spec = _supplier_vectors()
    supplier = catalogue.primary_supplier
    return _Policy(
        safety_factor=rng.uniform(0.6, 1.8, n_sku),
        cycle_days=rng.uniform(14.0, 42.0, n_sku),
        lead_time=spec["stated_lead_time"][supplier],
        dispersion=demand.units_dispersion(),
        order_weekday=spec["order_weekday"][supplier].astype(np.int64),
    )


@cache
def _supplier_vectors() -> dict[str, FloatArray]:
    """Per-supplier parameters as vectors of shape (n_supplier,)."""
    params = [lead_time_parameters(s) for s in v.SUPPLIERS]
    return {
        "mu": np.array([p[0] for p in params]),
        "sigma": np.array([p[1] for p in params]),
        "stated_lead_time": np.array([stated_lead_time(s) for s in v.SUPPLIERS], dtype=float),
        "fill_rate": np.array([s.fill_rate for s in v.SUPPLIERS]),
        "reject_rate": np.array([s.reject_rate for s in v.SUPPLIERS]),
        "order_weekday": np.array([s.order_weekday for s in v.SUPPLIERS], dtype=float),
    }


def _draw_lead_times(rng: np.random.Generator, supplier: IntArray) -> IntArray:
    """Actual lead times in whole days (>= 1) from each supplier's lognormal."""
    spec = _supplier_vectors()
    days = rng.lognormal(spec["mu"][supplier], spec["sigma"][supplier])
    return np.maximum(np.round(days), 1).astype(np.int64)


def _concat(chunks: tuple[IntArray, ...]) -> IntArray:
    return np.concatenate(chunks).astype(np.int64)


def _empty() -> IntArray:
    return np.zeros(0, dtype=np.int64)
