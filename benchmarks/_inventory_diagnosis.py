"""Where stockguard's fill rate departs from its target in the replay: a decomposition.

    python benchmarks/_inventory_diagnosis.py [--data m5|carparts|retail]
        [--window development|scored] [--targets 0.9] [--demand-model now|before]
        [--undershoot renewal|lot] [--lumps own|group]

Replays the product's policy (``_inventory_policies.StockguardPolicy``, the settings of
``inventory_replay.py``) on M5 and records, every day for every SKU, the lost-sales
model's pieces (``PolicyTable``): protection demand ``X`` (mean, std), the lot
``Q + E[U]`` and the reorder point ``s``. From them, per SKU:

* ``predicted``: the model's own fill rate at the ``s`` it chose,
  ``beta(s) = (Q + E[U]) / (Q + E[U] + ES(s))`` (negative binomial ``ES``), averaged over
  the days weighted by the forecast's daily mean; ``target`` is what it aimed at. Their
  difference is what whole-unit rounding (the smallest whole ``s`` meeting the target)
  and the floor ``s >= E[X]`` add on the model's own terms;
* ``floored``: share of days whose ``s`` is the floor ``E[X]`` (the equation asked less);
* ``achieved``: the replay's fill rate; ``achieved - predicted`` is what the model
  misses about the replay (forecast, dispersion, undershoot, lead times).

Then (``report_undershoot``) the undershoot at the replay's own orders against the
model's ``E[U]`` and the walk over the lot's (``planning.inventory.undershoot``), the
lot, the history's rate against the window's and the forecast against the demand; and
(``report_ex_ante``) the same SKUs grouped by the rate known before the window, since
grouping by the demand that came selects the SKUs whose demand rose (docs/
replenishment.md, "Car parts' fast parts"). ``--undershoot lot`` replays ADR 0023's
candidate (a); ``--lumps own`` the rule before ADR 0028.

Pooled over SKUs with the demand as weight, per group of SKUs by daily demand. The
development window (default) replays the 365 days before the scored window, so what
is read here is not read off the window the targets are measured on.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

import _inventory_data as data_sets
import _inventory_policies as replay_policies
from _forecast_data import DEFAULT_DATA_DIR
from stockguard.planning import simulation as sim
from stockguard.planning.inventory import lost_sales, policies, pooled_rate, undershoot

FloatArray = npt.NDArray[np.float64]


RATE_EDGES: tuple[float, ...] = (0, 0.5, 1, 2, 5, 10, np.inf)
"""Edges of the demand-rate groups the tables print, units a period."""


def rate_bands(rate: np.ndarray) -> Iterator[tuple[float, float, np.ndarray]]:
    """(low, high, mask) per group of ``RATE_EDGES``: mask (n,) of ``low <= rate < high``."""
    for low, high in itertools.pairwise(RATE_EDGES):
        yield low, high, (rate >= low) & (rate < high)


def expected_shortage(mean: FloatArray, std: FloatArray, s: FloatArray) -> FloatArray:
    """``E[(X - s)^+]`` for a negative binomial (Poisson where var <= mean) ``X``."""
    var = std**2
    over = (var > mean * (1 + 1e-6)) & (mean > 0)
    p = np.where(over, mean / np.where(over, var, 1.0), 1.0)
    r = np.where(over, mean**2 / np.where(over, var - mean, 1.0), 1.0)
    nb = mean * stats.nbinom.sf(s - 1.0, r + 1.0, p) - s * stats.nbinom.sf(s, r, p)
    po = (mean - s) * stats.poisson.sf(s, mean) + mean * stats.poisson.pmf(s, mean)
    value = np.where(over, nb, po)
    return np.asarray(np.where(s < 0, mean - s, np.maximum(value, 0.0)), np.float64)


def late_lots_net_shortage(
    table: policies.PolicyTable, whole: FloatArray, late_std: FloatArray
) -> FloatArray:
    """The product's net cycle shortage at ``whole`` (ADR 0035, ``carried`` module):

        ES_net(s) = ES_X(s) - min( sigma_Z G((s + Q + E[U] - E[X]) / sigma_Z), ES_X(s + Q + E[U]) )

    ``G`` the standard normal loss function, ``sigma_Z = d sigma_LT,eff`` (``late_std``,
    (n,) units), ``X`` negative binomial (Poisson where var <= mean). (n,) units."""
    mean, std = table.protection_demand_mean, table.protection_demand_std
    top = whole + table.order_quantity + table.undershoot_mean
    safe = np.where(late_std > 0, late_std, 1.0)
    k = (top - mean) / safe
    normal = np.where(late_std > 0, safe * (stats.norm.pdf(k) - k * stats.norm.sf(k)), 0.0)
    carried = np.minimum(normal, expected_shortage(mean, std, top))
    return np.asarray(expected_shortage(mean, std, whole) - carried, np.float64)


LUMP_ADI = 1.32
"""Syntetos, Boylan & Croston (2005): mean interval between demands above which a
series is intermittent, periods."""
LUMP_CV2 = 0.49
"""Syntetos, Boylan & Croston (2005): squared coefficient of variation of the nonzero
demand sizes above which a series is erratic (lumpy with ``LUMP_ADI``)."""


def demand_classes(history: FloatArray) -> npt.NDArray[np.str_]:
    """Syntetos-Boylan-Croston class of each row's history (n, periods), NaN unobserved:
    ``ADI = observed periods / periods with demand``, ``CV^2 = Var / mean^2`` of the
    nonzero sizes; smooth (ADI < 1.32, CV^2 < 0.49), erratic (CV^2 >= 0.49),
    intermittent (ADI >= 1.32), lumpy (both); ``never`` without a sale. (n,) labels."""
    observed = np.isfinite(history)
    values = np.where(observed, history, 0.0)
    nonzero = values > 0
    count = nonzero.sum(axis=1)
    safe = np.maximum(count, 1)
    adi = observed.sum(axis=1) / safe
    size_mean = values.sum(axis=1) / safe
    size_var = (np.where(nonzero, values, 0.0) ** 2).sum(axis=1) / safe - size_mean**2
    cv2 = size_var / np.maximum(size_mean, 1e-12) ** 2
    label = np.where(
        adi < LUMP_ADI,
        np.where(cv2 < LUMP_CV2, "smooth", "erratic"),
        np.where(cv2 < LUMP_CV2, "intermittent", "lumpy"),
    )
    return np.asarray(np.where(count == 0, "never", label))


@dataclass
class Recorder:
    """Sums per SKU of the model's pieces over the days (weights: daily forecast)."""

    weight: list[FloatArray] = field(default_factory=list)
    predicted: list[FloatArray] = field(default_factory=list)
    floored: list[FloatArray] = field(default_factory=list)
    lot: list[FloatArray] = field(default_factory=list)
    mean: list[FloatArray] = field(default_factory=list)
    fractional: list[FloatArray] = field(default_factory=list)
    demand_mean: list[FloatArray] = field(default_factory=list)
    demand_variance: list[FloatArray] = field(default_factory=list)
    lead_part: list[FloatArray] = field(default_factory=list)
    under_variance: list[FloatArray] = field(default_factory=list)
    span: list[FloatArray] = field(default_factory=list)
    reorder: list[FloatArray] = field(default_factory=list)
    under_model: list[FloatArray] = field(default_factory=list)
    under_lot: list[FloatArray] = field(default_factory=list)
    history_rate: list[FloatArray] = field(default_factory=list)
    predicted_net: list[FloatArray] = field(default_factory=list)
    lead_share: list[FloatArray] = field(default_factory=list)
    dispersion: list[FloatArray] = field(default_factory=list)

    def add_terms(self, kwargs: dict[str, Any], table: policies.PolicyTable) -> None:
        """The variance terms of ``X``: demand over ``E[L] - 1`` periods, lead time, U."""
        mean = np.asarray(kwargs["demand_mean"], np.float64)
        lead = np.maximum(np.asarray(kwargs["lead_time_mean"], np.float64), 1.0)
        history = np.asarray(kwargs["demand_history"], np.float64)
        under_mean, under_var, _ = lost_sales._history_terms(
            history, mean, kwargs["history_window"], lead
        )
        daily = lost_sales._mean_over_first(mean, np.maximum(np.ceil(lead), 1.0))
        lead_part = daily**2 * table.lead_time_variance
        total = table.protection_demand_std**2
        self.demand_mean.append(table.protection_demand_mean - under_mean)
        self.demand_variance.append(np.maximum(total - lead_part - under_var, 0.0))
        self.lead_part.append(lead_part)
        self.under_variance.append(under_var)
        self.span.append(lead - 1.0)
        lot = np.asarray(kwargs["fixed_order_quantity"], np.float64)
        window = int(kwargs["history_window"])
        exact, _, done = undershoot.lot_undershoot_moments(
            sales=history, window=window, lot=lot, max_units=10_000
        )
        self.reorder.append(table.reorder_point)
        self.under_model.append(table.undershoot_mean)
        self.under_lot.append(np.where(done, exact, table.undershoot_mean))
        self.history_rate.append(np.nanmean(history[:, -window:], axis=1))
        whole = np.floor(table.reorder_point + 1e-9)
        cycle = table.order_quantity + table.undershoot_mean
        self.predicted_net.append(
            cycle / (cycle + late_lots_net_shortage(table, whole, np.sqrt(lead_part)))
        )
        self.lead_share.append(lead_part / np.maximum(total, 1e-12))
        self.dispersion.append(np.asarray(table.demand_dispersion, np.float64))

    def add(self, table: policies.PolicyTable, daily: FloatArray) -> None:
        mean, std = table.protection_demand_mean, table.protection_demand_std
        lot = table.order_quantity + table.undershoot_mean
        s = table.reorder_point
        whole = np.floor(s + 1e-9)  # the simulator orders when IP <= s: IP is whole
        short = expected_shortage(mean, std, whole)
        self.weight.append(daily)
        self.predicted.append(lot / (lot + short))
        self.floored.append(((np.abs(s - mean) < 1e-9) & (std > 0)).astype(np.float64))
        self.fractional.append(s - whole)
        self.lot.append(lot)
        self.mean.append(mean)


