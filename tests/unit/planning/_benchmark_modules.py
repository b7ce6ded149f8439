"""Helpers for tests of the benchmarks' replay modules (``benchmarks/`` is not a package):
import one by name with the folder on ``sys.path`` for the test only, and the paths of a
replay that never runs out."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stockguard.planning import simulation as sim

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def benchmark_module(monkeypatch: pytest.MonkeyPatch, name: str) -> Any:
    """The module ``benchmarks/<name>.py``, imported with the folder on the path."""
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module(name)


def ample_stock_paths(sales: np.ndarray, stocked_out: np.ndarray | None = None) -> sim.ReplayPaths:
    """Replay paths (n, days) with ample stock every day, ``sales`` served;
    ``stocked_out`` marks days demand exceeded it (None: no stock-out)."""
    shape = sales.shape
    return sim.ReplayPaths(
        on_hand=np.full(shape, 1000.0),
        sales=sales,
        receipts=np.zeros(shape),
        orders=np.zeros(shape),
        stocked_out=np.zeros(shape, dtype=bool) if stocked_out is None else stocked_out,
    )
