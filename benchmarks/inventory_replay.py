"""Inventory replay: stockguard's fill-rate policy against classic min/max, same draws.

Each data set's real demand is replayed period by period with lost sales
(``stockguard.planning.simulation``); every policy faces the same demand and, for an order
placed on the same day, the same lead time: the stated lead time (7 days, or 1 month for
car parts) plus a delay drawn, with a fixed seed, from the real late/early deliveries of
the SCMS history (``_inventory_data``; floored at one period; orders may cross).

Policies (``_inventory_policies``), all with ``max - min`` = expected demand over a
7-day (1-month) order cycle, replanned every period from what they have observed:

* peer (a): 30-day moving average of sales (12 months for car parts) and normal safety
  stock ``z sigma sqrt(L)`` over the stated lead time, as Odoo/ERPNext users set it;
  swept over ``z`` to get its trade-off curve (fill rate vs average inventory);
* peer (b): the same with stock-out days left out of the average (Inventory Planner's
  velocity), same sweep;
* oracle: perfect foresight of demand and of the real delivery days; each day's demand
  arrives as late as the lead times allow (``simulation.perfect_foresight``): the least
  stock for full service;
* stockguard (the headline rows, JSON top level and ``stockguard``): the product's
  planning run replayed, with its default policy kind and measure ((s,S), fill rate) and
  its default ``fill_rate_model = lost_sales``, at the product's cadence: a planning run
  forecasts afresh on every run, and a shop that reviews once a day runs it every day, so
  ``AutoForecaster`` is refitted every period (every day; every month for car parts;
  ``--refit-every N`` for the 28 days / 3 months of earlier sessions), looking 28 days
  ahead (the run's ``--horizon``; 6 months for car parts) and fitted on the last 730 days
  (the run's ``--history-days``; 24 months for car parts; ``--fit-window``). It learns
  from its own observed sales with stock-out periods unobserved as the product's ledger
  mask has them (a period that ended with nothing on hand, or lost demand;
  ``--stockout-mask simulator`` for the simulator's flags only, as earlier sessions),
  except that a stock-out period that sold ``s > 0`` units is a lower bound of demand
  and reads ``max(s, m)``, ``m`` the mean of the observed periods among the 28 before it,
  as the product's panel reads the day the shelf emptied (``--emptying-day nan``: NaN,
  the rule before),
  and from the history with its inferred stock-out runs
  (``forecasting.censoring.infer_stockouts``) unobserved; per-day spread from the
  forecast's p10-p90; levels from ``inventory.policies.compute_policies``, the
  planning entry ``services.replenishment.compute.plan_replenishment`` calls, nominal =
  target: negative binomial demand over the periods before arrival plus the review
  undershoot, the SKU's own dispersion of demand totals (both from the last 91 days, 24
  months for car parts, of observed sales), lead-time variance with crossing orders from
  the supplier's observed lead times (the older half of the SCMS records, the supplier's
  past, plus the lead times of the replay's own orders received so far, as a run reads
  every delivery recorded, and its orders still open as right-censored lead times, at
  least their age so far, read with the Kaplan-Meier estimator as a run reads its open
  purchase orders; ``--lead-time-record receipts``: receipts only, the default before;
  ``fixed``: the older half only; the draws come from all records), and the lost-sales
  form of the fill-rate equation; its recent sales read a stock-out period that sold as
  ``max(s, m)`` too, and intermittent, lumpy and never-sold SKUs plan with pooled rates
  (``services.replenishment.pooling``, grouped by M5's department; ADR 0018;
  ``--lost-sales-history nan`` and ``--pooled-rates off`` replay the rules before), and
  the undershoot of a SKU that sold reads its rate with its group's common lump shape
  (``undershoot.common_shape_undershoot``, the same groups; ADR 0028; ``--lumps own``
  replays each SKU's own moments, the rule before), and its cycle shortage nets out the
  late lots' own shortfall, the lead-time term alone read as normal beyond ``S``
  (``--cycle-shortage carried-late-lots``, the default as the product's since ADR 0035;
  ``own``: ``ES(s)``, the rule before; ``carried`` and ``carried-lead-time``: ADR 0031's
  refused candidates; ``planning.inventory.carried``). One
  input differs from a default run on purpose: the lot ``Q`` is the
  expected demand of the 7-day (1-month) cycle, the peers' ``max - min``, where a run's
  (s,S) rows take the EOQ of its ordering and holding costs; so the ratio to the peers
  measures protection, not lot sizing. And the forecast is ``AutoForecaster`` alone: a run
  with 30 series or more also fits the LightGBM drivers model, which is not replayed (a
  fit every day would take hours).
* backorder (JSON ``backorder``): the same run with ``fill_rate_model = backorder``, the
  textbook equations (normal demand over the lead time, the whole lead-time variance).
* lost_sales replay variant (``--replay-variant``, JSON ``replay_variant``): the
  lost-sales model as earlier
  sessions replayed it before it was in the product: stock-out days refitted as
  ``max(sales, forecast)`` and the undershoot and dispersion read from the fitting
  history only. It shows what the product's own inputs cost.
* bias-corrected (``--bias-diagnostic``, JSON ``bias_diagnostic``; a diagnostic, not the
  product): the product's policy with its forecast multiplied by the forecast's recent
  aggregate bias, the sales over the forecasts in force on the in-stock periods of the
  last 28 days (3 months), all SKUs pooled (past periods only). It measures how much
  of the gap the forecast's level explains.
* calibrated (``--calibrate``, JSON ``calibrated``): the product's policy with a nominal
  fill rate fitted per target by replaying it on its own history before the window
  (``_inventory_calibration``). The product does not calibrate.

Measures (all units of demand together): fill rate, gap to the target in points, share
of SKUs (with demand) more than 5 points below the target, cycle service level,
stock-out days, average on hand (units; value at the unit price), orders, and for
stockguard the forecast bias (``forecast_to_demand``: the next-period forecast means in
force, summed over the replay, divided by the demand). The ratio to
peer (a) divides stockguard's average inventory by the inventory peer (a) needs for the
same achieved fill rate, read off its curve by linear interpolation between safety
factors (none when stockguard's fill rate is outside the curve; when it is above the
curve's best point, ``inventory_ratio_vs_minmax_at_95_upper_bound`` divides by the stock
of that best point). Nothing is tuned on the replayed window. ``--window development``
replays the periods before each scored window instead (M5 365 days, car parts 12
months, Online Retail 120 days), the scored periods dropped, for questions that must
not be answered on the scored window;
``_inventory_diagnosis.py`` decomposes where the fill rate departs from the target
(docs/replenishment.md, "Where M5's excess is"; ADR 0017).

    python benchmarks/inventory_replay.py [--data-dir DIR] [--datasets m5 carparts retail]

About 5-6 minutes on 2 cores (363 s at load average 1.9-2.0 on 2026-11-25 16:30: M5
283 s, car parts 17 s, Online Retail 63 s; 301 s at load 1.5-2.2 before ADR 0018), most
of it the forecasts each stockguard row fits
(366 on M5, 28-45 s per row; 25 on car parts; 121 on Online Retail; the table's ``fits``
and ``fit s``).
``--calibrate`` replays the grid at the same cadence and takes much longer.

Prints tables and writes benchmarks/results/inventory_replay.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from rich.console import Console

import _inventory_data as data_sets
from _forecast_data import DEFAULT_DATA_DIR, REPO, DataMissingError
from _inventory_calibration import Choice, calibrate
from _inventory_policies import MovingAverageMinMax, StockguardPolicy, forecaster_fit, run
from _inventory_report import Point, measure, print_calibration, print_data_set, print_summary
from stockguard.planning import simulation as sim
from stockguard.planning.inventory import lost_sales, pooled_rate
from stockguard.planning.inventory.lost_sales import FillRateModel

FloatArray = npt.NDArray[np.float64]

RESULTS = REPO / "benchmarks" / "results" / "inventory_replay.json"
TARGETS = (0.90, 0.95, 0.98)
SAFETY_FACTORS = (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0, 13.0, 16.0, 20.0)
SEED = 20_260_905
DEVELOPMENT_HELD_OUT = 365
"""Days dropped from the end of M5 for ``--window development`` (its scored window)."""
DEVELOPMENT: dict[str, Callable[[Path], data_sets.ReplayData]] = {
    "m5": lambda path: data_sets.m5(path, held_out=DEVELOPMENT_HELD_OUT),
    "carparts": lambda path: data_sets.carparts(path, replay_months=12, held_out=24),
    "retail": lambda path: data_sets.online_retail(path, replay_days=120, held_out=120),
}
"""``--window development``: each data set's scored window dropped (never read) and the
periods before it replayed: M5 365 days, car parts 12 months (15 of history), Online
Retail 120 days (134 of history)."""


@dataclass(frozen=True)
class Settings:
    """Period settings of one data set (all in periods: days, or months for car parts).

    Attributes:
        window: the peers' moving-average window.
        cycle: the order cycle; ``max - min`` (and stockguard's lot) is its expected demand.
        refit_every: periods between two forecasts of stockguard's replay; 1 = every
            period, as the product's planning run forecasts afresh on every run.
        horizon: periods a forecast looks ahead from the period it is in force (the
            product's run forecasts 28 days); it is fitted for ``horizon + refit_every - 1``
            periods so the last period it is in force still sees ``horizon`` ahead.
        fit_window: periods of history the forecast is fitted on (the product's run learns
            from the last 730 days; 24 months for car parts), None = all.
        undershoot_window: periods of sales the lost-sales model reads (91 days, 24 months).
        ended_empty_unobserved: stockguard reads a period that ended with nothing on hand
            as a stock-out (unobserved), as the product's ledger mask does; False: only
            the simulator's stock-out periods (earlier sessions).
        growing_record: stockguard's supplier record (lead-time mean, spread, crossing)
            grows with the receipts of its own orders, as a run reads every delivery
            recorded so far; False: the older half of the SCMS record only (earlier
            sessions).
        emptying_day_lower_bound: stockguard refits a stock-out period that sold
            ``s > 0`` units as ``max(s, m)`` (``m`` the observed mean of the 28 periods
            before), as the product's ``DemandPanel.observed``; False: NaN
            (``--emptying-day nan``, the rule before).
        censor_open_orders: with ``growing_record``, its own orders still open count as
            right-censored lead times (at least their age so far; Kaplan-Meier figures,
            ``planning.inventory.censored``), as the product's run reads its open purchase
            orders; False: receipts only (``--lead-time-record receipts``, the growing
            record before open orders counted).
        lost_sales_floor_at_mean: the lost-sales reorder point is kept at or above
            ``E[X]``, as the product does (ADR 0017); False (``--lost-sales-floor
            zero``): the equation's reorder point, at least 0.
        history_lower_bound: the lost-sales model's recent sales read a stock-out period
            that sold ``s > 0`` as ``max(s, m)``, as the forecast does and as the
            product's replenishment history does since ADR 0018 (``--lost-sales-history
            nan``: NaN, the rule before).
        pooled_rates: intermittent, lumpy and never-sold SKUs plan with pooled rates,
            as the product's run does since ADR 0018 (``services.replenishment.pooling``;
            ``--pooled-rates off``: every SKU's forecast, the rule before), grouped by
            M5's department (one group for car parts and Online Retail, which have no
            categories).
        lot_undershoot: the lost-sales undershoot from the walk over each row's own lot
            (``planning.inventory.undershoot``; ``--undershoot lot``, ADR 0023) instead
            of the renewal limit (``renewal``).
        common_shape: the lost-sales undershoot from each SKU's rate and its group's
            common lump shape (``undershoot.common_shape_undershoot``), as the product's
            run does since ADR 0028 (``--lumps own``: each SKU's own sample moments, the
            rule before).
        carried_shortage: the lost-sales cycle shortage net of what the cycle before
            counted, a ``carried.Carried`` (``planning.inventory.carried``, ADR 0031's
            candidates; ``--cycle-shortage carried`` ALL, ``carried-lead-time``
            LEAD_TIME; ADR 0035's ``carried-late-lots`` LATE_LOTS, the product's since
            ADR 0035, the default) instead of ``ES(s)`` (``own``, 0, the rule before).
        launch: the never-sold SKUs' launch estimator, a ``pooled_rate.Launch``
            (``--launch-rate halves``: ADR 0018's first-half silent SKUs; ``cohort``:
            every origin's never-sold cohort over the lead time plus one review, ADR
            0041); the default follows ``pooled_rate.LAUNCH_DEFAULT``.
    """

    window: int
    cycle: int
    refit_every: int
    horizon: int
    fit_window: int | None
    undershoot_window: int
    ended_empty_unobserved: bool = True
    growing_record: bool = True
    censor_open_orders: bool = True
    emptying_day_lower_bound: bool = True
    lost_sales_floor_at_mean: bool = True
    history_lower_bound: bool = True
    pooled_rates: bool = True
    lot_undershoot: bool = False
    common_shape: bool = True
    carried_shortage: int = 3
    launch: int = int(pooled_rate.LAUNCH_DEFAULT)

    @property
    def fitted_horizon(self) -> int:
        """Periods each fit forecasts: ``horizon + refit_every - 1``."""
        return self.horizon + self.refit_every - 1


CYCLE_SHORTAGE = {"own": 0, "carried": 1, "carried-lead-time": 2, "carried-late-lots": 3}
"""``--cycle-shortage`` -> ``planning.inventory.carried.Carried`` (ADR 0031, 0035)."""

LAUNCH_RATE = {"halves": int(pooled_rate.Launch.HALVES), "cohort": int(pooled_rate.Launch.COHORT)}
"""``--launch-rate`` -> ``planning.inventory.pooled_rate.Launch`` (ADR 0018, 0041)."""

UNDERSHOOT_DEFAULT = "renewal"
"""``--undershoot``'s default, the product's (``compute.Parameters.lot_undershoot``)."""

DAILY = Settings(
    window=30, cycle=7, refit_every=1, horizon=28, fit_window=730, undershoot_window=91
)
MONTHLY = Settings(
    window=12, cycle=1, refit_every=1, horizon=6, fit_window=24, undershoot_window=24
)
LOADERS: dict[str, Callable[[Path], data_sets.ReplayData]] = {
    "m5": data_sets.m5,
    "carparts": data_sets.carparts,
    "retail": data_sets.online_retail,
}


def inventory_at(curve: Sequence[Point], fill_rate: float) -> float | None:
    """Average units the curve needs at ``fill_rate`` (linear between its points)."""
    fills = np.array([p.fill_rate for p in curve])
    units = np.array([p.average_units for p in curve])
    if not fills.min() <= fill_rate <= fills.max():
        return None
    order = np.argsort(fills, kind="stable")
    return float(np.interp(fill_rate, fills[order], units[order]))


def past_lead_times(data: data_sets.ReplayData, delays: data_sets.Delays) -> FloatArray:
    """The supplier's observed lead times (older SCMS records), periods >= 1."""
    past = delays.before_median_date().in_periods(data.period)
    return np.maximum(data.stated_lead_time + past, 1).astype(np.float64)


