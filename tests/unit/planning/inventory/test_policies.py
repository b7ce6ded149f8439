"""Policies per row: each kind's reorder point, order-up-to level and order now."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from stockguard.planning.inventory import policies
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.safety_stock import ServiceMeasure

ALL_KINDS = np.array([int(kind) for kind in PolicyKind])


def a_table(**overrides: object) -> policies.PolicyTable:
    """One row per kind: d = 10/day, sigma_d = 3, L = 4 days, sigma_LT = 1, CSL 95%."""
    arguments: dict[str, object] = {
        "kind": ALL_KINDS,
        "demand_mean": np.full(ALL_KINDS.size, 10.0),
        "demand_std": np.full(ALL_KINDS.size, 3.0),
        "lead_time_mean": np.full(ALL_KINDS.size, 4.0),
        "lead_time_std": 1.0,
        "service_level": 0.95,
        "review_period": 7.0,
        "fixed_order_quantity": 50.0,
        "ordering_cost": 8.0,
        "holding_cost": 0.5,
        "manual_minimum": 30.0,
        "manual_maximum": 80.0,
    }
    arguments.update(overrides)
    return policies.compute_policies(**arguments)  # type: ignore[arg-type]


def row(table: policies.PolicyTable, kind: PolicyKind) -> dict[str, float]:
    index = int(np.flatnonzero(table.kind == kind)[0])
    return {name: float(getattr(table, name)[index]) for name in policies.PolicyTable.__slots__}


def test_reorder_point_is_lead_time_demand_plus_z_sigma() -> None:
    table = a_table()
    sigma = np.sqrt(4 * 9 + 100 * 1)
    expected = 40.0 + stats.norm.ppf(0.95) * sigma
    for kind in (
        PolicyKind.REORDER_POINT_EOQ,
        PolicyKind.REORDER_POINT_ORDER_UP_TO,
        PolicyKind.MIN_MAX,
    ):
        assert row(table, kind)["reorder_point"] == pytest.approx(expected, rel=1e-12)


def test_eoq_rows_order_the_economic_quantity_and_fixed_rows_their_own() -> None:
    table = a_table()
    eoq = np.sqrt(2 * 3650 * 8.0 / 0.5)
    assert row(table, PolicyKind.REORDER_POINT_EOQ)["order_quantity"] == pytest.approx(eoq)
    assert row(table, PolicyKind.REORDER_POINT_FIXED_QUANTITY)["order_quantity"] == 50.0
    s_s = row(table, PolicyKind.REORDER_POINT_ORDER_UP_TO)
    assert s_s["order_up_to"] - s_s["reorder_point"] == pytest.approx(eoq)


def test_periodic_review_protects_lead_time_plus_review_period() -> None:
    periodic = row(a_table(), PolicyKind.PERIODIC_ORDER_UP_TO)
    sigma = np.sqrt(11 * 9 + 100 * 1)
    assert periodic["protection_interval"] == 11.0
    assert periodic["order_up_to"] == pytest.approx(110.0 + stats.norm.ppf(0.95) * sigma)
    assert periodic["order_quantity"] == pytest.approx(70.0)


def test_just_in_time_keeps_no_stock_and_manual_takes_the_given_min_and_max() -> None:
    table = a_table(service_level=np.array([0.95] * 5 + [np.nan, np.nan]))
    jit = row(table, PolicyKind.JUST_IN_TIME)
    assert (jit["reorder_point"], jit["order_up_to"], jit["safety_stock"]) == (0.0, 0.0, 0.0)
    manual = row(table, PolicyKind.MANUAL)
    assert (manual["reorder_point"], manual["order_up_to"]) == (30.0, 80.0)
    assert manual["safety_stock"] == pytest.approx(30.0 - 40.0)


def test_order_now_follows_each_kinds_rule() -> None:
    table = a_table()
    position = policies.inventory_position(
        on_hand=np.array([20, 20, 20, 100, 20, 0, 29]),
        on_order=np.array([5, 5, 5, 0, 5, 0, 0]),
        allocated=np.array([0, 0, 0, 0, 0, 3, 0]),
        backorders=np.array([0, 0, 0, 0, 0, 1, 0]),
    )
    needed = policies.order_quantity_needed(position, table)
    s = table.reorder_point
    lot = table.order_quantity
    assert needed[0] == pytest.approx((np.floor((s[0] - 25) / lot[0]) + 1) * lot[0])
    assert needed[1] == pytest.approx((np.floor((s[1] - 25) / 50) + 1) * 50)
    assert needed[2] == pytest.approx(table.order_up_to[2] - 25)
    assert needed[3] == pytest.approx(table.order_up_to[3] - 100)
    assert needed[4] == pytest.approx(table.order_up_to[4] - 25)
    assert needed[5] == 4.0
    assert needed[6] == 80.0 - 29.0


def test_nothing_is_ordered_above_the_reorder_point() -> None:
    table = a_table()
    needed = policies.order_quantity_needed(table.reorder_point + 1.0, table)
    periodic = table.kind == PolicyKind.PERIODIC_ORDER_UP_TO
    assert np.all(needed[~periodic] == 0.0)


def test_fill_rate_rows_solve_the_loss_function_equation() -> None:
    table = a_table(service_level=0.99, service_measure=ServiceMeasure.FILL_RATE)
    fixed = row(table, PolicyKind.REORDER_POINT_FIXED_QUANTITY)
    sigma = fixed["protection_demand_std"]
    k = fixed["safety_factor"]
    loss = stats.norm.pdf(k) - k * stats.norm.sf(k)
    assert sigma * loss == pytest.approx((1 - 0.99) * 50.0, rel=1e-9)


def test_daily_forecasts_are_summed_over_the_lead_time() -> None:
    forecast = np.tile(np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0]), (1, 1))
    table = policies.compute_policies(
        kind=np.array([PolicyKind.REORDER_POINT_FIXED_QUANTITY]),
        demand_mean=forecast,
        demand_std=np.zeros_like(forecast),
        lead_time_mean=np.array([3.0]),
        service_level=np.array([0.9]),
        fixed_order_quantity=np.array([10.0]),
    )
    assert table.reorder_point[0] == 6.0
    assert table.safety_stock[0] == 0.0


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"service_level": 1.0}, "service_level: row 0 is 1.0"),
        ({"review_period": None}, "review_period: row 3 has no value"),
        ({"manual_maximum": 10.0}, "manual_maximum: row 6 is below manual_minimum"),
        ({"kind": np.array([9])}, "kind: row 0 is 9"),
        ({"lead_time_mean": np.full(7, -1.0)}, "lead_time_mean: row 0 is -1.0"),
        ({"demand_mean": np.full(6, 1.0)}, "demand_mean: expected shape (7,)"),
    ],
)
def test_invalid_rows_are_refused_with_the_field_and_row(
    overrides: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        a_table(**overrides)
