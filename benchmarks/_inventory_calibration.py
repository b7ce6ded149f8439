"""stockguard's fill-rate targets calibrated on its own history, before the replayed window.

The product replays its own policy (``_inventory_policies.StockguardPolicy``) on the
last ``window`` periods of the history, with forecasts refitted on the recorded sales
up to each fit day and lead times drawn from the supplier's past record only (the older
half of the SCMS lines), at a grid of nominal fill rates; it then takes, for each
target, the nominal fill rate whose replay achieved it
(``simulation.calibrated_service_levels``). Nothing here reads the replayed window.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import _inventory_data as data_sets
from _inventory_policies import RecordedFits, StockguardPolicy, forecaster_fit, run
from stockguard.planning import simulation as sim

GRID = (0.5, 0.7, 0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999)
"""Nominal fill rates replayed on the history."""


@dataclass(frozen=True)
class Calibration:
    """The replayed curve and the nominal fill rate chosen per target (fractions)."""

    window: int
    grid: tuple[float, ...]
    achieved: tuple[float, ...]
    nominal: dict[float, float]
    seconds: float


def calibrate(
    data: data_sets.ReplayData,
    *,
    lead_time: tuple[float, float],
    past_delays: np.ndarray,
    targets: Sequence[float],
    refit_every: int,
    cycle: int,
    horizon: int,
    rng: np.random.Generator,
) -> Calibration:
    """Replay the grid on the history's last periods; invert the curve per target."""
    started = time.perf_counter()
    window = min(data.replay.shape[1], data.history.shape[1] // 2)
    cut = data.history.shape[1] - window
    demand = np.nan_to_num(data.history[:, cut:])
    lead = sim.draw_lead_times(
        stated_lead_time=data.stated_lead_time, delays=past_delays, shape=demand.shape, rng=rng
    )
    scenario = sim.Scenario.build(demand=demand, lead_time=lead, unit_cost=data.unit_value)
    fits = RecordedFits(data.history, cut, forecaster_fit(data.season_length, horizon))
    achieved = []
    for nominal in GRID:
        planner = StockguardPolicy(
            history=data.history[:, :cut],
            fit=fits,
            fill_rate=nominal,
            lead_time_mean=lead_time[0],
            lead_time_std=lead_time[1],
            refit_every=refit_every,
            cycle=cycle,
        )
        result, _ = run(scenario, planner)
        achieved.append(result.total_fill_rate)
    levels = sim.calibrated_service_levels(nominal=GRID, achieved=achieved, targets=targets)
    return Calibration(
        window=window,
        grid=GRID,
        achieved=tuple(achieved),
        nominal={float(t): float(level) for t, level in zip(targets, levels, strict=True)},
        seconds=time.perf_counter() - started,
    )
