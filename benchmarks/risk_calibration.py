"""Calibration of the stock-out probability on replayed real demand (reliability table).

Each data set's real daily demand (M5 subset: last 365 days of 280 item x store series;
Online Retail: last 120 days of the 300 codes with the most sale days; ``_inventory_data``)
is replayed with lost sales by ``stockguard.planning.simulation`` against a min/max
policy (the velocity peer of benchmarks/inventory_replay.py: mean of the last 30 in-stock
days, ``min = a L + z sigma sqrt(L)`` with the stated lead time of 7 days and z = 1,
``max = min + 7 a``). Lead times are stochastic: 7 days plus a delay drawn, with a fixed
seed, from all real SCMS deliveries (floored at 1 day, orders may cross).

On every SKU-day (``_risk_replay``), with only what was known at the end of that day
(stock on hand, the open orders and their ages, the trailing 56 in-stock days of sales,
the lead-time distribution of the older half of the SCMS records, optionally weighted
toward recent deliveries with ``--half-life``, the policy's levels), models give the
probability that the SKU stocks out (demand of the days before the receipt arrives, the
receipt day's sales excluded, exceeds the stock on hand) before its next receipt; then
the replay shows whether it did:

* stockguard: what the product computes: the count model mixed over the horizon's own
  distribution, ``sum_k P(T = k) P(D(k) > a)``, ``D(k)`` with mean ``mu k`` and variance
  ``sigma^2 k + tau^2 k^2`` where ``tau^2 = sigma^2 / n + c^2 mu^2`` is the daily rate's
  own uncertainty: the sampling error of a mean of ``n`` in-stock days and the rate's
  drift ``c^2`` per velocity band, estimated as the product's refresh does
  (``planning.risk.drift.estimate_level_drift``, shrunk toward 0.04) on the last
  ``drift.HISTORY_DAYS`` days of each data set's history *before* the replayed window
  (``--drift`` sets one figure instead, ``--drift-bands 1`` pools the bands)
  (``planning.risk.probability.stockout_probability_over_horizons`` with a
  ``DemandSpread``; ADR 0013), then the isotonic
  recalibration map (``planning.risk.calibration``) fitted *prequentially*: the map
  used on the days ``t .. t + 6`` is fitted only on SKU-days whose receipt arrived by
  day ``t`` and predicted at least 28 days before it (their outcome known before ``t``);
  the identity until 2,000 are settled (``--min-settled``). With the forecast the
  daily variance ``sigma^2`` is the forecast's (mean squared p10-p90 spread) floored by
  the variance of the trailing 56 in-stock days' sales, ``max(sigma^2, s^2)``, as the
  product's refresh reads it since ADR 0027 (``planning.risk.spread``; ``--spread
  forecast``: the forecast's alone, the figure before);
* raw mixture: the same before recalibration;
* two moments: the former product figure, ``stockout_probability`` with the count
  model matched to ``E[T]`` and ``Var[T]``;
* peer, what a classic tool does: a normal demand over a fixed horizon (the stated lead
  time; the first open order's stated due day), ``1 - Phi((a - mu T) / (sigma sqrt T))``.

**The headline reads the product's own forecast** (``--demand forecast``, the default
since ADR 0025: the AutoForecaster on the observed history, censored and inferred
stock-out days unobserved; on day ``t`` the mean and the mean squared p10-p90 spread of
days ``t + 1 .. t + 14`` of the latest fit), refitted every ``--forecast-refit-every``
days: 1 by default, as a shop's daily planning run does (28 was the diagnostic's first
form). ``--demand trailing`` is the stand-in the headline used before ADR 0025: the
trailing 56-in-stock-day mean of the first paragraphs, with ``sigma^2`` their variance.
Fits are cached by their exact input
(``_risk_replay.FitCache``, on disk under ``--forecast-cache``): the history a fit sees
holds the replay's own stock-outs, which follow the seed's lead-time draws, so the
seeds share only the fits made before their masks differ; reruns share them all.

The trailing mean stood in for the product's forecast; both regress toward the level:
one that is low is more often low by chance than high, so what follows it runs above it.
The product's refresh can read its forecast's rate as ``b mu``, ``b`` the rate ratio of
``mu``'s velocity band (the drift's edges) measured on its own settled planning runs
against the ledger's in-stock sales (``services.risk.rate_ratio``, ADR 0022; off by
default, so the headline is ``--rate-ratio off``, ``b = 1``). ``--rate-ratio
prequential`` does the same with the stand-in: every 7 replay days ``b`` is refitted
(``planning.risk.rate_ratio.estimate_rate_ratio``,
shrunk toward 1 by 200 pseudo SKU-origins) on the stand-in's own estimates at weekly
origins of the previous 364 days whose next 14 days are known by then (the history
before the window included, as a shop with a year of stored runs has), in-stock days
only (``_risk_replay.prequential_rate_ratio``); the rate is ``b mu``, the variance
``b sigma^2``, the drift's band that of ``mu``. Comparison row: ``--rate-ratio
pre-window`` (ADR 0020's
diagnostic, formerly ``estimated``: one ``b`` for the whole replay, from full 70-day
windows of the raw history before it, ``_risk_replay.estimate_rate_ratio``; never with
``--demand forecast``). With ``--demand forecast`` the prequential ratio is read on the
forecast's own rates at replay origins only (no forecast exists at history origins
without refitting there), so it is 1 for the first 14 days of the replay.

``--pooled-rates on`` (ADR 0024; off by default, as in the product, whose
``refresh_risk(pooled_rates=True)`` turns it on): where the product's replenishment run
would pool a SKU's rate (slow and never-sold SKUs, ADR 0018), every stockguard figure
reads the pooled rate. Each replay day, the product's ``pooling.pool_demand`` gets the
91 days of sales a run reads (lower bound on the emptying day), the stand-in's rate
(or the forecast's) and the lead time's mean, grouped by M5's departments (one group for
Online Retail). The variance keeps the estimate's dispersion, ``sigma^2 x pooled / mu``
(``planning.risk.pooled``; ``--pooled-variance predictive``: the pooling's Poisson
variance, a comparison row). The peers keep the stand-in's own rate.

The trailing demand's inferred stock-out mask is refreshed every day, as a daily planning
run recomputes it. SKU-days whose outcome window (the days before the receipt) holds a
day of the real store's own stock-outs (a run of zero sales too long to be chance,
inferred over the whole series: the evaluator's hindsight, never shown to a model) are
left out and counted, like those without a receipt before the end: the replayed demand of
such a day is the 0 the store sold from an empty shelf, so the outcome is unknown, and
the demand estimate leaves the same days out (ADR 0019; ``--censored-outcomes score``
scores them as before).

Reliability table per model and data set (and pooled): bins of predicted probability
0.0-0.1, ..., 0.9-1.0; SKU-days in each, mean predicted, observed frequency, gap =
observed - mean predicted, in points. ``max_bin_gap_points`` is the largest |gap| over the
bins with at least ``--min-bin`` (200) SKU-days, pooled, for stockguard, on the headline
seed; the gap to the bin's centre is reported too (``max_bin_gap_to_centre_points``):
**that is the issue's wording** ("within 5 points of the bin's centre"), the gap to the
mean prediction the stricter test of calibration. The lead-time
draws change with the seed, and with them which SKUs wait on a very late order: every
figure is also computed for ``--more-seeds`` (1 2 3 4 by default) and the worst seed and
the mean over seeds are reported, the target being every seed, not one. Each bin also
carries its sampling sd, naive (``sqrt(f (1 - f) / n)``) and by receipt episode (the
SKU-days of one SKU waiting for one receipt share their outcome: a cluster-robust sd),
which is several times the naive one in the upper bins. Brier scores are printed for
every model. The recalibration's two settings (16 knots at most, a 28-day settling age)
were chosen after trying a few variants on this replay with the default seed; the map's
ends run to (0, 0) and (1, 1) beyond its outermost knots (ADR 0019: chosen from the
diagnosis that the flat top end capped calibrated predictions, not by trying values;
anchoring the top end only scored about the same).

    python benchmarks/risk_calibration.py [--data-dir DIR] [--datasets m5 retail]
        [--seed N] [--more-seeds N ...] [--safety-factor Z] [--min-bin N]
        [--demand trailing|forecast] [--forecast-refit-every DAYS]
        [--forecast-cache DIR|none] [--half-life DAYS] [--min-settled N] [--drift C2]
        [--drift-bands N] [--censored-outcomes skip|score]
        [--rate-ratio prequential|pre-window|off] [--pooled-rates on|off]
        [--pooled-variance dispersion|predictive] [--spread observed|forecast]
        [--no-order replay|known-wait|undershoot] [--order-state-maps on|off]
        [--settle stockout|receipt] [--dump-rows DIR] [--output FILE]

SKU-days with nothing on order are read as the product reads them, by default since ADR
0033 (``--no-order known-wait``: the wait's units known, ``P(D(L - 1) > s)``; ``ceil(s)``
before ADR 0030, one unit above the product's threshold); ``--no-order replay`` reads them
by the replay's form, the headline before ADR 0033 (the demand of a fixed wait for the
reorder point plus the lead time, ADR 0013), and ``--no-order undershoot``
adds the reorder point's undershoot, ``P(U + D(L - 1) > s)`` (``planning.risk.undershoot``;
ADR 0030: it failed the development seeds' rule, so it is off in the product and here).

``--order-state-maps on`` (ADR 0034; the default follows ``calibration.BY_ORDER_STATE``,
the product's): the prequential map carries one map per order state (an order open,
nothing on order), each refitted on its own state's settled SKU-days when they number at
least ``--min-settled``, the pooled map for a state with fewer; each SKU-day reads its
state's map. It failed the development seeds' rule (mean 6.83 -> 6.70, worst 7.89 ->
9.19, Online Retail 9.28 -> 9.88), so it is off here and the product's ``stockguard risk
calibrate`` stores the pooled map alone (its wiring per state is in the history at
commit 2a2e2f1).

``--settle stockout`` (ADR 0040; the default follows ``calibration.SETTLE_ON_STOCKOUT``,
the product's): a SKU-day enters the prequential map's fit from the earlier of its next
receipt's day and the day after its stock ran out before that receipt
(``risk_replay.outcome_days``: a stock-out is certain from the day it happens);
``--settle receipt``: from its next receipt's day alone. The 28-day age filter is the
same either way. It failed the development seeds' rule (mean 6.83 -> 6.97, Online Retail
9.28 -> 9.91), so it is off here and in the product.

Keys of benchmarks/results/risk_calibration.json: ``max_bin_gap_points`` (pooled,
stockguard, headline seed), ``max_bin_gap_points_worst_seed`` and ``worst_seed``,
``max_bin_gap_points_mean_over_seeds``, ``seeds`` (one line per seed: the max gaps of
every model, to the centre, per data set to the mean and to the centre, Brier),
``max_bin_gap_to_centre_points`` (and ``_worst_seed``; ``issue_target_key`` names it as
the issue's target), ``rate_ratio`` (prequential, pre-window or off) and
``pooled_rates`` (on or off), ``pooled_variance``, ``spread`` (observed or forecast),
``no_order``, ``order_state_maps`` (on or off), ``settle`` (stockout or receipt),
``datasets.<name>.pooled_share``
(share of the SKU-days after the warm-up read with a pooled or launch rate),
``datasets.<name>.rate_ratio`` (prequential: ``first_refit`` and ``last_refit`` with
edges, ``b`` per band and SKU-origins, ``refits``; pre-window: ``pre_window``),
``max_bin_gap_points_by_dataset``, ``peer_max_bin_gap_points``,
``max_bin_gap_points_before_recalibration`` (and ``_worst_seed``),
``two_moment_max_bin_gap_points``, ``min_bin_sku_days``, ``brier`` and, for the
headline seed, ``datasets.<name>.tables.<model>`` (rows with ``low``, ``high``,
``sku_days``, ``mean_predicted``, ``observed``, ``gap_points``,
``gap_to_centre_points``, ``sd_naive_points``, ``sd_episodes_points``, ``episodes``),
``datasets.<name>.level_drift_c2``, ``datasets.<name>.sku_days_dropped_censored_outcome``,
``censored_outcomes``, ``stockout_mask_every_days`` and
``max_bin_gap_points_independent_days`` (the
figure without the rate's uncertainty, before recalibration), ``demand_estimate``,
``forecast_refit_every_days`` (``--demand forecast`` only) and ``forecast_fits.<name>``
(fits run, ``cache_hits``, ``fit_seconds``, ``code_version``). About 15 seconds per seed
on 2 cores (75 s for five at a load of 1-2 with ``--rate-ratio off``; the prequential
refits of the rate ratio bring it to about 135 s at a load of 2-4, ``--pooled-rates on``
to about 125 s at a load of 3-4.5).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.table import Table
from scipy import stats

import _inventory_data as data_sets
import _risk_replay as risk_replay
from _forecast_data import DEFAULT_DATA_DIR, REPO, DataMissingError
from _inventory_policies import MovingAverageMinMax, forecaster_fit, run
from stockguard.planning import simulation as sim
from stockguard.planning.risk import calibration
from stockguard.planning.risk.drift import BANDS, HISTORY_DAYS, LevelDrift, estimate_level_drift
from stockguard.planning.risk.probability import stockout_probability

RESULTS = REPO / "benchmarks" / "results" / "risk_calibration.json"
FORECAST_CACHE = REPO / "benchmarks" / "results" / "cache" / "risk_forecast"
"""Default directory of ``--demand forecast``'s cached fits (git-ignored)."""
SEED = 20_261_125
MORE_SEEDS = (1, 2, 3, 4)
DEFAULT_SPREAD = "observed"
"""``--spread``'s default, the product's (ADR 0027: the floor is on by default)."""
"""Further lead-time draws: the target holds on every seed, not on one."""
EDGES = np.linspace(0.0, 1.0, 11)
MODELS = ("stockguard", "stockguard_raw", "two_moment", "normal_fixed_lead_time")
LABELS = {
    "stockguard": "stockguard",
    "stockguard_raw": "raw mixture",
    "two_moment": "two moments",
    "normal_fixed_lead_time": "normal fixed L",
}
RATE_RATIOS = ("prequential", "pre-window", "estimated", "off")
"""``--rate-ratio`` choices (``estimated`` is the former name of ``pre-window``)."""
DEFAULT_RATE_RATIO = "off"
"""The headline's rate ratio: what the product applies by default (ADR 0022)."""
DEFAULT_POOLED_RATES = "off"
"""The headline's pooling: what the product's refresh does by default (ADR 0024: off,
the adoption rule failed on the worst seed)."""
REFIT_EVERY = 7
"""Days between two refits of the prequential recalibration map."""
LOADERS: dict[str, Callable[[Path], data_sets.ReplayData]] = {
    "m5": data_sets.m5,
    "retail": data_sets.online_retail,
}