def run(
    key: str,
    window: str,
    targets: Sequence[float],
    before: bool = False,
    lot: bool = False,
    shape: bool = False,
    launch: int | None = None,
    refit_every: int | None = None,
) -> None:
    """Replay each target and print the decomposition tables (``launch``: a
    ``pooled_rate.Launch`` for the never-sold rows, None: the product's;
    ``refit_every``: periods between forecasts, None: the replay's, 1)."""
    import inventory_replay as replay  # the benchmark's settings and draws

    data = replay.load(key, DEFAULT_DATA_DIR, window)
    settings = replay.DAILY if data.period == "day" else replay.MONTHLY
    if refit_every is not None:
        settings = replace(settings, refit_every=refit_every)
    delays = data_sets.scms_delays(DEFAULT_DATA_DIR)
    scenario = data_sets.replay_scenario(data, delays, replay.SEED, list(replay.LOADERS).index(key))
    lead_times = replay.past_lead_times(data, delays)
    original = policies.compute_policies
    for target in targets:
        recorder = Recorder()

        def recording(recorder: Recorder = recorder, **kwargs: Any) -> policies.PolicyTable:
            table = original(**kwargs)
            mean = np.asarray(kwargs["demand_mean"])
            cycle = settings.cycle
            recorder.add(table, np.maximum(mean[:, :cycle].mean(axis=1), 0.0))
            recorder.add_terms(kwargs, table)
            return table

        policies.compute_policies = recording  # read by _inventory_policies
        try:
            planner = replay_policies.StockguardPolicy(
                history=data.history,
                fit=replay_policies.forecaster_fit(
                    data.season_length, settings.fitted_horizon, settings.fit_window
                ),
                fill_rate=target,
                lead_times=lead_times,
                refit_every=settings.refit_every,
                cycle=settings.cycle,
                history_window=settings.undershoot_window,
                order_lead_times=scenario.lead_time,
                pooled_rates=not before,
                history_lower_bound=not before,
                group=replay.departments(data),
                lot_undershoot=lot,
                common_shape=shape,
                launch=settings.launch if launch is None else launch,
            )
            result, _ = replay_policies.run(scenario, planner)
        finally:
            policies.compute_policies = original
        report(data, result, recorder, target)
        report_history_split(data, result, recorder, target)
        report_terms(data, recorder)
        report_undershoot(data, result, recorder)
        report_ex_ante(data, result, recorder)
        report_lumpiness(data, result, recorder, target)
        report_order_days(data, result, recorder, settings.cycle)