def run_peers(
    data: data_sets.ReplayData, scenario: sim.Scenario, settings: Settings, factors: Sequence[float]
) -> dict[str, list[Point]]:
    curves: dict[str, list[Point]] = {"minmax_ma30": [], "minmax_velocity": []}
    for name, exclude in (("minmax_ma30", False), ("minmax_velocity", True)):
        for z in factors:
            planner = MovingAverageMinMax(
                history=data.history,
                window=settings.window,
                lead_time=data.stated_lead_time,
                cycle=settings.cycle,
                safety_factor=z,
                exclude_stockouts=exclude,
            )
            result, seconds = run(scenario, planner)
            curves[name].append(measure(name, z, result, seconds, TARGETS[1]))
    return curves


def run_oracle(scenario: sim.Scenario) -> Point:
    started = time.perf_counter()
    oracle = sim.perfect_foresight(scenario)
    result = sim.simulate(
        scenario, oracle.plan, initial_on_hand=oracle.initial_on_hand, keep_paths=True
    )
    return measure("oracle", 1.0, result, time.perf_counter() - started, 1.0)


@dataclass(frozen=True)
class Variant:
    """One way of running stockguard in the replay (module docstring)."""

    key: str
    label: str
    fill_rate_model: FillRateModel
    impute_stockouts: bool = False
    fixed_history: bool = False
    correct_bias: bool = False