@dataclass
class RecordingPlanner:
    """The min/max planner, keeping the reorder point it set on each day."""

    planner: MovingAverageMinMax
    n_days: int
    reorder_point: Any = None
    kind: int = field(init=False)

    def __post_init__(self) -> None:
        self.kind = self.planner.kind
        self.reorder_point = np.zeros((self.planner.history.shape[0], self.n_days))

    def levels(self, state: sim.ReplayState | None) -> sim.PolicyLevels:
        levels = self.planner.levels(state)
        if state is not None:
            self.reorder_point[:, state.day] = levels.reorder_point
        return levels

    def __call__(self, state: sim.ReplayState) -> sim.PolicyLevels:
        return self.levels(state)


def normal_fixed_horizon(rows: risk_replay.SkuDays) -> Any:
    """The peer: ``P(N(mu T, sigma^2 T) > a)`` with the fixed horizon ``T``."""
    t = rows.fixed_horizon
    mean = rows.demand_mean * t
    std = np.sqrt(rows.demand_var * t)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (rows.available - mean) / std
    step = (mean > rows.available).astype(np.float64)
    return np.where(std > 0, stats.norm.sf(z), step)


def reliability(predicted: Any, observed: Any, min_bin: int) -> list[dict[str, Any]]:
    """One row per bin of ``EDGES`` (the last bin includes 1.0)."""
    index = np.clip(np.digitize(predicted, EDGES[1:-1]), 0, EDGES.size - 2)
    rows = []
    for b in range(EDGES.size - 1):
        inside = index == b
        count = int(inside.sum())
        mean = float(predicted[inside].mean()) if count else float("nan")
        freq = float(observed[inside].mean()) if count else float("nan")
        centre = 0.5 * (EDGES[b] + EDGES[b + 1])
        rows.append(
            {
                "low": float(EDGES[b]),
                "high": float(EDGES[b + 1]),
                "sku_days": count,
                "mean_predicted": mean,
                "observed": freq,
                "gap_points": 100 * (freq - mean),
                "gap_to_centre_points": 100 * (freq - centre),
                "counted": count >= min_bin,
            }
        )
    return rows


