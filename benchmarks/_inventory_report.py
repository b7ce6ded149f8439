"""Figures of one replay and the tables benchmarks/inventory_replay.py prints."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table

import _inventory_data as data_sets
from _inventory_calibration import Calibration
from stockguard.planning import simulation as sim

MODEL_LABELS = {"NORMAL": "normal", "NEGATIVE_BINOMIAL": "neg. bin."}
BELOW_TARGET_POINTS = 5.0
TARGET_GAP_POINTS = 1.5
TARGET_RATIO_VS_MINMAX = 0.85


@dataclass(frozen=True)
class Point:
    """One replay's figures (fill rates in %, inventory averaged over the periods)."""

    policy: str
    parameter: float
    fill_rate: float
    average_units: float
    average_value: float
    cycle_service_level: float
    stockout_share: float
    orders: int
    share_skus_below: float
    seconds: float
    nominal: float = float("nan")
    distribution: str = ""
    forecast_to_demand: float = float("nan")
    """stockguard: next-period forecast means in force, summed over the replay, / demand."""
    fits: int = 0
    """stockguard: forecasts fitted (the one before the replay included)."""
    fit_seconds: float = float("nan")
    """stockguard: seconds spent fitting them (part of ``seconds``)."""
    record_lead_time_mean: float = float("nan")
    """stockguard: its supplier record's lead-time mean, periods, averaged over the
    replay's plans (the figure its policy read; ``--lead-time-record``)."""
    pooled_share: float = 0.0
    """stockguard: share of SKUs planned on a pooled or launch rate, averaged over the
    plans (``--pooled-rates on``)."""


def measure(
    policy: str,
    parameter: float,
    result: sim.ReplayResult,
    seconds: float,
    target: float,
) -> Point:
    """Figures of ``result``; ``target`` (a fill rate) sets the below-target share."""
    has_demand = result.demand > 0
    below = result.fill_rate[has_demand] < target - BELOW_TARGET_POINTS / 100
    periods = result.paths.sales.shape[1] if result.paths is not None else 1
    return Point(
        policy=policy,
        parameter=parameter,
        fill_rate=100 * result.total_fill_rate,
        average_units=result.total_average_on_hand,
        average_value=result.total_average_on_hand_value,
        cycle_service_level=100 * result.total_cycle_service_level,
        stockout_share=100 * result.total_stockout_days / (result.demand.size * periods),
        orders=result.total_orders_placed,
        share_skus_below=100 * float(below.mean()) if below.size else float("nan"),
        seconds=seconds,
    )


def _fmt(value: float | None, digits: int = 2) -> str:
    return "-" if value is None or not np.isfinite(value) else f"{value:,.{digits}f}"


def print_data_set(
    console: Console,
    data: data_sets.ReplayData,
    curves: dict[str, list[Point]],
    oracle: Point,
    stockguard: dict[str, list[Point]],
    summaries: dict[str, dict[str, Any]],
    labels: dict[str, str],
) -> None:
    """The peers' curves, then each stockguard variant (``labels``) and the oracle."""
    unit = "days" if data.period == "day" else "months"
    title = f"{data.name}: {data.n_sku} SKUs, {data.replay.shape[1]} {unit} replayed"
    peers = Table(title=f"{title}: peers' trade-off curves")
    for column in ("z", "(a) fill %", "(a) avg units", "(b) fill %", "(b) avg units"):
        peers.add_column(column, justify="right")
    for a, b in zip(curves["minmax_ma30"], curves["minmax_velocity"], strict=True):
        peers.add_row(
            _fmt(a.parameter, 1),
            _fmt(a.fill_rate),
            _fmt(a.average_units, 0),
            _fmt(b.fill_rate),
            _fmt(b.average_units, 0),
        )
    console.print(peers)
    table = Table(title=f"{title}: stockguard vs peers (same demand, same lead-time draws)")
    for column in (
        "policy", "target", "model", "nominal %", "fill %", "gap pts", "SKUs >5 pts below %",
        "CSL %", "stock-out days %", "avg units", "avg value", "orders", "/ (a)", "/ (b)",
        "/ oracle", "fcst / demand", "fits", "fit s",
    ):  # fmt: skip
        table.add_column(column, justify="right")
    for key, points in stockguard.items():
        for point, row in zip(points, summaries[key]["per_target"], strict=True):
            _stockguard_row(table, labels[key], point, row)
    table.add_row(
        "oracle", "-", "-", "-", _fmt(oracle.fill_rate), "-", "-",
        _fmt(oracle.cycle_service_level, 1), _fmt(oracle.stockout_share, 1),
        _fmt(oracle.average_units, 0), _fmt(oracle.average_value, 0), str(oracle.orders),
        "-", "-", "1.00", "-", "-", "-",
    )  # fmt: skip
    console.print(table)


