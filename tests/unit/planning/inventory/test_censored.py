"""Kaplan-Meier lead-time figures with open orders censored (``planning.inventory.censored``)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.inventory import censored, lost_sales


def test_golden_hand_computed_example() -> None:
    """Module docstring example: exact 3, 5, 5, 8; open at ages 4 and 9 (largest censored)."""
    found = censored.kaplan_meier_lead_times(
        days=[5, 9, 3, 8, 4, 5],
        received=[True, False, True, True, False, True],
        group=[0, 0, 0, 0, 0, 0],
        n_groups=1,
    )
    assert found.mean[0] == pytest.approx(147 / 24, abs=1e-9)
    assert found.std[0] ** 2 == pytest.approx(5.53125, abs=1e-9)
    assert found.crossing[0] == pytest.approx(675 / 576, abs=1e-9)
    assert (found.exact[0], found.censored[0]) == (4, 2)
    plug_in = censored.kaplan_meier_lead_times(
        days=[5, 9, 3, 8, 4, 5], received=[1, 0, 1, 1, 0, 1], group=[0] * 6, n_groups=1, ddof=0
    )
    assert plug_in.std[0] ** 2 == pytest.approx(4.609375, abs=1e-9)


def test_groups_are_independent_and_empty_groups_nan() -> None:
    """Two groups in one call give each its own figures; a group without data is NaN."""
    found = censored.kaplan_meier_lead_times(
        days=[7, 3, 5, 8, 5, 9, 4],
        received=[True, True, True, True, True, False, False],
        group=[2, 0, 0, 0, 0, 0, 0],
        n_groups=3,
    )
    assert found.mean[0] == pytest.approx(147 / 24, abs=1e-9)
    assert found.mean[2] == 7.0
    assert math.isnan(found.std[2])
    assert found.crossing[2] == 0.0
    assert math.isnan(found.mean[1])
    assert found.exact[1] == 0


def test_all_received_when_largest_observation_is_exact_tie_with_censored() -> None:
    """A censored order at the largest exact value keeps the leftover mass there."""
    found = censored.kaplan_meier_lead_times(
        days=[2, 4, 4], received=[True, True, False], group=[0, 0, 0], n_groups=1, ddof=0
    )
    # at 2: S = 2/3; at 4: n = 2, d = 1, S = 1/3, left over at 4: masses 1/3, 2/3
    assert found.mean[0] == pytest.approx(2 / 3 + 8 / 3, abs=1e-12)


def test_late_open_orders_raise_the_mean() -> None:
    """Orders open longer than every receipt lengthen the record's mean."""
    receipts = [6, 7, 7, 8, 8, 9]
    alone = censored.kaplan_meier_lead_times(
        days=receipts, received=[True] * 6, group=[0] * 6, n_groups=1
    )
    with_open = censored.kaplan_meier_lead_times(
        days=[*receipts, 12, 15], received=[True] * 6 + [False] * 2, group=[0] * 8, n_groups=1
    )
    assert with_open.mean[0] > alone.mean[0] + 1.0


def test_rejects_misaligned_or_non_finite_input() -> None:
    with pytest.raises(ValueError, match="same length"):
        censored.kaplan_meier_lead_times(days=[1, 2], received=[True], group=[0, 0], n_groups=1)
    with pytest.raises(ValueError, match="finite"):
        censored.kaplan_meier_lead_times(
            days=[1, np.nan], received=[True, True], group=[0, 0], n_groups=1
        )
    with pytest.raises(ValueError, match="group"):
        censored.kaplan_meier_lead_times(days=[1], received=[True], group=[1], n_groups=1)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-5, 40), st.integers(0, 3)), min_size=1, max_size=40))
def test_without_open_orders_equals_the_receipts_figures(rows: list[tuple[int, int]]) -> None:
    """No censored observation: the sample mean, std (ddof 1 and 0) and crossing spread."""
    days = np.array([d for d, _ in rows], dtype=np.float64)
    group = np.array([g for _, g in rows], dtype=np.int64)
    for ddof in (0, 1):
        found = censored.kaplan_meier_lead_times(
            days=days, received=np.ones(days.size, bool), group=group, n_groups=4, ddof=ddof
        )
        for g in range(4):
            sample = days[group == g]
            if not sample.size:
                assert math.isnan(found.mean[g])
                continue
            assert found.mean[g] == pytest.approx(sample.mean(), rel=1e-12, abs=1e-12)
            assert found.crossing[g] == pytest.approx(
                lost_sales.crossing_spread(sample), rel=1e-9, abs=1e-12
            )
            if sample.size > ddof:
                assert found.std[g] == pytest.approx(sample.std(ddof=ddof), rel=1e-9, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 30), st.booleans()), min_size=1, max_size=30))
def test_matches_a_scalar_reference(rows: list[tuple[int, bool]]) -> None:
    """The vectorised estimator equals a plain loop over distinct values (one group)."""
    days = np.array([d for d, _ in rows], dtype=np.float64)
    exact = np.array([r for _, r in rows], dtype=bool)
    found = censored.kaplan_meier_lead_times(
        days=days, received=exact, group=np.zeros(days.size, np.int64), n_groups=1, ddof=0
    )
    survival, masses = 1.0, {}
    for value in sorted(set(days.tolist())):
        at_risk = int((days >= value).sum())
        events = int(((days == value) & exact).sum())
        after = survival * (1.0 - events / at_risk)
        masses[value] = survival - after
        survival = after
    masses[float(days.max())] += survival
    mean = sum(p * t for t, p in masses.items())
    assert found.mean[0] == pytest.approx(mean, rel=1e-9, abs=1e-9)
    variance = sum(p * (t - mean) ** 2 for t, p in masses.items())
    assert found.std[0] ** 2 == pytest.approx(variance, rel=1e-7, abs=1e-9)
