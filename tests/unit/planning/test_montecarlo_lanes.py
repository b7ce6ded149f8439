"""Monte Carlo demand drawn many paths at once equals the one-at-a-time reference."""

from __future__ import annotations

import numpy as np

from stockguard.planning.simulation.montecarlo import _kernels as k
from stockguard.planning.simulation.montecarlo.model import NORMAL_ABOVE


def one(state: np.uint64, t: int, mean: np.ndarray, terms: np.ndarray, cdf: np.ndarray) -> int:
    """Day ``t``'s demand of one path by the scalar reference."""
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps modulo 2**64 on purpose
        uniform = k.mix(state + np.uint64(2 * t + 1) * k.GOLDEN)
    return int(k.draw_demand(uniform, mean[t], terms, cdf, t))


def test_lanes_draw_the_same_demand_as_the_scalar_reference_bit_for_bit() -> None:
    # Days with no demand, small Poisson/negative binomial means (table only), means
    # whose draws often run past the table (the recursion), and normal-approximation days.
    mean = np.array([0.0, 0.3, 2.0, 7.5, 14.0, 30.0, 59.0, 80.0, 400.0] * 5)
    keys = np.array([0x1234567890ABCDEF], dtype=np.uint64)
    for dispersion in (1.0, 2.5):
        terms = np.zeros((5, mean.size))
        cdf = np.ones((mean.size, k.CDF_SIZE))
        k.demand_terms(mean, dispersion, NORMAL_ABOVE, terms, cdf)
        lanes = 37  # not a power of two: a partial block of paths
        states = keys[0] + np.arange(lanes, dtype=np.uint64) * k.PATH_STRIDE
        draws = np.zeros((lanes, mean.size), dtype=np.int64)
        uniforms, counts = np.zeros(lanes), np.zeros(lanes, dtype=np.int64)
        k.draw_lanes(states, mean, terms, cdf, uniforms, counts, draws)
        expected = np.array(
            [[one(state, t, mean, terms, cdf) for t in range(mean.size)] for state in states]
        )
        assert np.array_equal(draws, expected)
        assert (draws[:, mean > 14] >= k.CDF_SIZE).any()  # the recursion was exercised
        means = draws.mean(axis=0).reshape(5, -1).mean(axis=0)
        assert np.allclose(means, mean[:9], rtol=0.25, atol=0.3)
