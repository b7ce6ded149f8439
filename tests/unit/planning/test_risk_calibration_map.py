"""The isotonic recalibration map: pool-adjacent-violators, monotone, fits a known
miscalibration, identity with too few settled predictions, and the prequential rule of
benchmarks/risk_calibration.py (no outcome from the future)."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stockguard.planning.risk.calibration import IDENTITY, IsotonicMap, fit_isotonic

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def test_worked_example_pools_the_violating_pair() -> None:
    fitted = fit_isotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], min_settled=1)
    assert fitted.knots_x == pytest.approx([0.1, 0.25, 0.4])
    assert fitted.knots_y == pytest.approx([0.0, 0.5, 1.0])
    assert fitted([0.3])[0] == pytest.approx(0.5 + 0.05 / 0.15 * 0.5)
    assert fitted([0.0, 1.0]) == pytest.approx([0.0, 1.0])


def test_beyond_the_outermost_knots_the_map_runs_to_zero_and_one() -> None:
    """ADR 0019: the one-knot map (0.5, 0.8) of the module docstring's example."""
    one = IsotonicMap(np.array([0.5]), np.array([0.8]), 1)
    assert one([0.0, 0.25, 0.5, 0.75, 1.0]) == pytest.approx([0.0, 0.4, 0.8, 0.9, 1.0])
    # a knot already at 0 or 1 is kept as it is
    ends = IsotonicMap(np.array([0.0, 1.0]), np.array([0.1, 0.7]), 1)
    assert ends([0.0, 0.5, 1.0]) == pytest.approx([0.1, 0.4, 0.7])


def test_a_calibrated_model_with_mostly_low_predictions_is_not_capped() -> None:
    """Outcomes drawn with frequency p, p mostly low (Beta(1, 4)): the top knot (the mean
    of the highest 1/16 of predictions) sits near 0.58, and a flat end would show 0.9 as
    0.58; the map runs on to (1, 1) and stays within 3 points of the truth."""
    rng = np.random.default_rng(11)
    p = rng.beta(1.0, 4.0, 40_000)
    y = (rng.uniform(size=p.size) < p).astype(float)
    fitted = fit_isotonic(p, y)
    assert fitted.knots_x[-1] < 0.65
    grid = np.array([0.6, 0.75, 0.9])
    assert np.max(np.abs(fitted(grid) - grid)) < 0.03


def test_fits_a_known_miscalibration() -> None:
    """Outcomes drawn with frequency sqrt(p): the map recovers sqrt within 3 points."""
    rng = np.random.default_rng(7)
    p = rng.uniform(0.0, 1.0, 40_000)
    y = (rng.uniform(size=p.size) < np.sqrt(p)).astype(float)
    fitted = fit_isotonic(p, y)
    grid = np.linspace(0.1, 0.9, 9)
    assert np.max(np.abs(fitted(grid) - np.sqrt(grid))) < 0.03
    assert fitted.settled == p.size
    assert fitted.knots_x.size <= 16


def test_too_few_settled_predictions_give_the_identity() -> None:
    fitted = fit_isotonic([0.2] * 1999, [1.0] * 1999)
    assert fitted is IDENTITY
    assert fitted([0.2, 0.7]) == pytest.approx([0.2, 0.7])


def test_weights_count_each_prediction_that_many_times() -> None:
    weighted = fit_isotonic([0.2, 0.6], [1.0, 0.0], weights=[3.0, 1.0], min_settled=1)
    assert weighted.knots_y == pytest.approx([0.75])  # pooled: (3 x 1 + 0) / 4


def test_refuses_mismatched_or_out_of_range_inputs() -> None:
    with pytest.raises(ValueError, match="differ in size"):
        fit_isotonic([0.1, 0.2], [1.0], min_settled=1)
    with pytest.raises(ValueError, match=r"\[0, 1\]"):
        fit_isotonic([1.5], [1.0], min_settled=1)


def test_round_trips_through_pairs() -> None:
    fitted = fit_isotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1], min_settled=1)
    again = IsotonicMap.from_pairs(fitted.to_pairs(), fitted.settled)
    assert again([0.05, 0.3, 0.37]) == pytest.approx(fitted([0.05, 0.3, 0.37]))


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.floats(0.0, 1.0), st.sampled_from([0.0, 1.0])), min_size=1, max_size=60)
)
def test_the_map_is_monotone_and_within_zero_one(pairs: list[tuple[float, float]]) -> None:
    p, y = (np.array(values) for values in zip(*pairs, strict=True))
    fitted = fit_isotonic(p, y, min_settled=1, max_knots=8)
    out = fitted(np.linspace(0.0, 1.0, 101))
    assert np.all(np.diff(out) >= -1e-12)
    assert np.all((out >= 0.0) & (out <= 1.0))
    # without thinning, neighbouring blocks never tie (ties are pooled)
    full = fit_isotonic(p, y, min_settled=1, max_knots=10_000)
    assert np.all(np.diff(full.knots_y) > 0.0)


def test_the_prequential_rule_uses_no_future_outcome(monkeypatch: pytest.MonkeyPatch) -> None:
    """The benchmark's recalibration of day t is fitted only on rows settled by day t and
    predicted at least SETTLE_AGE_DAYS before it: flipping every later outcome (or the
    outcome of a young row) leaves the predictions of day t unchanged."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    risk_calibration = importlib.import_module("risk_calibration")

    rng = np.random.default_rng(3)
    n_days, per_day = 120, 100
    day = np.repeat(np.arange(n_days), per_day)
    settled = day + rng.integers(1, 30, day.size)
    raw = rng.uniform(0.0, 1.0, day.size)
    y = (rng.uniform(size=day.size) < raw**2).astype(float)
    t = 98  # a block's first day (REFIT_EVERY = 7)
    out, mapped = risk_calibration.prequential(raw, y, day, settled, 500)
    assert mapped > 0
    unknown = (settled > t) | (day > t - 28)
    flipped = np.where(unknown, 1.0 - y, y)
    again, _ = risk_calibration.prequential(raw, flipped, day, settled, 500)
    block = (day >= t) & (day < t + 7)
    assert again[block] == pytest.approx(out[block])
    # ...whereas flipping outcomes known by then does change them
    changed, _ = risk_calibration.prequential(raw, np.where(unknown, y, 1.0 - y), day, settled, 500)
    assert not np.allclose(changed[block], out[block])
    sys.modules.pop("risk_calibration", None)


def test_the_replay_leaves_out_outcomes_that_need_a_censored_day(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ADR 0019: a SKU-day's outcome needs the demand of days t + 1 .. r - 1; when one of
    them lies in the real store's own stock-out run (a zero run too long to be chance over
    the whole series), the row is left out; the receipt day and the day itself are not
    in its window."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    risk_replay = importlib.import_module("_risk_replay")

    history = np.ones((1, 60))
    demand = np.ones((1, 30))
    demand[0, 10:25] = 0.0  # 15 zero days of a series that sells every day
    flags = risk_replay.real_stockout_days(history, demand)
    assert flags[0].tolist() == [False] * 10 + [True] * 15 + [False] * 5
    # windows t + 1 .. end - 1 of days t = 3, 8, 9, 24 with receipts on 10, 10, 12, 27
    first = np.array([[4, 9, 10, 25]])
    end = np.array([[10, 10, 12, 27]])
    touched = risk_replay._touches(flags, first, end)
    assert touched.tolist() == [[False, False, True, False]]
    sys.modules.pop("_risk_replay", None)
