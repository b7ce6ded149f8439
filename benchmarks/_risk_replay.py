"""SKU-days of a replay, what was known on each, and whether a stock-out followed.

For benchmarks/risk_calibration.py. A replay (``stockguard.planning.simulation``, kept
paths) is read back day by day; at the end of day ``t`` of SKU ``i`` the planner knows:

* ``a``: units on hand after the day's sales;
* its open orders: each placed at the end of day ``p`` (age ``g = t - p``) and not yet
  received, so its lead time ``L`` exceeds ``g``;
* the demand it has seen: sales of the last ``DEMAND_WINDOW`` in-stock days (history,
  then the replay; stock-out days are left out, their demand is censored);
* the lead-time distribution of the supplier's past (``lead_time_pmf``), never the
  draws of the replay;
* its min/max levels (the policy's reorder point ``s``).

The next receipt refills the shelf at the start of day ``r``; the demand of the days
``t + 1 .. r - 1`` (``T = r - t - 1`` days) is served from ``a``. The SKU-day *stocks out*
when that demand exceeds ``a`` (some demand is lost before the receipt). ``T`` is known
to the planner only in distribution:

* with open orders: ``T = min_j (L_j - g_j - 1)``, the orders' lead times independent and
  conditioned on ``L_j > g_j``: ``P(T >= k) = prod_j S(g_j + k) / S(g_j)`` with
  ``S(x) = P(L > x)``; ``E[T] = sum_{k>=1} P(T >= k)``,
  ``E[T^2] = sum_{k>=1} (2k - 1) P(T >= k)``;
* the policy's next order comes too: it orders once the position ``IP`` falls below
  ``s``, after about ``w = ceil(max(0, (IP - s) / mu))`` days (all the horizon when
  ``mu = 0``), and that order takes ``L``: it ends the horizon at ``w + L - 1`` unless an
  open order comes first, so every row's ``P(T >= k)`` carries the factor
  ``P(L > k - w)``. Without open orders ``T = w + L - 1``. (Supplier lead times here can
  be as short as one day, so a later order does overtake a late one.)

Besides the moments (what ``stockout_probability`` takes), the distribution of ``T`` itself
is kept for a second figure, the mixture ``sum_k P(T = k) P(D(k) > a)``: supplier lead
times here put a fifth of their mass on one day, an atom two moments cannot carry.

Rows are dropped (and counted) when no receipt arrives before the replay ends (the
outcome is unknown), when the shelf is already empty (``a = 0``: out of stock now, not
a forecast), and on the first ``warm_up`` days (the first order's cycle). With
``unknown_demand`` (``real_stockout_days``), rows whose outcome window ``t + 1 .. r - 1``
holds a day on which the real store's sales were censored are dropped too (and counted):
the replayed "demand" of such a day is the 0 the store sold with an empty shelf, not
demand, so whether the SKU-day stocked out is unknown; the demand estimate leaves the
same days out for the same reason.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from stockguard.planning import simulation as sim
from stockguard.planning.forecasting.censoring import infer_stockouts
from stockguard.planning.forecasting.lower_bound import DEFAULT_WINDOW, emptying_day_demand
from stockguard.planning.inventory.lost_sales import HISTORY_WINDOW
from stockguard.planning.inventory.pooled_rate import RateSource
from stockguard.planning.risk import rate_ratio
from stockguard.planning.risk.drift import PRIOR_ORIGINS, LevelDrift
from stockguard.planning.risk.pooled import pooled_rate_and_variance
from stockguard.planning.risk.probability import (
    DemandSpread,
    level_variance,
    stockout_probability_over_horizons,
)
from stockguard.planning.risk.rate_ratio import RateRatio
from stockguard.planning.risk.spread import floored_variance
from stockguard.planning.risk.undershoot import undershoot_moments
from stockguard.services.replenishment import pooling

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
DEMAND_WINDOW = 56
MASK_EVERY = 1
"""Days between two refreshes of the inferred stock-out mask of the trailing demand: every
day, as a shop's daily planning run recomputes it (``services.queries.demand_panel``) and
the risk refresh reads the latest run. It was 28 until ADR 0019: between two refreshes
the zero days of a new run of the real store's stock-outs counted as observed demand."""
FORECAST_REFIT_EVERY = 28
"""Days between two refits of the forecast of ``--demand forecast`` by default (the
diagnostic's first form; ``--forecast-refit-every 1`` refits daily as a shop's planning
run does: one AutoForecaster fit took 0.13 s on M5's 279 series and 0.08 s on Online
Retail's 300 on 2026-11-25 at a load of 1.3-2.2, so a daily refit adds about a minute a
seed: five seeds took 6 min 43 s against 64 s refitting every 28 days)."""
FORECAST_AHEAD = 14


