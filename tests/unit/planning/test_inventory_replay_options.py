"""The inventory replay's options for ADRs 0017 and 0018: the lost-sales floor, the recent
sales the lost-sales model reads, pooled rates and the development windows
(``benchmarks/inventory_replay.py``, ``_inventory_policies``)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import numpy as np
import pytest

BENCHMARKS = Path(__file__).resolve().parents[3] / "benchmarks"


def _module(monkeypatch: pytest.MonkeyPatch, name: str) -> Any:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module(name)


def test_defaults_replay_the_product_and_flags_switch_each_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    replay = _module(monkeypatch, "inventory_replay")
    default = replay.options(replay.DAILY, replay.parse_args([]))
    assert default.lost_sales_floor_at_mean is True
    assert default.history_lower_bound is True  # the product's history since ADR 0018
    assert default.pooled_rates is True
    changed = replay.options(
        replay.DAILY,
        replay.parse_args(
            ["--lost-sales-floor", "zero", "--lost-sales-history", "nan", "--pooled-rates", "off"]
        ),
    )
    assert changed.lost_sales_floor_at_mean is False
    assert changed.history_lower_bound is False
    assert changed.pooled_rates is False


def test_every_data_set_has_a_development_window(monkeypatch: pytest.MonkeyPatch) -> None:
    replay = _module(monkeypatch, "inventory_replay")
    args = replay.parse_args(["--window", "development"])
    assert args.window == "development"
    assert set(replay.DEVELOPMENT) == set(replay.LOADERS)


def test_m5_departments_group_the_pooled_rates(monkeypatch: pytest.MonkeyPatch) -> None:
    replay = _module(monkeypatch, "inventory_replay")
    data = _module(monkeypatch, "_inventory_data")
    ids = np.array(["FOODS_3_090_CA_3", "HOBBIES_1_008_CA_1", "FOODS_3_120_TX_2"])
    m5 = data.ReplayData("M5", ids, np.zeros((3, 2)), np.zeros((3, 2)), np.ones(3), "day", 7, 7)
    assert replay.departments(m5).tolist() == [0, 1, 0]
    parts = data.ReplayData(
        "car parts", ids, np.zeros((3, 2)), np.zeros((3, 2)), np.ones(3), "month", 12, 1
    )
    assert replay.departments(parts).tolist() == [0, 0, 0]


def _levels(monkeypatch: pytest.MonkeyPatch, *, floor: bool) -> Any:
    """A SKU selling 30 a day, a fixed 8-day supplier, a week's lot, 90% target."""
    policies = _module(monkeypatch, "_inventory_policies")
    rng = np.random.default_rng(3)

    def flat(_day: int, observed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        rows = observed.shape[0]
        return np.full((rows, 40), 30.0), np.full((rows, 40), np.sqrt(30.0))

    planner = policies.StockguardPolicy(
        history=rng.poisson(30.0, size=(1, 120)).astype(float),
        fit=flat,
        fill_rate=0.90,
        lead_times=np.array([8.0, 8.0]),
        refit_every=1000,
        cycle=7,
        infer_stockouts=False,
        lost_sales_floor_at_mean=floor,
    )
    return planner.levels(None)


def test_without_the_floor_the_replay_orders_later(monkeypatch: pytest.MonkeyPatch) -> None:
    floored = _levels(monkeypatch, floor=True)
    bare = _levels(monkeypatch, floor=False)
    assert bare.reorder_point[0] < floored.reorder_point[0]
    assert bare.reorder_point[0] >= 0.0


def test_launch_rate_follows_the_product_and_the_flag_switches_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """ADR 0041: the replay's launch estimator is the product's unless ``--launch-rate``."""
    from stockguard.planning.inventory import pooled_rate

    replay = _module(monkeypatch, "inventory_replay")
    default = replay.options(replay.MONTHLY, replay.parse_args([]))
    assert default.launch == int(pooled_rate.LAUNCH_DEFAULT)
    for flag, launch in (("cohort", pooled_rate.Launch.COHORT), ("halves", 0)):
        chosen = replay.options(replay.MONTHLY, replay.parse_args(["--launch-rate", flag]))
        assert chosen.launch == int(launch)