def report(
    data: data_sets.ReplayData, result: sim.ReplayResult, rec: Recorder, target: float
) -> None:
    """Per group of SKUs by daily demand: share of demand, achieved, predicted, floored."""
    w = np.stack(rec.weight[1:], axis=1)  # the first call is before the replay
    w = w / np.maximum(w.sum(axis=1, keepdims=True), 1e-12)
    predicted = (np.stack(rec.predicted[1:], axis=1) * w).sum(axis=1)
    floored = np.stack(rec.floored[1:], axis=1).mean(axis=1)
    fraction = np.stack(rec.fractional[1:], axis=1).mean(axis=1)
    demand, served = result.demand, result.served
    rate = demand / data.replay.shape[1]
    never = np.nansum(data.history, axis=1) == 0
    for label, rows in (("never sold before", never), ("sold before", ~never)):
        d = max(float(demand[rows].sum()), 1e-9)
        print(
            f"{label}: {int(rows.sum())} SKUs, {d / demand.sum():.3f} of demand, achieved "
            f"{served[rows].sum() / d:.4f}, predicted "
            f"{float((predicted[rows] * demand[rows]).sum() / d):.4f}"
        )
    total = demand.sum()
    print(
        f"\n{data.name}, target {target:.2f}: achieved {served.sum() / total:.4f}, "
        f"predicted {float((predicted * demand).sum() / total):.4f}"
    )
    print(
        "daily demand | SKUs | demand share | achieved | predicted | excess pts (share) "
        "| s at E[X] days | mean s - floor(s)"
    )
    for low, high, band in rate_bands(rate):
        rows = band & (demand > 0)
        if not rows.any():
            continue
        d = demand[rows].sum()
        achieved = served[rows].sum() / d
        pred = float((predicted[rows] * demand[rows]).sum() / d)
        excess = 100 * (served[rows].sum() - target * d) / total
        print(
            f"{low:>4}-{high:<4} | {rows.sum():4d} | {d / total:6.3f} | {achieved:.4f} | "
            f"{pred:.4f} | {excess:+.3f} | {floored[rows].mean():.3f} | "
            f"{fraction[rows].mean():.3f}"
        )


