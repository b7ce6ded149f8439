"""The group's common lump shape in two halves (ADR 0028): ``undershoot.common_shapes``
learns each group's ``k``, ``undershoot.shape_undershoot`` applies given ``k``s, and the
lost-sales rows read given shapes (a run's stored figures) exactly as learnt ones."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from stockguard.planning.inventory import lost_sales, undershoot


def test_the_docstring_examples() -> None:
    """Two rows 0, 4, 0, 4: k = (2 x 10/3) / (2 x 8/3) = 1.25; mu = 2 and k = 0.5 give
    E[U] = 1.5 and Var[U] = 3.25."""
    found = undershoot.common_shapes(
        sales=np.tile([0.0, 4.0], (2, 2)), window=4, group=np.zeros(2, np.int64), min_group_rows=2
    )
    assert found.per_row == pytest.approx([1.25, 1.25])
    assert found.overall == pytest.approx(1.25)
    assert found.rows.tolist() == [2.0]
    mean, variance = undershoot.shape_undershoot(
        sales=np.full((1, 5), 2.0), window=5, shape=np.array([0.5])
    )
    assert mean[0] == pytest.approx(1.5)
    assert variance[0] == pytest.approx(3.25)


def _lumpy(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """60 rows in three groups (one too small for its own k), lumpy, some days unobserved."""
    rng = np.random.default_rng(seed)
    rates = rng.uniform(0.2, 4.0, 60)
    sales = rng.negative_binomial(0.7, 0.7 / (0.7 + rates[:, None]), size=(60, 40)).astype(float)
    sales[rng.random(sales.shape) < 0.1] = np.nan
    sales[:3] = 0.0  # never sold: no shape undershoot
    group = np.array([0] * 30 + [1] * 25 + [2] * 5)
    return sales, group


def test_the_two_halves_give_the_learnt_undershoot_bit_for_bit() -> None:
    sales, group = _lumpy(1)
    mean, variance, shape = undershoot.common_shape_undershoot(sales=sales, window=30, group=group)
    learnt = undershoot.common_shapes(sales=sales, window=30, group=group)
    assert np.array_equal(learnt.per_row, shape)
    assert np.array_equal(learnt.per_row[55:], np.full(5, learnt.overall))  # 5 < 10 rows
    again = undershoot.shape_undershoot(sales=sales, window=30, shape=learnt.per_row)
    assert np.array_equal(again[0], mean)
    assert np.array_equal(again[1], variance)
    assert mean[:3].tolist() == [0.0, 0.0, 0.0]


def _rows(sales: np.ndarray) -> dict[str, Any]:
    n = sales.shape[0]
    return {
        "demand_mean": np.full((n, 8), 1.5),
        "demand_std": np.full((n, 8), 1.2),
        "lead_time_mean": np.full(n, 7.0),
        "lead_time_variance": np.full(n, 2.0),
        "lead_time_crossing": np.full(n, 0.5),
        "fill_rate": np.full(n, 0.95),
        "order_quantity": np.full(n, 10.0),
        "sales": sales,
        "undershoot_window": 30,
    }


def test_lost_sales_rows_with_given_shapes_equal_those_with_learnt_ones() -> None:
    sales, group = _lumpy(2)
    learnt = lost_sales.lost_sales_rows(**_rows(sales), shape_group=group)
    per_row = undershoot.common_shapes(sales=sales, window=30, group=group).per_row
    given = lost_sales.lost_sales_rows(**_rows(sales), shape=per_row)
    assert np.array_equal(given.reorder_point, learnt.reorder_point)
    assert np.array_equal(given.undershoot_mean, learnt.undershoot_mean)
    assert np.array_equal(given.protection_std, learnt.protection_std)


def test_a_row_without_a_shape_reads_its_own_moments() -> None:
    sales, _ = _lumpy(3)
    shape = np.full(sales.shape[0], 1.0)
    shape[10:20] = np.nan
    mixed = lost_sales.lost_sales_rows(**_rows(sales), shape=shape)
    own = lost_sales.lost_sales_rows(**_rows(sales))
    assert np.array_equal(mixed.undershoot_mean[10:20], own.undershoot_mean[10:20])
    assert not np.array_equal(mixed.undershoot_mean[20:], own.undershoot_mean[20:])


def test_shapes_given_twice_or_negative_are_refused() -> None:
    sales, group = _lumpy(4)
    with pytest.raises(ValueError, match="give one of them"):
        lost_sales.lost_sales_rows(**_rows(sales), shape_group=group, shape=np.zeros(60))
    bad = np.zeros(60)
    bad[7] = -0.5
    with pytest.raises(ValueError, match="shape"):
        lost_sales.lost_sales_rows(**_rows(sales), shape=bad)