def max_gap(table: list[dict[str, Any]], key: str = "gap_points") -> float:
    gaps = [abs(row[key]) for row in table if row["counted"]]
    return max(gaps) if gaps else float("nan")


def replay_rows(
    key: str, data_dir: Path, delays: data_sets.Delays, args: argparse.Namespace
) -> tuple[
    data_sets.ReplayData,
    risk_replay.SkuDays,
    sim.ReplayResult,
    Any,
    float | LevelDrift,
    dict[str, Any] | None,
]:
    """Replay one data set and read back its SKU-days (and the drift and rate ratio the
    figure read)."""
    data = LOADERS[key](data_dir)
    scenario = data_sets.replay_scenario(data, delays, args.seed, list(LOADERS).index(key))
    planner = RecordingPlanner(
        MovingAverageMinMax(
            history=data.history,
            window=30,
            lead_time=data.stated_lead_time,
            cycle=7,
            safety_factor=args.safety_factor,
            exclude_stockouts=True,
        ),
        n_days=scenario.n_days,
    )
    result, _ = run(scenario, planner)  # type: ignore[arg-type]
    assert result.paths is not None
    past = delays.before_median_date()
    pmf = risk_replay.lead_time_pmf(
        data.stated_lead_time, past.days, recency_weights(past, args.half_life)
    )
    drift: float | LevelDrift = args.drift
    if args.drift < 0:
        recent = data.history[:, -HISTORY_DAYS:]  # what a refresh reads
        drift = estimate_level_drift(recent, bands=args.drift_bands)
    paths = result.paths
    initial_on_hand = np.ceil(planner.planner.levels(None).order_up_to)
    edges = drift.edges if isinstance(drift, LevelDrift) else np.zeros(0)
    ratio: dict[str, Any] | None = None
    ratio_of: Callable[[Any], Any] | None = None
    if args.rate_ratio == "pre-window" and args.demand == "trailing":
        fixed = risk_replay.estimate_rate_ratio(data.history[:, -HISTORY_DAYS:], edges)
        ratio, ratio_of = {"pre_window": fixed.to_json()}, fixed
    elif args.rate_ratio == "prequential":
        ratio = {"history_origins": args.demand == "trailing"}

        def ratio_of(mu: Any) -> Any:
            found = risk_replay.prequential_rate_ratio(
                data.history,
                paths,
                initial_on_hand,
                mu,
                edges,
                history_origins=args.demand == "trailing",
            )
            assert ratio is not None
            ratio["first_refit"] = found.fits[0][1].to_json()
            ratio["last_refit"] = {"day": found.fits[-1][0], **found.fits[-1][1].to_json()}
            ratio["refits"] = len(found.fits)
            return found.ratio

    pool: Callable[[Any, Any], risk_replay.PooledDemand] | None = None
    if args.pooled_rates == "on":
        group = risk_replay.departments(data.ids)
        lead_mean = float(np.arange(pmf.size) @ pmf)

        def pool(mu: Any, sigma2: Any) -> risk_replay.PooledDemand:
            return risk_replay.pooled_demand(
                data.history,
                paths,
                initial_on_hand,
                mu,
                sigma2,
                group=group,
                lead_time_mean=lead_mean,
                variance=args.pooled_variance,
            )

    rows = risk_replay.sku_days(
        scenario,
        result.paths,
        history=data.history,
        reorder_point=planner.reorder_point,
        initial_on_hand=initial_on_hand,
        pmf=pmf,
        stated=data.stated_lead_time,
        warm_up=7,
        drift=drift,
        fit=forecast_fit(key, data, args) if args.demand == "forecast" else None,
        forecast_refit_every=args.forecast_refit_every,
        impute_censored=args.censored == "impute",
        known_wait=args.no_order in ("known-wait", "undershoot"),
        undershoot=args.no_order == "undershoot",
        unknown_demand=(
            risk_replay.real_stockout_days(data.history, data.replay)
            if args.censored_outcomes == "skip"
            else None
        ),
        ratio_of=ratio_of,
        pool=pool,
        observed_spread=args.spread == "observed",
    )
    return data, rows, result, scenario.lead_time, drift, ratio