def report_history_split(
    data: data_sets.ReplayData, result: sim.ReplayResult, rec: Recorder, target: float
) -> None:
    """Where the gap to ``target`` sits: SKUs that never sold before the window and the
    others. Per part: share of demand, achieved, ``points`` = its share of demand times
    (target - achieved) (the parts' points add up to the data set's target - achieved),
    forecast in force / demand (the first forecast period of each plan, summed), the
    share of its lost units lost before its first receipt in the window (no stock had
    arrived yet) and in its first period with demand."""
    paths = result.paths
    assert paths is not None
    demand, served = result.demand, result.served
    days = data.replay.shape[1]
    forecast = np.stack(rec.weight[1 : days + 1], axis=1).sum(axis=1)
    lost = data.replay - paths.sales
    received = np.cumsum(paths.receipts, axis=1) > 0
    # on hand at the start of the window counts as received
    stocked = received | (paths.on_hand + paths.sales > 0)
    before_stock = np.cumsum(stocked, axis=1) == 0
    first = np.argmax(data.replay > 0, axis=1)
    first_period = np.zeros_like(lost, dtype=bool)
    first_period[np.arange(lost.shape[0]), first] = data.replay.max(axis=1) > 0
    never = np.nansum(data.history, axis=1) == 0
    total = demand.sum()
    print(
        "\nhistory before the window | SKUs | demand share | achieved | points of the gap "
        "| forecast / demand | lost before any stock | lost in the first period with demand"
    )
    for label, rows in (("never sold", never), ("sold", ~never)):
        d = max(float(demand[rows].sum()), 1e-9)
        gone = max(float(lost[rows].sum()), 1e-9)
        print(
            f"{label:>10} | {int(rows.sum()):5d} | {d / total:.3f} | {served[rows].sum() / d:.4f} "
            f"| {100 * (target * d - served[rows].sum()) / total:+.2f} "
            f"| {forecast[rows].sum() / d:.3f} | {lost[rows][before_stock[rows]].sum() / gone:.3f} "
            f"| {lost[rows][first_period[rows]].sum() / gone:.3f}"
        )


