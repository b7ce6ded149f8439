"""Replay simulator: hand-checked days, lost sales, crossing orders, outages, the oracle,
and the vectorised replay equal to a plain scalar loop per SKU."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning import simulation as sim
from stockguard.planning.inventory import policies
from stockguard.planning.inventory.kinds import PolicyKind

S_S = int(PolicyKind.REORDER_POINT_ORDER_UP_TO)
FIXED_Q = int(PolicyKind.REORDER_POINT_FIXED_QUANTITY)
MIN_MAX = int(PolicyKind.MIN_MAX)
PERIODIC = int(PolicyKind.PERIODIC_ORDER_UP_TO)
NEVER = -1.0  # a reorder point no position reaches


def a_policy(
    kind: int, s: float, big_s: float, q: float = 1.0, **extra: object
) -> sim.ReplayPolicy:
    levels = sim.PolicyLevels(np.array([s]), np.array([big_s]), np.array([q]))
    return sim.ReplayPolicy(kind=np.array([kind]), levels=levels, **extra)  # type: ignore[arg-type]


def replay(
    demand: list[float],
    lead: list[int] | int,
    policy: sim.ReplayPolicy | sim.OrderPlan,
    **kw: object,
) -> sim.ReplayResult:
    lead_times = [lead] * len(demand) if isinstance(lead, int) else lead
    scenario = sim.Scenario.build(
        demand=[demand], lead_time=[lead_times], supply_available=kw.pop("available", None)
    )
    on_hand = np.array([kw.pop("on_hand", 0.0)], dtype=np.float64)
    return sim.simulate(scenario, policy, initial_on_hand=on_hand, keep_paths=True)


def paths(result: sim.ReplayResult) -> sim.ReplayPaths:
    assert result.paths is not None
    return result.paths


def test_s_big_s_days_follow_the_docstring_example() -> None:
    result = replay([3, 3, 3, 3, 3, 3], 2, a_policy(S_S, 6, 12), on_hand=10)
    assert paths(result).on_hand.tolist() == [[7, 4, 1, 6, 3, 6]]
    assert paths(result).orders.tolist() == [[0, 8, 0, 6, 0, 6]]
    assert paths(result).receipts.tolist() == [[0, 0, 0, 8, 0, 6]]
    assert result.total_fill_rate == 1.0
    assert result.orders_placed.tolist() == [3]
    assert result.final_on_order.tolist() == [6.0]  # the last order is due after the replay
    # trapezoid: ((10+7) + (7+4) + (4+1) + (9+6) + (6+3) + (9+6)) / 2 / 6
    assert result.average_on_hand.tolist() == [72 / 12]


def test_unmet_demand_is_lost_not_served_later() -> None:
    plan = sim.OrderPlan(np.array([[4.0, 0, 0, 0]]))
    result = replay([3, 3, 3, 0], 3, plan, on_hand=5)
    assert paths(result).sales.tolist() == [[3, 2, 0, 0]]
    assert paths(result).on_hand.tolist() == [[2, 0, 0, 4]]  # the late order is not used up
    assert result.fill_rate.tolist() == [5 / 9]
    # day 1 loses a unit, day 2 starts empty; day 3 has the delivery
    assert paths(result).stocked_out.tolist() == [[False, True, True, False]]
    assert result.stockout_days.tolist() == [2]


def test_orders_cross_when_a_later_one_is_faster() -> None:
    plan = sim.OrderPlan(np.array([[5.0, 7.0, 0, 0, 0, 0, 0]]))
    result = replay([0] * 7, [5, 1, 1, 1, 1, 1, 1], plan)
    assert paths(result).receipts.tolist() == [[0, 0, 7, 0, 0, 5, 0]]


def test_deliveries_due_in_an_outage_arrive_on_the_first_day_supply_is_back() -> None:
    available = np.array([True, True, False, False, True, True])
    plan = sim.OrderPlan(np.array([[4.0, 0, 0, 0, 0, 0]]))
    result = replay([0, 0, 1, 1, 1, 1], 2, plan, available=available)
    assert paths(result).receipts.tolist() == [[0, 0, 0, 0, 4, 0]]
    assert paths(result).sales.tolist() == [[0, 0, 0, 0, 1, 1]]


def test_reorder_point_rules_differ_at_equality_and_lots_come_whole() -> None:
    at_min = replay([2, 0], 1, a_policy(MIN_MAX, 3, 10), on_hand=5)
    at_s = replay([2, 0], 1, a_policy(S_S, 3, 10), on_hand=5)
    lots = replay([9, 0], 1, a_policy(FIXED_Q, 3, 0, q=4), on_hand=10)
    assert paths(at_min).orders[0, 0] == 0  # min/max orders below min only
    assert paths(at_s).orders[0, 0] == 7  # (s,S) orders at s
    assert paths(lots).orders[0, 0] == 4  # IP 1: floor((3 - 1) / 4) + 1 = 1 lot


def test_periodic_review_orders_only_on_review_days() -> None:
    policy = a_policy(PERIODIC, 0, 10, review_period=np.array([3]))
    result = replay([2] * 7, 1, policy, on_hand=10)
    assert paths(result).orders.tolist() == [[2, 0, 0, 6, 0, 0, 6]]


def test_orders_are_rounded_up_to_minimum_and_pack() -> None:
    policy = a_policy(S_S, 5, 7.5, minimum_order_quantity=np.array([4]), pack_size=np.array([3]))
    result = replay([3, 0], 1, policy, on_hand=7)
    # need 7.5 - 4 = 3.5 -> 4 units (whole) -> MOQ 4 -> 6 (two packs of 3)
    assert paths(result).orders[0, 0] == 6


def test_cycle_service_level_counts_cycles_between_receipts() -> None:
    # receipts on days 2 and 5 close cycles [0, 1] (lost on day 1) and [2, 4] (no loss);
    # the open cycle [5, 6] loses demand on day 6, so it counts as failed.
    plan = sim.OrderPlan(np.array([[3.0, 0, 0, 2.0, 0, 0, 0]]))
    result = replay([1, 3, 1, 1, 1, 1, 5], 2, plan, on_hand=2)
    assert result.cycles.tolist() == [3]
    assert result.cycles_without_stockout.tolist() == [1]
    assert result.cycle_service_level.tolist() == [1 / 3]


def test_scheduled_levels_change_with_the_plan_in_force() -> None:
    levels = sim.PolicyLevels(
        reorder_point=np.array([[NEVER], [5.0]]),
        order_up_to=np.array([[0.0], [9.0]]),
        order_quantity=np.ones((2, 1)),
    )
    policy = sim.ReplayPolicy(kind=np.array([S_S]), levels=levels, replan_every=2)
    result = replay([1, 1, 1, 1], 1, policy, on_hand=6)
    assert paths(result).orders.tolist() == [[0, 0, 6, 0]]


def test_replanner_sees_sales_and_stockouts_but_not_lost_demand() -> None:
    seen: list[tuple[list[float], list[bool]]] = []

    def planner(state: sim.ReplayState) -> sim.PolicyLevels:
        seen.append((state.sales[0].tolist(), state.stocked_out[0].tolist()))
        assert not state.sales.flags.writeable
        return sim.PolicyLevels(np.array([NEVER]), np.array([0.0]), np.array([1.0]))

    policy = sim.ReplayPolicy(kind=np.array([S_S]), levels=planner, replan_every=2)
    replay([1, 4, 1], 1, policy, on_hand=3)
    assert seen == [([1.0], [False]), ([1.0, 2.0, 0.0], [False, True, True])]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"demand": [[1, -1]], "lead_time": [[1, 1]]}, r"demand: cell \[0, 1\] is -1.0"),
        ({"demand": [[1, 1]], "lead_time": [[1, 0]]}, r"lead_time: cell \[0, 1\] is 0"),
        ({"demand": [[1, 1]], "lead_time": [[1.5, 1]]}, "lead_time: .* whole periods"),
        ({"demand": [[1, 1]], "lead_time": [[1, 1, 1]]}, r"lead_time: expected shape \(1, 2\)"),
        ({"demand": [[1]], "lead_time": [[1]], "supply_available": [1]}, "boolean mask"),
        ({"demand": [[]], "lead_time": [[]]}, r"n_days >= 1"),
    ],
)
def test_invalid_scenarios_are_refused_naming_the_field_and_cell(
    arguments: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        sim.Scenario.build(**arguments)


def test_invalid_policies_are_refused_naming_the_field() -> None:
    with pytest.raises(ValueError, match=r"kind: cell \[0\] is 9"):
        a_policy(9, 1, 2)
    with pytest.raises(ValueError, match=r"levels order_quantity: cell \[0\] is 0.0"):
        replay([1], 1, a_policy(FIXED_Q, 1, 2, q=0.0))
    levels = sim.PolicyLevels(np.zeros((2, 1)), np.zeros((2, 1)), np.ones((2, 1)))
    with pytest.raises(ValueError, match="2 plans cover 4 days, the replay has 5"):
        replay([1] * 5, 1, sim.ReplayPolicy(np.array([S_S]), levels, replan_every=2))


def test_oracle_follows_the_docstring_example_and_serves_everything() -> None:
    scenario = sim.Scenario.build(demand=[[2, 0, 5, 1]], lead_time=[[2, 2, 2, 2]])
    oracle = sim.perfect_foresight(scenario)
    assert oracle.initial_on_hand.tolist() == [2.0]
    assert oracle.plan.orders.tolist() == [[5, 1, 0, 0]]
    result = sim.simulate(scenario, oracle.plan, initial_on_hand=oracle.initial_on_hand)
    assert result.total_fill_rate == 1.0
    assert result.average_on_hand.tolist() == [(2 + 0 + 5 + 1) / 2 / 4]


def test_lead_time_draws_add_observed_delays_to_the_stated_lead_time() -> None:
    rng = np.random.default_rng(7)
    drawn = sim.draw_lead_times(stated_lead_time=7, delays=[-10, 0, 3], shape=(50, 40), rng=rng)
    assert set(np.unique(drawn).tolist()) == {1, 7, 10}
    again = sim.draw_lead_times(
        stated_lead_time=7, delays=[-10, 0, 3], shape=(50, 40), rng=np.random.default_rng(7)
    )
    np.testing.assert_array_equal(drawn, again)
    # each delay is drawn with probability 1/3: 2,000 draws within 5 standard errors
    assert abs(np.mean(drawn == 7) - 1 / 3) < 5 * math.sqrt(2 / 9 / 2000)


def test_the_replay_orders_what_the_products_policy_rule_orders() -> None:
    kinds = np.array([int(k) for k in PolicyKind if k != PolicyKind.PERIODIC_ORDER_UP_TO] * 3)
    table = policies.compute_policies(
        kind=kinds,
        demand_mean=np.full(kinds.size, 4.0),
        demand_std=np.full(kinds.size, 2.0),
        lead_time_mean=np.full(kinds.size, 5.0),
        service_level=0.9,
        fixed_order_quantity=15.0,
        ordering_cost=10.0,
        holding_cost=1.0,
        manual_minimum=12.0,
        manual_maximum=30.0,
    )
    position = np.linspace(-5.0, 60.0, kinds.size)
    ours = sim.units_needed(
        kind=kinds,
        levels=sim.PolicyLevels.from_table(table),
        position=position,
        review_due=np.zeros(kinds.size, dtype=bool),
    )
    np.testing.assert_allclose(ours, policies.order_quantity_needed(position, table))


# --- the vectorised replay equals a plain loop per SKU --------------------------------------


@dataclass
class Row:
    kind: int
    s: float
    big_s: float
    q: float
    review: int
    minimum: int
    pack: int
    on_hand: float
    demand: list[float]
    lead: list[int]
    available: list[bool]


@dataclass
class Outcome:
    on_hand: list[float]
    orders: list[float]
    average: float = 0.0
    stockout_days: int = 0
    cycles: int = 0
    good_cycles: int = 0


def scalar_replay(row: Row) -> Outcome:
    """One SKU, day by day, with a list of (due day, units) for the pipeline."""
    on_hand, held = row.on_hand, 0.0
    pipeline: list[tuple[int, float]] = []
    out = Outcome(on_hand=[], orders=[])
    cycle_lost = False
    days = len(row.demand)
    for day in range(days):
        due = held + sum(units for when, units in pipeline if when == day)
        held = 0.0 if row.available[day] else due
        if row.available[day]:
            if due > 0 and day > 0:
                out.cycles += 1
                out.good_cycles += not cycle_lost
                cycle_lost = False
            on_hand += due
        start = on_hand
        served = min(on_hand, row.demand[day])
        on_hand -= served
        cycle_lost = cycle_lost or served < row.demand[day]
        out.stockout_days += start <= 0 or served < row.demand[day]
        out.average += (start + on_hand) / 2 / days
        position = on_hand + held + sum(u for when, u in pipeline if when > day)
        order = scalar_order(row, day, position)
        pipeline.append((day + row.lead[day], order))
        out.on_hand.append(on_hand)
        out.orders.append(order)
    out.cycles += cycle_lost
    return out


def scalar_order(row: Row, day: int, position: float) -> float:
    if row.kind in (0, 1):
        need = (math.floor((row.s - position) / row.q) + 1) * row.q if position <= row.s else 0
    elif row.kind == 2:
        need = row.big_s - position if position <= row.s else 0
    elif row.kind in (4, 6):
        need = row.big_s - position if position < row.s else 0
    elif row.kind == 3:
        need = max(row.big_s - position, 0) if day % row.review == 0 else 0
    else:
        need = max(-position, 0)
    if need <= 0:
        return 0.0
    units = max(math.ceil(need - 1e-9), row.minimum)
    return float(math.ceil(units / row.pack) * row.pack)


@st.composite
def rows(draw: st.DrawFn, days: int) -> Row:
    s = draw(st.integers(0, 12))
    return Row(
        kind=draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6])),
        s=float(s),
        big_s=float(s + draw(st.integers(0, 12))) + draw(st.sampled_from([0.0, 0.5])),
        q=float(draw(st.integers(1, 8))),
        review=draw(st.integers(1, 4)),
        minimum=draw(st.integers(0, 5)),
        pack=draw(st.integers(1, 3)),
        on_hand=float(draw(st.integers(0, 15))),
        demand=draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, 5.0]), min_size=days, max_size=days)),
        lead=draw(st.lists(st.integers(1, 5), min_size=days, max_size=days)),
        available=draw(st.lists(st.booleans(), min_size=days, max_size=days)),
    )


@st.composite
def panels(draw: st.DrawFn) -> list[Row]:
    days = draw(st.integers(1, 20))
    return draw(st.lists(rows(days), min_size=1, max_size=5))


@settings(max_examples=60, deadline=None)
@given(panels())
def test_vectorised_replay_equals_a_scalar_loop_per_sku(panel: list[Row]) -> None:
    scenario = sim.Scenario.build(
        demand=[r.demand for r in panel],
        lead_time=[r.lead for r in panel],
        supply_available=np.array([r.available for r in panel]),
    )
    policy = sim.ReplayPolicy(
        kind=np.array([r.kind for r in panel]),
        levels=sim.PolicyLevels(
            np.array([r.s for r in panel]),
            np.array([r.big_s for r in panel]),
            np.array([r.q for r in panel]),
        ),
        review_period=np.array([r.review for r in panel]),
        minimum_order_quantity=np.array([float(r.minimum) for r in panel]),
        pack_size=np.array([float(r.pack) for r in panel]),
    )
    start = np.array([r.on_hand for r in panel])
    result = sim.simulate(scenario, policy, initial_on_hand=start, keep_paths=True)
    lean = sim.simulate(scenario, policy, initial_on_hand=start)
    levels = policy.levels
    assert isinstance(levels, sim.PolicyLevels)
    replanned = sim.simulate(
        scenario, replace(policy, levels=lambda state: levels), initial_on_hand=start
    )
    for other in (lean, replanned):
        for name in ("served", "stockout_days", "cycles", "orders_placed", "final_on_hand"):
            np.testing.assert_array_equal(getattr(other, name), getattr(result, name))
    for i, row in enumerate(panel):
        expected = scalar_replay(row)
        assert paths(result).on_hand[i].tolist() == expected.on_hand
        assert paths(result).orders[i].tolist() == expected.orders
        assert result.average_on_hand[i] == pytest.approx(expected.average, abs=1e-12)
        assert result.stockout_days[i] == expected.stockout_days
        assert result.cycles[i] == expected.cycles
        assert result.cycles_without_stockout[i] == expected.good_cycles


@settings(max_examples=40, deadline=None)
@given(panels())
def test_the_oracle_serves_all_demand_with_exactly_the_units_demanded(panel: list[Row]) -> None:
    scenario = sim.Scenario.build(
        demand=[r.demand for r in panel],
        lead_time=[r.lead for r in panel],
        supply_available=np.array([r.available for r in panel]),
    )
    oracle = sim.perfect_foresight(scenario)
    result = sim.simulate(scenario, oracle.plan, initial_on_hand=oracle.initial_on_hand)
    np.testing.assert_array_equal(result.served, result.demand)
    bought = oracle.initial_on_hand + oracle.plan.orders.sum(axis=1)
    np.testing.assert_array_equal(bought, scenario.demand.sum(axis=1))
    assert np.all(result.final_on_hand == 0)
