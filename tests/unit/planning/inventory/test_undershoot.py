"""The undershoot of a walk over a finite lot (``planning.inventory.undershoot``)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from stockguard.planning.inventory import lost_sales, policies, undershoot
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.lost_sales import FillRateModel
from stockguard.planning.inventory.safety_stock import ServiceMeasure


def test_lumps_larger_than_the_lot_overshoot_by_the_lump_less_the_lot() -> None:
    """Demand 0 or 10 with a lot of 3: every order comes at a lump, U = 7 exactly; the
    renewal limit says 4.5."""
    sales = np.array([[0.0, 10.0, 0.0, 10.0]])
    mean, variance, done = undershoot.lot_undershoot_moments(
        sales=sales, window=4, lot=np.array([3.0])
    )
    assert done.tolist() == [True]
    assert mean[0] == pytest.approx(7.0)
    assert variance[0] == pytest.approx(0.0)
    renewal, _ = lost_sales.undershoot_moments(sales=sales, window=4)
    assert renewal[0] == pytest.approx(4.5)


def test_constant_demand_lands_on_a_whole_lot_and_a_fractional_lot_adds_its_remainder() -> None:
    sales = np.full((2, 8), 10.0)
    mean, variance, _ = undershoot.lot_undershoot_moments(
        sales=sales, window=8, lot=np.array([20.0, 19.5])
    )
    assert mean.tolist() == pytest.approx([0.0, 0.5])
    assert variance.tolist() == pytest.approx([0.0, 0.0])


def test_moments_match_walks_drawn_from_the_same_history() -> None:
    """20,000 walks per lot drawn from one row's history: mean and variance of ``C - Q``
    at the first ``C >= Q`` within sampling error (4 standard errors)."""
    rng = np.random.default_rng(7)
    history = rng.negative_binomial(0.5, 0.5 / 3.5, size=120).astype(float)
    for lot in (1.0, 3.0, 7.5):
        mean, variance, _ = undershoot.lot_undershoot_moments(
            sales=history[None, :], window=120, lot=np.array([lot])
        )
        total = np.zeros(20_000)
        open_ = np.ones(20_000, dtype=bool)
        while open_.any():
            total[open_] += rng.choice(history, size=int(open_.sum()))
            open_ &= total < lot
        drawn = total - lot
        error = 4.0 * drawn.std() / np.sqrt(drawn.size)
        assert abs(drawn.mean() - mean[0]) < error
        assert drawn.var() == pytest.approx(variance[0], rel=0.1)


def test_a_lot_of_many_periods_tends_to_the_renewal_law() -> None:
    rng = np.random.default_rng(3)
    history = rng.poisson(2.0, size=(3, 91)).astype(float)
    mean, variance, done = undershoot.lot_undershoot_moments(
        sales=history, window=91, lot=np.full(3, 60.0)
    )
    renewal_mean, renewal_variance = lost_sales.undershoot_moments(sales=history, window=91)
    assert done.all()
    assert mean == pytest.approx(renewal_mean, abs=1e-3)
    assert variance == pytest.approx(renewal_variance, abs=1e-2)


def test_rows_without_a_sale_or_with_a_lot_above_the_cap_are_left_to_the_caller() -> None:
    sales = np.array([[0.0, np.nan, 0.0], [1.0, 2.0, 1.0]])
    mean, _, done = undershoot.lot_undershoot_moments(
        sales=sales, window=3, lot=np.array([2.0, 80.0]), max_units=64
    )
    assert done.tolist() == [False, False]
    assert mean.tolist() == [0.0, 0.0]


def test_invalid_lot_or_window_is_refused() -> None:
    with pytest.raises(ValueError, match="lot"):
        undershoot.lot_undershoot_moments(sales=np.ones((1, 3)), window=3, lot=[0.0])
    with pytest.raises(ValueError, match="window"):
        undershoot.lot_undershoot_moments(sales=np.ones((1, 3)), window=0, lot=[1.0])


def test_lost_sales_rows_take_the_lot_undershoot_when_asked() -> None:
    """Lumps of 10 against a lot of 3: ``E[U] = 7`` with ``lot_undershoot``, the renewal
    4.5 without. With a one-period lead time ``X = U``: the walk's ``X`` is 7 exactly
    (no spread), the renewal's spreads 0..9."""
    history = np.tile([0.0, 10.0], (1, 12))
    common: dict[str, Any] = {
        "demand_mean": np.full((1, 6), 5.0),
        "demand_std": np.full((1, 6), 5.0),
        "lead_time_mean": [1.0],
        "lead_time_variance": [0.0],
        "lead_time_crossing": [0.0],
        "fill_rate": [0.95],
        "order_quantity": [3.0],
        "sales": history,
        "undershoot_window": 24,
    }
    walk = lost_sales.lost_sales_rows(**common, lot_undershoot=True)
    renewal = lost_sales.lost_sales_rows(**common)
    assert walk.undershoot_mean[0] == pytest.approx(7.0)
    assert renewal.undershoot_mean[0] == pytest.approx(4.5)
    assert walk.protection_mean[0] == pytest.approx(7.0)
    assert walk.protection_std[0] == pytest.approx(0.0, abs=1e-9)
    assert renewal.protection_std[0] == pytest.approx(np.sqrt(8.25))
    assert walk.reorder_point[0] == pytest.approx(7.0)


