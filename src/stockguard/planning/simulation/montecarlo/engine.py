"""Monte Carlo of every plan over the scenario: paths x rows x days, compiled per row.

For each row (SKU x location), path and day, every plan steps on the same two uniforms
(common random numbers, ``_kernels``), in this order (lost sales, no backorders):

1. Receipts: purchase orders, transfers and open orders due today arrive
   (``Calendar`` holds deliveries during outages and closures); pre-built units arrive
   on ``Plans.prebuild_day``.
2. Sales: ``served = min(on_hand, demand)`` (0 where the location is closed), the rest is
   lost; a per-customer limit caps the day's demand first.
3. Ordering: the policy looks at the inventory position ``on_hand + on order`` and orders
   (rounded to MOQ and packs); from the alternate supplier once the usual one has been
   out ``switch_after`` days (open orders with it are then cancelled); the lead time is
   the stated one plus a drawn observed delay, times the day's factor, minus an expedite
   cut; the order arrives on the supply calendar's release day.
4. Transfers: when stock plus transfers in transit is at or below the reorder point and
   the supplier is out (or the shelf is empty), units come from the other location, up
   to the order-up-to level and what it can give.

Accounting per plan and path: demand, served, stock-out row-days (days with lost
demand), lost revenue (lost units x price), extra cost (expedite, switch premium,
transfers, holding of stock above the baseline's on the same path and day).

Chunking: rows are processed in blocks of whole reduction groups of ``GROUP_ROWS`` rows;
each group's per-path totals are summed in row order by one thread, and the groups are
then summed in a fixed order. With per-row random streams (``row_keys``), results do not
depend on the block size or the number of threads, bit for bit.

Cost (``benchmarks/scenario_speed.py``, one core): about 3 ns per row x path x day to
draw demand (64 paths at once) and 4 ns per plan stepped; memory: the inputs (~40 bytes
per row-day), ``GROUP_ROWS``-row groups of per-path totals and ~1 MB of scratch per
thread (64 paths' draws, pipes and the baseline's stock over the horizon).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from stockguard.planning.forecasting._jit import run_blocks
from stockguard.planning.simulation.montecarlo import _kernels as k
from stockguard.planning.simulation.montecarlo.model import (
    NORMAL_ABOVE,
    Calendar,
    FloatArray,
    IntArray,
    Plans,
    Rows,
)

GROUP_ROWS = 64
"""Rows per reduction group (the unit of thread work and of float summation)."""

Progress = Callable[[int, int], None]
"""Called with (blocks done, blocks in all)."""


@dataclass(frozen=True, slots=True)
class MonteCarloResult:
    """What a run returns.

    Attributes:
        path_totals: (P, paths, 5) per plan and path: demand (units), served (units),
            stock-out row-days, lost revenue (money), extra cost (money).
        row_totals: (n, P, 5) per row and plan, summed over paths: demand, served,
            stock-out days, lost units, extra cost.
        recorded_rows: (K,) rows whose stock was recorded.
        stock: (K, P, paths, H) int32 units on hand at the end of each day.
    """

    path_totals: FloatArray
    row_totals: FloatArray
    recorded_rows: IntArray
    stock: np.ndarray


def row_keys(seed: int, n_rows: int) -> np.ndarray:
    """(n,) uint64 stream key per row: child ``i`` of ``SeedSequence(seed).spawn(n)``."""
    children = np.random.SeedSequence(seed).spawn(n_rows)
    return np.array([c.generate_state(1, np.uint64)[0] for c in children], dtype=np.uint64)


def simulate(
    rows: Rows,
    calendar: Calendar,
    plans: Plans,
    *,
    paths: int,
    seed: int,
    block_rows: int | None = None,
    progress: Progress | None = None,
) -> MonteCarloResult:
    """Run ``paths`` paths of every row under every plan (module docstring).

    Args:
        block_rows: rows per block (rounded up to whole ``GROUP_ROWS``); None = one
            block. Results do not depend on it.
        progress: called after each block.
    """
    if paths < 1:
        raise ValueError(f"paths: expected >= 1, got {paths}")
    n, p = rows.n_rows, plans.n_plans
    keys = row_keys(seed, n)
    n_groups = -(-n // GROUP_ROWS)
    per_block = n_groups if block_rows is None else max(-(-block_rows // GROUP_ROWS), 1)
    group_totals = np.zeros((max(n_groups, 1), p, paths, k.N_METRICS))
    row_totals = np.zeros((n, p, k.N_METRICS))
    no_record = np.full(n, -1, dtype=np.int64)
    empty = np.zeros((1, 1, 1, 1), dtype=np.int32)
    row, cal, plan, normal_above = _arguments(rows, calendar, plans)
    starts = list(range(0, n_groups, per_block))
    for done, start in enumerate(starts, 1):
        stop = min(start + per_block, n_groups)

        def kernel(first: int, last: int, offset: int = start) -> None:
            k.simulate_rows(
                (offset + first) * GROUP_ROWS, min((offset + last) * GROUP_ROWS, n),
                paths, GROUP_ROWS, keys, row, cal, plan, normal_above,
                (group_totals, row_totals, no_record, empty),
            )  # fmt: skip

        run_blocks(kernel, stop - start)
        if progress is not None:
            progress(done, len(starts))
    return MonteCarloResult(
        path_totals=group_totals.sum(axis=0),
        row_totals=row_totals,
        recorded_rows=np.zeros(0, dtype=np.int64),
        stock=np.zeros((0, p, paths, rows.horizon), dtype=np.int32),
    )


def record_stock(
    rows: Rows, calendar: Calendar, plans: Plans, *, paths: int, seed: int, which: Sequence[int]
) -> np.ndarray:
    """(K, P, paths, H) int32 end-of-day stock of rows ``which``, on the same draws as
    ``simulate`` with the same seed (each row's stream depends on its index only)."""
    n, p = rows.n_rows, plans.n_plans
    keys = row_keys(seed, n)
    stock = np.zeros((len(which), p, paths, rows.horizon), dtype=np.int32)
    slot = np.full(n, -1, dtype=np.int64)
    row, cal, plan, normal_above = _arguments(rows, calendar, plans)
    for position, index in enumerate(which):
        slot[index] = position
        scratch = np.zeros((n // GROUP_ROWS + 1, p, paths, k.N_METRICS))
        row_scratch = np.zeros((n, p, k.N_METRICS))
        k.simulate_rows(
            int(index), int(index) + 1, paths, GROUP_ROWS, keys, row, cal, plan, normal_above,
            (scratch, row_scratch, slot, stock),
        )  # fmt: skip
        slot[index] = -1
    return stock


def _arguments(
    rows: Rows, calendar: Calendar, plans: Plans
) -> tuple[tuple[np.ndarray, ...], tuple[np.ndarray, ...], tuple[np.ndarray, ...], float]:
    """The kernel's input arrays, in its argument order."""
    rf = np.stack(
        [
            rows.reorder_point,
            rows.order_up_to,
            np.where(rows.order_quantity > 0, rows.order_quantity, 1.0),
            rows.safety_stock,
            rows.price,
            rows.unit_cost,
            rows.alternate_premium,
            rows.dispersion,
        ],
        axis=1,
    ).astype(np.float64)
    ri = np.stack(
        [
            np.maximum(rows.on_hand, 0),
            rows.kind,
            np.maximum(rows.review_period, 1),
            rows.minimum_order_quantity,
            rows.pack_size,
            rows.supplier,
            rows.lead_time,
            rows.alternate,
            rows.alternate_lead_time,
            rows.location,
        ],
        axis=1,
    ).astype(np.int64)
    c, pl = calendar, plans
    row = (rf, ri, rows.demand_mean, rows.base_mean, rows.scheduled.astype(np.int64))
    cal = (
        c.supplier_release, c.supplier_out_days, c.lead_time_factor, c.delay_indptr,
        c.delays, c.location_release, c.location_open,
    )  # fmt: skip
    plan_f = np.stack(
        [pl.expedite_cost_per_unit, pl.expedite_cost_share, pl.transfer_cost], axis=1
    ).astype(np.float64)
    plan_i = np.stack(
        [pl.expedite_supplier, pl.switch_after, pl.switch_supplier, pl.transfer_days,
         pl.prebuild_day], axis=1,
    ).astype(np.int64)  # fmt: skip
    plan = (
        plan_f, plan_i, pl.demand_cap, pl.safety_stock_added, pl.expedite_cut,
        pl.transfer_units, pl.prebuild_units, pl.holding_cost,
    )  # fmt: skip
    return (row, cal, plan, NORMAL_ABOVE)
