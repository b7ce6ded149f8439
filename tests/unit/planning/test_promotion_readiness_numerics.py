"""Promotion readiness numerics: uplift from history, demand until the end, the order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from stockguard.planning.promotions.readiness import (
    promotion_demand,
    promotion_uplift,
    readiness,
)


def test_uplift_is_the_ratio_of_promoted_to_other_observed_days() -> None:
    sales = [[2, 2, 5, 5, 2, 0], [1, 1, 1, 1, 1, 1], [0, 0, 3, 0, 0, 0], [1, 2, 3, 4, 5, 6]]
    promoted = [[0, 0, 1, 1, 0, 0], [0] * 6, [0, 0, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]]
    observed = [[1, 1, 1, 1, 1, 0], [1] * 6, [1] * 6, [1] * 6]

    uplift = promotion_uplift(sales=sales, promoted=promoted, observed=observed)

    assert uplift[0] == pytest.approx(2.5)  # the unobserved zero day is left out
    assert np.isnan(uplift[1])  # never promoted
    assert np.isnan(uplift[2])  # no sale outside the promotion: no baseline
    assert np.isnan(uplift[3])  # always promoted: no baseline either


def test_worked_example_of_the_module_docstring() -> None:
    mean, var = promotion_demand(
        demand_mean=[3.0], demand_var=[6.0], days_before=[4.0], promotion_days=[7.0], uplift=[2.0]
    )
    assert (mean[0], var[0]) == (54.0, 108.0)

    figures = readiness(demand_mean=mean, demand_var=var, available=[30.0], service_level=0.95)

    assert figures.needed[0] == stats.nbinom.ppf(0.95, 54.0, 0.5) == 72.0
    assert figures.order_quantity[0] == 42.0
    assert figures.safety_margin[0] == 18.0
    assert figures.stockout_probability[0] == pytest.approx(stats.nbinom.sf(30, 54.0, 0.5))


def test_enough_stock_orders_nothing_and_flat_history_still_gets_a_poisson_margin() -> None:
    figures = readiness(
        demand_mean=[40.0, 40.0], demand_var=[0.0, 0.0], available=[500.0, 0.0], service_level=0.9
    )
    assert figures.order_quantity.tolist() == [0.0, stats.poisson.ppf(0.9, 40.0)]


def test_bad_inputs_name_the_field_and_row() -> None:
    with pytest.raises(ValueError, match=r"uplift: row 1 is 0.0"):
        promotion_demand(
            demand_mean=[1.0, 1.0],
            demand_var=[1.0, 1.0],
            days_before=[0.0, 0.0],
            promotion_days=[3.0, 3.0],
            uplift=[1.5, 0.0],
        )


@settings(max_examples=100, deadline=None)
@given(
    st.floats(min_value=0.1, max_value=50.0),
    st.floats(min_value=1.0, max_value=5.0),
    st.integers(min_value=0, max_value=30),
    st.integers(min_value=1, max_value=21),
    st.floats(min_value=1.0, max_value=4.0),
    st.floats(min_value=0.0, max_value=2000.0),
)
def test_a_bigger_uplift_never_orders_less(
    mean: float, dispersion: float, before: int, days: int, uplift: float, stock: float
) -> None:
    m, v = promotion_demand(
        demand_mean=[mean] * 2,
        demand_var=[mean * dispersion] * 2,
        days_before=[before] * 2,
        promotion_days=[days] * 2,
        uplift=[uplift, uplift * 1.5],
    )
    figures = readiness(demand_mean=m, demand_var=v, available=[stock] * 2, service_level=0.95)
    assert figures.order_quantity[1] >= figures.order_quantity[0]
    assert figures.stockout_probability[1] >= figures.stockout_probability[0] - 1e-12
    assert np.all(figures.needed >= m)