def demand_that_came(
    data: data_sets.ReplayData, rec: Recorder
) -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.int64]]:
    """Per SKU and plan (n, plans): the model's demand mean ``sum_{t < E[L] - 1} mu_t`` and
    variance over ``E[L] - 1`` periods, the demand that came over the same periods
    (NaN past the window's end) and the span ``E[L] - 1`` in whole periods."""
    demand = data.replay
    n_sku, days = demand.shape
    cum = np.concatenate([np.zeros((n_sku, 1)), np.cumsum(demand, axis=1)], axis=1)
    mean = np.stack(rec.demand_mean[1:], axis=1)
    var = np.stack(rec.demand_variance[1:], axis=1)
    span = np.rint(np.stack(rec.span[1:], axis=1)).astype(np.int64)
    t = np.arange(mean.shape[1])[None, :]
    end = t + 1 + span
    ok = end <= days
    rows = np.arange(n_sku)[:, None]
    came = np.where(ok, cum[rows, np.minimum(end, days)] - cum[rows, t + 1], np.nan)
    return mean, var, came, span


def report_terms(data: data_sets.ReplayData, rec: Recorder) -> None:
    """Forecast over ``E[L] - 1`` periods against the demand that came, per group: the
    bias (demand / forecast) and the demand part of ``Var[X]`` against the residuals'
    mean square, with the lead-time and undershoot variances beside them."""
    demand = data.replay
    days = demand.shape[1]
    mean, var, came, span = demand_that_came(data, rec)
    lead = np.stack(rec.lead_part[1:], axis=1)
    under = np.stack(rec.under_variance[1:], axis=1)
    rate = demand.sum(axis=1) / days
    print(
        "\ndaily demand | demand/forecast over E[L]-1 | residual MS / model demand var "
        "| model demand var | lead-time var | undershoot var"
    )
    for low, high, pick in rate_bands(rate):
        if not pick.any():
            continue
        m, v, c = mean[pick], var[pick], came[pick]
        good = np.isfinite(c) & (span[pick] > 0)
        if not good.any():  # E[L] - 1 rounds to 0 periods (car parts): nothing to compare
            print(
                f"{low:>4}-{high:<4} | n/a | n/a | {v.mean():10.1f} | "
                f"{lead[pick].mean():10.1f} | {under[pick].mean():8.1f}"
            )
            continue
        bias = c[good].sum() / max(m[good].sum(), 1e-9)
        ms = np.mean((c[good] - m[good]) ** 2)
        print(
            f"{low:>4}-{high:<4} | {bias:.3f} | {ms / max(v[good].mean(), 1e-9):.3f} | "
            f"{v[good].mean():10.1f} | {lead[pick].mean():10.1f} | {under[pick].mean():8.1f}"
        )


