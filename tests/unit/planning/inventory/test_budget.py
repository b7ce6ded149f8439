"""The budget cap: value of a line, greedy selection of whole lines under caps."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.planning.inventory import budget


def _sequential(
    cost: list[float], value: list[float], cap: float, group: list[int], caps: list[float]
) -> list[bool]:
    """Scalar reference: one line at a time in the greedy order."""

    def key(i: int) -> tuple[float, float, int]:
        ratio = value[i] / cost[i] if cost[i] > 0 else float("inf")
        return (-ratio, -value[i], i)

    left, left_group = cap, list(caps)
    kept = [False] * len(cost)
    for i in sorted(range(len(cost)), key=key):
        if cost[i] <= left and cost[i] <= left_group[group[i]]:
            kept[i] = True
            left -= cost[i]
            left_group[group[i]] -= cost[i]
    return kept


def test_the_documented_example_keeps_the_best_ratio_then_what_still_fits() -> None:
    result = budget.select_within_budget(cost=[60, 50, 40], value=[30, 40, 8], budget=100)
    assert result.kept.tolist() == [False, True, True]
    assert result.priority.tolist() == [1, 0, 2]
    assert result.spent == 90.0


def test_without_a_budget_every_line_is_kept() -> None:
    result = budget.select_within_budget(cost=[5.0, 7.0], value=[0.0, 1.0])
    assert result.kept.all()


def test_a_group_cap_holds_back_a_line_the_overall_budget_would_allow() -> None:
    result = budget.select_within_budget(
        cost=[30, 30, 30],
        value=[90, 60, 30],
        budget=1000,
        group=np.array([0, 0, 1]),
        group_budget=[40.0, np.nan],
    )
    assert result.kept.tolist() == [True, False, True]
    assert result.group_spent.tolist() == [30.0, 30.0]


@given(
    lines=st.lists(
        st.tuples(
            st.integers(0, 100).map(float), st.integers(0, 100).map(float), st.integers(0, 2)
        ),
        max_size=25,
    ),
    cap=st.integers(0, 400).map(float),
    caps=st.lists(st.integers(0, 300).map(float), min_size=3, max_size=3),
)
def test_vectorised_selection_equals_the_sequential_greedy(
    lines: list[tuple[float, float, int]], cap: float, caps: list[float]
) -> None:
    cost = [x[0] for x in lines]
    value = [x[1] for x in lines]
    group = [x[2] for x in lines]
    result = budget.select_within_budget(
        cost=cost,
        value=value,
        budget=cap,
        group=np.asarray(group, dtype=np.int64),
        group_budget=caps,
    )
    assert result.kept.tolist() == _sequential(cost, value, cap, group, caps)
    assert result.spent <= cap + 1e-9


def test_the_value_of_an_order_follows_the_normal_loss_function() -> None:
    value = budget.expected_lost_margin_avoided(
        position=[0.0, 0.0, 50.0],
        order_quantity=[10.0, 10.0, 10.0],
        demand_mean=[10.0, 10.0, 10.0],
        demand_std=[0.0, 5.0, 5.0],
        unit_margin=[2.0, 2.0, 2.0],
    )
    # G(-2) = 2.0084910, G(0) = 0.3989423 (SPT appendix B)
    np.testing.assert_allclose(value[:2], [20.0, 5 * (2.0084910 - 0.3989423) * 2], rtol=1e-6)
    assert 0.0 <= value[2] < 1e-12


@given(
    position=st.floats(-50, 50),
    mean=st.floats(0, 100),
    std=st.floats(0, 30),
    small=st.floats(0, 20),
    extra=st.floats(0, 20),
)
def test_a_larger_order_never_saves_less_and_never_more_than_the_expected_shortage(
    position: float, mean: float, std: float, small: float, extra: float
) -> None:
    common = {"position": [position] * 2, "demand_mean": [mean] * 2, "demand_std": [std] * 2}
    value = budget.expected_lost_margin_avoided(
        order_quantity=[small, small + extra], unit_margin=[1.0, 1.0], **common
    )
    assert value[1] >= value[0] - 1e-9
    assert value[1] <= small + extra + 1e-9


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"cost": [-1.0], "value": [1.0]}, "cost: row 0 is -1.0"),
        ({"cost": [1.0], "value": [np.nan]}, "value: row 0 is NaN"),
        ({"cost": [1.0], "value": [1.0], "budget": -5.0}, "budget: -5.0 is negative"),
        (
            {"cost": [1.0], "value": [1.0], "group": np.array([3]), "group_budget": [1.0]},
            "group: row 0 is 3, no such group budget",
        ),
    ],
)
def test_invalid_inputs_are_refused(arguments: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        budget.select_within_budget(**arguments)  # type: ignore[arg-type]
