"""The exposure's stored pmf (``planning.risk.horizon``) and the fast tail functions of
``planning.risk.probability``: scipy.special closed forms equal to scipy.stats and the
expected-shortage sums to 1e-12, one pass equal to the separate functions."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from stockguard.planning.inventory.discrete import (
    negative_binomial_expected_shortage,
    poisson_expected_shortage,
)
from stockguard.planning.risk import horizon, probability


def test_compress_keeps_a_small_histogram_exactly() -> None:
    pmf = horizon.compress([7, 7, 8, 14])
    np.testing.assert_allclose(pmf, [[7.0, 0.5], [8.0, 0.25], [14.0, 0.25]])


def test_compress_caps_the_points_and_keeps_the_mean() -> None:
    rng = np.random.default_rng(5)
    values = rng.integers(-10, 80, 3000)
    weights = rng.uniform(0.1, 1.0, values.size)

    pmf = horizon.compress(values, weights)

    assert pmf.shape[0] <= horizon.MAX_POINTS
    assert pmf[:, 1].sum() == pytest.approx(1.0)
    assert (pmf[:, 0] * pmf[:, 1]).sum() == pytest.approx(np.average(values, weights=weights))
    assert np.all(np.diff(pmf[:, 0]) > 0)


def test_from_moments_matches_mean_and_variance() -> None:
    points, mass = horizon.from_moments([7.0, 3.0], [3.0, 0.0])
    mean, var = horizon.moments(points, mass)
    np.testing.assert_allclose(points[0], [4.0, 7.0, 10.0])
    np.testing.assert_allclose(mean, [7.0, 3.0])
    np.testing.assert_allclose(var, [3.0, 0.0], atol=1e-12)


def test_exposure_of_the_module_docstring_example() -> None:
    points, mass = horizon.exposure(
        dated=[True],
        days_to_receipt=[4.0],
        delay_points=[[-1.0, 0.0, 3.0]],
        delay_mass=[[0.2, 0.5, 0.3]],
        lead_points=[[7.0]],
        lead_mass=[[1.0]],
    )
    np.testing.assert_allclose(points[0], [2.0, 3.0, 6.0])
    np.testing.assert_allclose(mass[0], [0.2, 0.5, 0.3])


counts = st.tuples(
    st.floats(-3.0, 400.0),  # available
    st.floats(1e-3, 150.0),  # mean over the horizon
    st.floats(1.0, 20.0),  # dispersion v / m
)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8))
def test_special_function_tails_equal_scipy_stats_and_the_shortage_sums(found: list) -> None:  # type: ignore[type-arg]
    a, m, ratio = (np.array(c) for c in zip(*found, strict=True))
    v = m * ratio
    p = probability.stockout_probability(a, m, v, np.ones_like(m), np.zeros_like(m))
    lost = probability.expected_shortfall(a, m, v, np.ones_like(m), np.zeros_like(m))
    whole = np.floor(a)
    nb = v > m * (1 + 1e-6)
    r, q = m**2 / np.where(nb, v - m, 1.0), m / v
    reference_p = np.where(nb, stats.nbinom.sf(whole, r, q), stats.poisson.sf(whole, m))
    below = np.where(
        nb,
        negative_binomial_expected_shortage(successes=r, probability=q, reorder_point=whole),
        poisson_expected_shortage(mean=m, reorder_point=whole),
    )
    reference_lost = below - (a - whole) * reference_p
    positive = a > 0
    np.testing.assert_allclose(p[positive], reference_p[positive], rtol=1e-12, atol=1e-12)
    # the shortage goes through other identities than the sums: equal to 1e-10 relative
    np.testing.assert_allclose(lost[positive], reference_lost[positive], rtol=1e-10, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(counts, min_size=1, max_size=4),
    st.lists(st.floats(0.0, 30.0), min_size=1, max_size=8),
)
def test_one_pass_equals_the_separate_mixtures(found: list, days: list[float]) -> None:  # type: ignore[type-arg]
    a, m, ratio = (np.array(c) for c in zip(*found, strict=True))
    mu, sigma2 = m / 10, m / 10 * ratio
    t = np.tile(np.array(days), (a.size, 1))
    w = np.tile(np.linspace(1.0, 2.0, len(days)), (a.size, 1))

    p, lost = probability.tail_figures_over_points(a, mu, sigma2, t, w)

    np.testing.assert_allclose(
        p, probability.stockout_probability_over_points(a, mu, sigma2, t, w), atol=1e-12
    )
    np.testing.assert_allclose(
        lost, probability.expected_shortfall_over_points(a, mu, sigma2, t, w), atol=1e-9
    )
