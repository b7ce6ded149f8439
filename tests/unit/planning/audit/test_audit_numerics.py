"""XYZ classes, the ABC x XYZ matrix and stock health, on hand-computed cases."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.audit import classes, health


def weekly(*weeks: float) -> list[float]:
    """Daily demand spreading each week's total evenly over its 7 days."""
    return [w / 7 for w in weeks for _ in range(7)]


def test_xyz_uses_the_cv_of_weekly_demand() -> None:
    demand = np.array(
        [weekly(10, 10, 10, 10), weekly(0, 20, 0, 20), weekly(0, 0, 0, 40), weekly(0, 0, 0, 0)]
    )
    result = classes.classify_xyz(daily_demand=demand)
    np.testing.assert_allclose(result.coefficient_of_variation[:3], [0.0, 1.0, np.sqrt(3)])
    assert result.coefficient_of_variation[3] == np.inf
    assert result.xyz_class.tolist() == [0, 1, 2, 2]


def test_xyz_rescales_weeks_with_unobserved_days_and_drops_the_partial_first_week() -> None:
    row = [99.0, 99.0, *weekly(14, 14)]  # 2 leading days are a partial week, dropped
    row[2 + 7 : 2 + 7 + 3] = [np.nan] * 3  # 3 unobserved days in week 2: 4 days of 2 -> 14
    result = classes.classify_xyz(daily_demand=np.array([row]))
    assert result.coefficient_of_variation[0] == pytest.approx(0.0, abs=1e-12)


def test_xyz_cutoffs_are_configurable_and_checked() -> None:
    demand = np.array([weekly(0, 20, 0, 20)])
    assert classes.classify_xyz(daily_demand=demand, cutoffs=(1.0, 2.0)).xyz_class[0] == 0
    with pytest.raises(ValueError, match="cut-offs"):
        classes.classify_xyz(daily_demand=demand, cutoffs=(1.0, 0.5))


def test_class_matrix_counts_series_and_sums_revenue_per_cell() -> None:
    matrix = classes.class_matrix(
        abc_class=[0, 0, 1, 2], xyz_class=[0, 0, 2, 1], revenue=[50.0, 30.0, 15.0, 5.0]
    )
    assert matrix.counts.tolist() == [[2, 0, 0], [0, 0, 1], [0, 1, 0]]
    assert matrix.revenue[0, 0] == 80.0
    assert matrix.revenue[1, 2] == 15.0
    assert matrix.revenue.sum() == 100.0


def test_stock_health_of_the_docstring_example() -> None:
    sales = np.zeros((1, 100))
    sales[0, 40] = 2
    result = health.stock_health(sales=sales, on_hand=[30])
    assert result.velocity[0] == pytest.approx(0.02)
    assert result.days_since_sale.tolist() == [59]
    assert result.days_of_cover[0] == pytest.approx(1350.0)
    assert result.excess.tolist() == [True]
    assert result.excess_units.tolist() == [27]
    assert result.slow.tolist() == [True]
    assert result.dead.tolist() == [False]


def test_dead_stock_has_no_sale_for_n_days_and_is_not_also_excess() -> None:
    sales = np.zeros((3, 120))
    sales[0, 10] = 5  # last sale 109 days ago, stock on hand: dead
    sales[1, 100] = 5  # 19 days ago: not dead
    result = health.stock_health(sales=sales, on_hand=[4, 40, 0])  # row 1: 720 days
    assert result.dead.tolist() == [True, False, False]
    assert result.excess.tolist() == [False, True, False]
    assert result.days_since_sale.tolist() == [109, 19, 120]
    assert not result.slow[2]  # no stock, no sale: nothing to say


def test_fast_movers_with_normal_cover_are_flagged_nowhere() -> None:
    sales = np.full((1, 120), 3.0)
    sales[0, -5:] = np.nan  # stock-out days are left out of the rate
    result = health.stock_health(sales=sales, on_hand=[90])
    assert result.demand_rate[0] == 3.0
    assert result.days_of_cover[0] == 30.0
    assert not (result.slow | result.dead | result.excess).any()
    with pytest.raises(ValueError, match="on_hand"):
        health.stock_health(sales=sales, on_hand=[1, 2])
