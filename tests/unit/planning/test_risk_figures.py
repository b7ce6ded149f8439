"""Risk figures: worked examples, a scalar reference, and properties over random rows."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.risk import figures, probability
from unit.planning._risk_basis import risk_basis as _basis


def test_days_of_cover_divides_available_by_the_demand_rate() -> None:
    cover = figures.days_of_cover(available=[10, 10, 0, -3], demand_mean=[2, 0, 2, 0])

    np.testing.assert_array_equal(cover, [5.0, np.inf, 0.0, 0.0])
    np.testing.assert_array_equal(figures.stockout_offset([5.6, np.inf, 0.0]), [5, np.inf, 0])


def _points(basis: figures.RiskBasisArrays, available: float, position: float) -> tuple:  # type: ignore[type-arg]
    return figures.exposure_points(basis=basis, available=[available], position=[position])


def _degenerate(days: float) -> tuple[np.ndarray, np.ndarray]:
    return np.array([[days]]), np.array([[1.0]])


# Day convention (ADR 0011): a receipt r days away serves the demand of days 1 .. r - 1,
# so T = r - 1 (the former figures used T = r: these expectations moved by one day).


def test_without_an_open_order_the_next_receipt_waits_for_the_reorder_point() -> None:
    mean, var = figures.receipt_horizon(basis=_basis(), available=[30.0], position=[30.0])

    assert mean[0] == pytest.approx(10 + 6)  # (30 - 10) / 2 days, then 7 - 1 days of a lead time
    assert var[0] == pytest.approx(4.0)


def test_units_on_order_without_a_date_are_expected_within_a_lead_time() -> None:
    mean, var = figures.receipt_horizon(basis=_basis(), available=[5.0], position=[30.0])
    result = figures.assess(basis=_basis(), available=[5.0], position=[30.0])

    assert (mean[0], var[0]) == pytest.approx((6.0, 4.0))
    points, mass = _points(_basis(), 5.0, 30.0)
    assert points[0] == pytest.approx([7 - 12**0.5 - 1, 6.0, 7 + 12**0.5 - 1])
    spread = figures.demand_spread(_basis())
    assert result.probability[0] == pytest.approx(
        probability.stockout_probability_over_points([5.0], [2.0], [2.0], points, mass, spread)[0]
    )


def test_a_stored_date_is_stale_once_nothing_is_on_order() -> None:
    basis = _basis(days_to_receipt=4.0, receipt_delay_mean=1.0, receipt_delay_var=1.0)

    mean, var = figures.receipt_horizon(basis=basis, available=[30.0], position=[30.0])

    assert (mean[0], var[0]) == pytest.approx((10 + 6, 4.0))  # received: wait, then a lead time


def test_an_open_order_arrives_on_its_date_plus_the_suppliers_delay() -> None:
    basis = _basis(days_to_receipt=4.0, receipt_delay_mean=1.0, receipt_delay_var=1.0)

    mean, var = figures.receipt_horizon(basis=basis, available=[10.0], position=[30.0])
    result = figures.assess(basis=basis, available=[10.0], position=[30.0])

    assert (mean[0], var[0]) == pytest.approx((4.0, 1.0))  # 4 + 1 days away, 4 days of demand
    points, mass = _points(basis, 10.0, 30.0)
    spread = figures.demand_spread(basis)
    expected = probability.stockout_probability_over_points(
        [10.0], [2.0], [2.0], points, mass, spread
    )
    assert result.probability[0] == pytest.approx(expected[0])
    assert result.days_of_cover[0] == 5.0
    assert result.stockout_offset[0] == 5.0


def test_a_degenerate_delay_pmf_gives_the_single_horizon_figure() -> None:
    """The mixture over a one-point pmf is the negative binomial of that one horizon."""
    points, mass = _degenerate(1.0)
    basis = _basis(days_to_receipt=4.0, delay_points=points, delay_mass=mass, demand_var=5.0)
    result = figures.assess(basis=basis, available=[10.0], position=[30.0])

    # due in 4 + 1 days: T = 4 days, an NB of mean 2 x 4 and variance 5 x 4 + tau^2 x 16,
    # tau^2 = 5 / 56 + 0.04 x 2^2 the rate's own uncertainty (ADR 0013): a horizon's
    # variance carried as Var[T] = 16 tau^2 / mu^2 in the two-moment form
    tau2 = 5.0 / figures.LEVEL_DAYS + figures.LEVEL_DRIFT * 4.0
    single = ([10.0], [2.0], [5.0], [4.0], [16.0 * tau2 / 4.0])
    assert result.probability[0] == pytest.approx(probability.stockout_probability(*single)[0])
    assert result.expected_lost_units[0] == pytest.approx(
        probability.expected_shortfall(*single)[0]
    )


def test_an_overdue_order_keeps_only_the_delays_still_possible() -> None:
    points = np.array([[-2.0, 1.0, 5.0]])
    mass = np.array([[0.5, 0.25, 0.25]])
    basis = _basis(days_to_receipt=-1.0, delay_points=points, delay_mass=mass)

    t, w = _points(basis, 10.0, 30.0)

    # due yesterday: a delay of -2 is excluded; 1 and 5 days late leave 0 and 4 days
    np.testing.assert_allclose(t[0][w[0] > 0], [0.0, 3.0])
    np.testing.assert_allclose(w[0][w[0] > 0], [0.5, 0.5])
    very_late = _basis(days_to_receipt=-9.0, delay_points=points, delay_mass=mass)
    t, w = _points(very_late, 10.0, 30.0)
    assert float((t * w).sum()) == 0.0  # later than every past delay: any day now


def test_without_an_open_order_the_risk_is_the_lead_time_demand_above_the_reorder_point() -> None:
    points, mass = _degenerate(7.0)
    basis = _basis(lead_points=points, lead_mass=mass)
    result = figures.assess(basis=basis, available=[30.0], position=[30.0])

    # a 7-day lead time: 6 days of demand, variance 2 x 6 + tau^2 x 36 (ADR 0013), written
    # as the two-moment form's mu^2 Var[T] with Var[T] = 36 tau^2 / mu^2
    tau2 = 2.0 / figures.LEVEL_DAYS + figures.LEVEL_DRIFT * 4.0
    lead_time = ([2.0], [2.0], [6.0], [36.0 * tau2 / 4.0])
    assert result.probability[0] == pytest.approx(
        probability.stockout_probability([10.0], *lead_time)[0]
    )
    lost = probability.expected_shortfall([10.0], *lead_time)[0]
    assert result.expected_lost_units[0] == pytest.approx(lost)
    assert result.expected_lost_revenue[0] == pytest.approx(lost * 12.5)


@pytest.mark.parametrize(
    ("available", "p", "position", "state"),
    [
        (0, 0.0, 50, "out_of_stock"),
        (-2, 1.0, 50, "out_of_stock"),
        (5, 0.5, 50, "at_risk"),
        (5, 0.2, 50, "watch"),
        (5, 0.05, 10, "watch"),  # at the reorder point
        (5, 0.05, 11, "ok"),
    ],
)
def test_states_follow_the_thresholds(available: int, p: float, position: int, state: str) -> None:
    code = figures.classify(
        available=[available], probability=[p], position=[position], reorder_point=[10]
    )

    assert figures.STATES[int(code[0])] == state


def test_thresholds_out_of_order_are_refused() -> None:
    with pytest.raises(ValueError, match="watch <= at_risk"):
        figures.RiskThresholds(at_risk_probability=0.1, watch_probability=0.3)


def test_no_demand_means_no_risk_and_no_projected_stockout() -> None:
    result = figures.assess(
        basis=_basis(demand_mean=0.0, demand_var=0.0), available=[4.0], position=[4.0]
    )

    assert result.probability[0] == 0.0
    assert math.isinf(result.days_of_cover[0])
    assert figures.STATES[int(result.state[0])] == "watch"  # 4 units is below s = 10


rows = st.tuples(
    st.floats(0.0, 20.0),  # demand mean
    st.floats(1.0, 4.0),  # variance / mean
    st.floats(0.0, 30.0),  # lead time
    st.floats(0.0, 40.0),  # reorder point
    st.one_of(st.just(math.nan), st.floats(-5.0, 30.0)),  # days to receipt
    st.integers(-10, 400),  # available
    st.integers(0, 100),  # on order
)


def _arrays(
    found: list[tuple[float, float, float, float, float, int, int]],
) -> tuple[figures.RiskBasisArrays, np.ndarray, np.ndarray]:
    mu, ratio, lead, rop, due, available, on_order = (
        np.array(c, np.float64) for c in zip(*found, strict=True)
    )
    basis = figures.RiskBasisArrays(
        demand_mean=mu,
        demand_var=mu * ratio,
        lead_time_mean=lead,
        lead_time_var=lead / 4,
        reorder_point=np.floor(rop),
        days_to_receipt=due,
        receipt_delay_mean=np.ones_like(mu),
        receipt_delay_var=np.full_like(mu, 2.0),
        unit_price=np.full_like(mu, 3.0),
    )
    return basis, available, available + on_order


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, min_size=1, max_size=12))
def test_the_vectorised_figures_equal_the_row_by_row_ones(found: list) -> None:  # type: ignore[type-arg]
    basis, available, position = _arrays(found)

    together = figures.assess(basis=basis, available=available, position=position)

    for i in range(len(found)):
        one = figures.RiskBasisArrays(
            *(  # type: ignore[arg-type]
                None if getattr(basis, f) is None else np.asarray(getattr(basis, f))[i : i + 1]
                for f in basis.__dataclass_fields__
            )
        )
        alone = figures.assess(
            basis=one, available=available[i : i + 1], position=position[i : i + 1]
        )
        assert alone.probability[0] == pytest.approx(together.probability[0 + i])
        assert alone.state[0] == together.state[i]
        assert 0.0 <= together.probability[i] <= 1.0
        assert together.expected_lost_units[i] >= 0.0


@settings(max_examples=60, deadline=None)
@given(rows, st.integers(1, 50))
def test_the_risk_never_falls_when_available_stock_falls(row: tuple, drop: int) -> None:  # type: ignore[type-arg]
    basis, available, position = _arrays([row, row])
    available[1] -= drop
    position[1] -= drop

    result = figures.assess(basis=basis, available=available, position=position)

    assert result.probability[1] >= result.probability[0] - 1e-9
    assert result.expected_lost_units[1] >= result.expected_lost_units[0] - 1e-9
    assert result.state[1] >= result.state[0]
    assert result.days_of_cover[1] <= result.days_of_cover[0]


def test_the_rate_uncertainty_adds_a_variance_growing_with_the_square_of_the_horizon() -> None:
    """tau^2 = sigma^2 / 56 + 0.04 mu^2 (docstring example of ``demand_spread``): over 10
    days the variance is 20 + 100 tau^2, and without the term the figure is the
    independent-days one, which is lower for a stock above the mean demand."""
    basis = _basis()
    spread = figures.demand_spread(basis)
    assert float(spread.level_var[0]) == pytest.approx(2.0 / 56 + 0.04 * 4.0)
    points, mass = _degenerate(10.0)

    with_level = probability.stockout_probability_over_points(
        [30.0], [2.0], [2.0], points, mass, spread
    )
    days_only = probability.stockout_probability_over_points([30.0], [2.0], [2.0], points, mass)
    moments = probability.stockout_probability([30.0], [2.0], [2.0], [10.0], [100 * 0.1957 / 4])

    assert with_level[0] == pytest.approx(moments[0], rel=1e-3)
    assert with_level[0] > days_only[0]