def report_undershoot(data: data_sets.ReplayData, result: sim.ReplayResult, rec: Recorder) -> None:
    """The undershoot at the replay's orders against the model's, per group.

    At a period ``t`` that orders, the position before the order, less the demand lost
    in that period, is the uncensored position ``y_t``; the realized undershoot is
    ``s_t - y_t`` against the reorder point set at ``t - 1`` (the column ADR 0028 read),
    and against the one in force at the order (``U vs s in force``: the simulator
    replans at the end of ``t``, after the day's demand, and orders with that plan, so
    the ``s`` it compares is ``rec[t + 1]``), the rise of ``s`` on the order day and the
    share of orders whose position was above the day before's ``s`` (triggered by ``s``
    rising; ADR 0031). Beside it: the
    model's ``E[U]`` (renewal law, ``lost_sales``), the finite-lot one
    (``undershoot.lot_undershoot_moments`` for the same lot and history), the history's
    mean demand per period against the replay's, and the lot."""
    paths = result.paths
    assert paths is not None
    demand = data.replay
    days = demand.shape[1]
    orders_placed = np.cumsum(paths.orders, axis=1)
    received = np.cumsum(paths.receipts, axis=1)
    on_order = orders_placed - paths.orders - received  # before the day's order
    position = paths.on_hand + on_order - (demand - paths.sales)
    s = np.stack(rec.reorder[:days], axis=1)  # rec[t] is set at the end of t - 1
    # the simulator replans at the end of t, after the day's demand, and orders with
    # that plan: the reorder point in force at t's order is rec[t + 1]
    s_used = np.stack(rec.reorder[1 : days + 1], axis=1)
    censored = paths.on_hand + on_order  # the position the order rule reads
    model = np.stack(rec.under_model[:days], axis=1)
    exact = np.stack(rec.under_lot[:days], axis=1)
    lot = np.stack(rec.lot[:days], axis=1) - model
    hist_rate = np.stack(rec.history_rate[:days], axis=1)
    ordered = paths.orders > 0
    realized = s - position
    rate = demand.sum(axis=1) / days
    print(
        "\ndaily demand | orders | realized U at orders | model E[U] | finite-lot E[U] "
        "| lot | history rate / replay rate | lost units share in order periods "
        "| forecast / demand | U vs s in force | rise of s at orders | share by s rising"
    )
    forecast = np.stack(rec.weight[1 : days + 1], axis=1).sum(axis=1)
    for low, high, rows in rate_bands(rate):
        pick = rows[:, None] & ordered
        if not pick.any():
            continue
        lost = demand - paths.sales
        print(
            f"{low:>4}-{high:<4} | {int(pick.sum()):6d} | {realized[pick].mean():7.2f} | "
            f"{model[pick].mean():7.2f} | {exact[pick].mean():7.2f} | {lot[pick].mean():6.2f} | "
            f"{hist_rate[rows].mean() / max(demand[rows].mean(), 1e-9):.3f} | "
            f"{lost[pick].sum() / max(lost[rows].sum(), 1e-9):.3f} | "
            f"{forecast[rows].sum() / max(demand[rows].sum(), 1e-9):.3f} | "
            f"{(s_used - position)[pick].mean():7.2f} | {(s_used - s)[pick].mean():7.2f} | "
            f"{(censored > np.floor(s + 1e-9))[pick].mean():.3f}"
        )


def report_ex_ante(data: data_sets.ReplayData, result: sim.ReplayResult, rec: Recorder) -> None:
    """Groups by the rate known before the replay (the mean of the last ``window``
    observed periods of history), not by the demand that came: grouping by the outcome
    puts the parts whose demand rose into the fast groups. Per group: demand share,
    fill rate achieved, forecast in force / demand (the first forecast period of each
    plan, summed over the replay), the history rate / the replay's rate."""
    demand, served = result.demand, result.served
    days = data.replay.shape[1]
    before = rec.history_rate[0]
    forecast = np.stack(rec.weight[1 : days + 1], axis=1).sum(axis=1)
    total = demand.sum()
    print(
        "\nrate before the replay | SKUs | demand share | achieved | forecast / demand | "
        "history rate / replay rate"
    )
    for low, high, rows in rate_bands(before):
        if not rows.any():
            continue
        d = max(float(demand[rows].sum()), 1e-9)
        print(
            f"{low:>4}-{high:<4} | {rows.sum():4d} | {d / total:6.3f} | "
            f"{served[rows].sum() / d:.4f} | "
            f"{forecast[rows].sum() / d:.3f} | {before[rows].sum() * days / d:.3f}"
        )