PRODUCT = Variant("stockguard", "stockguard", FillRateModel.LOST_SALES)
BACKORDER = Variant("backorder", "backorder", FillRateModel.BACKORDER)
REPLAY_VARIANT = Variant("replay_variant", "replay variant", FillRateModel.LOST_SALES, True, True)
BIAS_DIAGNOSTIC = Variant(
    "bias_diagnostic", "bias-corrected", FillRateModel.LOST_SALES, correct_bias=True
)


def run_stockguard(
    data: data_sets.ReplayData,
    scenario: sim.Scenario,
    settings: Settings,
    lead_times: FloatArray,
    choices: Sequence[Choice],
    variant: Variant = PRODUCT,
) -> list[Point]:
    """stockguard at each target with the nominal fill rate of its choice."""
    points = []
    for choice in choices:
        planner = StockguardPolicy(
            history=data.history,
            fit=forecaster_fit(data.season_length, settings.fitted_horizon, settings.fit_window),
            fill_rate=choice.nominal,
            lead_times=lead_times,
            refit_every=settings.refit_every,
            cycle=settings.cycle,
            fill_rate_model=int(variant.fill_rate_model),
            history_window=settings.undershoot_window,
            impute_stockouts=variant.impute_stockouts,
            fixed_history=variant.fixed_history,
            correct_bias=variant.correct_bias,
            ended_empty_unobserved=settings.ended_empty_unobserved,
            bias_window=28 if data.period == "day" else 3,
            order_lead_times=scenario.lead_time if settings.growing_record else None,
            censor_open_orders=settings.censor_open_orders,
            emptying_day_lower_bound=settings.emptying_day_lower_bound,
            lost_sales_floor_at_mean=settings.lost_sales_floor_at_mean,
            history_lower_bound=settings.history_lower_bound,
            pooled_rates=settings.pooled_rates,
            group=departments(data),
            lot_undershoot=settings.lot_undershoot,
            common_shape=settings.common_shape,
            carried_shortage=settings.carried_shortage,
            launch=settings.launch,
        )
        result, seconds = run(scenario, planner)
        point = measure("stockguard", choice.target, result, seconds, choice.target)
        periods = data.replay.shape[1]
        bias = float(planner.expected[:, :periods].sum() / max(data.replay.sum(), 1e-9))
        points.append(
            replace(
                point,
                nominal=choice.nominal,
                distribution=choice.distribution,
                forecast_to_demand=bias,
                fits=planner.fits,
                fit_seconds=planner.fit_seconds,
                record_lead_time_mean=float(np.mean(planner.record_means)),
                pooled_share=float(np.mean(planner.pooled_share)) if planner.pooled_share else 0.0,
            )
        )
    return points


