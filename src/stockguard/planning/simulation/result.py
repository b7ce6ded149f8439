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

import numpy as np

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
    """Accumulates the day-by-day measures of one replay (internal to ``replay``)."""

    def __init__(self, n_sku: int, n_days: int) -> None:
        self.paths = ReplayPaths(
            on_hand=np.zeros((n_sku, n_days)),
            sales=np.zeros((n_sku, n_days)),
            receipts=np.zeros((n_sku, n_days)),
            orders=np.zeros((n_sku, n_days)),
            stocked_out=np.zeros((n_sku, n_days), dtype=np.bool_),
        )
        self.on_hand_sum = np.zeros(n_sku)
        self.cycles = np.zeros(n_sku, dtype=np.int64)
        self.good_cycles = np.zeros(n_sku, dtype=np.int64)
        self.cycle_days = np.zeros(n_sku, dtype=np.int64)
        self.cycle_lost = np.zeros(n_sku, dtype=np.bool_)

    def receive(self, day: int, received: FloatArray) -> None:
        """Record the start-of-day receipts; a receipt closes the cycle running since."""
        self.paths.receipts[:, day] = received
        closes = (received > 0) & (self.cycle_days > 0)
        self.cycles += closes
        self.good_cycles += closes & ~self.cycle_lost
        self.cycle_days = np.where(closes, 0, self.cycle_days)
        self.cycle_lost &= ~closes

    def sell(self, day: int, start: FloatArray, served: FloatArray, lost: BoolArray) -> None:
        """Record the day's sales; ``start`` is on hand after receipts, before sales."""
        end = start - served
        self.paths.sales[:, day] = served
        self.paths.on_hand[:, day] = end
        self.paths.stocked_out[:, day] = (start <= 0) | lost
        self.on_hand_sum += 0.5 * (start + end)
        self.cycle_days += 1
        self.cycle_lost |= lost

    def result(
        self,
        demand: FloatArray,
        unit_cost: FloatArray,
        final_on_order: FloatArray,
        *,
        keep_paths: bool,
    ) -> ReplayResult:
        """The measures of the module docstring from the recorded days."""
        paths = self.paths
        n_days = paths.sales.shape[1]
        total_demand = demand.sum(axis=1)
        served = paths.sales.sum(axis=1)
        cycles = self.cycles + self.cycle_lost
        with np.errstate(divide="ignore", invalid="ignore"):
            fill_rate = np.where(total_demand > 0, served / total_demand, np.nan)
            csl = np.where(cycles > 0, self.good_cycles / cycles, np.nan)
        average = self.on_hand_sum / max(n_days, 1)
        return ReplayResult(
            demand=total_demand,
            served=served,
            fill_rate=fill_rate,
            cycles=cycles,
            cycles_without_stockout=self.good_cycles.copy(),
            cycle_service_level=csl,
            stockout_days=paths.stocked_out.sum(axis=1).astype(np.int64),
            average_on_hand=average,
            average_on_hand_value=average * unit_cost,
            orders_placed=(paths.orders > 0).sum(axis=1).astype(np.int64),
            units_ordered=paths.orders.sum(axis=1),
            final_on_hand=paths.on_hand[:, -1].copy() if n_days else np.zeros(demand.shape[0]),
            final_on_order=final_on_order,
            paths=paths if keep_paths else None,
        )