def report_lumpiness(
    data: data_sets.ReplayData, result: sim.ReplayResult, rec: Recorder, target: float
) -> None:
    """Per group of daily demand (the replay's) and of the history's demand class
    (``demand_classes``): demand share, achieved, the model's own fill rate at its ``s``
    with ``ES_X`` alone (``predicted``) and with the product's net shortage
    (``predicted net``, ADR 0035), both weighted as ``report``'s, the excess in points of
    the data set's fill rate, the lead-time term's share of ``Var[X]`` and ``phi_P``
    (means over days and SKUs)."""
    demand, served = result.demand, result.served
    days = data.replay.shape[1]
    w = np.stack(rec.weight[1:], axis=1)
    w = w / np.maximum(w.sum(axis=1, keepdims=True), 1e-12)
    plain = (np.stack(rec.predicted[1:], axis=1) * w).sum(axis=1)
    net = (np.stack(rec.predicted_net[1:], axis=1) * w).sum(axis=1)
    share = np.stack(rec.lead_share[1:], axis=1).mean(axis=1)
    phi = np.nanmean(np.stack(rec.dispersion[1:], axis=1), axis=1)
    classes = demand_classes(np.asarray(data.history, np.float64))
    rate = demand / days
    total = demand.sum()
    print(
        f"\n{data.name}, target {target:.2f}, by demand class of the history "
        "(ADI 1.32, CV^2 0.49)\ndaily demand | class | SKUs | demand share | achieved | "
        "predicted | predicted net | excess pts | lead-time share of Var[X] | phi_P "
        "| residual MS / model demand var | phi_P sets the demand var"
    )
    mean, var, came, span = demand_that_came(data, rec)
    by_phi = np.stack(rec.dispersion[1:], axis=1) * mean >= var * (1.0 - 1e-9)
    for low, high, band in rate_bands(rate):
        for label in ("smooth", "erratic", "intermittent", "lumpy", "never"):
            rows = band & (classes == label) & (demand > 0)
            if not rows.any():
                continue
            d = demand[rows].sum()
            print(
                f"{low:>4}-{high:<4} | {label:>12} | {rows.sum():4d} | {d / total:6.3f} | "
                f"{served[rows].sum() / d:.4f} | "
                f"{float((plain[rows] * demand[rows]).sum() / d):.4f} | "
                f"{float((net[rows] * demand[rows]).sum() / d):.4f} | "
                f"{100 * (served[rows].sum() - target * d) / total:+.3f} | "
                f"{share[rows].mean():.3f} | {np.nanmean(phi[rows]):.2f} | "
                f"{residual_ratio(mean[rows], var[rows], came[rows], span[rows]):.3f} | "
                f"{by_phi[rows].mean():.3f}"
            )