def departments(data: data_sets.ReplayData) -> npt.NDArray[np.int64]:
    """(n,) group per SKU for pooled rates: M5's department (``FOODS_3`` of
    ``FOODS_3_090_CA_3``), one group for data sets without categories."""
    parts = [str(name).split("_") for name in data.ids]
    if data.period != "day" or not all(len(p) >= 3 for p in parts):
        return np.zeros(data.n_sku, dtype=np.int64)
    names = ["_".join(p[:2]) for p in parts]
    codes = {name: code for code, name in enumerate(sorted(set(names)))}
    return np.array([codes[name] for name in names], dtype=np.int64)


def nominal_choices(targets: Sequence[float], variant: Variant) -> list[Choice]:
    """Nominal = target; the model's demand distribution named for the tables."""
    model = "NEGATIVE_BINOMIAL" if variant.fill_rate_model == FillRateModel.LOST_SALES else "NORMAL"
    return [Choice(t, model, t, float("nan")) for t in targets]


def summarise(
    stockguard: list[Point], curves: dict[str, list[Point]], oracle: Point
) -> dict[str, Any]:
    """Gaps and ratios per target, and the issue's keys."""
    rows = []
    for point in stockguard:
        peer_a = inventory_at(curves["minmax_ma30"], point.fill_rate)
        peer_b = inventory_at(curves["minmax_velocity"], point.fill_rate)
        units = point.average_units
        rows.append(
            {
                "target": point.parameter,
                "nominal_fill_rate": point.nominal,
                "distribution": point.distribution,
                "achieved_fill_rate": point.fill_rate,
                "gap_points": point.fill_rate - 100 * point.parameter,
                "share_skus_more_than_5_points_below": point.share_skus_below,
                "average_units": point.average_units,
                "minmax_ma30_units_at_same_fill_rate": peer_a,
                "ratio_vs_minmax_ma30": None if peer_a is None else units / peer_a,
                "minmax_velocity_units_at_same_fill_rate": peer_b,
                "ratio_vs_minmax_velocity": None if peer_b is None else units / peer_b,
                "ratio_vs_oracle": point.average_units / oracle.average_units,
            }
        )
    at_95 = next(row for row in rows if abs(row["target"] - 0.95) < 1e-9)
    peak = max(curves["minmax_ma30"], key=lambda p: p.fill_rate)
    bound = None
    if at_95["ratio_vs_minmax_ma30"] is None and at_95["achieved_fill_rate"] > peak.fill_rate:
        bound = at_95["average_units"] / peak.average_units
    return {
        "per_target": rows,
        "inventory_ratio_vs_minmax_at_95": at_95["ratio_vs_minmax_ma30"],
        "inventory_ratio_vs_minmax_at_95_upper_bound": bound,
        "inventory_ratio_vs_oracle_at_95": at_95["ratio_vs_oracle"],
        "fill_rate_gap_points": max(abs(row["gap_points"]) for row in rows),
        "minmax_ma30_highest_fill_rate": peak.fill_rate,
        "minmax_ma30_units_at_highest_fill_rate": peak.average_units,
    }


