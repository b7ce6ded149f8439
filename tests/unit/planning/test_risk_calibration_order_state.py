"""A recalibration map per order state (ADR 0034): each state with enough settled
predictions gets its own map, the other reads the pooled one, rows of unknown state feed
the pooled map only, a map without state maps reads as before, and the benchmark's
prequential fit reads each SKU-day through its own state's map."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from stockguard.planning.risk.calibration import (
    IDENTITY,
    IsotonicMap,
    fit_by_order_state,
    fit_isotonic,
)

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def _two_kinds(n_open: int, n_none: int, seed: int = 5) -> tuple[np.ndarray, ...]:
    """Open-order rows calibrated (outcome rate p), nothing-on-order rows at one base
    rate of 0.3 whatever they were given: the ADR 0030 picture."""
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.0, 1.0, n_open + n_none)
    state = np.arange(p.size) < n_open
    rate = np.where(state, p, 0.3)
    y = (rng.uniform(size=p.size) < rate).astype(np.float64)
    return p, y, state


def test_the_docstring_example_reads_each_state_through_its_own_map() -> None:
    pooled = IsotonicMap.from_pairs([[0.5, 0.5]], 10)
    own = IsotonicMap.from_pairs([[0.5, 0.8]], 5)
    fitted = IsotonicMap(pooled.knots_x, pooled.knots_y, 10, (own, IDENTITY))
    assert fitted([0.25, 0.25], [False, True]) == pytest.approx([0.4, 0.25])
    # without the rows' states every row reads the pooled map
    assert fitted([0.25]) == pytest.approx([0.25])


def test_both_states_with_enough_settled_get_their_own_maps() -> None:
    p, y, state = _two_kinds(3000, 3000)
    fitted = fit_by_order_state(p, y, state, min_settled=2000)
    assert fitted.settled == 6000
    assert [own.settled for own in fitted.states] == [3000, 3000]
    pooled = fit_isotonic(p, y, min_settled=2000)
    assert fitted.knots_y == pytest.approx(pooled.knots_y)
    # nothing on order: flat near its base rate inside its knots (beyond the outermost
    # knot the map runs to (1, 1), ADR 0019); an order open: close to the diagonal
    probe = np.array([0.1, 0.6])
    none = fitted(probe, np.zeros(2, dtype=bool))
    open_ = fitted(probe, np.ones(2, dtype=bool))
    assert none == pytest.approx([0.3, 0.3], abs=0.05)
    assert open_ == pytest.approx([0.1, 0.6], abs=0.08)
    assert not np.allclose(none, pooled(probe), atol=0.05)


def test_a_state_with_too_few_settled_reads_the_pooled_map() -> None:
    p, y, state = _two_kinds(3000, 1000)
    fitted = fit_by_order_state(p, y, state, min_settled=2000)
    assert [own.settled for own in fitted.states] == [0, 3000]
    probe = np.linspace(0.0, 1.0, 11)
    pooled = fit_isotonic(p, y, min_settled=2000)
    assert fitted(probe, np.zeros(11, dtype=bool)) == pytest.approx(pooled(probe))
    assert not np.allclose(fitted(probe, np.ones(11, dtype=bool)), pooled(probe))


def test_neither_state_with_enough_stores_the_pooled_map_alone() -> None:
    p, y, state = _two_kinds(1500, 1500)
    fitted = fit_by_order_state(p, y, state, min_settled=2000)
    assert fitted.settled == 3000
    assert fitted.states == ()
    assert fit_by_order_state(p[:100], y[:100], state[:100], min_settled=2000) is IDENTITY


def test_rows_of_unknown_state_feed_the_pooled_map_only() -> None:
    p, y, state = _two_kinds(3000, 3000)
    known = np.where(state, 1.0, 0.0)
    known[:1500] = np.nan  # half the open-order rows recorded before the state was kept
    fitted = fit_by_order_state(p, y, known, min_settled=2000)
    assert fitted.settled == 6000
    assert [own.settled for own in fitted.states] == [3000, 0]


def test_refuses_states_of_another_length() -> None:
    with pytest.raises(ValueError, match="open_order has 2 entries for 3 predictions"):
        fit_by_order_state([0.1, 0.2, 0.3], [0, 1, 0], [True, False], min_settled=1)


def test_the_prequential_fit_reads_each_state_through_its_own_map(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The benchmark's prequential map by order state pulls the nothing-on-order rows to
    their base rate, which the pooled map cannot do; without states it is the pooled map."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    risk_calibration = importlib.import_module("risk_calibration")
    p, y, state = _two_kinds(12_000, 12_000, seed=8)
    day = np.tile(np.arange(120), 200)
    settled = day + 5
    pooled, _ = risk_calibration.prequential(p, y, day, settled, 2000)
    split, mapped = risk_calibration.prequential(p, y, day, settled, 2000, state)
    late = day >= 100
    assert mapped > 0
    none = late & ~state & (p > 0.4) & (p < 0.6)
    assert split[none].mean() == pytest.approx(0.3, abs=0.05)
    assert pooled[none].mean() > 0.36  # (0.5 + 0.3) / 2 about the pooled map
    again, _ = risk_calibration.prequential(p, y, day, settled, 2000, None)
    assert again == pytest.approx(pooled)
    sys.modules.pop("risk_calibration", None)
