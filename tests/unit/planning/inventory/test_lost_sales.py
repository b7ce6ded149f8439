"""Lost-sales, period-review fill-rate levels (``inventory.lost_sales``): textbook values,
properties, and a replay where the model's assumptions hold reaching its target."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning import simulation as sim
from stockguard.planning.inventory import lost_sales, safety_stock
from stockguard.planning.inventory.distributions import DemandDistribution
from stockguard.planning.inventory.kinds import PolicyKind
from unit.planning.inventory._replay import FixedLevels


def test_crossover_variance_of_two_equally_likely_lead_times() -> None:
    # L in {1, 3}: Var = 1; p_k = P(L > k) = 1, .5, .5, 0 so sum p (1 - p) = 0.5
    variance = lost_sales.crossover_lead_time_variance(
        lead_times=[1, 3, 1, 3], order_interval=[1.0, 0.2, 4.0]
    )
    np.testing.assert_allclose(variance, [0.5, 0.5, 1.0], atol=1e-12)


def test_crossover_variance_is_zero_for_a_fixed_lead_time() -> None:
    variance = lost_sales.crossover_lead_time_variance(lead_times=[7, 7, 7], order_interval=[1.0])
    assert variance[0] == 0.0


def test_undershoot_of_constant_demand_is_uniform_below_the_period_demand() -> None:
    # 10 units every period: U uniform on 0..9, mean 4.5, variance (100 - 1) / 12 = 8.25
    mean, variance = lost_sales.undershoot_moments(sales=np.full((1, 30), 10.0), window=14)
    np.testing.assert_allclose(mean, [4.5], atol=1e-12)
    np.testing.assert_allclose(variance, [8.25], atol=1e-12)


def test_undershoot_of_lumpy_demand_and_of_unit_demand() -> None:
    # D = 0 or 4 equally often: P(U = u) = P(D > u) / E[D] = 0.25 for u = 0..3
    lumpy = np.tile([0.0, 4.0], 10)
    # D = 0 or 1: the position steps one unit at a time and lands on s, U = 0
    unit = np.tile([0.0, 1.0, np.nan, 1.0], 5)
    mean, variance = lost_sales.undershoot_moments(sales=np.vstack([lumpy, unit]), window=20)
    np.testing.assert_allclose(mean, [1.5, 0.0], atol=1e-12)
    np.testing.assert_allclose(variance, [3.5 - 1.5**2, 0.0], atol=1e-12)


def test_undershoot_without_sales_is_zero() -> None:
    mean, variance = lost_sales.undershoot_moments(
        sales=np.array([[0.0, 0.0], [np.nan, np.nan]]), window=2
    )
    assert mean.tolist() == [0.0, 0.0]
    assert variance.tolist() == [0.0, 0.0]


def test_lost_sales_target_values() -> None:
    np.testing.assert_allclose(
        lost_sales.lost_sales_target([0.9, 0.98, 0.5]),
        [0.8 / 0.9, 0.96 / 0.98, lost_sales.SMALLEST_TARGET],
        atol=1e-12,
    )
    with pytest.raises(ValueError, match="fill_rate"):
        lost_sales.lost_sales_target([1.0])


def test_levels_solve_the_lost_sales_fill_rate_equation_for_constant_demand() -> None:
    # d = 10 per period, no forecast spread, L = 3 always, Q = 20, beta = 0.99:
    # X = D_2 + U with E[X] = 24.5, Var[X] = Var[U] = 8.25;
    # G(k) sigma_X = (1 - beta') (Q + E[U]) with beta' = 0.98 / 0.99
    levels = lost_sales.lost_sales_levels(
        demand_mean=np.full((1, 10), 10.0),
        demand_std=np.zeros((1, 10)),
        lead_times=[3.0, 3.0],
        fill_rate=[0.99],
        order_quantity=[20.0],
        sales=np.full((1, 30), 10.0),
        undershoot_window=30,
        distribution=DemandDistribution.NORMAL,
    )
    sigma = np.sqrt(8.25)
    k = (levels.reorder_point[0] - 24.5) / sigma
    shortage = float(safety_stock.normal_loss(k)) * sigma
    assert levels.protection_mean[0] == pytest.approx(24.5, abs=1e-9)
    assert levels.protection_std[0] == pytest.approx(sigma, abs=1e-9)
    assert shortage == pytest.approx((1 - 0.98 / 0.99) * 24.5, abs=1e-9)
    assert levels.order_up_to[0] == pytest.approx(levels.reorder_point[0] + 20.0, abs=1e-12)


@settings(max_examples=40, deadline=None)
@given(
    low=st.integers(min_value=1, max_value=10),
    extra=st.integers(min_value=0, max_value=30),
    interval=st.floats(min_value=0.5, max_value=50.0),
)
def test_crossover_variance_never_exceeds_the_lead_time_variance(
    low: int, extra: int, interval: float
) -> None:
    rng = np.random.default_rng(low * 100 + extra)
    lead = rng.integers(low, low + extra + 1, size=50)
    variance = lost_sales.crossover_lead_time_variance(
        lead_times=lead, order_interval=[interval, interval * 2]
    )
    assert variance[0] <= lead.var() + 1e-12
    assert variance[0] <= variance[1] + 1e-12


@settings(max_examples=30, deadline=None)
@given(
    mean=st.floats(min_value=0.1, max_value=50.0),
    spread=st.floats(min_value=0.0, max_value=20.0),
    low=st.floats(min_value=0.6, max_value=0.97),
)
def test_reorder_point_rises_with_the_fill_rate(mean: float, spread: float, low: float) -> None:
    rng = np.random.default_rng(7)
    levels = lost_sales.lost_sales_levels(
        demand_mean=np.full((2, 20), mean),
        demand_std=np.full((2, 20), spread),
        lead_times=[2.0, 5.0, 9.0, 1.0],
        fill_rate=[low, low + 0.02],
        order_quantity=[max(7 * mean, 1.0)] * 2,
        sales=np.tile(rng.poisson(mean, size=(1, 60)).astype(float), (2, 1)),
        undershoot_window=60,
    )
    assert levels.reorder_point[0] <= levels.reorder_point[1] + 1e-9


@pytest.mark.parametrize("target", [0.90, 0.98])
def test_replay_with_known_demand_reaches_the_target(target: float) -> None:
    """300 SKUs x 730 days of Poisson(3) demand, lead times 2..9 days that cross.

    The levels come from the true demand law (mean 3, variance 3 per day); the replay
    (lost sales, end-of-day review) must reach the fill rate within 1.5 points. Sized to
    run in about a second.
    """
    rng = np.random.default_rng(42)
    n_sku, n_days = 300, 730
    demand = rng.poisson(3.0, size=(n_sku, n_days)).astype(float)
    lead_pool = np.array([2, 3, 3, 4, 4, 4, 5, 9])
    lead = rng.choice(lead_pool, size=(n_sku, n_days))
    history = rng.poisson(3.0, size=(n_sku, 91)).astype(float)
    levels = lost_sales.lost_sales_levels(
        demand_mean=np.full((n_sku, 30), 3.0),
        demand_std=np.full((n_sku, 30), np.sqrt(3.0)),
        lead_times=lead_pool,
        fill_rate=np.full(n_sku, target),
        order_quantity=np.full(n_sku, 21.0),
        sales=history,
        undershoot_window=91,
    )
    scenario = sim.Scenario.build(demand=demand, lead_time=lead, unit_cost=np.ones(n_sku))
    policy = sim.ReplayPolicy(
        kind=np.full(n_sku, int(PolicyKind.REORDER_POINT_ORDER_UP_TO), dtype=np.int64),
        levels=FixedLevels(levels),
    )
    result = sim.simulate(scenario, policy, initial_on_hand=np.ceil(levels.order_up_to))
    assert abs(result.total_fill_rate - target) <= 0.015


def test_dispersion_index_of_alternating_demand() -> None:
    sales = np.array([[0.0, 4.0, 0.0, 4.0], [1.0, np.nan, 1.0, 1.0]])
    np.testing.assert_allclose(
        lost_sales.dispersion_index(sales=sales, window=4, periods=1), [8 / 3, 0.0], atol=1e-12
    )
    # totals over two periods: 4, 4, 4 for the first row; one full window only in the second
    np.testing.assert_allclose(
        lost_sales.dispersion_index(sales=sales, window=4, periods=2), [0.0, 1.0], atol=1e-12
    )


def test_crossing_spread_is_half_the_mean_absolute_difference() -> None:
    assert lost_sales.crossing_spread([1, 3]) == pytest.approx(0.5)
    assert lost_sales.crossing_spread([7, 7, 7]) == 0.0
    assert lost_sales.normal_crossing_spread(2.0) == pytest.approx(2 / np.sqrt(np.pi))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=30))
def test_crossing_spread_equals_the_sum_over_ages_for_whole_periods(lead: list[int]) -> None:
    ages = np.arange(max(lead) + 1)
    beyond = (np.array(lead)[None, :] > ages[:, None]).mean(axis=1)
    assert lost_sales.crossing_spread(lead) == pytest.approx(np.sum(beyond * (1 - beyond)))


def test_forecast_undershoot_of_poisson_demand() -> None:
    # Poisson 2: raw moments 2, 6, 22; E[U] = (6 - 2) / 4 = 1, E[U^2] = (44 - 18 + 2) / 12
    mean, variance = lost_sales.forecast_undershoot_moments(
        demand_mean=[2.0, 0.0], demand_std=[np.sqrt(2.0), 0.0]
    )
    np.testing.assert_allclose(mean, [1.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(variance, [7 / 3 - 1, 0.0], atol=1e-12)


def test_rows_with_their_own_suppliers_equal_each_row_computed_alone() -> None:
    """The vectorised per-row levels equal the one-sample function row by row."""
    rng = np.random.default_rng(3)
    samples = [np.array([2, 3, 3, 9]), np.array([5, 5, 6]), np.array([1, 1, 4, 12, 2])]
    sales = rng.poisson(4.0, size=(3, 91)).astype(float)
    sales[1, ::9] = np.nan
    mean = rng.uniform(1.0, 6.0, size=(3, 20))
    std = np.sqrt(mean) * 1.5
    alone = [
        lost_sales.lost_sales_levels(
            demand_mean=mean[i : i + 1],
            demand_std=std[i : i + 1],
            lead_times=samples[i],
            fill_rate=[0.95],
            order_quantity=[20.0],
            sales=sales[i : i + 1],
            undershoot_window=91,
        )
        for i in range(3)
    ]
    together = lost_sales.lost_sales_rows(
        demand_mean=mean,
        demand_std=std,
        lead_time_mean=[x.mean() for x in samples],
        lead_time_variance=[x.var() for x in samples],
        lead_time_crossing=[lost_sales.crossing_spread(x) for x in samples],
        fill_rate=[0.95] * 3,
        order_quantity=[20.0] * 3,
        sales=sales,
        undershoot_window=91,
    )
    np.testing.assert_allclose(
        together.reorder_point, [x.reorder_point[0] for x in alone], atol=1e-9
    )
    np.testing.assert_allclose(
        together.protection_std, [x.protection_std[0] for x in alone], atol=1e-9
    )


def test_a_row_without_history_reads_its_undershoot_off_the_forecast() -> None:
    sales = np.full((2, 91), np.nan)
    sales[0] = 3.0
    levels = lost_sales.lost_sales_rows(
        demand_mean=np.full((2, 10), 3.0),
        demand_std=np.full((2, 10), np.sqrt(3.0)),
        lead_time_mean=[4.0, 4.0],
        lead_time_variance=[0.0, 0.0],
        lead_time_crossing=[0.0, 0.0],
        fill_rate=[0.9, 0.9],
        order_quantity=[21.0, 21.0],
        sales=sales,
        undershoot_window=91,
    )
    # constant 3: (9 - 3) / 6 = 1; Poisson 3 off the forecast: (3 + 9 - 3) / 6 = 1.5
    np.testing.assert_allclose(levels.undershoot_mean, [1.0, 1.5], atol=1e-12)
    np.testing.assert_allclose(levels.dispersion, [0.0, 1.0], atol=1e-12)


def test_a_row_out_of_stock_all_window_with_a_vanishing_forecast_orders_almost_nothing() -> None:
    """Regression: a forecast of 3e-9 units/day with a spread of 0.16 and no observed
    sales in the window read as a negative binomial gave E[U] of 4.7 million units."""
    levels = lost_sales.lost_sales_rows(
        demand_mean=np.full((1, 49), 3e-9),
        demand_std=np.full((1, 49), 0.156),
        lead_time_mean=[7.85],
        lead_time_variance=[10.75**2],
        lead_time_crossing=[3.05],
        fill_rate=[0.9],
        order_quantity=[1.0],
        sales=np.full((1, 91), np.nan),
        undershoot_window=91,
    )
    assert levels.undershoot_mean[0] < 1e-8
    assert levels.reorder_point[0] <= 1.0


@pytest.mark.parametrize("lead_time_variance", [0.0, 4.0])
def test_a_row_forecast_at_zero_with_a_fixed_lead_time_keeps_no_stock(
    lead_time_variance: float,
) -> None:
    """Regression (found by the QA pass): a row forecast at 0 every day, with no sales in
    the window and no crossing spread, had an infinite order interval times a zero
    crossing spread, NaN, and stopped the planning run; the crossing term is 0 there."""
    levels = lost_sales.lost_sales_rows(
        demand_mean=np.zeros((1, 28)),
        demand_std=np.zeros((1, 28)),
        lead_time_mean=[7.0],
        lead_time_variance=[lead_time_variance],
        lead_time_crossing=[0.0],
        fill_rate=[0.95],
        order_quantity=[1.0],
        sales=np.full((1, 91), np.nan),
        undershoot_window=91,
    )
    assert np.isfinite(levels.protection_std[0])
    assert levels.reorder_point[0] == 0.0
