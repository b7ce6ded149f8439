"""The whole-unit fill-rate search of ``inventory.discrete``: the smallest ``s`` a linear
scan finds, and an answer (not an endless loop) for absurdly large demand."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.inventory import discrete


@settings(max_examples=60, deadline=None)
@given(
    mean=st.floats(min_value=0.05, max_value=60.0),
    ratio=st.floats(min_value=1.0, max_value=12.0),
    level=st.floats(min_value=0.5, max_value=0.999),
    lot=st.floats(min_value=0.5, max_value=80.0),
)
def test_the_search_finds_the_smallest_whole_reorder_point_a_scan_finds(
    mean: float, ratio: float, level: float, lot: float
) -> None:
    std = np.sqrt(mean * ratio)
    found = discrete.negative_binomial_safety_stock(
        service_level=[level],
        lead_time_demand_mean=[mean],
        lead_time_demand_std=[std],
        service_measure=1,
        order_quantity=[lot],
        allow_negative=True,
    ).reorder_point[0]
    over = ratio > 1.0 + 1e-6
    p, r = (mean / std**2, mean**2 / (std**2 - mean)) if over else (1.0, 1.0)
    target = (1.0 - level) * lot * (1 + 1e-12)
    for s in range(int(np.floor(mean - (1 - level) * lot)) - 1, 10_000):
        if over:
            short = discrete.negative_binomial_expected_shortage(
                successes=r, probability=p, reorder_point=s
            )
        else:
            short = discrete.poisson_expected_shortage(mean=mean, reorder_point=s)
        if short <= target:
            break
    assert found == s


def test_runaway_demand_still_gets_an_answer() -> None:
    # a forecast gone wild (1.8e19 units) once made the bisection loop for ever: past 2^53
    # the middle of two whole floats can equal one of them
    found = discrete.negative_binomial_safety_stock(
        service_level=[0.9, 0.95],
        lead_time_demand_mean=[1.8e19, 3.0],
        lead_time_demand_std=[2.4e19, 2.0],
        service_measure=1,
        order_quantity=[1e18, 7.0],
    )
    assert np.all(np.isfinite(found.reorder_point))
    assert found.reorder_point[0] >= 1.8e19
