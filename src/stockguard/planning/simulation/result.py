"""What a replay measures, per SKU and over all SKUs together.

For SKU ``i`` over the ``T`` replayed days, with ``D_t`` demand, ``X_t`` units served,
``I_t^start`` on hand after the day's receipts and ``I_t^end`` on hand after its sales:

* fill rate ``beta_i = sum_t X_t / sum_t D_t`` (NaN without demand); over all SKUs
  ``sum_i sum_t X_t / sum_i sum_t D_t`` (every unit of demand weighs the same);
* stock-out day: ``I_t^start = 0`` (nothing to sell that day) or ``X_t < D_t`` (demand
  lost); ``stockout_days`` counts them;
* replenishment cycle: the days from one receipt (or the start of the replay) to the day
  before the next receipt. The cycle service level is the share of cycles without lost
  demand; the last, unfinished cycle counts only if demand was already lost in it (its
  outcome is then known). NaN where no cycle counts;
* average on hand ``(1/T) sum_t (I_t^start + I_t^end) / 2`` units (the trapezoid: stock
  falls during the day), and its value at ``unit_cost``;
* orders placed (orders with a positive quantity) and units ordered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from stockguard.planning.simulation.scenario import BoolArray, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class ReplayPaths:
    """Day-by-day paths, all (n_sku, n_days).

    Attributes:
        on_hand: units on hand at the end of each day (after sales).
        sales: units served each day.
        receipts: units received at the start of each day.
        orders: units ordered at the end of each day.
        stocked_out: True on stock-out days.
    """

    on_hand: FloatArray
    sales: FloatArray
    receipts: FloatArray
    orders: FloatArray
    stocked_out: BoolArray


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """Outcome of one replay; per-SKU (n_sku,) arrays and totals as properties.

    Attributes:
        demand: units demanded over the replay.
        served: units served from stock.
        fill_rate: ``served / demand``, NaN where there was no demand.
        cycles: replenishment cycles counted (module docstring).
        cycles_without_stockout: those of them without lost demand.
        cycle_service_level: ``cycles_without_stockout / cycles``, NaN with no cycle.
        stockout_days: days out of stock.
        average_on_hand: units, trapezoid average over the days.
        average_on_hand_value: ``average_on_hand * unit_cost``.
        orders_placed: orders with a positive quantity.
        units_ordered: units ordered (including orders due after the replay).
        final_on_hand, final_on_order: units at the end of the replay.
        paths: the day-by-day paths when ``keep_paths`` was asked, else None.
    """

    demand: FloatArray
    served: FloatArray
    fill_rate: FloatArray
    cycles: IntArray
    cycles_without_stockout: IntArray
    cycle_service_level: FloatArray
    stockout_days: IntArray
    average_on_hand: FloatArray
    average_on_hand_value: FloatArray
    orders_placed: IntArray
    units_ordered: FloatArray
    final_on_hand: FloatArray
    final_on_order: FloatArray
    paths: ReplayPaths | None

    @property
    def lost(self) -> FloatArray:
        """(n_sku,) units of demand lost."""
        return np.asarray(self.demand - self.served, dtype=np.float64)

    @property
    def total_fill_rate(self) -> float:
        """Fill rate over all units of demand together (NaN without demand)."""
        demand = float(self.demand.sum())
        return float(self.served.sum()) / demand if demand > 0 else float("nan")

    @property
    def total_cycle_service_level(self) -> float:
        """Share of all SKUs' cycles without lost demand (NaN without cycles)."""
        cycles = int(self.cycles.sum())
        return int(self.cycles_without_stockout.sum()) / cycles if cycles else float("nan")

    @property
    def total_average_on_hand(self) -> float:
        """Units on hand over all SKUs, averaged over the days."""
        return float(self.average_on_hand.sum())

    @property
    def total_average_on_hand_value(self) -> float:
        """Value on hand over all SKUs, averaged over the days."""
        return float(self.average_on_hand_value.sum())

    @property
    def total_stockout_days(self) -> int:
        return int(self.stockout_days.sum())

    @property
    def total_orders_placed(self) -> int:
        return int(self.orders_placed.sum())