def load(key: str, data_dir: Path, window: str) -> data_sets.ReplayData:
    """The data set ``key``: its scored window, or the development window before it."""
    if window == "development":
        return DEVELOPMENT[key](data_dir)
    return LOADERS[key](data_dir)


def options(settings: Settings, args: argparse.Namespace) -> Settings:
    """``settings`` with the command line's choices applied."""
    if args.refit_every is not None:
        settings = replace(settings, refit_every=args.refit_every)
    if args.fit_window is not None:
        settings = replace(settings, fit_window=args.fit_window or None)
    if args.stockout_mask == "simulator":
        settings = replace(settings, ended_empty_unobserved=False)
    if args.emptying_day == "nan":
        settings = replace(settings, emptying_day_lower_bound=False)
    if args.lead_time_record == "fixed":
        settings = replace(settings, growing_record=False)
    if args.lead_time_record == "receipts":
        settings = replace(settings, censor_open_orders=False)
    if args.lost_sales_floor == "zero":
        settings = replace(settings, lost_sales_floor_at_mean=False)
    return demand_options(settings, args)


def demand_options(settings: Settings, args: argparse.Namespace) -> Settings:
    """``settings`` with the command line's choices of the demand model applied."""
    if args.lost_sales_history == "nan":
        settings = replace(settings, history_lower_bound=False)
    if args.pooled_rates == "off":
        settings = replace(settings, pooled_rates=False)
    if args.undershoot != UNDERSHOOT_DEFAULT:
        settings = replace(settings, lot_undershoot=args.undershoot == "lot")
    settings = replace(settings, common_shape=args.lumps == "group")
    if args.launch_rate is not None:
        settings = replace(settings, launch=LAUNCH_RATE[args.launch_rate])
    return replace(settings, carried_shortage=CYCLE_SHORTAGE[args.cycle_shortage])


