"""The inventory replay refits the period the shelf emptied as max(sales, recent observed
mean), as the product's ``DemandPanel.observed`` does
(``benchmarks/_inventory_policies.StockguardPolicy.emptying_day_lower_bound``)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stockguard.planning import simulation as sim

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def _refit_input(monkeypatch: pytest.MonkeyPatch, *, lower_bound: bool) -> np.ndarray:
    """What the forecast is refitted on after a 3-period replay: history of 4 units a
    period, then sales 2 (in stock), 1 (ended empty), 0 (started empty)."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    policies = importlib.import_module("_inventory_policies")
    seen: list[np.ndarray] = []

    def flat(_day: int, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        seen.append(observed.copy())
        return np.ones((observed.shape[0], 10)), np.ones((observed.shape[0], 10))

    planner: Any = policies.StockguardPolicy(
        history=np.full((1, 40), 4.0),
        fit=flat,
        fill_rate=0.95,
        lead_times=np.array([2.0, 3.0]),
        refit_every=1,
        cycle=1,
        infer_stockouts=False,
        emptying_day_lower_bound=lower_bound,
    )
    sales = np.array([[2.0, 1.0, 0.0]])
    on_hand_after = [3.0, 0.0, 0.0]
    planner.levels(None)  # the simulator's opening call
    for day in range(3):
        planner.levels(
            sim.ReplayState(
                day=day,
                sales=sales[:, : day + 1],
                stocked_out=np.array([[False, False, True]])[:, : day + 1],
                on_hand=np.array([on_hand_after[day]]),
                on_order=np.zeros(1),
            )
        )
    return seen[-1][0, -3:]


def test_the_period_that_emptied_the_shelf_reads_the_recent_observed_mean(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refit = _refit_input(monkeypatch, lower_bound=True)
    # period 1 sold 1 and ended empty: max(1, mean of 27 history periods of 4 and a 2)
    assert refit[0] == 2.0
    assert refit[1] == pytest.approx((27 * 4.0 + 2.0) / 28)
    assert np.isnan(refit[2])  # started empty, sold nothing: unobserved


def test_the_nan_rule_keeps_every_stock_out_period_unobserved(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    refit = _refit_input(monkeypatch, lower_bound=False)
    assert refit[0] == 2.0
    assert np.isnan(refit[1:]).all()