FORECAST_HORIZON = 49
"""Days the replay's forecast covers (``forecaster_fit``): the 14 read after a refit day
plus up to 35 more for the days until the next refit."""
FORECAST_CODE = [
    *sorted((REPO / "src" / "stockguard" / "planning" / "forecasting").glob("*.py")),
    REPO / "benchmarks" / "_inventory_policies.py",
]
"""Source files whose bytes version the forecast cache (``risk_replay.code_version``)."""


def forecast_fit(key: str, data: data_sets.ReplayData, args: argparse.Namespace) -> Any:
    """The product's forecast as ``--demand forecast`` fits it (``forecaster_fit``: the
    AutoForecaster on the whole observed history, 49 days ahead), read through the data
    set's ``risk_replay.FitCache``, shared by every seed of the run (``args.fit_caches``)
    and kept on disk under ``--forecast-cache`` (exact inputs only: cached and uncached
    runs give the same figures)."""
    cache = args.fit_caches.get(key)
    if cache is None:
        cache = risk_replay.FitCache(
            tag=f"{key}|season={data.season_length}|horizon={FORECAST_HORIZON}|window=all",
            version=risk_replay.code_version(FORECAST_CODE),
            directory=args.forecast_cache,
        )
        args.fit_caches[key] = cache
    return cache.wrap(forecaster_fit(data.season_length, FORECAST_HORIZON))


def inputs_vs_outcomes(rows: risk_replay.SkuDays) -> dict[str, Any]:
    """How the inputs compared with what happened, with and without an open order: mean
    horizon E[T] vs the days until the receipt, and units demanded before it vs
    ``mu`` times those days (a ratio above 1: demand ran above its estimate)."""
    found = {}
    for name, rows_of in (("open_order", rows.open_order), ("no_open_order", ~rows.open_order)):
        rate = np.sum(rows.demand_mean[rows_of] * rows.realized_horizon[rows_of])
        found[name] = {
            "sku_days": int(rows_of.sum()),
            "horizon_mean_days": float(rows.horizon_mean[rows_of].mean()),
            "realized_horizon_days": float(rows.realized_horizon[rows_of].mean()),
            "demand_realized_over_estimated": float(rows.demand_before[rows_of].sum() / rate),
        }
    return found


def recency_weights(past: data_sets.Delays, half_life: float) -> Any:
    """Weight ``0.5 ** (age / half_life)`` of each past delivery, its age in days before
    the newest one (equal weights when ``half_life <= 0``)."""
    if half_life <= 0:
        return None
    age = (past.scheduled.max() - past.scheduled).days.to_numpy(dtype=np.float64)
    return 0.5 ** (age / half_life)