def report_order_days(
    data: data_sets.ReplayData, result: sim.ReplayResult, rec: Recorder, cycle: int
) -> None:
    """The forecast in force at the replay's orders against the demand that came, per
    group of ``report_lumpiness``: on a period ``t`` that orders, the plan set at the end
    of ``t`` (``rec[t + 1]``) forecasts ``d_t`` a period over the cycle; the demand that
    came over the ``H = E[L] + cycle`` periods after ``t`` (the lot's protection) is
    ``D_t``. Printed: ``sum_t H d_t / sum_t D_t`` over order periods (``at orders``)
    against the same over all periods (``all days``); above 1 the orders see a forecast
    that the demand after them does not bear out (plans whose ``H`` periods run past the
    window's end are left out)."""
    paths = result.paths
    assert paths is not None
    demand = data.replay
    n_sku, days = demand.shape
    cum = np.concatenate([np.zeros((n_sku, 1)), np.cumsum(demand, axis=1)], axis=1)
    forecast = np.stack(rec.weight[1 : days + 1], axis=1)
    span = np.rint(np.stack(rec.span[1 : days + 1], axis=1)).astype(np.int64)
    horizon = span + 1 + cycle
    t = np.arange(days)[None, :]
    end = t + 1 + horizon
    ok = end <= days
    rows = np.arange(n_sku)[:, None]
    came = np.where(ok, cum[rows, np.minimum(end, days)] - cum[rows, t + 1], 0.0)
    planned = np.where(ok, forecast * horizon, 0.0)
    ordered = (paths.orders > 0) & ok
    classes = demand_classes(np.asarray(data.history, np.float64))
    rate = result.demand / days
    print(
        "\ndaily demand | class | orders | forecast / demand after the order, at orders "
        "| all days | share of periods that order"
    )
    for low, high, band in rate_bands(rate):
        for label in ("smooth", "erratic", "intermittent", "lumpy", "never"):
            pick = band & (classes == label) & (result.demand > 0)
            if not pick.any():
                continue
            o = ordered[pick]
            print(
                f"{low:>4}-{high:<4} | {label:>12} | {int(o.sum()):6d} | "
                f"{planned[pick][o].sum() / max(came[pick][o].sum(), 1e-9):.3f} | "
                f"{planned[pick].sum() / max(came[pick].sum(), 1e-9):.3f} | {o.mean():.3f}"
            )


def residual_ratio(
    mean: FloatArray, var: FloatArray, came: FloatArray, span: npt.NDArray[np.int64]
) -> float:
    """``mean((came - mean)^2) / mean(var)`` over the plans whose ``E[L] - 1`` periods
    lie in the window (NaN where none): above 1 the model's demand variance is short of
    the forecast's errors, below 1 it over-states them."""
    good = np.isfinite(came) & (span > 0)
    if not good.any():
        return float("nan")
    return float(np.mean((came[good] - mean[good]) ** 2) / max(var[good].mean(), 1e-9))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", choices=("m5", "carparts", "retail"), default="m5")
    parser.add_argument(
        "--window",
        choices=("development", "scored"),
        default="development",
        help="development: the periods before each scored window (M5 365 days, car "
        "parts 12 months, Online Retail 120 days; inventory_replay.DEVELOPMENT)",
    )
    parser.add_argument("--targets", type=float, nargs="+", default=[0.90])
    parser.add_argument(
        "--demand-model",
        choices=("now", "before"),
        default="now",
        help="'now' (default): the product's demand model (pooled rates of slow SKUs, the "
        "emptying day as max(s, m) in the recent sales; ADR 0018); 'before': neither",
    )
    parser.add_argument(
        "--undershoot",
        choices=("renewal", "lot"),
        default="renewal",
        help="the lost-sales undershoot: renewal limit or the walk over the lot (ADR 0023)",
    )
    parser.add_argument(
        "--lumps",
        choices=("own", "group"),
        default="group",
        help="the undershoot's lumps: its group's common shape (default, the product's "
        "since ADR 0028) or each SKU's own (the rule before)",
    )
    parser.add_argument(
        "--launch-rate",
        choices=("halves", "cohort"),
        default=None,
        help="the never-sold rows' launch rate (inventory_replay --launch-rate; ADR 0041); "
        "default: the product's",
    )
    parser.add_argument(
        "--refit-every",
        type=int,
        default=None,
        help="periods between two forecasts (inventory_replay --refit-every; default 1): "
        "with 7 an order's plan seldom reads the day that triggered it (ADR 0042)",
    )
    args = parser.parse_args(argv)
    launch = None if args.launch_rate is None else int(pooled_rate.Launch[args.launch_rate.upper()])
    run(
        args.data,
        args.window,
        args.targets,
        args.demand_model == "before",
        args.undershoot == "lot",
        args.lumps == "group",
        launch,
        args.refit_every,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
