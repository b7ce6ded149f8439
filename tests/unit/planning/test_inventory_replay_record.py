"""The inventory replay's growing supplier record with the replay's open orders censored
(``benchmarks/_inventory_policies.StockguardPolicy``)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stockguard.planning import simulation as sim
from stockguard.planning.inventory import censored, lost_sales

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def _planner(monkeypatch: pytest.MonkeyPatch, *, censor: bool) -> Any:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    policies = importlib.import_module("_inventory_policies")

    def flat(_day: int, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return np.ones((observed.shape[0], 40)), np.ones((observed.shape[0], 40))

    order_lead = np.full((2, 30), 12, dtype=np.int64)
    order_lead[0, 0] = 3  # SKU 0's first order arrives at the start of day 3
    return policies.StockguardPolicy(
        history=np.ones((2, 100)),
        fit=flat,
        fill_rate=0.95,
        lead_times=np.array([5.0, 6.0, 7.0, 8.0]),
        refit_every=1000,
        cycle=7,
        infer_stockouts=False,
        order_lead_times=order_lead,
        censor_open_orders=censor,
    )


def _state(day: int) -> sim.ReplayState:
    return sim.ReplayState(
        day=day,
        sales=np.ones((2, day + 1)),
        stocked_out=np.zeros((2, day + 1), bool),
        on_hand=np.full(2, 5.0),
        on_order=np.zeros(2),
    )


def test_open_orders_enter_as_censored_at_their_age(monkeypatch: pytest.MonkeyPatch) -> None:
    """Orders placed on days 0 and 1 (both SKUs), read at the end of day 10: SKU 0's day-0
    order (lead 3) is received; the three others (lead 12) are open at ages 10, 9, 9."""
    planner = _planner(monkeypatch, censor=True)
    planner.ordered = np.array([[True, True], [True, True]])
    mean, std, crossing = planner._lead_time_figures(_state(10))
    expected = censored.kaplan_meier_lead_times(
        days=[5, 6, 7, 8, 3, 10, 9, 9],
        received=[True] * 5 + [False] * 3,
        group=[0] * 8,
        n_groups=1,
        ddof=0,
    )
    assert mean == pytest.approx(expected.mean[0], abs=1e-12)
    assert std == pytest.approx(expected.std[0], abs=1e-12)
    assert crossing == pytest.approx(expected.crossing[0], abs=1e-12)
    receipts_only = np.array([5, 6, 7, 8, 3.0]).mean()
    assert mean > receipts_only + 1.0


def test_receipts_only_and_nothing_open_keep_the_plain_record(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``censor_open_orders=False`` reads receipts only (the record before); with every
    order received the censored record equals it too."""
    planner = _planner(monkeypatch, censor=False)
    planner.ordered = np.array([[True, True], [True, True]])
    record = np.array([5, 6, 7, 8, 3.0])
    mean, std, crossing = planner._lead_time_figures(_state(10))
    assert (mean, std) == (record.mean(), record.std())
    assert crossing == lost_sales.crossing_spread(record)
    censoring = _planner(monkeypatch, censor=True)
    censoring.ordered = np.array([[True, False], [False, False]])
    assert censoring._lead_time_figures(_state(10)) == (mean, std, crossing)