def run_data_set(
    key: str, data_dir: Path, delays: data_sets.Delays, args: argparse.Namespace, console: Console
) -> dict[str, Any]:
    started = time.perf_counter()
    data = load(key, data_dir, args.window)
    settings = options(DAILY if data.period == "day" else MONTHLY, args)
    streams = np.random.SeedSequence([args.seed, list(LOADERS).index(key)]).spawn(2)
    scenario = data_sets.replay_scenario(data, delays, args.seed, list(LOADERS).index(key))
    curves = run_peers(data, scenario, settings, args.safety_factors)
    oracle = run_oracle(scenario)
    lead_times = past_lead_times(data, delays)
    runs = {
        variant.key: run_stockguard(
            data, scenario, settings, lead_times, nominal_choices(args.targets, variant), variant
        )
        for variant in (
            PRODUCT,
            *([] if args.product_only else [BACKORDER]),
            *([REPLAY_VARIANT] if args.replay_variant else []),
            *([BIAS_DIAGNOSTIC] if args.bias_diagnostic else []),
        )
    }
    labels = {x.key: x.label for x in (PRODUCT, BACKORDER, REPLAY_VARIANT, BIAS_DIAGNOSTIC)}
    calibration = None
    if args.calibrate:
        calibration = calibrate(
            data,
            lead_times=lead_times,
            past_delays=delays.before_median_date().in_periods(data.period),
            undershoot_window=settings.undershoot_window,
            targets=args.targets,
            refit_every=settings.refit_every,
            cycle=settings.cycle,
            horizon=settings.fitted_horizon,
            rng=np.random.default_rng(streams[1]),
            fit_window=settings.fit_window,
        )
        runs["calibrated"] = run_stockguard(
            data, scenario, settings, lead_times, calibration.choices, PRODUCT
        )
        labels["calibrated"] = "calibrated"
    summaries = {key: summarise(points, curves, oracle) for key, points in runs.items()}
    print_data_set(console, data, curves, oracle, runs, summaries, labels)
    if calibration is not None:
        print_calibration(console, data, calibration)
    summary = summaries[PRODUCT.key]
    return {
        "name": data.name,
        "n_sku": data.n_sku,
        "periods_replayed": int(data.replay.shape[1]),
        "period": data.period,
        "history_periods": int(data.history.shape[1]),
        "settings": asdict(settings),
        "stated_lead_time": data.stated_lead_time,
        "drawn_lead_time_mean": float(scenario.lead_time.mean()),
        "drawn_lead_time_p95": float(np.percentile(scenario.lead_time, 95)),
        "stockguard_lead_time_mean_std": [float(lead_times.mean()), float(lead_times.std())],
        "stockguard_lead_time_crossing_spread": lost_sales.crossing_spread(lead_times),
        "demand_units": float(data.replay.sum()),
        **summary,
        "stockguard": [asdict(p) for p in runs[PRODUCT.key]],
        **{
            key: {**summaries[key], "points": [asdict(p) for p in points]}
            for key, points in runs.items()
            if key != PRODUCT.key
        },
        "calibration": None if calibration is None else asdict(calibration),
        "peers": {name: [asdict(p) for p in curve] for name, curve in curves.items()},
        "oracle": asdict(oracle),
        "seconds": time.perf_counter() - started,
    }


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--datasets", nargs="+", choices=list(LOADERS), default=list(LOADERS), help="data sets"
    )
    parser.add_argument("--seed", type=int, default=SEED, help="seed of the lead-time draws")
    parser.add_argument(
        "--targets", nargs="+", type=float, default=list(TARGETS), help="fill-rate targets"
    )
    parser.add_argument(
        "--safety-factors",
        nargs="+",
        type=float,
        default=list(SAFETY_FACTORS),
        help="z values swept for the min/max peers",
    )
    parser.add_argument(
        "--replay-variant",
        action="store_true",
        help="also replay the lost-sales model as earlier sessions did (JSON replay_variant)",
    )
    parser.add_argument(
        "--bias-diagnostic",
        action="store_true",
        help="also replay the product's policy with its forecast scaled by the forecast's "
        "recent aggregate bias (JSON bias_diagnostic; a diagnostic, not the product)",
    )
    parser.add_argument(
        "--product-only",
        action="store_true",
        help="leave out the backorder rows (a quicker run when only the product's rows "
        "are compared)",
    )
    parser.add_argument(
        "--calibrate",
        action="store_true",
        help="also fit a nominal fill rate per target on the history (not what the product does)",
    )
    parser.add_argument(
        "--refit-every",
        type=int,
        default=None,
        help="periods between stockguard's forecasts (default 1: every period, as the "
        "product's planning run; earlier sessions replayed 28 days and 3 months)",
    )
    parser.add_argument(
        "--fit-window",
        type=int,
        default=None,
        help="periods of history each forecast is fitted on, 0 = all (default: 730 days, "
        "24 months: the product's --history-days)",
    )
    parser.add_argument(
        "--stockout-mask",
        choices=["ledger", "simulator"],
        default="ledger",
        help="which of stockguard's own periods it reads as unobserved: 'ledger' (default, "
        "as the product: periods that ended with nothing on hand, and those that lost "
        "demand) or 'simulator' (only periods that started empty or lost demand; earlier "
        "sessions)",
    )
    parser.add_argument(
        "--emptying-day",
        choices=["lower-bound", "nan"],
        default="lower-bound",
        help="how stockguard's forecast reads a stock-out period that sold s > 0 units: "
        "'lower-bound' (default, as the product: max(s, mean of the observed periods "
        "among the 28 before)) or 'nan' (unobserved, the rule before)",
    )
    parser.add_argument(
        "--lead-time-record",
        choices=["growing", "receipts", "fixed"],
        default="growing",
        help="stockguard's supplier record: 'growing' (default, as the product: the older "
        "SCMS records plus the receipts of its own orders so far and its open orders "
        "right-censored at their age, Kaplan-Meier), 'receipts' (the same without the "
        "open orders; the default before) or 'fixed' (the older records only; earlier "
        "sessions)",
    )
    parser.add_argument(
        "--lost-sales-floor",
        choices=("zero", "mean"),
        default="mean",
        help="lowest reorder point of the lost-sales model: 'mean' (default, as the "
        "product, ADR 0017: at least E[X], safety stock >= 0) or 'zero' (the "
        "equation's, at least 0)",
    )
    parser.add_argument(
        "--lost-sales-history",
        choices=("lower-bound", "nan"),
        default="lower-bound",
        help="how the lost-sales model's recent sales read a stock-out period that sold "
        "s > 0: 'lower-bound' (default, as the product's replenishment history since "
        "ADR 0018: max(s, m) as the forecast reads it) or 'nan' (the rule before)",
    )
    parser.add_argument(
        "--pooled-rates",
        choices=("on", "off"),
        default="on",
        help="'on' (default, as the product since ADR 0018): intermittent, lumpy and "
        "never-sold SKUs plan with pooled (empirical-Bayes) rates and their group's "
        "launch rate (services.replenishment.pooling); 'off': every SKU's forecast "
        "(the rule before)",
    )
    parser.add_argument(
        "--undershoot",
        choices=("renewal", "lot"),
        default=UNDERSHOOT_DEFAULT,
        help="the lost-sales model's review undershoot: 'renewal' (the limit of a large "
        "lot, lost_sales item 1) or 'lot' (the walk over each row's own lot, "
        "planning.inventory.undershoot, ADR 0023)",
    )
    parser.add_argument(
        "--lumps",
        choices=("own", "group"),
        default="group",
        help="the undershoot's lumps: 'group' (default, as the product since ADR 0028: "
        "each SKU's rate with its group's common negative-binomial shape, "
        "undershoot.common_shape_undershoot) or 'own' (each SKU's sample moments, the "
        "rule before)",
    )
    parser.add_argument(
        "--cycle-shortage",
        choices=tuple(CYCLE_SHORTAGE),
        default="carried-late-lots",
        help="the lost-sales cycle's shortage: 'carried-late-lots' (default, the "
        "product's since ADR 0035: ES(s) net of the late lots' own shortfall, the "
        "lead-time term alone read as normal beyond S), 'own' (ES(s), the rule before), "
        "'carried' (ES(s) - ES(s + Q + E[U])) or 'carried-lead-time' (only the lead-time "
        "term's part of X's tail netted out; ADR 0031's refused candidates); "
        "planning.inventory.carried",
    )
    parser.add_argument(
        "--launch-rate",
        choices=tuple(LAUNCH_RATE),
        default=None,
        help="the never-sold SKUs' launch rate: 'halves' (ADR 0018's: SKUs silent in the "
        "first half of the history, their demand in the second) or 'cohort' (ADR 0041: "
        "every origin's never-sold cohort over the lead time plus one review); default: "
        "the product's (planning.inventory.pooled_rate.LAUNCH_DEFAULT)",
    )
    parser.add_argument(
        "--window",
        choices=("scored", "development"),
        default="scored",
        help="'scored' (default): the windows the issue's targets are measured on; "
        "'development': the periods before each scored window, the scored periods "
        "dropped (M5 365 days, car parts 12 months, Online Retail 120 days), for "
        "decisions that must not be read off the scored window",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if not any(abs(t - 0.95) < 1e-9 for t in args.targets):
        parser.error("--targets must include 0.95 (the issue's ratio is taken there)")
    if args.refit_every is not None and args.refit_every < 1:
        parser.error("--refit-every must be at least 1 period")
    if args.fit_window is not None and args.fit_window < 0:
        parser.error("--fit-window must be 0 (all history) or a positive number of periods")
    return args


def finite(value: Any) -> Any:
    """``value`` with every NaN or infinite float replaced by None (strict JSON)."""
    if isinstance(value, dict):
        return {key: finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [finite(item) for item in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=190)
    started = time.perf_counter()
    try:
        delays = data_sets.scms_delays(args.data_dir)
        results = {
            key: run_data_set(key, args.data_dir, delays, args, console) for key in args.datasets
        }
    except DataMissingError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    print_summary(console, results)
    payload = {
        "benchmark": "inventory_replay",
        "seed": args.seed,
        "targets": list(args.targets),
        "safety_factors": list(args.safety_factors),
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "seconds": time.perf_counter() - started,
        "summary": {
            key: {
                name: result[name]
                for name in (
                    "inventory_ratio_vs_minmax_at_95",
                    "inventory_ratio_vs_minmax_at_95_upper_bound",
                    "inventory_ratio_vs_oracle_at_95",
                    "fill_rate_gap_points",
                )
            }
            for key, result in results.items()
        },
        "datasets": results,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(finite(payload), indent=2, allow_nan=False, default=str))
    console.print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
