"""The reorder point's undershoot (ADR 0030): its moments against the renewal formula's
worked example and a simulation of whole-unit daily demand, and the figures of rows
waiting for their order."""

from __future__ import annotations

import numpy as np
import pytest

from stockguard.planning.risk import figures, probability
from stockguard.planning.risk.undershoot import undershoot_moments
from unit.planning._risk_basis import risk_basis


def test_a_poisson_series_ends_half_a_days_demand_less_half_a_unit_below_s() -> None:
    mean, var = undershoot_moments([2.0, 0.0, 1.0], [2.0, 0.0, 0.0])

    assert mean == pytest.approx([1.0, 0.0, 0.0])  # (2 + 4 - 2) / 4; no demand; 1 a day exactly
    assert var == pytest.approx([2.0**2 / 12 + 2.0 / 2, 0.0, 0.0])


def test_the_moments_match_a_simulated_crossing_of_lumpy_daily_demand() -> None:
    # negative binomial days, mean 3 and variance 12; the level is 40 days of demand away
    rng = np.random.default_rng(7)
    mu, var, paths, level = 3.0, 12.0, 20_000, 120.0
    p, r = mu / var, mu**2 / (var - mu)
    cumulative = np.cumsum(rng.negative_binomial(r, p, size=(paths, 80)), axis=1)
    crossed = np.argmax(cumulative >= level, axis=1)
    under = cumulative[np.arange(paths), crossed] - level

    mean, spread = undershoot_moments([mu], [var])

    assert (cumulative[:, -1] >= level).all()
    assert mean[0] == pytest.approx((12 + 9 - 3) / 6)  # 3 units
    assert under.mean() == pytest.approx(mean[0], abs=0.1)
    assert under.var() == pytest.approx(spread[0], rel=0.06)


def test_only_a_row_waiting_for_its_order_reads_the_undershoot() -> None:
    basis = risk_basis(2, demand_var=6.0)
    # row 0: nothing on order, 30 on hand over s = 10; row 1: units on order (no date)
    available, position = [30.0, 5.0], [30.0, 30.0]

    before = figures.assess(basis=basis, available=available, position=position, undershoot=False)
    after = figures.assess(basis=basis, available=available, position=position, undershoot=True)

    points, mass = figures.exposure_points(basis=basis, available=available, position=position)
    spread = figures.demand_spread(basis)
    mean_u, var_u = undershoot_moments([2.0], [6.0])
    expected = probability.stockout_probability_over_points(
        [10.0],
        [2.0],
        [6.0],
        points[:1],
        mass[:1],
        probability.DemandSpread(spread.level_var[:1], offset_mean=mean_u, offset_var=var_u),
    )
    assert after.probability[0] == pytest.approx(expected[0], rel=1e-12)
    assert after.probability[0] > before.probability[0]
    assert after.expected_lost_units[0] > before.expected_lost_units[0]
    assert after.probability[1] == before.probability[1]
