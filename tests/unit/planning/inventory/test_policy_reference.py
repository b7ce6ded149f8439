"""Vectorised policies equal the plain per-row reference for every kind and distribution."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.inventory import policies
from stockguard.planning.inventory.distributions import DemandDistribution
from stockguard.planning.inventory.kinds import PolicyKind
from unit.planning.inventory._reference import order_now, policy_row

N_SAMPLES = 60

row_strategy = st.fixed_dictionaries(
    {
        "kind": st.sampled_from([int(kind) for kind in PolicyKind]),
        "distribution": st.sampled_from([int(d) for d in DemandDistribution]),
        "level": st.floats(0.5, 0.99),
        "fill": st.integers(0, 1),
        "demand": st.floats(0.2, 30.0),
        "demand_std": st.one_of(st.just(0.0), st.floats(0.05, 20.0)),
        "lead_time": st.floats(0.5, 20.0),
        "lead_time_std": st.one_of(st.just(0.0), st.floats(0.05, 4.0)),
        "review": st.floats(1.0, 14.0),
        "fixed_q": st.floats(1.0, 200.0),
        "ordering_cost": st.floats(1.0, 100.0),
        "holding_cost": st.floats(0.5, 20.0),
        "manual_min": st.floats(0.0, 50.0),
        "manual_gap": st.floats(0.0, 50.0),
        "position": st.floats(-30.0, 300.0),
        "seed": st.integers(0, 2**31),
    }
)


def column(rows: list[dict[str, float]], name: str) -> np.ndarray:
    return np.array([row[name] for row in rows], dtype=np.float64)


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(row_strategy, min_size=1, max_size=8))
def test_every_kind_and_distribution_matches_the_reference(rows: list[dict[str, float]]) -> None:
    for row in rows:
        row["manual_max"] = row["manual_min"] + row["manual_gap"]
    samples = np.array(
        [np.random.default_rng(int(row["seed"])).gamma(2.0, 10.0, N_SAMPLES) for row in rows]
    )
    table = policies.compute_policies(
        kind=column(rows, "kind").astype(np.int64),
        distribution=column(rows, "distribution").astype(np.int64),
        demand_mean=column(rows, "demand"),
        demand_std=column(rows, "demand_std"),
        lead_time_mean=column(rows, "lead_time"),
        lead_time_std=column(rows, "lead_time_std"),
        service_level=column(rows, "level"),
        service_measure=column(rows, "fill").astype(np.int64),
        review_period=column(rows, "review"),
        fixed_order_quantity=column(rows, "fixed_q"),
        ordering_cost=column(rows, "ordering_cost"),
        holding_cost=column(rows, "holding_cost"),
        manual_minimum=column(rows, "manual_min"),
        manual_maximum=column(rows, "manual_max"),
        demand_samples=samples,
    )
    needed = policies.order_quantity_needed(column(rows, "position"), table)
    for i, row in enumerate(rows):
        kind, distribution = int(row["kind"]), int(row["distribution"])
        expected = policy_row(kind, distribution, row, samples[i].tolist())
        for name in ("reorder_point", "order_up_to", "order_quantity"):
            assert getattr(table, name)[i] == pytest.approx(expected[name], rel=1e-7, abs=1e-7)
        if kind not in (PolicyKind.JUST_IN_TIME, PolicyKind.MANUAL):
            assert table.protection_demand_mean[i] == pytest.approx(expected["mean"], rel=1e-9)
        ordered = order_now(kind, row["position"], expected)
        assert needed[i] == pytest.approx(ordered, rel=1e-7, abs=1e-7)