def prequential(
    predicted: Any,
    observed: Any,
    day: Any,
    settled_day: Any,
    min_settled: int,
    open_order: Any = None,
) -> tuple[Any, int]:
    """Predictions recalibrated by an isotonic map refitted every ``REFIT_EVERY`` days on
    the SKU-days settled (receipt arrived, ``settled_day <= t``) before the first day
    ``t`` of the block and predicted at least ``calibration.SETTLE_AGE_DAYS`` before it
    (as ``stockguard risk calibrate`` does); the identity while fewer than
    ``min_settled`` are settled. With the (n,) order states ``open_order`` the map
    carries one map per state (``calibration.fit_by_order_state``, ADR 0034: each state
    with at least ``min_settled`` settled SKU-days of its own, the pooled map for the
    other) and each SKU-day reads its state's. Returns the
    recalibrated (n,) probabilities and the SKU-days a fitted map was applied to."""
    out = np.array(predicted, dtype=np.float64, copy=True)
    mapped = 0
    for first in range(0, int(day.max(initial=0)) + 1, REFIT_EVERY):
        block = (day >= first) & (day < first + REFIT_EVERY)
        if not block.any():
            continue
        settled = (settled_day <= first) & (day <= first - calibration.SETTLE_AGE_DAYS)
        if open_order is None:
            fitted = calibration.fit_isotonic(
                predicted[settled], observed[settled], min_settled=min_settled
            )
        else:
            fitted = calibration.fit_by_order_state(
                predicted[settled], observed[settled], open_order[settled], min_settled=min_settled
            )
        if fitted.settled:
            state = None if open_order is None else open_order[block]
            out[block] = fitted(predicted[block], state)
            mapped += int(block.sum())
    return out, mapped


def predictions(
    rows: risk_replay.SkuDays,
    min_settled: int,
    by_order_state: bool = False,
    settle_on_stockout: bool = False,
) -> tuple[dict[str, Any], int]:
    """Each model's (n,) probability of the SKU-days; stockguard's through the
    prequential map, whose fit reads a row from its receipt's day or, with
    ``settle_on_stockout`` (ADR 0040), from the day its outcome is known at the earliest
    (``SkuDays.outcome_day``). Returns them and the SKU-days a fitted map was applied to."""
    raw = np.where(rows.available <= 0, 1.0, rows.mixed)
    recalibrated, mapped = prequential(
        raw,
        rows.stocked_out.astype(np.float64),
        rows.day,
        rows.outcome_day if settle_on_stockout else rows.settled_day,
        min_settled,
        rows.open_order if by_order_state else None,
    )
    return {
        "stockguard": recalibrated,
        "stockguard_raw": raw,
        "two_moment": stockout_probability(
            rows.available, rows.demand_mean, rows.demand_var, rows.horizon_mean, rows.horizon_var
        ),
        "normal_fixed_lead_time": normal_fixed_horizon(rows),
    }, mapped


def dump_rows(folder: Path, key: str, rows: risk_replay.SkuDays, predicted: dict[str, Any]) -> None:
    """Write the headline seed's SKU-days of data set ``key`` to ``folder/<key>.npz`` (the
    inputs and outcome of every kept row, ``risk_replay.SkuDays``, and stockguard's
    probability before and after the map) for a diagnosis of the bins (ADR 0027's)."""
    folder.mkdir(parents=True, exist_ok=True)
    fields = {
        name: getattr(rows, name)
        for name in (
            "sku",
            "day",
            "settled_day",
            "outcome_day",
            "available",
            "demand_mean",
            "demand_var",
            "horizon_mean",
            "horizon_var",
            "realized_horizon",
            "demand_before",
            "stocked_out",
            "open_order",
        )
    }
    np.savez(
        folder / f"{key}.npz",
        **fields,
        raw=predicted["stockguard_raw"],
        shown=predicted["stockguard"],
    )


def print_table(console: Console, title: str, tables: dict[str, list[dict[str, Any]]]) -> None:
    table = Table(title=title)
    table.add_column("bin")
    for model in MODELS:
        for column in ("SKU-days", "mean", "obs.", "gap"):
            table.add_column(f"{LABELS[model]} {column}", justify="right")
    for b in range(EDGES.size - 1):
        cells = [f"{EDGES[b]:.1f}-{EDGES[b + 1]:.1f}"]
        for model in MODELS:
            row = tables[model][b]
            mark = "" if row["counted"] else "*"
            cells += [
                f"{row['sku_days']:,}",
                f"{row['mean_predicted']:.3f}" if row["sku_days"] else "-",
                f"{row['observed']:.3f}" if row["sku_days"] else "-",
                f"{row['gap_points']:+.1f}{mark}" if row["sku_days"] else "-",
            ]
        table.add_row(*cells)
    console.print(table)


def summarise(
    predicted: dict[str, Any], observed: Any, min_bin: int, cluster: Any
) -> dict[str, Any]:
    tables = {model: reliability(predicted[model], observed, min_bin) for model in MODELS}
    for model in MODELS:
        add_sampling_sd(tables[model], predicted[model], observed, cluster)
    return {
        "sku_days": int(observed.size),
        "observed_stockout_share": float(observed.mean()),
        "tables": tables,
        "max_bin_gap_points": {model: max_gap(tables[model]) for model in MODELS},
        "max_bin_gap_to_centre_points": {
            model: max_gap(tables[model], "gap_to_centre_points") for model in MODELS
        },
        "brier": {model: float(np.mean((predicted[model] - observed) ** 2)) for model in MODELS},
    }


