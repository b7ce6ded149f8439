"""Monte Carlo engine: an exact analytical case, chunking, common random numbers."""

from __future__ import annotations

import numpy as np
from scipy import stats

from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.simulation.montecarlo import _kernels as k
from stockguard.planning.simulation.montecarlo import engine
from stockguard.planning.simulation.montecarlo.model import Calendar, Plans, Rows


def some_rows(
    n: int,
    horizon: int,
    *,
    mean: float = 3.0,
    reorder_point: float = 24.0,
    order_up_to: float = 25.0,
    kind: PolicyKind = PolicyKind.PERIODIC_ORDER_UP_TO,
    review: int = 7,
    lead_time: int = 1,
    dispersion: float = 1.0,
) -> Rows:
    def full(value: float, dtype: type = np.float64) -> np.ndarray:
        return np.full(n, value, dtype=dtype)

    return Rows(
        demand_mean=np.full((n, horizon), mean),
        base_mean=np.full((n, horizon), mean),
        dispersion=full(dispersion),
        on_hand=full(order_up_to, np.int64),
        scheduled=np.zeros((n, horizon), dtype=np.int64),
        kind=full(int(kind), np.int64),
        reorder_point=full(reorder_point),
        order_up_to=full(order_up_to),
        order_quantity=full(mean * review),
        safety_stock=full(5.0),
        review_period=full(review, np.int64),
        minimum_order_quantity=full(0, np.int64),
        pack_size=full(1, np.int64),
        supplier=full(0, np.int64),
        lead_time=full(lead_time, np.int64),
        alternate=full(1, np.int64),
        alternate_lead_time=full(lead_time, np.int64),
        alternate_premium=full(0.0),
        location=full(0, np.int64),
        price=full(10.0),
        unit_cost=full(4.0),
    )


def expected_min(mean: float, cap: int) -> float:
    """E[min(D, S)] = sum_{k < S} P(D > k) for D ~ Poisson(mean)."""
    return float(sum(stats.poisson.sf(j, mean) for j in range(cap)))


def test_periodic_order_up_to_with_a_one_day_lead_time_matches_the_exact_fill_rate() -> None:
    # (R, S) reviewed every R = 7 days, lead time 1 day, lost sales, Poisson(3) demand.
    # The order placed at the end of review day t arrives at the start of day t + 1, so
    # every cycle of R days starts with exactly S on hand and nothing else arrives in it:
    # a cycle serves min(D_R, S) with D_R ~ Poisson(R * mean). Day 0 starts with S and is
    # a cycle of its own. Expected fill rate = E[served] / E[demand], exactly.
    mean, big_s, review, cycles = 3.0, 25, 7, 52
    horizon = 1 + review * cycles
    rows = some_rows(1, horizon, mean=mean, order_up_to=big_s, review=review)
    calendar = Calendar.open_every_day(n_suppliers=1, n_locations=1, horizon=horizon)
    plans = Plans.baseline_only(n_rows=1, horizon=horizon)
    result = engine.simulate(rows, calendar, plans, paths=4000, seed=7)
    served, demand = result.path_totals[0, :, k.M_SERVED], result.path_totals[0, :, k.M_DEMAND]
    exact = (expected_min(mean, big_s) + cycles * expected_min(review * mean, big_s)) / (
        mean * horizon
    )
    simulated = served.sum() / demand.sum()
    residual = served - simulated * demand
    standard_error = residual.std(ddof=1) / np.sqrt(served.size) / demand.mean()
    assert abs(simulated - exact) <= 3 * standard_error
    assert 0.9 < exact < 1.0  # the case is not trivial: cycles do run out


def test_chunked_and_unchunked_runs_agree_bit_for_bit() -> None:
    horizon = 90
    rows = some_rows(
        150, horizon, kind=PolicyKind.REORDER_POINT_ORDER_UP_TO, reorder_point=10.0,
        order_up_to=30.0, lead_time=4, dispersion=1.8,
    )  # fmt: skip
    calendar = Calendar.open_every_day(n_suppliers=1, n_locations=1, horizon=horizon)
    plans = Plans.baseline_only(n_rows=150, horizon=horizon, n_plans=2)
    whole = engine.simulate(rows, calendar, plans, paths=50, seed=3)
    chunked = engine.simulate(rows, calendar, plans, paths=50, seed=3, block_rows=10)
    assert np.array_equal(whole.path_totals, chunked.path_totals)
    assert np.array_equal(whole.row_totals, chunked.row_totals)
    other_seed = engine.simulate(rows, calendar, plans, paths=50, seed=4)
    assert not np.array_equal(whole.path_totals, other_seed.path_totals)


def test_a_plan_without_actions_sees_the_same_draws_as_the_baseline() -> None:
    horizon = 60
    rows = some_rows(64, horizon, kind=PolicyKind.MIN_MAX, reorder_point=8.0, lead_time=3)
    calendar = Calendar.open_every_day(n_suppliers=1, n_locations=1, horizon=horizon)
    plans = Plans.baseline_only(n_rows=64, horizon=horizon, n_plans=3)
    plans.expedite_cut[2] = 2  # plan 2 expedites every order by two days
    plans.expedite_cost_per_unit[2] = 1.0
    result = engine.simulate(rows, calendar, plans, paths=40, seed=5)
    assert np.array_equal(result.path_totals[0], result.path_totals[1])
    demand = result.path_totals[:, :, k.M_DEMAND]
    assert np.array_equal(demand[0], demand[2])  # same demand draws whatever the plan does
    assert result.path_totals[2, :, k.M_EXTRA].sum() > 0


def test_recorded_stock_is_the_stock_of_the_same_paths() -> None:
    horizon = 30
    rows = some_rows(3, horizon, kind=PolicyKind.REORDER_POINT_ORDER_UP_TO, reorder_point=5.0)
    calendar = Calendar.open_every_day(n_suppliers=1, n_locations=1, horizon=horizon)
    plans = Plans.baseline_only(n_rows=3, horizon=horizon)
    stock = engine.record_stock(rows, calendar, plans, paths=20, seed=9, which=[2])
    assert stock.shape == (1, 1, 20, horizon)
    assert stock.min() >= 0
    assert stock[0, 0, :, 0].max() <= 25

    # A row that never orders (reorder point below any position) sells its first 25 units
    # minus what is left, so the recorded paths add up to the units ``simulate`` served on
    # the same seed, and not on another (8 days of Poisson(3) leave some stock on most paths).
    never = some_rows(3, 8, kind=PolicyKind.REORDER_POINT_ORDER_UP_TO, reorder_point=-1.0)
    calendar = Calendar.open_every_day(n_suppliers=1, n_locations=1, horizon=8)
    plans = Plans.baseline_only(n_rows=3, horizon=8)
    recorded = engine.record_stock(never, calendar, plans, paths=20, seed=9, which=[2])[0, 0]
    served = engine.simulate(never, calendar, plans, paths=20, seed=9).row_totals[2, 0]
    other = engine.simulate(never, calendar, plans, paths=20, seed=10).row_totals[2, 0]
    assert (np.diff(recorded, axis=1) <= 0).all()  # nothing received
    assert served[k.M_SERVED] == (25 - recorded[:, -1]).sum()
    assert other[k.M_SERVED] != served[k.M_SERVED]
