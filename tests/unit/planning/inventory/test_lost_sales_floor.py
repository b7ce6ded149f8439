"""The lost-sales reorder point: at least E[X] by default, the equation's (at least 0) on request.

ADR 0017 keeps the floor at E[X] as the default; ``floor_at_mean=False`` is the option.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning import simulation as sim
from stockguard.planning.inventory import lost_sales, policies, safety_stock
from stockguard.planning.inventory.distributions import DemandDistribution
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.lost_sales import FillRateModel
from stockguard.planning.inventory.safety_stock import ServiceMeasure
from unit.planning.inventory._replay import FixedLevels


def _constant_demand_levels(fill_rate: float, *, floor_at_mean: bool) -> lost_sales.LostSalesLevels:
    """d = 10 per period, L = 3 always, Q = 40, normal X: E[X] = 24.5, Var[X] = 8.25."""
    return lost_sales.lost_sales_levels(
        demand_mean=np.full((1, 10), 10.0),
        demand_std=np.zeros((1, 10)),
        lead_times=[3.0, 3.0],
        fill_rate=[fill_rate],
        order_quantity=[40.0],
        sales=np.full((1, 30), 10.0),
        undershoot_window=30,
        distribution=DemandDistribution.NORMAL,
        floor_at_mean=floor_at_mean,
    )


def test_a_large_lot_at_a_low_target_gets_a_reorder_point_below_the_mean() -> None:
    # beta = 0.90, beta' = 0.8 / 0.9; the shortage allowed per cycle is
    # (1 - beta') (Q + E[U]) = 44.5 / 9 = 4.944 units, more than ES(E[X]) =
    # sigma G(0) = 2.872 * 0.398942 = 1.146, so k = G^-1(4.944 / 2.872) < 0.
    levels = _constant_demand_levels(0.90, floor_at_mean=False)
    sigma = np.sqrt(8.25)
    allowed = (1.0 - 0.8 / 0.9) * (40.0 + 4.5)
    k = (levels.reorder_point[0] - 24.5) / sigma
    assert levels.reorder_point[0] < 24.5
    assert float(safety_stock.normal_loss(k)) * sigma == pytest.approx(allowed, abs=1e-9)
    assert levels.order_up_to[0] == pytest.approx(levels.reorder_point[0] + 40.0, abs=1e-12)


def test_the_default_keeps_the_reorder_point_at_the_mean() -> None:
    levels = _constant_demand_levels(0.90, floor_at_mean=True)
    assert levels.reorder_point[0] == pytest.approx(24.5, abs=1e-12)


def test_a_reorder_point_the_equation_puts_below_zero_is_zero() -> None:
    """A lot of 100 periods' demand at 60%: the equation asks for s < 0, which a
    lost-sales position (never below 0) would never reach; the row orders at 0."""
    levels = lost_sales.lost_sales_levels(
        demand_mean=np.full((1, 10), 1.0),
        demand_std=np.ones((1, 10)),
        lead_times=[2.0],
        fill_rate=[0.60],
        order_quantity=[100.0],
        sales=np.ones((1, 30)),
        undershoot_window=30,
        floor_at_mean=False,
    )
    assert levels.reorder_point[0] == 0.0


def test_compute_policies_floors_at_the_mean_unless_asked_not_to() -> None:
    common: dict[str, Any] = {
        "kind": [int(PolicyKind.REORDER_POINT_ORDER_UP_TO)],
        "demand_mean": np.full((1, 28), 30.0),
        "demand_std": np.full((1, 28), np.sqrt(30.0)),
        "lead_time_mean": [8.0],
        "service_level": [0.90],
        "service_measure": ServiceMeasure.FILL_RATE,
        "fixed_order_quantity": [210.0],
        "fill_rate_model": FillRateModel.LOST_SALES,
        "demand_history": np.full((1, 91), 30.0),
    }
    now = policies.compute_policies(**common, lost_sales_floor_at_mean=False)
    before = policies.compute_policies(**common)
    assert now.safety_stock[0] < 0.0
    assert before.safety_stock[0] == pytest.approx(0.0, abs=1e-9)
    assert now.reorder_point[0] < before.reorder_point[0]


@settings(max_examples=40, deadline=None)
@given(
    mean=st.floats(min_value=0.05, max_value=40.0),
    cycle=st.floats(min_value=1.0, max_value=60.0),
    fill_rate=st.floats(min_value=0.55, max_value=0.99),
    lead=st.integers(min_value=1, max_value=12),
)
def test_without_the_floor_the_reorder_point_is_never_higher_and_never_negative(
    mean: float, cycle: float, fill_rate: float, lead: int
) -> None:
    rng = np.random.default_rng(lead)
    kwargs: dict[str, Any] = {
        "demand_mean": np.full((1, 20), mean),
        "demand_std": np.full((1, 20), np.sqrt(mean)),
        "lead_times": [float(lead), float(lead + 2)],
        "fill_rate": [fill_rate],
        "order_quantity": [max(cycle * mean, 1.0)],
        "sales": rng.poisson(mean, size=(1, 60)).astype(float),
        "undershoot_window": 60,
    }
    now = lost_sales.lost_sales_levels(**kwargs, floor_at_mean=False)
    before = lost_sales.lost_sales_levels(**kwargs)
    assert now.reorder_point[0] >= 0.0
    assert now.reorder_point[0] <= before.reorder_point[0] + 1e-9
    assert before.reorder_point[0] >= before.protection_mean[0] - 1e-9


def _replayed_fill_rate(*, floor_at_mean: bool) -> float:
    """100 SKUs x 730 days of Poisson(30) demand, a fixed 8-day lead time, a lot of a
    week's demand, target 90%: every assumption of the model holds, so the replay
    (lost sales, end-of-day review) shows what the floor alone adds. About a second."""
    rng = np.random.default_rng(17)
    n_sku, n_days = 100, 730
    demand = rng.poisson(30.0, size=(n_sku, n_days)).astype(float)
    levels = lost_sales.lost_sales_levels(
        demand_mean=np.full((n_sku, 28), 30.0),
        demand_std=np.full((n_sku, 28), np.sqrt(30.0)),
        lead_times=[8.0],
        fill_rate=np.full(n_sku, 0.90),
        order_quantity=np.full(n_sku, 210.0),
        sales=rng.poisson(30.0, size=(n_sku, 91)).astype(float),
        undershoot_window=91,
        floor_at_mean=floor_at_mean,
    )
    scenario = sim.Scenario.build(
        demand=demand, lead_time=np.full((n_sku, n_days), 8), unit_cost=np.ones(n_sku)
    )
    policy = sim.ReplayPolicy(
        kind=np.full(n_sku, int(PolicyKind.REORDER_POINT_ORDER_UP_TO), dtype=np.int64),
        levels=FixedLevels(levels),
    )
    result = sim.simulate(scenario, policy, initial_on_hand=np.ceil(levels.order_up_to))
    return float(result.total_fill_rate)


def test_replay_of_known_demand_meets_a_low_target_without_the_floor() -> None:
    assert abs(_replayed_fill_rate(floor_at_mean=False) - 0.90) <= 0.015
    assert _replayed_fill_rate(floor_at_mean=True) > 0.95
