"""The day a replayed SKU-day's outcome is known at the earliest (ADR 0040,
``benchmarks/_risk_replay.outcome_days``): the day after its stock ran out when that came
before the next receipt, the receipt's day otherwise; and the benchmark's prequential map
fitted on rows settled that early sees the stock-outs that a receipt would settle late."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from unit.planning._benchmark_modules import benchmark_module


@pytest.fixture
def replay(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    yield benchmark_module(monkeypatch, "_risk_replay")
    sys.modules.pop("_risk_replay", None)


@pytest.fixture
def risk_calibration(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    yield benchmark_module(monkeypatch, "risk_calibration")
    sys.modules.pop("risk_calibration", None)


def _cumulative(demand: list[float]) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(demand)])[None, :]


def test_a_stock_out_is_known_the_day_after_the_demand_exceeds_the_stock(replay: Any) -> None:
    """The docstring's example: 3 on hand at the end of day 0, demand 2, 1, 1 on days
    1-3, receipt on day 5: the demand passes 3 on day 3, so the outcome is known on day 4."""
    demand = [0.0, 2.0, 1.0, 1.0, 0.0, 0.0, 0.0]
    on_hand = np.array([[3.0, 1.0, 5.0, 5.0, 5.0, 5.0, 5.0]])
    end = np.full((1, 7), 5)

    found = replay.outcome_days(_cumulative(demand), on_hand, end)

    assert found[0, 0] == 4
    # day 1 (1 on hand): demand 1 on day 2 empties the shelf exactly, day 3's unit exceeds it
    assert found[0, 1] == 4
    # day 2 (5 on hand): no stock-out before the receipt, known on the receipt's day
    assert found[0, 2] == 5


def test_a_shelf_sold_to_its_last_unit_waits_for_its_receipt(replay: Any) -> None:
    """Demand equal to the stock is not a stock-out (the outcome needs demand above ``a``),
    so the row settles with its receipt, as before."""
    demand = [0.0, 1.0, 2.0, 0.0, 0.0]
    on_hand = np.full((1, 5), 3.0)
    end = np.full((1, 5), 4)

    found = replay.outcome_days(_cumulative(demand), on_hand, end)

    assert found[0, 0] == 4


def test_the_outcome_day_is_never_after_the_receipt_and_earlier_only_for_stock_outs(
    replay: Any,
) -> None:
    rng = np.random.default_rng(4)
    demand = rng.poisson(1.5, (5, 40)).astype(float)
    cumulative = np.concatenate([np.zeros((5, 1)), np.cumsum(demand, axis=1)], axis=1)
    on_hand = rng.integers(1, 12, (5, 40)).astype(float)
    end = np.minimum(np.arange(40)[None, :] + rng.integers(1, 15, (5, 40)), 40)
    rows = np.arange(5)[:, None]
    stocked_out = cumulative[rows, end] - cumulative[:, 1:] > on_hand + 1e-9

    found = replay.outcome_days(cumulative, on_hand, end)

    assert np.all(found <= end)
    assert np.all(found[~stocked_out] == end[~stocked_out])
    assert np.all(found[stocked_out] > np.arange(40)[None, :].repeat(5, axis=0)[stocked_out])
    assert np.any(found[stocked_out] < end[stocked_out])


def test_settling_stock_outs_early_lifts_the_map_of_late_receipts(risk_calibration: Any) -> None:
    """Half the rows wait past the replay's end for their receipt and 80% of those stock
    out on their 3rd day; the other half are received on their 3rd day, never out (true
    rate 0.4 at a prediction of 0.5). Settled on the receipt alone, the map of days
    98-104 has seen only the early-received rows and maps 0.5 near 0; settled on the
    stock-out too, it has seen the late rows' stock-outs and maps it to their share among
    the settled rows, 0.4 / 0.9 = 0.44: the late rows still open are the ones that did not
    stock out (ADR 0040's remaining bias, the other way and smaller)."""
    n = 24_000
    rng = np.random.default_rng(6)
    day = np.tile(np.arange(120), n // 120)
    late = rng.random(n) < 0.5
    stocked_out = late & (rng.random(n) < 0.8)
    predicted = np.full(n, 0.5) + rng.normal(0, 0.05, n)
    receipt = np.where(late, day + 200, day + 3)
    outcome = np.where(stocked_out, day + 3, receipt)
    observed = stocked_out.astype(np.float64)

    by_receipt, _ = risk_calibration.prequential(predicted, observed, day, receipt, 2000)
    by_outcome, _ = risk_calibration.prequential(predicted, observed, day, outcome, 2000)

    block = (day >= 98) & (day < 105)
    assert by_receipt[block].mean() < 0.1
    assert by_outcome[block].mean() == pytest.approx(0.44, abs=0.05)
