"""Monte Carlo lanes (many paths at once) equal the one-path-at-a-time reference."""

from __future__ import annotations

from typing import Any

import numpy as np

from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.simulation.montecarlo import _kernels as k
from stockguard.planning.simulation.montecarlo import engine
from stockguard.planning.simulation.montecarlo.model import (
    NORMAL_ABOVE,
    Calendar,
    Plans,
    Rows,
)
from unit.planning.test_montecarlo_engine import some_rows


def one(state: np.uint64, t: int, mean: np.ndarray, terms: np.ndarray, cdf: np.ndarray) -> int:
    """Day ``t``'s demand of one path by the scalar reference."""
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps modulo 2**64 on purpose
        uniform = k.mix(state + np.uint64(2 * t + 1) * k.GOLDEN)
    return int(k.draw_demand(uniform, mean[t], terms, cdf, t))


def test_lanes_draw_the_same_demand_as_the_scalar_reference_bit_for_bit() -> None:
    # Days with no demand, small Poisson/negative binomial means (table only), means
    # whose draws often run past the table (the recursion), and normal-approximation days.
    mean = np.array([0.0, 0.3, 2.0, 7.5, 14.0, 30.0, 59.0, 80.0, 400.0] * 5)
    keys = np.array([0x1234567890ABCDEF], dtype=np.uint64)
    for dispersion in (1.0, 2.5):
        terms = np.zeros((5, mean.size))
        cdf = np.ones((mean.size, k.CDF_SIZE))
        k.demand_terms(mean, dispersion, NORMAL_ABOVE, terms, cdf)
        lanes = 37  # not a power of two: a partial block of paths
        states = keys[0] + np.arange(lanes, dtype=np.uint64) * k.PATH_STRIDE
        draws = np.zeros((mean.size, lanes + 3), dtype=np.int64)  # (H, >= L)
        uniforms, counts = np.zeros(lanes), np.zeros(lanes, dtype=np.int64)
        k.draw_lanes(states, mean, terms, cdf, uniforms, counts, draws)
        expected = np.array(
            [[one(state, t, mean, terms, cdf) for t in range(mean.size)] for state in states]
        )
        assert np.array_equal(draws[:, :lanes], expected.T)
        draws = draws[:, :lanes].T
        assert (draws[:, mean > 14] >= k.CDF_SIZE).any()  # the recursion was exercised
        means = draws.mean(axis=0).reshape(5, -1).mean(axis=0)
        assert np.allclose(means, mean[:9], rtol=0.25, atol=0.3)


def scalar_row_totals(rows: Rows, calendar: Calendar, plans: Plans, paths: int, seed: int) -> Any:
    """(n, P, 5) row totals by the one-path-at-a-time reference ``run_plan``."""
    row, cal, plan, normal_above = engine._arguments(rows, calendar, plans)
    keys, horizon, n_plans = engine.row_keys(seed, rows.n_rows), rows.horizon, plans.n_plans
    totals = np.zeros((rows.n_rows, n_plans, k.N_METRICS))
    day_terms = (
        np.zeros((n_plans, horizon), dtype=np.int64), np.zeros((n_plans, horizon)),
        np.zeros(horizon, dtype=np.int64), np.zeros(1, dtype=np.int64),
    )  # fmt: skip
    pipes, no_stock = np.zeros((3, horizon), dtype=np.int64), np.zeros(1, dtype=np.int32)
    for i in range(rows.n_rows):
        terms, cdf = np.zeros((5, horizon)), np.ones((horizon, k.CDF_SIZE))
        k.demand_terms(rows.demand_mean[i], rows.dispersion[i], normal_above, terms, cdf)
        k.row_day_terms(i, row, plan, day_terms)
        for path in range(paths):
            with np.errstate(over="ignore"):
                state = keys[i] + np.uint64(path) * k.PATH_STRIDE
            draws = np.array(
                [one(state, t, rows.demand_mean[i], terms, cdf) for t in range(horizon)]
            )
            for p in range(n_plans):
                figures = k.run_plan(p, i, draws, state, day_terms, pipes, row, cal, plan, no_stock)
                totals[i, p] += np.array(figures)
    return totals


def test_lanes_step_every_plan_like_the_scalar_reference_bit_for_bit() -> None:
    # An outage of the usual supplier (days 10-40, so switching plans act), lead-time
    # delays, and plans that switch, expedite, transfer, pre-build, cap demand and raise
    # safety stock; 70 paths: one full block of lanes and a partial one.
    horizon, n = 60, 4
    rows = some_rows(
        n, horizon, kind=PolicyKind.REORDER_POINT_ORDER_UP_TO, reorder_point=12.0,
        order_up_to=30.0, lead_time=4, dispersion=1.7,
    )  # fmt: skip
    calendar = Calendar.open_every_day(n_suppliers=2, n_locations=1, horizon=horizon)
    out = np.zeros(horizon, dtype=np.int64)
    out[10:41] = np.arange(1, 32)
    calendar.supplier_out_days[0] = out
    calendar.supplier_release[0, 10:41] = 41
    calendar.delay_indptr[:] = [0, 4, 4, 4]
    delays = np.array([-1, 0, 2, 5], dtype=np.int64)
    calendar = Calendar(
        **{**{f: getattr(calendar, f) for f in Calendar.__slots__}, "delays": delays}
    )
    plans = Plans.baseline_only(n_rows=n, horizon=horizon, n_plans=5)
    plans.switch_after[1] = 3
    plans.expedite_cut[2, 5:30], plans.expedite_cost_per_unit[2] = 2, 0.5
    plans.transfer_days[3], plans.transfer_units[3], plans.transfer_cost[3] = 2, 25, 1.0
    plans.prebuild_day[4], plans.prebuild_units[4], plans.holding_cost[4] = 8, 20, 0.03
    plans.demand_cap[4, 20:30], plans.safety_stock_added[4, 5:45] = 1.3, 0.5
    lanes = engine.simulate(rows, calendar, plans, paths=70, seed=21)
    reference = scalar_row_totals(rows, calendar, plans, 70, 21)
    assert np.array_equal(lanes.row_totals, reference)
    assert len({tuple(lanes.row_totals[0, p]) for p in range(5)}) == 5  # every plan acted
