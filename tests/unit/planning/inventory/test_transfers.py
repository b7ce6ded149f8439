"""Transfers between locations: excess, matching within a SKU, cost against ordering."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stockguard.planning.inventory import transfers


def _reference(sku: list[int], need: list[int], excess: list[int]) -> dict[tuple[int, int], int]:
    """Scalar reference: per SKU, largest need first served by largest excess first."""
    moved: dict[tuple[int, int], int] = defaultdict(int)
    for group in sorted(set(sku)):
        rows = [i for i in range(len(sku)) if sku[i] == group]
        wants = sorted((i for i in rows if need[i] > 0), key=lambda i: (-need[i], i))
        gives = sorted((i for i in rows if excess[i] > 0), key=lambda i: (-excess[i], i))
        left = {i: excess[i] for i in gives}
        for receiver in wants:
            missing = need[receiver]
            for giver in gives:
                take = min(missing, left[giver])
                if take > 0:
                    moved[(giver, receiver)] += take
                    left[giver] -= take
                    missing -= take
    return dict(moved)


def test_the_documented_example_serves_the_largest_need_first() -> None:
    plan = transfers.match_transfers(
        sku=np.array([0, 0, 0, 0]), need=np.array([30, 5, 0, 0]), excess=np.array([0, 0, 20, 20])
    )
    triples = list(
        zip(plan.source.tolist(), plan.destination.tolist(), plan.quantity.tolist(), strict=True)
    )
    assert triples == [(2, 0, 20), (3, 0, 10), (3, 1, 5)]


def test_units_never_move_between_different_skus() -> None:
    plan = transfers.match_transfers(
        sku=np.array([1, 0, 1, 0, 2]),
        need=np.array([30, 5, 0, 0, 4]),
        excess=np.array([0, 0, 20, 3, 0]),
    )
    triples = set(
        zip(plan.source.tolist(), plan.destination.tolist(), plan.quantity.tolist(), strict=True)
    )
    assert triples == {(3, 1, 3), (2, 0, 20)}


@given(
    st.lists(
        st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 40), st.booleans()),
        max_size=20,
    )
)
def test_vectorised_matching_equals_the_scalar_reference(
    rows: list[tuple[int, int, int, bool]],
) -> None:
    sku = [r[0] for r in rows]
    need = [r[1] if r[3] else 0 for r in rows]
    excess = [0 if r[3] else r[2] for r in rows]
    plan = transfers.match_transfers(
        sku=np.asarray(sku, dtype=np.int64),
        need=np.asarray(need, dtype=np.int64),
        excess=np.asarray(excess, dtype=np.int64),
    )
    got = dict(
        zip(
            zip(plan.source.tolist(), plan.destination.tolist(), strict=True),
            plan.quantity.tolist(),
            strict=True,
        )
    )
    assert got == _reference(sku, need, excess)


def test_excess_keeps_the_margin_above_order_up_to_and_only_free_units_move() -> None:
    excess = transfers.excess_units(
        position=[130.0, 130.0, 130.0, 20.0],
        free_on_hand=[100.0, 30.0, 100.0, 100.0],
        order_up_to=[60.0, 60.0, 60.0, 60.0],
        needs_order=[False, False, True, False],
        margin_share=0.1,
    )
    assert excess.tolist() == [64, 30, 0, 0]


def test_a_transfer_is_kept_only_when_moving_costs_less_than_buying() -> None:
    cheaper = transfers.cheaper_than_ordering(
        quantity=[2.0, 50.0],
        unit_cost=[3.0, 3.0],
        ordering_cost=5.0,
        unit_transfer_cost=0.5,
        fixed_transfer_cost=20.0,
    )
    # 2 units: 21 to move, 11 to buy; 50 units: 45 to move, 155 to buy
    assert cheaper.tolist() == [False, True]


def test_negative_needs_are_refused() -> None:
    with pytest.raises(ValueError, match=r"need: row 1 is -2\.0"):
        transfers.match_transfers(
            sku=np.array([0, 0]), need=np.array([1, -2]), excess=np.array([0, 0])
        )
