"""The demand rate's own uncertainty (ADR 0013): the level term of ``DemandSpread`` against
a simulated gamma-mixed rate, its validation, and the drift estimator
``planning.risk.drift.estimate_level_drift`` pooled in one band without a prior (recovers a
known drift, none for a constant rate, and skips days not observed)."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.risk import drift, probability


def test_the_level_term_matches_a_simulated_uncertain_rate() -> None:
    """Rate lambda ~ gamma(mean 2, variance 0.16), then Poisson days: over 10 days the
    demand has variance 2 x 10 + 0.16 x 100 = 36; P(D > 30) from the spread matches the
    simulation within its Monte Carlo error, and the independent-days figure does not."""
    rng = np.random.default_rng(11)
    rate = rng.gamma(2.0**2 / 0.16, 0.16 / 2.0, 400_000)
    demand = rng.poisson(rate * 10.0)
    simulated = float(np.mean(demand > 30))
    points, mass = np.array([[10.0]]), np.array([[1.0]])

    spread = probability.DemandSpread(level_var=0.16)
    with_level = probability.stockout_probability_over_points([30], [2], [2], points, mass, spread)
    days_only = probability.stockout_probability_over_points([30], [2], [2], points, mass)

    assert with_level[0] == pytest.approx(simulated, abs=0.004)
    assert days_only[0] < simulated / 2  # independent days: far too sure


def test_a_negative_level_variance_is_refused() -> None:
    points, mass = np.array([[3.0]]), np.array([[1.0]])
    with pytest.raises(ValueError, match="level_var"):
        probability.stockout_probability_over_points(
            [5], [1], [1], points, mass, probability.DemandSpread(level_var=-0.1)
        )


def test_level_variance_is_the_squared_standard_error_of_a_mean() -> None:
    np.testing.assert_allclose(probability.level_variance([2.8, 1.0], [56, 0]), [0.05, 1.0])


def test_level_drift_recovers_a_known_drift_and_none_for_a_constant_rate() -> None:
    """400 SKUs x 700 days; one history with a constant rate of 5 a day, one whose rate
    is redrawn every 14 days at 5 x exp(N(0, 0.3^2)) (relative variance e^0.09 - 1 =
    0.094). What the next 14 days' mean strays from the trailing 56 days' beyond Poisson
    noise is of that order: 1.25 x 0.094 on origins aligned with the blocks (a new level
    against the mean of four), less where they are not (the 14 days ahead share a block
    with the window's end) and less again by the part of the level spread the window's
    own variance carries; the estimator must find it, and 0 for the constant rate."""
    rng = np.random.default_rng(5)
    constant = rng.poisson(5.0, (400, 700)).astype(np.float64)
    blocks = 5.0 * np.exp(rng.normal(0.0, 0.3, (400, 50)))
    drifting = rng.poisson(np.repeat(blocks, 14, axis=1)).astype(np.float64)

    assert _pooled(constant) == pytest.approx(0.0, abs=0.003)
    found = _pooled(drifting)
    assert 0.5 * 0.094 < found < 1.25 * 0.094
    # NaN (not on sale) stretches are skipped, not read as zeros
    gaps = drifting.copy()
    gaps[:, 100:200] = np.nan
    assert _pooled(gaps) == pytest.approx(found, rel=0.15)


def _pooled(history: np.ndarray) -> float:
    """``c^2`` in one band, no prior: the ratio of sums over every SKU-origin."""
    return float(drift.estimate_level_drift(history, bands=1, prior_origins=0.0).c2[0])
