"""stockguard's settings calibrated on its own history, before the replayed window.

Optional (``inventory_replay.py --calibrate``): the product does not calibrate, so these
rows are not the headline. The product's policy (``_inventory_policies.StockguardPolicy``,
lost-sales model) is replayed on the last ``window`` periods of the history exactly as it
runs in the replay (forecasts refitted on its own observed sales, its stock-out periods
unobserved; the recorded history is read as demand), with lead times drawn from the
supplier's past record only (the older half of the SCMS lines; the history's inferred
stock-out runs filled in, ``history_demand``), at a grid of nominal fill rates with the
negative binomial model of ``inventory.lost_sales``. Censoring matters: forecasts fitted on
sales that miss the stock-out periods run low (the periods with high demand are the
ones that stock out), so a replay with uncensored forecasts would promise more than
the policy delivers. For each target it takes, per model, the nominal fill rate whose
replay achieved the target (``simulation.calibrated_service_levels``) and keeps the
model that needed the least average stock there on the history (among the models
whose curve reaches the target; else the model that came closest). Nothing here reads
the replayed window.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

import _inventory_data as data_sets
from _inventory_policies import StockguardPolicy, forecaster_fit, run
from stockguard.planning import simulation as sim
from stockguard.planning.forecasting import censoring
from stockguard.planning.inventory.distributions import DemandDistribution

GRID = (0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.999)
"""Nominal fill rates replayed on the history."""
MODELS = (DemandDistribution.NEGATIVE_BINOMIAL,)
"""Lead-time demand models: the negative binomial only, the lost-sales model's (count
demand, over-dispersed in all three data sets)."""


@dataclass(frozen=True)
class Choice:
    """What the calibration chose for one target."""

    target: float
    distribution: str
    nominal: float
    history_average_units: float


@dataclass(frozen=True)
class Calibration:
    """Per model the replayed curve (fill rate, average units), and the choices."""

    window: int
    grid: tuple[float, ...]
    achieved: dict[str, tuple[float, ...]]
    average_units: dict[str, tuple[float, ...]]
    choices: tuple[Choice, ...]
    seconds: float


def calibrate(
    data: data_sets.ReplayData,
    *,
    lead_times: np.ndarray,
    past_delays: np.ndarray,
    undershoot_window: int,
    targets: Sequence[float],
    refit_every: int,
    cycle: int,
    horizon: int,
    rng: np.random.Generator,
    fit_window: int | None = None,
) -> Calibration:
    """Replay the grid for each model on the history's last periods; choose per target."""
    started = time.perf_counter()
    window = min(data.replay.shape[1], data.history.shape[1] // 2)
    cut = data.history.shape[1] - window
    lead = sim.draw_lead_times(
        stated_lead_time=data.stated_lead_time,
        delays=past_delays,
        shape=(data.n_sku, window),
        rng=rng,
    )
    demand = history_demand(data.history[:, cut:], rng)
    scenario = sim.Scenario.build(demand=demand, lead_time=lead, unit_cost=data.unit_value)
    fit = forecaster_fit(data.season_length, horizon, fit_window)
    achieved: dict[str, tuple[float, ...]] = {}
    units: dict[str, tuple[float, ...]] = {}
    for model in MODELS:
        results = []
        for nominal in GRID:
            planner = StockguardPolicy(
                history=data.history[:, :cut],
                fit=fit,
                fill_rate=nominal,
                lead_times=lead_times,
                refit_every=refit_every,
                cycle=cycle,
                history_window=undershoot_window,
            )
            results.append(run(scenario, planner)[0])
        achieved[model.name] = tuple(r.total_fill_rate for r in results)
        units[model.name] = tuple(r.total_average_on_hand for r in results)
    return Calibration(
        window=window,
        grid=GRID,
        achieved=achieved,
        average_units=units,
        choices=tuple(choose(target, achieved, units) for target in targets),
        seconds=time.perf_counter() - started,
    )


def history_demand(recorded: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Demand to replay on the history: the recorded sales, stock-outs filled in.

    A recorded history is sales, and a stock-out in it is a run of zero sales that is
    not zero demand; replayed as demand it makes every policy look better than it is.
    Runs too long to be chance (``forecasting.censoring.infer_stockouts``) get, per day,
    a Poisson draw at the SKU's mean sales over its other observed days in the window;
    days before a SKU was on sale (NaN) stay at 0.
    """
    flagged = censoring.infer_stockouts(y=recorded)
    seen = np.isfinite(recorded) & ~flagged
    count = seen.sum(axis=1)
    rate = np.where(seen, recorded, 0.0).sum(axis=1) / np.maximum(count, 1)
    draws = rng.poisson(np.broadcast_to(rate[:, None], recorded.shape)).astype(np.float64)
    return np.where(flagged, draws, np.nan_to_num(recorded))


def choose(
    target: float,
    achieved: dict[str, tuple[float, ...]],
    units: dict[str, tuple[float, ...]],
) -> Choice:
    """The model needing the least stock at ``target`` on the history (module docstring)."""
    options = []
    for name, curve in achieved.items():
        nominal = float(
            sim.calibrated_service_levels(nominal=GRID, achieved=curve, targets=[target])[0]
        )
        stock = float(np.interp(nominal, GRID, units[name]))
        reaches = max(curve) >= target
        options.append((not reaches, 0.0 if reaches else -max(curve), stock, name, nominal))
    _, _, stock, name, nominal = min(options)
    return Choice(target=target, distribution=name, nominal=nominal, history_average_units=stock)