@dataclass(frozen=True)
class SkuDays:
    """One row per kept SKU-day (all (n,) arrays).

    Attributes:
        available: ``a``, units on hand at the end of the day.
        demand_mean, demand_var: trailing in-stock daily sales mean (units/day) and
            variance (units^2/day).
        horizon_mean, horizon_var: ``E[T]`` days and ``Var[T]`` days^2 (module docstring).
        fixed_horizon: the classic tool's ``T``: days to the first open order's stated
            due day (``p + stated - t - 1``, at least 0) or ``stated - 1`` without one.
        open_order: the SKU had an open order.
        mixed: ``sum_k P(T = k) P(D(k) > a)``: the same count model, mixed over the
            horizon's own distribution instead of matched to its two moments.
        demand_before: units demanded before the next receipt (the outcome's basis).
        realized_horizon: days of demand before it, ``r - t - 1``.
        stocked_out: the demand before the next receipt exceeded ``a`` (the outcome).
        dropped_unknown: SKU-days left out because no receipt came before the end.
        already_out: SKU-days left out because the shelf was already empty (``a = 0``:
            the risk state is "out of stock", ``P`` is 1 by definition).
        already_out_known, already_out_stocked_out: of those, with a receipt before the
            end, and with demand lost before it.
        day: the replay day ``t`` of the prediction; settled_day: the day ``r`` its next
            receipt arrived, from which the outcome is known (the prequential
            recalibration of ``risk_calibration`` only fits on rows with ``r <= t``).
        outcome_day: the day from which the outcome is known at the earliest
            (``outcome_days``, ADR 0040): the day after the first day ``d`` on which the
            demand since ``t`` exceeded ``a`` (a stock-out, certain from then on), else
            ``r``; never after ``settled_day``.
        dropped_censored_outcome: SKU-days left out because their outcome window holds
            a day of the real store's stock-outs (``real_stockout_days``).
        pooled_share: share of the SKU-days after the warm-up whose rate was pooled or
            a launch rate (``pooled_demand``; 0 without pooling).
    """

    available: FloatArray
    demand_mean: FloatArray
    demand_var: FloatArray
    horizon_mean: FloatArray
    horizon_var: FloatArray
    fixed_horizon: FloatArray
    open_order: BoolArray
    stocked_out: BoolArray
    dropped_unknown: int
    mixed: FloatArray
    demand_before: FloatArray
    realized_horizon: FloatArray
    already_out: int
    already_out_stocked_out: int
    already_out_known: int
    day: IntArray
    settled_day: IntArray
    mixed_days_only: FloatArray
    sku: IntArray
    outcome_day: IntArray
    dropped_censored_outcome: int = 0
    pooled_share: float = 0.0


def real_stockout_days(history: FloatArray, demand: FloatArray) -> BoolArray:
    """(n_sku, n_days) replayed days whose demand the data does not show: the real store's
    inferred stock-out runs (``forecasting.censoring.infer_stockouts``, the product's rule
    for a sales-only history) over the whole series, history (n_sku, n_hist) then the
    replayed demand (n_sku, n_days), read on the replayed columns.

    The evaluator's hindsight (the whole series), used only to decide which outcomes are
    known; no model sees it. Example: a series selling about every day that shows 40
    zero days in a row has those 40 days flagged."""
    full = np.concatenate([history, demand], axis=1)
    return np.asarray(infer_stockouts(y=full)[:, history.shape[1] :], dtype=np.bool_)


def estimate_rate_ratio(
    history: FloatArray,
    edges: FloatArray,
    *,
    ahead: int = rate_ratio.AHEAD,
    every: int = 7,
    prior_origins: float = PRIOR_ORIGINS,
) -> RateRatio:
    """``b`` per band of the trailing mean, from a history before the replayed window
    (``--rate-ratio pre-window``, ADR 0020: fixed for the whole replay).

    At origins ``t`` every ``every`` days with ``DEMAND_WINDOW`` days behind and
    ``ahead`` days after, all observed (no NaN), per series: the trailing mean ``m`` and
    the ``ahead`` days' sales, handed to the product's estimator
    (``planning.risk.rate_ratio.estimate_rate_ratio``: per band of ``m``,
    ``b = (F + k m_bar) / (M + k m_bar)``, shrunk toward 1 by ``k = prior_origins``
    pseudo SKU-origins, the drift's 200). ``history``: (n_series, n_days) units/day, NaN
    where not observed.

    Example: 200 SKU-origins with m = 1 and 1.3 a day after in one band, k = 200:
    b = (260 + 200) / (200 + 200) = 1.15.
    """
    values = np.asarray(history, dtype=np.float64)
    seen = np.isfinite(values)
    zeros = np.zeros((values.shape[0], 1))
    total = np.concatenate([zeros, np.cumsum(np.where(seen, values, 0.0), axis=1)], axis=1)
    count = np.concatenate([zeros, np.cumsum(seen, axis=1, dtype=np.float64)], axis=1)
    window = DEMAND_WINDOW
    rates, came = [np.zeros(0)], [np.zeros((0, ahead))]
    for t in range(window, values.shape[1] - ahead + 1, every):
        ok = (count[:, t] - count[:, t - window] == window) & (
            count[:, t + ahead] - count[:, t] == ahead
        )
        rates.append((total[ok, t] - total[ok, t - window]) / window)
        came.append(values[ok, t : t + ahead])
    realised = np.concatenate(came)
    return rate_ratio.estimate_rate_ratio(
        estimated_rate=np.concatenate(rates),
        realised=realised,
        in_stock=np.ones(realised.shape, dtype=bool),
        edges=edges,
        prior_origins=prior_origins,
    )


@dataclass(frozen=True)
class PrequentialRatio:
    """The rate ratio the replay's stand-in reads on each day (``prequential_rate_ratio``).

    Attributes:
        ratio: (n_sku, n_days) ``b`` applied to the trailing mean of each SKU-day.
        fits: (refit day, ``RateRatio``) of every refit, in order.
    """

    ratio: FloatArray
    fits: list[tuple[int, RateRatio]]


