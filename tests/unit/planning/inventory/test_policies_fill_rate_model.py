"""``compute_policies`` with the lost-sales fill-rate model: which rows use it, and that
they equal ``lost_sales.lost_sales_rows`` with a day as the period."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.inventory import lost_sales, policies
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.lost_sales import FillRateModel
from stockguard.planning.inventory.safety_stock import ServiceMeasure

KINDS = np.array(
    [
        PolicyKind.REORDER_POINT_ORDER_UP_TO,
        PolicyKind.REORDER_POINT_FIXED_QUANTITY,
        PolicyKind.MIN_MAX,
        PolicyKind.PERIODIC_ORDER_UP_TO,
        PolicyKind.REORDER_POINT_ORDER_UP_TO,
        PolicyKind.JUST_IN_TIME,
    ],
    dtype=np.int64,
)
MEASURES = np.array([1, 1, 1, 1, 0, 1], dtype=np.int64)
"""Fill rate everywhere but row 4 (cycle service level)."""


def _table(model: FillRateModel, history: np.ndarray | None) -> policies.PolicyTable:
    n = KINDS.size
    return policies.compute_policies(
        kind=KINDS,
        demand_mean=np.full((n, 30), 4.0),
        demand_std=np.full((n, 30), 3.0),
        lead_time_mean=np.full(n, 6.0),
        lead_time_std=np.full(n, 2.0),
        service_level=np.full(n, 0.95),
        service_measure=MEASURES,
        review_period=np.where(KINDS == PolicyKind.PERIODIC_ORDER_UP_TO, 7.0, np.nan),
        fixed_order_quantity=np.full(n, 28.0),
        fill_rate_model=model,
        demand_history=history,
        lead_time_crossing=np.full(n, 0.8),
    )


def test_fill_rate_rows_of_continuous_review_kinds_take_the_lost_sales_levels() -> None:
    history = np.random.default_rng(5).poisson(4.0, size=(KINDS.size, 91)).astype(float)
    table = _table(FillRateModel.LOST_SALES, history)
    textbook = _table(FillRateModel.BACKORDER, history)
    lost = np.array([True, True, True, False, False, False])
    np.testing.assert_array_equal(table.fill_rate_model == FillRateModel.LOST_SALES, lost)
    expected = lost_sales.lost_sales_rows(
        demand_mean=np.full((3, 30), 4.0),
        demand_std=np.full((3, 30), 3.0),
        lead_time_mean=[6.0] * 3,
        lead_time_variance=[4.0] * 3,
        lead_time_crossing=[0.8] * 3,
        fill_rate=[0.95] * 3,
        order_quantity=[28.0] * 3,
        sales=history[:3],
        undershoot_window=lost_sales.HISTORY_WINDOW,
    )
    np.testing.assert_allclose(table.reorder_point[:3], expected.reorder_point, atol=1e-9)
    np.testing.assert_allclose(table.protection_interval[:3], 5.0)
    np.testing.assert_allclose(
        table.safety_stock[:3], expected.reorder_point - expected.protection_mean, atol=1e-9
    )
    # (R,S), cycle-service and just-in-time rows are untouched by the setting
    for field in ("reorder_point", "order_up_to", "safety_stock"):
        np.testing.assert_allclose(getattr(table, field)[3:], getattr(textbook, field)[3:])


def test_without_history_the_lost_sales_rows_still_get_levels_from_the_forecast() -> None:
    table = _table(FillRateModel.LOST_SALES, None)
    assert np.all(np.isfinite(table.reorder_point))
    # no sales seen: the forecast's mean 4 a day read as Poisson (its sd 3 is the
    # forecaster's uncertainty, not lumpiness): undershoot (4 + 16 - 4) / 8 = 2
    np.testing.assert_allclose(table.undershoot_mean[:3], 2.0, atol=1e-12)


def test_a_bad_history_or_model_is_refused_naming_it() -> None:
    with pytest.raises(ValueError, match="fill_rate_model: row 0 is 7"):
        _table(7, None)  # type: ignore[arg-type]
    history = np.full((KINDS.size, 91), 1.0)
    history[2, 5] = -1.0
    with pytest.raises(ValueError, match="demand_history: expected units sold >= 0"):
        _table(FillRateModel.LOST_SALES, history)
    with pytest.raises(ValueError, match="demand_history: expected"):
        _table(FillRateModel.LOST_SALES, np.ones((2, 91)))


def test_the_default_stays_the_textbook_equation() -> None:
    table = policies.compute_policies(
        kind=[int(PolicyKind.REORDER_POINT_ORDER_UP_TO)],
        demand_mean=[4.0],
        demand_std=[3.0],
        lead_time_mean=[6.0],
        service_level=[0.95],
        service_measure=ServiceMeasure.FILL_RATE,
        fixed_order_quantity=[28.0],
    )
    assert table.fill_rate_model[0] == FillRateModel.BACKORDER
    assert table.protection_demand_mean[0] == pytest.approx(24.0)