class Recorder:
    """Accumulates the measures of one replay day by day (internal to ``replay``).

    ``history`` keeps the sales and stock-out columns a ``Replanner`` reads; ``paths``
    keeps every path for the result. Without them memory is O(n_sku).
    """

    def __init__(self, n_sku: int, n_days: int, *, history: bool, paths: bool) -> None:
        self.keep_history, self.keep_paths = history or paths, paths

        def path(wanted: bool, dtype: type = np.float64) -> npt.NDArray[Any]:
            # column-major: the loop writes one day's column at a time
            return np.zeros((n_sku, n_days if wanted else 0), dtype=dtype, order="F")

        self.sales = path(self.keep_history)
        self.stocked_out = path(self.keep_history, np.bool_)
        self.on_hand, self.receipts, self.orders = (path(paths) for _ in range(3))
        self.n_days = n_days
        self.served = np.zeros(n_sku)
        self.end = np.zeros(n_sku)
        self.on_hand_sum = np.zeros(n_sku)
        self.units_ordered = np.zeros(n_sku)
        self.stockout_days, self.orders_placed, self.cycles, self.good_cycles, self.cycle_days = (
            np.zeros(n_sku, dtype=np.int64) for _ in range(5)
        )
        self.cycle_lost = np.zeros(n_sku, dtype=np.bool_)

    def receive(self, day: int, received: FloatArray) -> None:
        """Record the start-of-day receipts; a receipt closes the cycle running since."""
        if self.keep_paths:
            self.receipts[:, day] = received
        closes = (received > 0) & (self.cycle_days > 0)
        self.cycles += closes
        self.good_cycles += closes & ~self.cycle_lost
        self.cycle_days = np.where(closes, 0, self.cycle_days)
        self.cycle_lost &= ~closes

    def sell(self, day: int, start: FloatArray, served: FloatArray, lost: BoolArray) -> None:
        """Record the day's sales; ``start`` is on hand after receipts, before sales."""
        self.end = start - served
        stocked_out = (start <= 0) | lost
        self.served += served
        self.stockout_days += stocked_out
        self.on_hand_sum += 0.5 * (start + self.end)
        self.cycle_days += 1
        self.cycle_lost |= lost
        if self.keep_history:
            self.sales[:, day] = served
            self.stocked_out[:, day] = stocked_out
        if self.keep_paths:
            self.on_hand[:, day] = self.end

    def order(self, day: int, quantity: FloatArray) -> None:
        """Record the units ordered at the end of the day."""
        self.orders_placed += quantity > 0
        self.units_ordered += quantity
        if self.keep_paths:
            self.orders[:, day] = quantity

    def result(
        self, demand: FloatArray, unit_cost: FloatArray, final_on_order: FloatArray
    ) -> ReplayResult:
        """The measures of the module docstring from the recorded days."""
        total_demand = demand.sum(axis=1)
        cycles = self.cycles + self.cycle_lost
        with np.errstate(divide="ignore", invalid="ignore"):
            fill_rate = np.where(total_demand > 0, self.served / total_demand, np.nan)
            csl = np.where(cycles > 0, self.good_cycles / cycles, np.nan)
        average = self.on_hand_sum / max(self.n_days, 1)
        paths = None
        if self.keep_paths:
            paths = ReplayPaths(
                self.on_hand, self.sales, self.receipts, self.orders, self.stocked_out
            )
        return ReplayResult(
            demand=total_demand,
            served=self.served,
            fill_rate=fill_rate,
            cycles=cycles,
            cycles_without_stockout=self.good_cycles,
            cycle_service_level=csl,
            stockout_days=self.stockout_days,
            average_on_hand=average,
            average_on_hand_value=average * unit_cost,
            orders_placed=self.orders_placed,
            units_ordered=self.units_ordered,
            final_on_hand=self.end,
            final_on_order=final_on_order,
            paths=paths,
        )