def prequential_rate_ratio(
    history: FloatArray,
    paths: sim.ReplayPaths,
    initial_on_hand: FloatArray,
    mu: FloatArray,
    edges: FloatArray,
    *,
    ahead: int = rate_ratio.AHEAD,
    every: int = 7,
    days: int = 364,
    history_origins: bool = True,
) -> PrequentialRatio:
    """``b`` per band as the product estimates it (``services.risk.refresh``, ADR 0022),
    refitted every ``every`` replay days from the stand-in's own past estimates.

    At the end of replay day ``T`` (every ``every`` days) the estimate in force on days
    ``T .. T + every - 1`` is fitted on the origins ``c = T - ahead - every j`` (j >= 0)
    of the last ``days`` days whose ``ahead`` days after are all known by ``T``: before
    the window too, as a shop with a year of stored daily runs has them. Each origin's
    estimate is the stand-in's trailing mean at that origin (``mu`` (n_sku, n_days) in
    the replay; on the history, the same mean of the last ``DEMAND_WINDOW`` in-stock days
    under the history's inferred stock-out mask); the days after count only when in
    stock, under the mask known at ``T`` (the replay's own stock-outs and the inferred
    ones of ``forecasting.censoring.infer_stockouts`` on the sales known then), as the
    product's ledger panel leaves out-of-stock days out. Outcomes after ``T`` are never
    read (prequential). ``history_origins=False`` uses replay origins only (``b = 1``
    until the first 14 days are known): for ``--demand forecast``, whose estimates
    exist only on the replay's days."""
    sales = paths.sales
    n_sku, n_days = sales.shape
    before = np.concatenate([initial_on_hand[:, None], paths.on_hand[:, :-1]], axis=1)
    empty = before + paths.receipts <= 0
    censored = np.where(paths.stocked_out | empty, np.nan, sales)
    values = np.concatenate([history, censored], axis=1)
    offset = history.shape[1]
    masked_history = np.where(infer_stockouts(y=history), np.nan, history)
    history_means: dict[int, FloatArray] = {}
    ratio = np.ones((n_sku, n_days))
    fits: list[tuple[int, RateRatio]] = []
    for first in range(0, n_days, every):
        end = offset + first  # column of the end of replay day ``first``
        known = values[:, : end + 1]
        observed = np.where(infer_stockouts(y=known), np.nan, known)
        lowest = offset if not history_origins else DEMAND_WINDOW
        columns = [c for c in range(end - ahead, end - days - 1, -every) if c >= lowest]
        rates, came = [np.zeros(0)], [np.zeros((0, ahead))]
        for c in columns:
            if c >= offset:
                rates.append(mu[:, c - offset])
            else:
                if c not in history_means:
                    history_means[c] = _trailing_mean(masked_history[:, : c + 1])
                rates.append(history_means[c])
            came.append(observed[:, c + 1 : c + 1 + ahead])
        realised = np.concatenate(came)
        fitted = rate_ratio.estimate_rate_ratio(
            estimated_rate=np.concatenate(rates),
            realised=realised,
            in_stock=np.isfinite(realised),
            edges=edges,
        )
        block = slice(first, min(first + every, n_days))
        ratio[:, block] = fitted(mu[:, block])
        fits.append((first, fitted))
    return PrequentialRatio(ratio, fits)


def _trailing_mean(block: FloatArray) -> FloatArray:
    """(n,) mean of the last ``DEMAND_WINDOW`` finite values of each row of ``block``
    (0 without any), as ``trailing_demand`` reads its estimate."""
    usable = np.isfinite(block)
    rank = np.cumsum(usable[:, ::-1], axis=1)[:, ::-1]
    used = usable & (rank <= DEMAND_WINDOW)
    count = np.maximum(used.sum(axis=1), 1)
    return np.asarray(np.where(used, block, 0.0).sum(axis=1) / count, dtype=np.float64)


def _touches(flags: BoolArray, first: IntArray, end: IntArray) -> BoolArray:
    """(n_sku, n_days) whether ``flags[i, first[i, t] .. end[i, t] - 1]`` holds a True
    (empty windows: False), from cumulative counts."""
    n_sku, n_days = flags.shape
    counts = np.concatenate([np.zeros((n_sku, 1)), np.cumsum(flags, axis=1)], axis=1)
    rows = np.arange(n_sku)[:, None]
    lo = np.minimum(first, n_days)
    hi = np.clip(end, lo, n_days)
    return np.asarray(counts[rows, hi] - counts[rows, lo] > 0, dtype=np.bool_)


def lead_time_pmf(
    stated: int, past_delays: IntArray, weights: FloatArray | None = None
) -> FloatArray:
    """pmf of ``L = max(stated + delay, 1)`` over 0..max, from the supplier's past delays,
    each counted with its weight (``weights``, e.g. a recency decay; equal by default)."""
    lead = np.maximum(stated + past_delays, 1)
    w = np.ones(lead.size) if weights is None else np.asarray(weights, dtype=np.float64)
    return np.asarray(np.bincount(lead, weights=w) / w.sum(), dtype=np.float64)


