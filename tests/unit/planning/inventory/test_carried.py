"""The lost-sales cycle shortage net of the carried part (ADR 0031's candidate)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from scipy import stats

from stockguard.planning.inventory import carried, discrete, lost_sales, policies
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.safety_stock import ServiceMeasure


def _nb_shortage(mean: float, variance: float, s: float) -> float:
    """E[(X - s)^+] of a negative binomial by direct summation (reference)."""
    p = mean / variance
    r = mean**2 / (variance - mean)
    x = np.arange(0, 20_000)
    return float(np.sum(np.maximum(x - s, 0.0) * stats.nbinom.pmf(x, r, p)))


def test_the_docstring_example() -> None:
    s = carried.net_shortage_reorder_point(
        mean=[10.0], std=[np.sqrt(10.0)], lot=[10.0], target=[0.8], floor_at_mean=False
    )
    assert s.tolist() == [9.0]
    floored = carried.net_shortage_reorder_point(
        mean=[10.0], std=[np.sqrt(10.0)], lot=[10.0], target=[0.8]
    )
    assert floored.tolist() == [10.0]


def test_smallest_whole_s_meeting_the_net_shortage_by_direct_summation() -> None:
    mean, variance, lot, target = 60.0, 40.0**2, 25.0, 0.85
    s = float(
        carried.net_shortage_reorder_point(
            mean=[mean], std=[np.sqrt(variance)], lot=[lot], target=[target], floor_at_mean=False
        )[0]
    )

    def net(y: float) -> float:
        return _nb_shortage(mean, variance, y) - _nb_shortage(mean, variance, y + lot)

    allowed = (1 - target) * lot
    assert net(s) <= allowed + 1e-9
    assert net(s - 1.0) > allowed
    # the carried part is material here (sigma_X 40 against a lot of 25)
    assert _nb_shortage(mean, variance, s + lot) > 0.2 * net(s)


def _rows(carried_shortage: carried.Carried) -> lost_sales.LostSalesLevels:
    rng = np.random.default_rng(7)
    sales = rng.poisson(8.0, size=(2, 91)).astype(np.float64)
    return lost_sales.lost_sales_rows(
        demand_mean=np.full((2, 20), 8.0),
        demand_std=np.full((2, 20), np.sqrt(8.0)),
        lead_time_mean=[8.0, 8.0],
        # row 0: a long, spread lead time against a week's lot; row 1: fixed lead time
        lead_time_variance=[115.6, 0.0],
        lead_time_crossing=[3.05, 0.0],
        fill_rate=[0.9, 0.9],
        order_quantity=[56.0, 56.0],
        sales=sales,
        undershoot_window=91,
        floor_at_mean=False,
        carried_shortage=carried_shortage,
    )


def test_the_carried_part_lowers_s_where_sigma_x_is_large_against_the_lot() -> None:
    own, net = _rows(carried.Carried.NONE), _rows(carried.Carried.ALL)
    np.testing.assert_allclose(net.protection_mean, own.protection_mean)
    assert net.reorder_point[0] < own.reorder_point[0]  # sigma_X ~ 59 against lot ~ 60
    assert net.reorder_point[1] == own.reorder_point[1]  # sigma_X ~ 9: nothing carried
    np.testing.assert_allclose(net.order_up_to - net.reorder_point, [56.0, 56.0])


def test_the_lead_time_part_alone_lies_between_and_is_nothing_without_that_term() -> None:
    own = _rows(carried.Carried.NONE).reorder_point
    every = _rows(carried.Carried.ALL).reorder_point
    lead = _rows(carried.Carried.LEAD_TIME).reorder_point
    assert every[0] <= lead[0] < own[0]
    assert lead[1] == own[1]  # a fixed lead time: no lead-time term, nothing carried


def test_base_std_equal_to_std_carries_nothing() -> None:
    args = {"mean": [60.0], "std": [40.0], "lot": [25.0], "target": [0.85]}
    alone = carried.net_shortage_reorder_point(**args, base_std=[40.0], floor_at_mean=False)
    plain = carried.net_shortage_reorder_point(**args, base_std=[0.0], floor_at_mean=False)
    every = carried.net_shortage_reorder_point(**args, floor_at_mean=False)
    # C = ES_X - ES_X = 0: the net shortage is ES_X(s), the product's equation
    s = float(alone[0])
    allowed = 0.15 * 25.0
    assert _nb_shortage(60.0, 1600.0, s) <= allowed + 1e-9 < _nb_shortage(60.0, 1600.0, s - 1)
    assert every[0] <= plain[0] <= alone[0]


def test_compute_policies_passes_the_choice_and_keeps_the_default() -> None:
    def table(**extra: Any) -> policies.PolicyTable:
        return policies.compute_policies(
            kind=np.full(1, int(PolicyKind.REORDER_POINT_ORDER_UP_TO), dtype=np.int64),
            demand_mean=np.full((1, 20), 8.0),
            demand_std=np.full((1, 20), np.sqrt(8.0)),
            lead_time_mean=[8.0],
            lead_time_std=[np.sqrt(115.6)],
            service_level=[0.9],
            service_measure=ServiceMeasure.FILL_RATE,
            fixed_order_quantity=[56.0],
            fill_rate_model=int(lost_sales.FillRateModel.LOST_SALES),
            demand_history=np.full((1, 91), 8.0),
            lead_time_crossing=[3.05],
            lost_sales_floor_at_mean=False,
            **extra,
        )

    assert table().reorder_point[0] == table(lost_sales_carried_shortage=0).reorder_point[0]
    assert table(lost_sales_carried_shortage=1).reorder_point[0] < table().reorder_point[0]


def _normal_loss(k: float) -> float:
    """E[(Z - k)^+] for a standard normal Z (reference, from scipy)."""
    return float(stats.norm.pdf(k) - k * stats.norm.sf(k))


def test_the_late_lots_shortfall_is_the_lead_time_terms_normal_tail() -> None:
    mean, variance, lot, target, late = 60.0, 40.0**2, 25.0, 0.85, 30.0
    s = float(
        carried.net_shortage_reorder_point(
            mean=[mean],
            std=[np.sqrt(variance)],
            lot=[lot],
            target=[target],
            floor_at_mean=False,
            late_lots_std=[late],
        )[0]
    )

    def net(y: float) -> float:
        tail = _nb_shortage(mean, variance, y + lot)
        carried_part = min(late * _normal_loss((y + lot - mean) / late), tail)
        return _nb_shortage(mean, variance, y) - carried_part

    allowed = (1 - target) * lot
    assert net(s) <= allowed + 1e-9 < net(s - 1.0)


def test_the_late_lots_carry_less_than_the_tail_and_nothing_without_the_term() -> None:
    own = _rows(carried.Carried.NONE).reorder_point
    lead = _rows(carried.Carried.LEAD_TIME).reorder_point
    late = _rows(carried.Carried.LATE_LOTS).reorder_point
    # row 0: the lead-time term's normal tail beyond S is thinner than X's own tail
    assert lead[0] <= late[0] < own[0]
    assert late[1] == own[1]  # a fixed lead time: no late lots, nothing carried


def test_the_late_lots_and_the_base_std_are_not_given_together() -> None:
    with pytest.raises(ValueError, match="not both"):
        carried.net_shortage_reorder_point(
            mean=[60.0],
            std=[40.0],
            lot=[25.0],
            target=[0.85],
            base_std=[20.0],
            late_lots_std=[20.0],
        )


def test_the_plain_reorder_point_settles_rows_without_changing_any() -> None:
    rng = np.random.default_rng(11)
    n = 4_000
    mean = rng.gamma(0.7, 20.0, n)
    std = np.sqrt(mean) * rng.uniform(0.3, 8.0, n)
    # row 0: ES_net dips under the target at s = 0 and rises again (not non-increasing)
    mean[0], std[0] = 0.29343771009114333, 2.720143762491932
    lot = rng.gamma(1.0, 20.0, n) + 0.5
    lot[0] = 1.4504682276527188
    target = lost_sales.lost_sales_target(rng.choice([0.9, 0.95, 0.98], n))
    target[0] = lost_sales.lost_sales_target(0.9)  # plain s 6, ES_net(5) over, ES_net(0) not
    late = std * rng.uniform(0.0, 1.0, n)
    late[0] = std[0]
    for floor in (True, False):
        args = {"mean": mean, "std": std, "lot": lot, "target": target, "late_lots_std": late}
        plain = carried.net_shortage_reorder_point(
            **{**args, "late_lots_std": np.zeros(n)}, floor_at_mean=floor
        )
        searched = carried.net_shortage_reorder_point(**args, floor_at_mean=floor)
        settled = carried.net_shortage_reorder_point(**args, floor_at_mean=floor, plain=plain)
        np.testing.assert_array_equal(settled, searched)
        assert np.all(settled <= np.maximum(plain, 0.0))


@pytest.mark.parametrize("point", [0.0, 3.0, 3.5, 7.25, 12.9])
def test_the_poisson_shortage_between_whole_units_is_the_direct_sum(point: float) -> None:
    x = np.arange(0, 400)
    direct = float(np.sum(np.maximum(x - point, 0.0) * stats.poisson.pmf(x, 6.0)))
    found = float(discrete.poisson_expected_shortage(mean=6.0, reorder_point=point))
    assert found == pytest.approx(direct, rel=1e-12, abs=1e-14)


def test_the_late_lots_never_raise_s_above_the_plain_equation_on_poisson_rows() -> None:
    # Var[X] < E[X]: the Poisson reading; the cap ES_X(s + lot) is read between units
    mean, std, lot = [1.4065016718777346], [0.8740020549513884], [0.924281848673407]
    for fill in (0.9, 0.95, 0.98):
        target = lost_sales.lost_sales_target([fill])
        plain, late = (
            carried.net_shortage_reorder_point(
                mean=mean, std=std, lot=lot, target=target, late_lots_std=[spread]
            )
            for spread in (0.0, 0.21987028793200525)
        )
        assert late[0] <= plain[0]