def add_sampling_sd(
    table: list[dict[str, Any]], predicted: Any, observed: Any, cluster: Any
) -> None:
    """Sampling sd of each bin's observed frequency, in points, added to its row.

    Naive (independent SKU-days): ``sqrt(f (1 - f) / n)``. By receipt episode
    (``episodes``; the SKU-days of one episode share their outcome):
    ``sqrt(sum_c (sum_{i in c} (y_i - p_i))^2) / n``, the cluster-robust sd of the gap.
    The number of episodes in the bin is kept too."""
    index = np.clip(np.digitize(predicted, EDGES[1:-1]), 0, EDGES.size - 2)
    for b, row in enumerate(table):
        inside = index == b
        n = int(inside.sum())
        if n == 0:
            row.update(sd_naive_points=float("nan"), sd_episodes_points=float("nan"), episodes=0)
            continue
        f = float(observed[inside].mean())
        ids, which = np.unique(cluster[inside], return_inverse=True)
        residual = np.bincount(which, weights=observed[inside] - predicted[inside])
        row.update(
            sd_naive_points=100 * float(np.sqrt(f * (1 - f) / n)),
            sd_episodes_points=100 * float(np.sqrt(np.sum(residual**2)) / n),
            episodes=int(ids.size),
        )


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument(
        "--datasets", nargs="+", choices=list(LOADERS), default=list(LOADERS), help="data sets"
    )
    parser.add_argument(
        "--seed", type=int, default=SEED, help="seed of the lead-time draws (the headline)"
    )
    parser.add_argument(
        "--more-seeds",
        type=int,
        nargs="*",
        default=list(MORE_SEEDS),
        help="further seeds, replayed the same way for the worst and the mean over seeds "
        "(none: --more-seeds with no value)",
    )
    parser.add_argument(
        "--safety-factor", type=float, default=1.0, help="z of the replayed min/max policy"
    )
    parser.add_argument(
        "--min-bin", type=int, default=200, help="SKU-days a bin needs to count in the max gap"
    )
    parser.add_argument(
        "--demand",
        choices=("trailing", "forecast"),
        default="forecast",
        help="demand estimate: the product's AutoForecaster refitted every "
        "--forecast-refit-every days (mean and p10-p90 spread of the next 14 days; the "
        "headline, ADR 0025), or the trailing 56 in-stock days (the stand-in before it)",
    )
    parser.add_argument(
        "--forecast-refit-every",
        type=int,
        default=1,
        help="days between two refits of --demand forecast's AutoForecaster (default 1: "
        "daily, as a shop's planning run refits; 28 was the diagnostic's first form)",
    )
    parser.add_argument(
        "--forecast-cache",
        type=Path,
        default=FORECAST_CACHE,
        help="directory of --demand forecast's fits, keyed by data set, settings, code "
        "version, day and the exact observed history (git-ignored); 'none': memory only",
    )
    parser.add_argument(
        "--no-order",
        choices=("replay", "known-wait", "undershoot"),
        default="known-wait",
        help="SKU-days with nothing on order: the product's figure (the default since ADR "
        "0033: the wait for the reorder point as known demand, P(D(L - 1) > s)), or the "
        "replay's mixture over the wait plus the lead time (the headline before), or the "
        "product's figure with the reorder point's undershoot U (ADR 0030: "
        "P(U + D(L - 1) > s), planning.risk.undershoot)",
    )
    parser.add_argument(
        "--censored",
        choices=("drop", "impute"),
        default="drop",
        help="stock-out days in the trailing demand: left out (as the product's forecast "
        "does), or read as max(sales, estimate in force) (a diagnostic)",
    )
    parser.add_argument(
        "--censored-outcomes",
        choices=("skip", "score"),
        default="skip",
        help="SKU-days whose outcome window holds a day of the real store's inferred "
        "stock-outs (its replayed demand is the 0 sold from an empty shelf): left out as "
        "unknown (default), or scored with that 0 as demand (before ADR 0019)",
    )
    parser.add_argument(
        "--half-life",
        type=float,
        default=0.0,
        help="recency half-life (days) of the past deliveries in the lead-time pmf; 0: equal",
    )
    parser.add_argument(
        "--min-settled",
        type=int,
        default=calibration.MIN_SETTLED,
        help="settled SKU-days the recalibration map needs (identity before)",
    )
    parser.add_argument(
        "--settle",
        choices=("stockout", "receipt"),
        default="stockout" if calibration.SETTLE_ON_STOCKOUT else "receipt",
        help="stockout: a SKU-day enters the recalibration map's fit from the earlier of its "
        "next receipt's day and the day after its stock ran out (ADR 0040); receipt: from "
        "its next receipt's day alone. Default: the product's (calibration.SETTLE_ON_STOCKOUT)",
    )
    parser.add_argument(
        "--order-state-maps",
        choices=("on", "off"),
        default="on" if calibration.BY_ORDER_STATE else "off",
        help="on: the recalibration map carries one map per order state (an order open, "
        "nothing on order), each fitted on its own state's settled SKU-days when they "
        "number at least --min-settled, the pooled map otherwise (ADR 0034, "
        "calibration.fit_by_order_state); off: one pooled map. Default: the product's "
        "(calibration.BY_ORDER_STATE)",
    )
    parser.add_argument(
        "--drift",
        type=float,
        default=-1.0,
        help="squared relative drift c^2 of the demand rate (level term c^2 mu^2 t^2); "
        "negative (default): estimated on each data set's history before the replay",
    )
    parser.add_argument(
        "--drift-bands",
        type=int,
        default=BANDS,
        help="velocity bands of the estimated c^2 (1: one pooled figure per data set)",
    )
    parser.add_argument(
        "--rate-ratio",
        choices=RATE_RATIOS,
        default=DEFAULT_RATE_RATIO,
        help="the rate ratio b per velocity band of the trailing mean: prequential (as "
        "the product's refresh estimates it, ADR 0022: refitted every 7 replay days on "
        "the stand-in's own estimates whose 14 days after are known, over the last 364 "
        "days), pre-window (ADR 0020: fixed, from the history before the replay; "
        "'estimated' is its former name), or off (b = 1)",
    )
    parser.add_argument(
        "--pooled-rates",
        choices=("on", "off"),
        default=DEFAULT_POOLED_RATES,
        help="on: where the product's replenishment run would pool a SKU's rate (slow and "
        "never-sold SKUs, ADR 0018; groups: M5's departments, one group for Online "
        "Retail) the figure reads the pooled rate, as the refresh does with "
        "refresh_risk(pooled_rates=True) (ADR 0024); off (default, the product's "
        "default): the demand estimate's own rate everywhere",
    )
    parser.add_argument(
        "--pooled-variance",
        choices=("dispersion", "predictive"),
        default="dispersion",
        help="per-day variance of a pooled row: the estimate's own dispersion at the pooled "
        "rate (sigma^2 rate / mu, as the refresh stores it, ADR 0024), or the pooling's "
        "negative binomial predictive variance (Poisson units; a comparison row)",
    )
    parser.add_argument(
        "--spread",
        choices=["forecast", "observed"],
        default=DEFAULT_SPREAD,
        help="daily variance sigma^2 of --demand forecast: the forecast's p10-p90 spread "
        "read as normal, or that floored by the variance of the last 56 in-stock days' "
        "sales, max(sigma^2, s^2) (ADR 0027, planning.risk.spread)",
    )
    parser.add_argument(
        "--dump-rows",
        type=Path,
        default=None,
        help="folder: write the headline seed's SKU-days per data set (inputs, outcome, "
        "probability before and after the map) as <data set>.npz, for a diagnosis",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.rate_ratio == "estimated":
        args.rate_ratio = "pre-window"
    if args.forecast_refit_every < 1:
        parser.error("--forecast-refit-every must be at least 1 day")
    if str(args.forecast_cache).lower() == "none":
        args.forecast_cache = None
    args.fit_caches = {}
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


def run_seed(
    seed: int, delays: data_sets.Delays, args: argparse.Namespace, console: Console, show: bool
) -> dict[str, Any]:
    """Every data set replayed with the lead-time draws of ``seed``, pooled; the tables
    are printed when ``show``. Returns the per-data-set and pooled summaries."""
    datasets: dict[str, Any] = {}
    pooled_predicted: dict[str, list[Any]] = {model: [] for model in MODELS}
    pooled_observed: list[Any] = []
    pooled_cluster: list[Any] = []
    seed_args = argparse.Namespace(**{**vars(args), "seed": seed})
    for index, key in enumerate(args.datasets):
        begun = time.perf_counter()
        data, rows, result, lead, drift, ratio = replay_rows(key, args.data_dir, delays, seed_args)
        predicted, mapped = predictions(
            rows, args.min_settled, args.order_state_maps == "on", args.settle == "stockout"
        )
        if show and args.dump_rows is not None:
            dump_rows(args.dump_rows, key, rows, predicted)
        cluster = episodes(rows, index)
        summary = summarise(predicted, rows.stocked_out, args.min_bin, cluster)
        if show:
            print_table(
                console, f"{data.name}: P(stock-out before next receipt)", summary["tables"]
            )
        for model in MODELS:
            pooled_predicted[model].append(predicted[model])
        pooled_observed.append(rows.stocked_out)
        pooled_cluster.append(cluster)
        datasets[key] = {
            "name": data.name,
            "n_sku": data.n_sku,
            "days_replayed": int(data.replay.shape[1]),
            "fill_rate": 100 * result.total_fill_rate,
            "drawn_lead_time_mean": float(lead.mean()),
            "level_drift_c2": drift.to_json() if isinstance(drift, LevelDrift) else drift,
            "rate_ratio": ratio,
            "pooled_share": rows.pooled_share,
            "sku_days_with_open_order": int(rows.open_order.sum()),
            "sku_days_recalibrated": mapped,
            "inputs_vs_outcomes": inputs_vs_outcomes(rows),
            "sku_days_dropped_no_receipt_before_end": rows.dropped_unknown,
            "sku_days_dropped_censored_outcome": rows.dropped_censored_outcome,
            "sku_days_already_out_left_out": rows.already_out,
            "already_out_with_loss_before_receipt": [
                rows.already_out_stocked_out,
                rows.already_out_known,
            ],
            "max_bin_gap_points_independent_days": max_gap(
                reliability(rows.mixed_days_only, rows.stocked_out, args.min_bin)
            ),
            **summary,
            "seconds": time.perf_counter() - begun,
        }
    pooled = summarise(
        {model: np.concatenate(pooled_predicted[model]) for model in MODELS},
        np.concatenate(pooled_observed),
        args.min_bin,
        np.concatenate(pooled_cluster),
    )
    if show:
        print_table(console, "Pooled: P(stock-out before next receipt)", pooled["tables"])
    return {"datasets": datasets, "pooled": pooled}


def episodes(rows: risk_replay.SkuDays, dataset: int) -> Any:
    """(n,) cluster id of each SKU-day: its data set, SKU and the day its next receipt
    came. The SKU-days waiting for one receipt share most of their outcome (a late order
    leaves every day before it short), so they are one draw, not many."""
    return (dataset * 10**6 + rows.sku) * 10**4 + rows.settled_day


def seed_line(seed: int, found: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of one seed (pooled and per data set)."""
    pooled = found["pooled"]
    return {
        "seed": seed,
        "max_bin_gap_points": pooled["max_bin_gap_points"]["stockguard"],
        "max_bin_gap_to_centre_points": pooled["max_bin_gap_to_centre_points"]["stockguard"],
        "max_bin_gap_points_before_recalibration": pooled["max_bin_gap_points"]["stockguard_raw"],
        "two_moment_max_bin_gap_points": pooled["max_bin_gap_points"]["two_moment"],
        "peer_max_bin_gap_points": pooled["max_bin_gap_points"]["normal_fixed_lead_time"],
        "max_bin_gap_points_by_dataset": {
            key: value["max_bin_gap_points"]["stockguard"]
            for key, value in found["datasets"].items()
        },
        "max_bin_gap_to_centre_points_by_dataset": {
            key: value["max_bin_gap_to_centre_points"]["stockguard"]
            for key, value in found["datasets"].items()
        },
        "brier": pooled["brier"]["stockguard"],
    }


def print_seeds(console: Console, lines: list[dict[str, Any]]) -> None:
    table = Table(title="Max |gap| over bins (points), pooled, per seed of the lead-time draws")
    columns = (
        ("stockguard", "max_bin_gap_points"),
        ("to bin centre", "max_bin_gap_to_centre_points"),
        ("raw mixture", "max_bin_gap_points_before_recalibration"),
        ("two moments", "two_moment_max_bin_gap_points"),
        ("normal fixed L", "peer_max_bin_gap_points"),
    )
    table.add_column("seed")
    for label, _ in columns:
        table.add_column(label, justify="right")
    table.add_column("per data set (stockguard, to mean / to centre)")
    table.add_column("Brier", justify="right")
    for line in lines:
        by = ", ".join(
            f"{k} {v:.1f} / {line['max_bin_gap_to_centre_points_by_dataset'][k]:.1f}"
            for k, v in line["max_bin_gap_points_by_dataset"].items()
        )
        cells = [f"{line[key]:.1f}" for _, key in columns]
        table.add_row(str(line["seed"]), *cells, by, f"{line['brier']:.4f}")
    for name, pick in (("worst", max), ("mean", lambda v: sum(v) / len(v))):
        cells = [f"{pick([line[key] for line in lines]):.1f}" for _, key in columns]
        table.add_row(name, *cells, "", "")
    console.print(table)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    console = Console(width=170)
    started = time.perf_counter()
    seeds = list(dict.fromkeys([args.seed, *args.more_seeds]))
    found: dict[int, dict[str, Any]] = {}
    try:
        delays = data_sets.scms_delays(args.data_dir)
        for seed in seeds:
            found[seed] = run_seed(seed, delays, args, console, show=seed == args.seed)
    except DataMissingError as error:
        console.print(f"[red]{error}[/red]")
        return 2
    lines = [seed_line(seed, found[seed]) for seed in seeds]
    print_seeds(console, lines)
    for key, cache in args.fit_caches.items():
        console.print(
            f"forecast of {key}, refitted every {args.forecast_refit_every} days: "
            f"{cache.misses} fits in {cache.fit_seconds:.1f} s, {cache.hits} read from the "
            "cache (same input exactly)"
        )
    head, pooled = lines[0], found[args.seed]["pooled"]
    worst = max(lines, key=lambda line: line["max_bin_gap_points"])
    console.print(
        f"max |gap| over bins with >= {args.min_bin} SKU-days (* = fewer, not counted), pooled, "
        f"seed {args.seed}: stockguard {head['max_bin_gap_points']:.1f} points (to the bin "
        f"centre {head['max_bin_gap_to_centre_points']:.1f}); worst of {len(seeds)} seeds "
        f"{worst['max_bin_gap_points']:.1f} (seed {worst['seed']}). Bins hold SKU-days that "
        "share receipts: the sd columns of the JSON give the sampling sd per bin, naive and "
        "by receipt episode."
    )
    centre_worst = max(lines, key=lambda line: line["max_bin_gap_to_centre_points"])
    console.print(
        "[bold]The issue's target[/bold] (\"the observed frequency is within 5 points of the "
        "bin's centre\") is the gap to the bin's CENTRE, max_bin_gap_to_centre_points: "
        f"{head['max_bin_gap_to_centre_points']:.2f} on seed {args.seed}, worst of "
        f"{len(seeds)} seeds {centre_worst['max_bin_gap_to_centre_points']:.2f} (seed "
        f"{centre_worst['seed']}). max_bin_gap_points is the gap to the bin's MEAN "
        f"prediction ({head['max_bin_gap_points']:.2f}), the stricter test of calibration "
        "but not the issue's wording."
    )
    payload = {
        "benchmark": "risk_calibration",
        "seed": args.seed,
        "seeds": lines,
        "safety_factor": args.safety_factor,
        "min_bin_sku_days": args.min_bin,
        "demand_estimate": args.demand,
        "forecast_refit_every_days": (
            args.forecast_refit_every if args.demand == "forecast" else None
        ),
        "forecast_fits": {key: cache.to_json() for key, cache in args.fit_caches.items()},
        "censored_outcomes": args.censored_outcomes,
        "stockout_mask_every_days": risk_replay.MASK_EVERY,
        "max_bin_gap_points": head["max_bin_gap_points"],
        "max_bin_gap_to_centre_points": head["max_bin_gap_to_centre_points"],
        "issue_target_key": "max_bin_gap_to_centre_points",
        "rate_ratio": (
            args.rate_ratio
            if args.demand == "trailing" or args.rate_ratio != "pre-window"
            else "off"
        ),
        "pooled_rates": args.pooled_rates,
        "pooled_variance": args.pooled_variance,
        "spread": args.spread,
        "no_order": args.no_order,
        "order_state_maps": args.order_state_maps,
        "settle": args.settle,
        "max_bin_gap_points_worst_seed": worst["max_bin_gap_points"],
        "worst_seed": worst["seed"],
        "max_bin_gap_points_mean_over_seeds": float(
            np.mean([line["max_bin_gap_points"] for line in lines])
        ),
        "max_bin_gap_to_centre_points_worst_seed": max(
            line["max_bin_gap_to_centre_points"] for line in lines
        ),
        "max_bin_gap_points_by_dataset": head["max_bin_gap_points_by_dataset"],
        "max_bin_gap_points_before_recalibration": head["max_bin_gap_points_before_recalibration"],
        "max_bin_gap_points_before_recalibration_worst_seed": max(
            line["max_bin_gap_points_before_recalibration"] for line in lines
        ),
        "two_moment_max_bin_gap_points": head["two_moment_max_bin_gap_points"],
        "peer_max_bin_gap_points": head["peer_max_bin_gap_points"],
        "half_life_days": args.half_life,
        "min_settled": args.min_settled,
        "brier": pooled["brier"],
        "pooled": pooled,
        "datasets": found[args.seed]["datasets"],
        "machine": {"python": sys.version.split()[0], "platform": platform.platform()},
        "seconds": time.perf_counter() - started,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(finite(payload), indent=2, allow_nan=False, default=str))
    console.print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