def trailing_demand(
    history: FloatArray,
    paths: sim.ReplayPaths,
    initial_on_hand: FloatArray,
    *,
    impute_censored: bool = False,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(n_sku, n_days) mean and variance of the last ``DEMAND_WINDOW`` in-stock days'
    sales up to and including each replay day (history NaN = not on sale, skipped), and
    how many days they were read from (at most ``DEMAND_WINDOW``).

    A day is in stock when demand did not exceed the stock and the day began with some
    stock: a day that began empty shows no sale whatever the demand (censored). As the
    product's forecast does, runs of zero sales too long to be chance for the series
    (``forecasting.censoring.infer_stockouts``: stock-outs of the real store, which the
    sales history carries) are left out too; that mask is refreshed every
    ``MASK_EVERY`` days (every day, as a daily planning run does) from the sales known
    then.

    ``impute_censored`` (a diagnostic, not what the product's forecast does): a censored
    replay day is read as ``max(sales, m)`` with ``m`` the estimate in force the day
    before (its demand was at least its sales), instead of being left out; leaving them
    out drops the days whose demand exceeded the stock, the high ones."""
    sales = paths.sales
    n_sku, n_days = sales.shape
    before = np.concatenate([initial_on_hand[:, None], paths.on_hand[:, :-1]], axis=1)
    empty = before + paths.receipts <= 0
    past = history[:, -DEMAND_WINDOW * 6 :]
    censored = paths.stocked_out | empty
    values = np.concatenate([past, np.where(censored, np.nan, sales)], axis=1)
    offset = past.shape[1]
    in_force = np.nan_to_num(np.nanmean(past[:, -DEMAND_WINDOW:], axis=1))
    mean = np.zeros((n_sku, n_days))
    var = np.zeros((n_sku, n_days))
    used_days = np.zeros((n_sku, n_days))
    masked = values
    for day in range(n_days):
        if impute_censored:
            guess = np.maximum(sales[:, day], in_force)
            values[:, offset + day] = np.where(censored[:, day], guess, values[:, offset + day])
        if day % MASK_EVERY == 0:
            known = values[:, : offset + day + 1]
            masked = np.where(infer_stockouts(y=known), np.nan, known)
        block = np.concatenate(
            [
                masked[:, : min(masked.shape[1], offset + day + 1)],
                values[:, masked.shape[1] : offset + day + 1],
            ],
            axis=1,
        )
        usable = np.isfinite(block)
        rank = np.cumsum(usable[:, ::-1], axis=1)[:, ::-1]
        used = usable & (rank <= DEMAND_WINDOW)
        count = np.maximum(used.sum(axis=1), 1)
        m = np.where(used, block, 0.0).sum(axis=1) / count
        v = np.where(used, (block - m[:, None]) ** 2, 0.0).sum(axis=1) / np.maximum(count - 1, 1)
        mean[:, day], var[:, day], used_days[:, day] = m, v, used.sum(axis=1)
        in_force = m
    return mean, var, used_days


def departments(ids: npt.NDArray[np.str_]) -> IntArray:
    """(n,) pooling group per SKU: M5's department (``FOODS_3`` of ``FOODS_3_090_CA_3``,
    the shop's category of the replay; the same rule as ``inventory_replay``), one group
    (0) for data sets whose names carry none (Online Retail's codes), as the product pools
    rows without a category together (``pooling.group_codes``)."""
    parts = [str(name).split("_") for name in ids]
    if not parts or not all(len(p) >= 4 for p in parts):
        return np.zeros(len(parts), dtype=np.int64)
    names = ["_".join(p[:2]) for p in parts]
    codes = {name: code for code, name in enumerate(sorted(set(names)))}
    return np.array([codes[name] for name in names], dtype=np.int64)


@dataclass(frozen=True)
class PooledDemand:
    """The rate the product's refresh would read on each replay day (``pooled_demand``),
    all (n_sku, n_days).

    Attributes:
        mean, var: units/day and units^2/day (the input's own on rows not pooled).
        source: ``RateSource`` per SKU-day (0: the input's own rate).
    """

    mean: FloatArray
    var: FloatArray
    source: IntArray


def pooled_demand(
    history: FloatArray,
    paths: sim.ReplayPaths,
    initial_on_hand: FloatArray,
    mu: FloatArray,
    sigma2: FloatArray,
    *,
    group: IntArray,
    lead_time_mean: float,
    days: int = HISTORY_WINDOW,
    variance: str = "dispersion",
) -> PooledDemand:
    """``mu`` and ``sigma2`` (n_sku, n_days) with the pooled rates of ADR 0018 where the
    product's replenishment run would pool them, as its risk refresh reads them since
    ADR 0024 (``--pooled-rates on``).

    At the end of each replay day ``t`` the product's own function
    (``services.replenishment.pooling.pool_demand``, groups ``group``, the lead time's
    mean ``lead_time_mean`` days) gets the ``days`` (91) days of sales up to ``t`` as a
    run reads them (``services.replenishment.history.sales_history`` with its default
    lower bound): days the replay ended out of stock or began empty read ``max(s, m)``
    when they sold ``s > 0`` (``m`` the mean of the observed days among the 28 before;
    NaN when they sold nothing), and the real store's inferred stock-out runs
    (``infer_stockouts`` on the sales known at ``t``) and days before the series was on
    sale are NaN (the mask read on the last 336 days of history and the replay, as
    ``trailing_demand``'s). The forecast handed to it is the input's rate ``mu[:, t]`` (flat) with
    spread ``sqrt(sigma2[:, t])``. Pooled and launch rows take its rate, the others
    keep their own. The per-day variance of a pooled row (``variance``):

    * ``dispersion`` (ADR 0024's rule, the refresh's ``planning.risk.pooled``): the
      input's own dispersion at the pooled rate, ``sigma^2 lambda_hat / mu`` (as a rate
      ratio scales it, ADR 0022), where ``mu > 0`` and ``sigma^2 > 0``; the pooling's
      own variance elsewhere (launch rows: ``l_2 - l_1^2``);
    * ``predictive``: the pooling's variance on every pooled row (POOLED:
      ``lambda_hat (1 + h / (b0 + n))``, Poisson units: too narrow for lumpy demand).
    """
    sales = paths.sales
    n_sku, n_days = sales.shape
    history = history[:, -DEMAND_WINDOW * 6 :]  # the mask's context, as trailing_demand's
    before = np.concatenate([initial_on_hand[:, None], paths.on_hand[:, :-1]], axis=1)
    replay_out = paths.stocked_out | (before + paths.receipts <= 0)
    values = np.concatenate([history, sales.astype(np.float64)], axis=1)
    ended_out = np.concatenate([np.zeros(history.shape, dtype=bool), replay_out], axis=1)
    offset = history.shape[1]
    span = days + DEFAULT_WINDOW
    mean, var = mu.copy(), sigma2.copy()
    source = np.zeros((n_sku, n_days), dtype=np.int64)
    lead = np.full(n_sku, float(lead_time_mean))
    for day in range(n_days):
        end = offset + day + 1
        known = np.where(ended_out[:, :end], np.nan, values[:, :end])
        inferred = infer_stockouts(y=known)
        window = values[:, max(end - span, 0) : end]
        censored = ended_out[:, max(end - span, 0) : end]
        window = np.where(inferred[:, max(end - span, 0) :] & ~censored, np.nan, window)
        recent = emptying_day_demand(window, censored, DEFAULT_WINDOW)[:, -days:]
        pooled = pooling.pool_demand(
            daily_mean=mu[:, day : day + 1],
            daily_std=np.sqrt(np.maximum(sigma2[:, day : day + 1], 0.0)),
            sales_history=recent,
            group=group,
            lead_time_mean=lead,
        )
        rates = pooled.rates
        chosen = rates.source != RateSource.FORECAST
        mean[:, day], var[:, day] = pooled_rate_and_variance(
            pooled=chosen,
            rate=rates.rate,
            pooled_variance=rates.variance,
            mu=mu[:, day],
            sigma2=sigma2[:, day] if variance == "dispersion" else np.zeros(n_sku),
        )
        source[:, day] = pooled.rates.source
    return PooledDemand(mean, var, source)


def _after_reorder_point(
    reorder_point: FloatArray,
    mu: FloatArray,
    sigma2: FloatArray,
    level_var: FloatArray,
    pmf: FloatArray,
    undershoot: tuple[FloatArray, FloatArray] | None = None,
) -> FloatArray:
    """(n,) the product's figure for SKU-days with nothing on order
    (``planning.risk.figures.assess``): the ``IP - s`` units sold before the order goes
    out are known demand, so ``P = sum_L P(L) P(D(max(L - 1, 0)) > s)`` with ``s`` the
    reorder point in force, the level term on the lead time's days only; with
    ``undershoot`` (mean, variance of ``U``, each (n,); ADR 0030,
    ``planning.risk.undershoot``) ``P(U + D(max(L - 1, 0)) > s)``."""
    exposure = np.zeros(max(pmf.size - 1, 1))
    exposure[0] = pmf[: min(2, pmf.size)].sum()
    exposure[1:] = pmf[2:]
    rows = np.broadcast_to(exposure, (mu.size, exposure.size))
    shift, spread_u = undershoot if undershoot is not None else (0.0, 0.0)
    spread = DemandSpread(level_var, offset_mean=shift, offset_var=spread_u)
    # the product's threshold: P(D > s) = 1 - F(floor(s)) (``probability``); before
    # ADR 0030 this row read ceil(s), one unit above the product's for a fractional s
    threshold = np.maximum(reorder_point, 1e-9)
    return stockout_probability_over_horizons(threshold, mu, sigma2, rows, spread)


def _known_wait(
    mixed: FloatArray,
    waiting: BoolArray,
    demand: tuple[FloatArray, FloatArray, FloatArray],
    reorder_point: FloatArray,
    pmf: FloatArray,
    above: BoolArray | None,
) -> FloatArray:
    """``mixed`` (n_sku, n_days) with its ``waiting`` SKU-days (nothing on order) read by
    the product's figure (``_after_reorder_point``); ``demand`` = (rate, daily variance,
    level variance), each (n_sku, n_days); ``above`` (None: no undershoot): the SKU-days
    whose position is above ``s``, which add the undershoot ``U`` of the reorder point
    (``planning.risk.undershoot``, ADR 0030; at or below ``s`` the order is due now)."""
    rate, rate_var, level_var = demand
    shift = None
    if above is not None:
        mean_u, var_u = undershoot_moments(rate, rate_var)
        shift = (np.where(above, mean_u, 0.0)[waiting], np.where(above, var_u, 0.0)[waiting])
    mixed = mixed.copy()
    mixed[waiting] = _after_reorder_point(
        reorder_point[waiting], rate[waiting], rate_var[waiting], level_var[waiting], pmf, shift
    )
    return mixed


def _drift_c2(drift: float | LevelDrift, mu: FloatArray) -> FloatArray:
    """``c^2`` of each rate of ``mu`` (any shape): one figure, or per velocity band."""
    if isinstance(drift, LevelDrift):
        return drift(mu.ravel()).reshape(mu.shape)
    return np.full(mu.shape, float(drift))


Fit = Callable[[int, FloatArray], tuple[FloatArray, FloatArray]]
"""(fit day, observed history) -> per-day forecast mean and std, each (n_sku, horizon)."""


def code_version(paths: Iterable[Path]) -> str:
    """Hex digest of the given source files' bytes, in sorted order of their paths: a
    cache entry made by other code under the same inputs is never read back."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class FitCache:
    """Forecast fits kept by their exact input, in memory and optionally on disk.

    A fit's key is the SHA-256 of ``tag`` (the data set and the fit's settings), the
    ``version`` of the code that fits (``code_version``), the fit day and the observed
    history handed to it (shape and bytes, NaN pattern included). An entry is reused
    only for the very same input, so a cached replay gives the figures of an uncached
    one. The history the forecast sees holds the replay's own stock-out days as
    unobserved, and those depend on the seed's lead-time draws: across seeds only the
    days before the first difference in that mask share an entry; a rerun of the same
    seed and data set (another ``--pooled-rates``, ``--rate-ratio`` or refit cadence
    whose fit days coincide) shares them all. ``directory`` (None: memory only) holds
    one ``<key>.npz`` per fit (mean and std, (n_sku, horizon) float64, about 0.2 MB
    for M5's 279 series and 49 days).

    Attributes:
        hits, misses: fits read back and fits run; fit_seconds: time spent fitting.
    """

    tag: str
    version: str
    directory: Path | None = None
    hits: int = 0
    misses: int = 0
    fit_seconds: float = 0.0
    _memory: dict[str, tuple[FloatArray, FloatArray]] = field(default_factory=dict, repr=False)

    def key(self, day: int, observed: FloatArray) -> str:
        """Hex key of one fit's input (class docstring)."""
        values = np.ascontiguousarray(observed, dtype=np.float64)
        digest = hashlib.sha256(f"{self.tag}|{self.version}|{day}|{values.shape}".encode())
        digest.update(values.tobytes())
        return digest.hexdigest()

    def wrap(self, fit: Fit) -> Fit:
        """``fit`` read through the cache."""

        def cached(day: int, observed: FloatArray) -> tuple[FloatArray, FloatArray]:
            key = self.key(day, observed)
            found = self._memory.get(key)
            path = self.directory / f"{key}.npz" if self.directory is not None else None
            if found is None and path is not None and path.exists():
                with np.load(path) as stored:
                    found = (stored["mean"], stored["std"])
                self._memory[key] = found
            if found is not None:
                self.hits += 1
                return found
            begun = time.perf_counter()
            mean, std = fit(day, observed)
            self.fit_seconds += time.perf_counter() - begun
            self.misses += 1
            found = (np.asarray(mean, dtype=np.float64), np.asarray(std, dtype=np.float64))
            self._memory[key] = found
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                partial = path.with_suffix(".tmp.npz")
                np.savez(partial, mean=found[0], std=found[1])
                partial.replace(path)
            return found

        return cached

    def to_json(self) -> dict[str, object]:
        return {
            "tag": self.tag,
            "code_version": self.version,
            "directory": None if self.directory is None else str(self.directory),
            "fits": self.misses,
            "cache_hits": self.hits,
            "fit_seconds": self.fit_seconds,
        }


def forecast_demand(
    history: FloatArray,
    paths: sim.ReplayPaths,
    initial_on_hand: FloatArray,
    fit: Fit,
    *,
    refit_every: int = FORECAST_REFIT_EVERY,
    ahead: int = FORECAST_AHEAD,
) -> tuple[FloatArray, FloatArray]:
    """(n_sku, n_days) demand mean (units/day) and variance (units^2/day) from the
    product's forecast, as the risk refresh reads it from the latest planning run.

    The forecast is refitted at the end of every ``refit_every``-th day on the history and
    the sales seen so far (censored days and inferred stock-outs unobserved, as in
    ``trailing_demand``); on day ``t`` the mean and variance are the averages of the
    forecast's daily means and squared spreads over days ``t + 1 .. t + ahead``."""
    sales = paths.sales
    n_sku, n_days = sales.shape
    before = np.concatenate([initial_on_hand[:, None], paths.on_hand[:, :-1]], axis=1)
    empty = before + paths.receipts <= 0
    values = np.concatenate([history, np.where(paths.stocked_out | empty, np.nan, sales)], axis=1)
    offset = history.shape[1]
    mean = np.zeros((n_sku, n_days))
    var = np.zeros((n_sku, n_days))
    for first in range(0, n_days, refit_every):
        known = values[:, : offset + first + 1]
        observed = np.where(infer_stockouts(y=known), np.nan, known)
        forecast_mean, forecast_std = fit(first, observed)
        for day in range(first, min(first + refit_every, n_days)):
            steps = slice(day - first, day - first + ahead)
            mean[:, day] = np.maximum(forecast_mean[:, steps].mean(axis=1), 0.0)
            var[:, day] = (forecast_std[:, steps] ** 2).mean(axis=1)
    return mean, var


def _orders(scenario: sim.Scenario, orders: FloatArray) -> tuple[IntArray, IntArray, IntArray]:
    """(sku, placed day, arrival day) of every order of the replay."""
    sku, placed = np.nonzero(orders > 0)
    arrival = placed + scenario.lead_time[sku, placed]
    return sku.astype(np.int64), placed.astype(np.int64), arrival.astype(np.int64)


def _mixture(
    tail: FloatArray,
    mu: FloatArray,
    sigma2: FloatArray,
    a: FloatArray,
    extra: DemandSpread | None = None,
) -> FloatArray:
    """(n_days,) ``sum_k P(T = k) P(D(k) > a)`` from ``tail[d, k] = P(T >= k)``
    (``stockout_probability_over_horizons``, with the ``extra`` demand terms; masses below
    1e-7 are left out)."""
    pmf = tail - np.concatenate([tail[:, 1:], np.zeros((tail.shape[0], 1))], axis=1)
    pmf = np.where(pmf > 1e-7, pmf, 0.0)
    pmf[:, 0] += np.where(pmf.sum(axis=1) > 0, 0.0, 1.0)  # no mass left: T = 0
    return stockout_probability_over_horizons(np.maximum(a, 1e-9), mu, sigma2, pmf, extra)


def _horizon_survival(
    scenario: sim.Scenario,
    orders: FloatArray,
    pmf: FloatArray,
    wait: IntArray,
    demand: tuple[FloatArray, FloatArray, FloatArray],
    level_var: FloatArray,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray, BoolArray, IntArray, IntArray]:
    """E[T], Var[T], the horizon-mixture probability ``sum_k P(T = k) P(D(k) > a)`` with
    the level term (variance ``sigma^2 k + level_var k^2``) and without it (independent
    days only), the open flag, the true receipt day and the first open order's placing
    day, each (n_sku, n_days); ``wait`` (n_sku, n_days) whole days until the policy's
    next order (module docstring); ``demand`` = (mu, sigma^2, a) and ``level_var``, each
    (n_sku, n_days).

    An order older than every lead time of the supplier's past is read as one at the
    oldest age that past still shows (it may come any day now)."""
    n_sku, n_days = orders.shape
    longest = int(wait.max(initial=0)) + pmf.size + 1
    survival = np.concatenate([1.0 - np.cumsum(pmf), np.zeros(2 * longest)])  # P(L > x)
    survival = np.maximum(survival, 0.0)
    oldest = int(np.flatnonzero(survival > 1e-12).max())
    open_order = np.zeros((n_sku, n_days), dtype=bool)
    receipt = np.full((n_sku, n_days), np.iinfo(np.int64).max)
    first_placed = np.full((n_sku, n_days), -1, dtype=np.int64)
    mean = np.zeros((n_sku, n_days))
    var = np.zeros((n_sku, n_days))
    mixed = np.zeros((n_sku, n_days))
    ks = np.arange(longest)
    weights = 2.0 * ks[1:] - 1.0
    sku_of, placed_on, arrives_on = _orders(scenario, orders)
    days_only = np.zeros((n_sku, n_days))
    for i in range(n_sku):
        # the policy's next order: T >= k while L > k - wait
        ahead = ks[None, :] - wait[i][:, None]
        log_tail = np.log(
            np.maximum(np.where(ahead < 0, 1.0, survival[np.maximum(ahead, 0)]), 1e-300)
        )
        mine = sku_of == i
        for p, r in zip(placed_on[mine], arrives_on[mine], strict=True):
            days = np.arange(p, min(r, n_days))
            if days.size == 0:
                continue
            age = np.minimum(days - p, oldest)
            ratio = survival[age[:, None] + ks[None, :]] / survival[age][:, None]
            log_tail[days] += np.log(np.maximum(ratio, 1e-300))
            open_order[i, days] = True
            receipt[i, days] = np.minimum(receipt[i, days], r)
            first = first_placed[i, days]
            first_placed[i, days] = np.where(first < 0, p, np.minimum(first, p))
        mu_i, sigma2_i, a_i = (values[i] for values in demand)
        full_tail = np.exp(log_tail)
        mixed[i] = _mixture(full_tail, mu_i, sigma2_i, a_i, DemandSpread(level_var=level_var[i]))
        days_only[i] = _mixture(full_tail, mu_i, sigma2_i, a_i)
        tail = np.exp(log_tail[:, 1:])
        mean[i] = tail.sum(axis=1)
        var[i] = np.maximum((tail * weights).sum(axis=1) - mean[i] ** 2, 0.0)
    return mean, var, mixed, days_only, open_order, receipt, first_placed


def _floored_by_sales(
    history: FloatArray, paths: sim.ReplayPaths, initial_on_hand: FloatArray, sigma2: FloatArray
) -> FloatArray:
    """(n_sku, n_days) ``max(sigma^2, s^2)``, ``s^2`` the variance of the last
    ``DEMAND_WINDOW`` in-stock days' sales on each day (``trailing_demand``; ADR 0027,
    ``planning.risk.spread``)."""
    _, observed, _ = trailing_demand(history, paths, initial_on_hand)
    return floored_variance(sigma2, observed)


def outcome_days(cumulative: FloatArray, on_hand: FloatArray, end: IntArray) -> IntArray:
    """(n_sku, n_days) day from which each SKU-day's outcome is known (ADR 0040).

    ``cumulative`` (n_sku, n_days + 1): demand before each day, ``C[j] = sum_{d < j} x_d``
    (units); ``on_hand`` (n_sku, n_days): ``a`` at the end of day ``t`` (units); ``end``
    (n_sku, n_days): the next receipt's day ``r`` (``n_days`` without one). A SKU-day stocks
    out on the first day ``d`` with ``C[d + 1] - C[t + 1] > a``; from the next day on its
    outcome is 1 whatever the receipt does, as a receipt's row is known on the day ``r``
    from the demand through ``r - 1``. Equation: ``min(r, j)`` with
    ``j = min {j > t : C[j] > C[t + 1] + a}`` (``C`` is nondecreasing, so ``j`` is a
    sorted search); ``j <= r`` exactly when the row stocked out.

    Example: ``a = 3``, demand 2, 1, 1 on days ``t + 1 .. t + 3`` and the receipt on
    ``t + 5``: ``C - C[t + 1]`` reads 2, 3, 4 after those days, above 3 first after day
    ``t + 3``, so the outcome is known on ``t + 4``, a day before the receipt.
    """
    n_sku, n_days = on_hand.shape
    found = np.empty((n_sku, n_days), dtype=np.int64)
    for i in range(n_sku):
        threshold = cumulative[i, 1:] + on_hand[i] + 1e-9
        found[i] = np.searchsorted(cumulative[i], threshold, side="right")
    return np.minimum(found, end).astype(np.int64)


def sku_days(
    scenario: sim.Scenario,
    paths: sim.ReplayPaths,
    *,
    history: FloatArray,
    reorder_point: FloatArray,
    initial_on_hand: FloatArray,
    pmf: FloatArray,
    stated: int,
    warm_up: int,
    drift: float | LevelDrift = 0.0,
    fit: Fit | None = None,
    forecast_refit_every: int = FORECAST_REFIT_EVERY,
    impute_censored: bool = False,
    known_wait: bool = False,
    undershoot: bool = False,
    unknown_demand: BoolArray | None = None,
    ratio_of: Callable[[FloatArray], FloatArray] | None = None,
    pool: Callable[[FloatArray, FloatArray], PooledDemand] | None = None,
    observed_spread: bool = False,
) -> SkuDays:
    """The rows of one replay (module docstring); ``reorder_point`` (n_sku, n_days);
    ``drift``: ``c^2`` of the level term, one figure or per velocity band of ``mu``
    (``planning.risk.drift.LevelDrift``, as the product stores it); ``unknown_demand``
    (n_sku, n_days): days whose demand the data does not show (``real_stockout_days``;
    None: every day's demand known); rows whose outcome needs one are dropped;
    ``ratio_of``: from the trailing means ``mu`` (n_sku, n_days), the rate ratio ``b``
    of each SKU-day (``RateRatio`` of ``mu``, or ``prequential_rate_ratio``); the rate is
    read as ``b mu`` with the variance ``b sigma^2`` and the drift's band of ``mu``, as
    ``planning.risk.figures.assess`` does (None: ``b = 1``); ``pool``: from ``mu`` and
    ``sigma^2``, the rates the refresh reads where the run pools (``pooled_demand``,
    ADR 0024; applied before the ratio, whose band is then the pooled rate's, as the
    product looks it up from the stored rate); ``fit`` (None: the trailing stand-in):
    the forecast, refitted every ``forecast_refit_every`` days (``forecast_demand``);
    ``observed_spread`` (ADR 0027): the forecast's daily variance floored by the
    observed one, ``max(sigma^2, s^2)``, ``s^2`` the variance of the last
    ``DEMAND_WINDOW`` in-stock days' sales (``trailing_demand``), as the refresh reads
    it with ``planning.risk.spread``; no effect on the trailing stand-in, whose
    variance is ``s^2`` already. ``known_wait``: SKU-days with nothing on order read the
    product's figure (``_after_reorder_point``) instead of the replay's mixture over the
    wait; ``undershoot`` (with ``known_wait``, ADR 0030): those whose position is above
    ``s`` add the undershoot ``U`` of the reorder point (``planning.risk.undershoot``,
    from the rate and daily variance the figure reads).
    The peers (``demand_mean``, ``demand_var``) keep the input's own rate."""
    n_sku, n_days = scenario.demand.shape
    if fit is None:
        mu, sigma2, observed_days = trailing_demand(
            history, paths, initial_on_hand, impute_censored=impute_censored
        )
    else:
        mu, sigma2 = forecast_demand(
            history, paths, initial_on_hand, fit, refit_every=forecast_refit_every
        )
        observed_days = np.full(mu.shape, float(DEMAND_WINDOW))
    own_mu, own_var = mu, sigma2
    if fit is not None and observed_spread:
        sigma2 = _floored_by_sales(history, paths, initial_on_hand, sigma2)
    # the rate the figure reads: pooled where the run pools (ADR 0024), then b mu
    # (ADR 0020, ADR 0022)
    pooled_share = 0.0
    if pool is not None:
        found = pool(mu, sigma2)
        mu, sigma2 = found.mean, found.var
        pooled_share = float(np.mean(found.source[:, warm_up:] != RateSource.FORECAST))
    ratio = ratio_of(mu) if ratio_of is not None else np.ones(mu.shape)
    rate, rate_var = mu * ratio, sigma2 * ratio
    on_order = np.cumsum(paths.orders, axis=1) - np.cumsum(paths.receipts, axis=1)
    position = paths.on_hand + on_order
    with np.errstate(divide="ignore", invalid="ignore"):
        wait = np.where(rate > 0, np.maximum(position - reorder_point, 0.0) / rate, n_days)
    # lost sales stop at an empty shelf: the position cannot fall below what is on order,
    # so while that is at or above s the policy orders nothing before a receipt
    wait = np.where((on_order > 0) & (on_order >= reorder_point), n_days, wait)
    wait_days = np.minimum(np.ceil(wait), n_days).astype(np.int64)
    level_var = level_variance(rate_var, observed_days) + _drift_c2(drift, mu) * rate**2
    mean_t, var_t, mixed, days_only, open_order, receipt, first_placed = _horizon_survival(
        scenario,
        paths.orders,
        pmf,
        wait_days,
        demand=(rate, rate_var, paths.on_hand),
        level_var=level_var,
    )
    if known_wait:
        mixed = _known_wait(
            mixed,
            ~open_order & (mu > 0),
            (rate, rate_var, level_var),
            reorder_point,
            pmf,
            (position > reorder_point) if undershoot else None,
        )
    # the true next receipt when no order is open: the first order placed later
    days = np.arange(n_days)
    next_receipt = receipt.copy()
    arrivals = np.full((n_sku, n_days), np.iinfo(np.int64).max)
    for i, p, r in zip(*_orders(scenario, paths.orders), strict=True):
        arrivals[i, p] = min(arrivals[i, p], r)
    # earliest arrival among orders placed on day >= t+1 (suffix minimum)
    later = np.minimum.accumulate(arrivals[:, ::-1], axis=1)[:, ::-1]
    later = np.concatenate([later[:, 1:], np.full((n_sku, 1), np.iinfo(np.int64).max)], axis=1)
    next_receipt = np.minimum(next_receipt, later)
    known = next_receipt < n_days
    cumulative = np.concatenate([np.zeros((n_sku, 1)), np.cumsum(scenario.demand, axis=1)], axis=1)
    end = np.minimum(next_receipt, n_days)
    rows = np.arange(n_sku)[:, None]
    demand_before = cumulative[rows, end] - cumulative[:, 1:]
    stocked_out = demand_before > paths.on_hand + 1e-9
    fixed = np.where(open_order, np.maximum(first_placed + stated - days - 1, 0), stated - 1)
    counted = days[None, :] >= warm_up
    already_out = paths.on_hand <= 0
    censored = np.zeros((n_sku, n_days), dtype=bool)
    if unknown_demand is not None:
        censored = _touches(unknown_demand, days[None, :] + 1, end) & known
    keep = known & counted & ~already_out & ~censored
    dropped = int((~known & counted & ~already_out).sum())
    return SkuDays(
        available=paths.on_hand[keep],
        demand_mean=own_mu[keep],
        demand_var=own_var[keep],
        horizon_mean=np.maximum(mean_t[keep], 0.0),
        horizon_var=var_t[keep],
        fixed_horizon=fixed[keep].astype(np.float64),
        open_order=open_order[keep],
        stocked_out=stocked_out[keep],
        dropped_unknown=dropped,
        mixed=mixed[keep],
        demand_before=demand_before[keep],
        realized_horizon=(end - days[None, :] - 1)[keep].astype(np.float64),
        already_out=int((counted & already_out).sum()),
        already_out_stocked_out=int((counted & already_out & known & stocked_out).sum()),
        already_out_known=int((counted & already_out & known).sum()),
        day=np.broadcast_to(days[None, :], (n_sku, n_days))[keep].astype(np.int64),
        settled_day=end[keep].astype(np.int64),
        mixed_days_only=days_only[keep],
        sku=np.broadcast_to(np.arange(n_sku)[:, None], (n_sku, n_days))[keep].astype(np.int64),
        outcome_day=outcome_days(cumulative, paths.on_hand, end)[keep],
        dropped_censored_outcome=int((censored & counted & ~already_out).sum()),
        pooled_share=pooled_share,
    )
