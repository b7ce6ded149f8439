"""The normal loss function and its inverse, the kernels behind fill-rate safety stock."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from stockguard.planning.inventory import safety_stock
from unit.planning.inventory._reference import normal_loss_by_integration

POINTS = np.array([-6.0, -2.5, -0.3, 0.0, 0.7, 1.0, 2.33, 4.0, 7.5])


def test_loss_function_equals_the_integral_of_the_shortage() -> None:
    expected = [normal_loss_by_integration(float(k)) for k in POINTS]
    np.testing.assert_allclose(safety_stock.normal_loss(POINTS), expected, rtol=1e-7)


def test_inverse_recovers_the_safety_factor_across_its_whole_range() -> None:
    factors = np.concatenate([POINTS, [-60.0, 11.0]])
    recovered = safety_stock.normal_loss_inverse(safety_stock.normal_loss(factors))
    np.testing.assert_allclose(recovered, factors, rtol=1e-9, atol=1e-9)


def test_fill_rate_rows_need_an_order_quantity() -> None:
    with pytest.raises(ValueError, match="order_quantity: required"):
        safety_stock.normal_safety_stock(
            service_level=[0.95],
            lead_time_demand_mean=[10.0],
            lead_time_demand_std=[2.0],
            service_measure=safety_stock.ServiceMeasure.FILL_RATE,
        )


def test_negative_safety_stock_is_kept_only_when_asked() -> None:
    common: dict[str, Any] = {
        "service_level": [0.8],
        "lead_time_demand_mean": [10.0],
        "lead_time_demand_std": [2.0],
        "service_measure": safety_stock.ServiceMeasure.FILL_RATE,
        "order_quantity": [100.0],
    }
    floored = safety_stock.normal_safety_stock(**common)
    kept = safety_stock.normal_safety_stock(**common, allow_negative=True)
    assert floored.safety_stock.tolist() == [0.0]
    assert kept.safety_stock[0] < 0.0
    assert kept.reorder_point[0] == pytest.approx(10.0 + kept.safety_stock[0])


def test_negative_binomial_with_no_mean_demand_keeps_no_stock() -> None:
    from stockguard.planning.inventory.discrete import negative_binomial_safety_stock

    for measure, quantity in ((0, None), (1, [1.0])):
        result = negative_binomial_safety_stock(
            service_level=[0.95],
            lead_time_demand_mean=[0.0],
            lead_time_demand_std=[0.5],
            service_measure=measure,
            order_quantity=quantity,
        )
        assert result.reorder_point[0] == 0.0
        assert result.safety_stock[0] == 0.0