def test_compute_policies_passes_the_choice_to_the_lost_sales_rows() -> None:
    history = np.tile([0.0, 10.0], (1, 12))
    tables = [
        policies.compute_policies(
            kind=[int(PolicyKind.REORDER_POINT_ORDER_UP_TO)],
            demand_mean=np.full((1, 6), 5.0),
            demand_std=np.full((1, 6), 5.0),
            lead_time_mean=[1.0],
            service_level=[0.95],
            service_measure=ServiceMeasure.FILL_RATE,
            fixed_order_quantity=[3.0],
            fill_rate_model=FillRateModel.LOST_SALES,
            demand_history=history,
            history_window=24,
            lot_undershoot=choice,
        )
        for choice in (True, False)
    ]
    assert tables[0].undershoot_mean[0] == pytest.approx(7.0)
    assert tables[1].undershoot_mean[0] == pytest.approx(4.5)


def test_common_shape_of_a_group_without_excess_over_poisson() -> None:
    """A group whose rows all alternate 1, 3 (mean 2, sample variance 4/3) has no excess
    over Poisson by the estimator (k = 0): E[U] = mu / 2 = 1, Var[U] = E[U^2] - 1 with
    Poisson's raw moments (2, 6, 22): (44 - 18 + 2) / 12 - 1 = 4/3."""
    sales = np.tile([1.0, 3.0], (12, 6))
    mean, variance, shape = undershoot.common_shape_undershoot(
        sales=sales, window=12, group=np.zeros(12, np.int64)
    )
    assert shape == pytest.approx(np.zeros(12))
    assert mean == pytest.approx(np.ones(12))
    assert variance == pytest.approx(np.full(12, 4.0 / 3.0))


def test_common_shape_recovers_a_lumpy_law_that_short_histories_miss() -> None:
    """500 rows of negative binomial demand (shape 0.5, squared-CV excess k = 2), rates 1-5
    a period, 24 periods each: the pooled k is near 2, each row's E[U] is its rate
    times (1 + k) / 2, and on average above what the rows' own short samples give."""
    rng = np.random.default_rng(0)
    rates = rng.uniform(1.0, 5.0, size=500)
    sales = rng.negative_binomial(0.5, 0.5 / (0.5 + rates[:, None]), size=(500, 24)).astype(float)
    mean, _, shape = undershoot.common_shape_undershoot(
        sales=sales, window=24, group=np.zeros(500, np.int64)
    )
    own, _ = lost_sales.undershoot_moments(sales=sales, window=24)
    assert shape[0] == pytest.approx(2.0, abs=0.3)
    observed = np.nanmean(sales, axis=1)
    assert mean == pytest.approx(observed * (1.0 + shape[0]) / 2.0)
    true = rates * 3.0 / 2.0
    assert abs(np.mean(mean - true)) < abs(np.mean(own - true))


def test_a_small_group_takes_the_shape_of_all_rows() -> None:
    rng = np.random.default_rng(5)
    sales = rng.poisson(2.0, size=(15, 30)).astype(float)
    sales[:3] = np.tile([0.0, 8.0], 15)  # three lumpy rows in their own group
    group = np.array([1] * 3 + [0] * 12)
    _, _, shape = undershoot.common_shape_undershoot(sales=sales, window=30, group=group)
    _, _, together = undershoot.common_shape_undershoot(
        sales=sales, window=30, group=np.zeros(15, np.int64)
    )
    assert shape[:3] == pytest.approx(together[:3])


def test_lost_sales_rows_take_the_group_shape_when_asked() -> None:
    history = np.tile([1.0, 3.0], (12, 6))
    common: dict[str, Any] = {
        "demand_mean": np.full((12, 6), 2.0),
        "demand_std": np.full((12, 6), 1.0),
        "lead_time_mean": np.ones(12),
        "lead_time_variance": np.zeros(12),
        "lead_time_crossing": np.zeros(12),
        "fill_rate": np.full(12, 0.95),
        "order_quantity": np.full(12, 2.0),
        "sales": history,
        "undershoot_window": 12,
    }
    grouped = lost_sales.lost_sales_rows(**common, shape_group=np.zeros(12, np.int64))
    own = lost_sales.lost_sales_rows(**common)
    assert grouped.undershoot_mean == pytest.approx(np.ones(12))
    assert own.undershoot_mean == pytest.approx(np.full(12, (5.0 - 2.0) / 4.0))
