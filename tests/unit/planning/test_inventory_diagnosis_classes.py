"""The replay diagnosis's demand classes (``benchmarks/_inventory_diagnosis.demand_classes``,
Syntetos-Boylan-Croston cut-offs ADI 1.32 and CV^2 0.49; ADR 0042)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def _diagnosis(monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("_inventory_diagnosis")


def test_each_class_from_its_interval_and_size_spread(monkeypatch: pytest.MonkeyPatch) -> None:
    diagnosis = _diagnosis(monkeypatch)
    history = np.array(
        [
            [4.0, 5.0, 4.0, 5.0, 4.0, 5.0],  # every period, sizes CV^2 0.012: smooth
            [1.0, 9.0, 1.0, 9.0, 1.0, 9.0],  # every period, CV^2 0.64: erratic
            [4.0, 0.0, 5.0, 0.0, 4.0, 0.0],  # ADI 2, CV^2 0.012: intermittent
            [1.0, 0.0, 9.0, 0.0, 1.0, 0.0],  # ADI 2, sizes 1, 9, 1: CV^2 1.06: lumpy
            [0.0, 0.0, np.nan, 0.0, 0.0, 0.0],  # never sold
        ]
    )
    labels = diagnosis.demand_classes(history)
    assert list(labels) == ["smooth", "erratic", "intermittent", "lumpy", "never"]


def test_unobserved_periods_do_not_count_as_intervals(monkeypatch: pytest.MonkeyPatch) -> None:
    diagnosis = _diagnosis(monkeypatch)
    # 3 observed periods with demand out of 3 observed: ADI 1 (smooth), although the
    # row spans 6 periods
    history = np.array([[4.0, np.nan, 4.0, np.nan, 4.0, np.nan]])
    assert diagnosis.demand_classes(history)[0] == "smooth"
    history[0, 1] = 0.0  # now 4 observed, 3 with demand: ADI 1.33 >= 1.32
    assert diagnosis.demand_classes(history)[0] == "intermittent"