def _stockguard_row(table: Table, label: str, point: Point, row: dict[str, Any]) -> None:
    table.add_row(
        label, f"{100 * point.parameter:.0f}%", MODEL_LABELS.get(point.distribution, "-"),
        _fmt(100 * point.nominal),
        _fmt(point.fill_rate), _fmt(row["gap_points"]), _fmt(point.share_skus_below, 1),
        _fmt(point.cycle_service_level, 1), _fmt(point.stockout_share, 1),
        _fmt(point.average_units, 0), _fmt(point.average_value, 0), str(point.orders),
        _fmt(row["ratio_vs_minmax_ma30"], 3), _fmt(row["ratio_vs_minmax_velocity"], 3),
        _fmt(row["ratio_vs_oracle"], 2), _fmt(point.forecast_to_demand, 3),
        str(point.fits), _fmt(point.fit_seconds, 1),
    )  # fmt: skip


def _ratio(result: dict[str, Any]) -> str:
    """The ratio at 95%, or its upper bound when peer (a) cannot reach that fill rate."""
    bound = result["inventory_ratio_vs_minmax_at_95_upper_bound"]
    if bound is not None:
        return (
            f"< {bound:.3f} (peer (a) tops out at {result['minmax_ma30_highest_fill_rate']:.2f}%)"
        )
    return _fmt(result["inventory_ratio_vs_minmax_at_95"], 3)


def print_summary(console: Console, results: dict[str, Any]) -> None:
    table = Table(title="Inventory replay: the issue's figures")
    for column in ("data set", "fill_rate_gap_points", "ratio vs min/max at 95", "vs oracle"):
        table.add_column(column, justify="right")
    for key, result in results.items():
        table.add_row(
            key,
            f"{_fmt(result['fill_rate_gap_points'])} (target <= {TARGET_GAP_POINTS})",
            f"{_ratio(result)} (target <= {TARGET_RATIO_VS_MINMAX})",
            _fmt(result["inventory_ratio_vs_oracle_at_95"], 2),
        )
    console.print(table)


def print_calibration(
    console: Console, data: data_sets.ReplayData, calibration: Calibration
) -> None:
    """The curves replayed on the history and the model and nominal fill rate per target."""
    unit = "days" if data.period == "day" else "months"
    table = Table(
        title=f"{data.name}: calibration on the {calibration.window} {unit} before the replay "
        f"({calibration.seconds:.0f} s): fill rate % and average units achieved on history"
    )
    table.add_column("nominal %", justify="right")
    for name in calibration.achieved:
        table.add_column(f"{name} fill %", justify="right")
        table.add_column(f"{name} avg units", justify="right")
    for i, nominal in enumerate(calibration.grid):
        cells = [_fmt(100 * nominal)]
        for name, achieved in calibration.achieved.items():
            cells += [_fmt(100 * achieved[i]), _fmt(calibration.average_units[name][i], 0)]
        table.add_row(*cells)
    console.print(table)
    for choice in calibration.choices:
        console.print(
            f"target {100 * choice.target:.0f}%: {choice.distribution} at nominal "
            f"{100 * choice.nominal:.2f}% ({choice.history_average_units:,.0f} units on history)"
        )
