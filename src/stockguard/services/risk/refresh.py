"""The risk refresh: the basis of every SKU x location from the latest planning run.

Like the replenishment run (ADR 0009) it reads through the unit of work's read-only ports
(``replenishment`` and ``risk_inputs``) first, computes on arrays, and opens the
transaction only to replace the ``stock_risk`` rows and record the state changes.

The basis of a row (a series of the latest forecast whose product exists):

* demand ``mu``: the forecast's mean over its horizon, units/day; variance ``sigma^2``:
  the mean of the daily variances read from the p10..p90 spread as normal
  (``(p90 - p10) / 2.563``, squared), units^2/day, floored by the variance of the
  series' last 56 in-stock days of sales (``services.risk.spread``, ADR 0027; on by
  default, ``observed_spread``); on the rows the replenishment run
  pools (slow and never-sold rows, ``services.replenishment.pooling``, ADR 0018) the
  run's pooled rate instead when asked (``pooled_rates``; off by default,
  ``POOLED_RATES_DEFAULT``), with the forecast's dispersion (``planning.risk.pooled``),
  so a risk row reads the rate its reorder point was planned with (``demand_rate``,
  ADR 0024);
* reorder point and lead time: those the replenishment run would use today (policies
  from the rules, supplier chosen by score; the stated lead time plus the supplier's
  mean delay, its spread from past deliveries; 7 days without an offer);
* next receipt: the open purchase order expected first, with its supplier's delay
  distribution: the pmf of its past delays (at most 8 points,
  ``planning.risk.horizon.compress``) beside their mean and variance;
* lead-time pmf (for rows that will order, or have units on order without a date): the
  best offer's stated days plus each past delay of its supplier (at most 8 points);
  one point at the lead time when the supplier has no past delivery;
* price: the product's price and currency;
* the demand rate's drift ``c^2`` per velocity band (``planning.risk.drift``): estimated
  from the shop's own daily sales of the last ``drift.HISTORY_DAYS`` days (days the
  ledger shows out of stock or not yet on sale left out), shrunk toward the prior 0.04
  (all of it when the history is too short), and stored with the recalibration map so
  that movements read it instead of estimating it again;
* the rate ratio ``b`` per velocity band (``services.risk.rate_ratio``, ADR 0022): what
  the shop's settled planning runs' rates were followed by, per unit, on in-stock days,
  from the same year of sales, only when asked (``rate_ratio``; off by default,
  ``rate_ratio.APPLY_BY_DEFAULT``): then every figure reads ``b mu`` (variance
  ``b sigma^2``), and ``b`` is stored with the map and the drift so that movements
  apply the same ratio; otherwise no past run is read and ``b = 1`` is stored.
  The stored basis keeps the forecast's own ``mu``.
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np

from stockguard.planning.inventory import sourcing
from stockguard.planning.inventory.pooled_rate import PooledRates, RateSource
from stockguard.planning.panel import DemandPanel
from stockguard.planning.risk import drift, figures, horizon
from stockguard.planning.risk.pooled import pooled_rate_and_variance
from stockguard.services import ports as service_ports
from stockguard.services.queries import demand_panel
from stockguard.services.replenishment import compute
from stockguard.services.replenishment.inputs import PlanInputs, gather_inputs
from stockguard.services.replenishment.propose import check_required
from stockguard.services.replenishment.settings import (
    FloatArray,
    RowKeys,
    classify_abc,
    resolve_settings,
)
from stockguard.services.risk import assess
from stockguard.services.risk import rate_ratio as forecast_ratio
from stockguard.services.risk import spread as observed
from stockguard.services.risk.model import StockRisk, change_events
from stockguard.services.risk.ports import OpenReceipt, RiskInputs
from stockguard.services.unit_of_work import UnitOfWork

POOLED_RATES_DEFAULT = False
"""Whether the rows a replenishment run pools read its pooled rate (ADR 0024: off, the
replay's adoption rule failed on the worst seed; ``refresh_risk(pooled_rates=True)``
turns it on)."""
BASIS_FLOATS = (
    "demand_mean",
    "demand_var",
    "lead_time_mean",
    "lead_time_var",
    "receipt_delay_mean",
    "receipt_delay_var",
)


@dataclass(frozen=True, slots=True)
class RefreshSummary:
    """What a refresh stored: rows per state, events recorded, time taken, and the
    demand rate's drift and rate ratio it estimated from the shop's sales (the ratio
    with the runs it was read from and whether it was applied)."""

    run_id: int
    rows: int
    states: dict[str, int]
    events: int
    seconds: float
    level_drift: drift.LevelDrift = drift.PRIOR
    rate_ratio: forecast_ratio.RatioEstimate = forecast_ratio.NONE
    pooled_rates: bool = False
    observed_spread: bool = False


@dataclass(frozen=True, slots=True)
class Basis:
    """The refresh's rows: keys, stock and basis arrays, all (n,)."""

    skus: tuple[str, ...]
    locations: tuple[str, ...]
    on_hand: FloatArray
    available: FloatArray
    position: FloatArray
    next_receipt_on: list[date | None]
    arrays: figures.RiskBasisArrays
    delay_pmfs: list[list[list[float]] | None]
    lead_pmfs: list[list[list[float]] | None]


def refresh_risk(
    uow: UnitOfWork,
    *,
    now: datetime,
    currency: str = "EUR",
    thresholds: figures.RiskThresholds | None = None,
    rate_ratio: bool | None = None,
    pooled_rates: bool | None = None,
    observed_spread: bool | None = None,
) -> RefreshSummary:
    """Recompute and store every row's basis and figures (module docstring), with the
    unit of work's thresholds unless given and the latest recalibration map; the rate
    ratio estimated from past runs and applied when ``rate_ratio`` (None:
    ``forecast_ratio.APPLY_BY_DEFAULT``, off); otherwise ``b = 1`` and no run is read.
    ``pooled_rates`` (None: ``POOLED_RATES_DEFAULT``): pooled rows read the run's pooled
    rate (``demand_rate``); False: every row its forecast's. ``observed_spread`` (None:
    ``observed.APPLY_BY_DEFAULT``): the forecast's daily variance floored by that of
    the row's last 56 in-stock days of sales (``services.risk.spread``, ADR 0027).

    Raises:
        errors.NoPlanningRun: when no forecast is stored yet.
        errors.InvalidRule: when a replenishment rule lacks a setting its policy needs.
    """
    started = time.perf_counter()
    inputs = gather_inputs(uow.replenishment, run_id=None, currency=currency)
    pooled = POOLED_RATES_DEFAULT if pooled_rates is None else pooled_rates
    basis = build_basis(
        inputs, uow.replenishment, uow.risk_inputs, today=now.date(), pooled_rates=pooled
    )
    panel = sales_panel(uow.history, today=now.date())
    level_drift = drift_of_panel(panel)
    floored = observed.APPLY_BY_DEFAULT if observed_spread is None else observed_spread
    if floored:
        arrays = observed.with_observed_spread(basis.arrays, panel, basis.skus, basis.locations)
        basis = dataclasses.replace(basis, arrays=arrays)
    applied = forecast_ratio.APPLY_BY_DEFAULT if rate_ratio is None else rate_ratio
    ratio = forecast_ratio.RatioEstimate(forecast_ratio.neutral(level_drift.edges), 0)
    if applied:  # past runs are read only when asked: a year of them is a big read
        ratio = forecast_ratio.estimate_forecast_ratio(
            uow.risk_inputs, panel, today=now.date(), edges=level_drift.edges
        )
        ratio = dataclasses.replace(ratio, applied=True)
    in_force = ratio.ratio
    result = figures.assess(
        basis=basis.arrays,
        available=basis.available,
        position=basis.position,
        thresholds=thresholds or uow.risk_thresholds,
        recalibrate=uow.risk_inputs.calibration(),
        drift=level_drift,
        rate_ratio=in_force,
    )
    rows = _rows(inputs, basis, uow.risk_inputs, now=now)
    rows = assess.with_figures(rows, result, today=now.date(), now=now)
    with uow:
        previous = uow.risk.states()
        recorded = 0
        for row in rows:
            before = previous.get(row.key)
            if before is not None:
                row.events.extend(change_events(before[0], before[1], row))
                recorded += len(row.events)
        uow.risk.replace(rows)
        uow.risk.save_level_drift(level_drift, now, in_force)
        uow.commit()
    return RefreshSummary(
        run_id=inputs.run_id,
        rows=len(rows),
        states=dict(Counter(row.state for row in rows)),
        events=recorded,
        seconds=time.perf_counter() - started,
        level_drift=level_drift,
        rate_ratio=ratio,
        pooled_rates=pooled,
        observed_spread=floored,
    )


def sales_panel(
    history: service_ports.LedgerHistory, *, today: date, days: int = drift.HISTORY_DAYS
) -> DemandPanel:
    """Daily sales and censored days of the ``days`` days before ``today`` (what the
    drift and the rate ratio are estimated from)."""
    return demand_panel(history, start=today - timedelta(days=days), end=today - timedelta(1))


def estimate_drift(
    history: service_ports.LedgerHistory, *, today: date, days: int = drift.HISTORY_DAYS
) -> drift.LevelDrift:
    """The demand rate's drift per velocity band from the daily sales of the ``days``
    days before ``today`` (``planning.risk.drift.estimate_level_drift``).

    Days the ledger shows censored (ended out of stock, or before the series' first
    stock; ``queries.demand_panel``) are unobserved: a SKU-origin needs its 70 days all
    observed. Too short a history gives the prior (0.04, one band).
    """
    return drift_of_panel(sales_panel(history, today=today, days=days))


def drift_of_panel(panel: DemandPanel) -> drift.LevelDrift:
    """``estimate_level_drift`` of a sales panel with its censored days unobserved."""
    return drift.estimate_level_drift(np.where(panel.stockout, np.nan, panel.values))


def build_basis(
    inputs: PlanInputs,
    source: service_ports.ReplenishmentSource,
    extra: RiskInputs,
    *,
    today: date,
    pooled_rates: bool = POOLED_RATES_DEFAULT,
) -> Basis:
    """The basis arrays of the forecast's rows (module docstring); ``pooled_rates``:
    the rows the run pools read its pooled rate (``demand_rate``)."""
    reorder_point, lead_mean, lead_std, best, pooled = run_policy(inputs, source)
    deliveries = source.deliveries()
    receipts = _receipts(inputs, extra.open_receipts(), deliveries, today)
    delays = _delays_by_supplier(deliveries)
    delay_pmfs = [_delay_pmf(delays, supplier) for supplier in receipts[4]]
    lead_pmfs = _lead_pmfs(inputs, best, delays, lead_mean)
    delay = horizon.padded(delay_pmfs, np.maximum(receipts[2], 0.0), receipts[3], -np.inf)
    lead = horizon.padded(lead_pmfs, lead_mean, lead_std**2)
    available = (inputs.on_hand - inputs.allocated - inputs.reserved).astype(np.float64)
    mean, var = demand_rate(inputs, pooled if pooled_rates else None)
    return Basis(
        skus=inputs.skus,
        locations=inputs.locations,
        on_hand=inputs.on_hand.astype(np.float64),
        available=available,
        position=available + inputs.on_order,
        next_receipt_on=receipts[0],
        arrays=figures.RiskBasisArrays(
            demand_mean=mean,
            demand_var=var,
            lead_time_mean=lead_mean,
            lead_time_var=lead_std**2,
            reorder_point=reorder_point,
            days_to_receipt=receipts[1],
            receipt_delay_mean=receipts[2],
            receipt_delay_var=receipts[3],
            unit_price=inputs.price,
            delay_points=delay[0],
            delay_mass=delay[1],
            lead_points=lead[0],
            lead_mass=lead[1],
        ),
        delay_pmfs=delay_pmfs,
        lead_pmfs=lead_pmfs,
    )


def demand_rate(inputs: PlanInputs, pooled: PooledRates | None) -> tuple[FloatArray, FloatArray]:
    """(n,) daily rate ``mu`` (units/day) and variance ``sigma^2`` (units^2/day) of the
    rows, as the replenishment run plans them (ADR 0024).

    The forecast's: ``mu = mean_t m_t``, ``sigma^2 = mean_t s_t^2`` over its horizon.
    Rows whose rate the run pools (``pooled.source`` POOLED or LAUNCH,
    ``services.replenishment.pooling``, ADR 0018) read the pooled rate with the
    forecast's dispersion, ``sigma^2 lambda_hat / mu`` (the pooling's own variance where
    the forecast has no rate or no spread; ``planning.risk.pooled``). None: every row
    its forecast's. Both floored at 0.
    """
    if inputs.n_rows == 0:
        return np.zeros(0), np.zeros(0)
    mean = inputs.daily_mean.mean(axis=1)
    var = (inputs.daily_std**2).mean(axis=1)
    if pooled is not None:
        mean, var = pooled_rate_and_variance(
            pooled=pooled.source != RateSource.FORECAST,
            rate=pooled.rate,
            pooled_variance=pooled.variance,
            mu=mean,
            sigma2=var,
        )
    return np.maximum(mean, 0.0), np.maximum(var, 0.0)


def run_policy(
    inputs: PlanInputs, source: service_ports.ReplenishmentSource
) -> tuple[FloatArray, FloatArray, FloatArray, Any, PooledRates | None]:
    """Reorder point (whole units), lead time mean and std per row, as a run sets them,
    the best offer per row (index into ``inputs.offer_facts``, -1: none) and the run's
    pooled rates (None: the run pooled nothing)."""
    if inputs.n_rows == 0:
        return np.zeros(0), np.zeros(0), np.zeros(0), np.zeros(0, dtype=np.int64), None
    revenue = inputs.daily_mean.mean(axis=1) * inputs.price
    abc = classify_abc(group=inputs.sku_index, revenue=revenue, n_groups=len(inputs.unique_skus))
    keys = RowKeys(
        inputs.skus, inputs.locations, inputs.categories, [abc[i] for i in inputs.sku_index]
    )
    settings = resolve_settings(source.rules(), keys)
    check_required(inputs, settings, hint="; set it with `stockguard rules set`")
    plan = compute.plan_replenishment(inputs, settings, compute.Parameters())
    reorder_point = np.ceil(np.nan_to_num(plan.rows.policy.reorder_point, nan=0.0))
    return (
        np.maximum(reorder_point, 0.0),
        np.asarray(plan.rows.lead_time_mean, dtype=np.float64),
        np.nan_to_num(np.asarray(plan.rows.lead_time_std, dtype=np.float64)),
        np.asarray(plan.rows.best_offer, dtype=np.int64),
        plan.rows.pooled,
    )


def _delays_by_supplier(deliveries: list[service_ports.Delivery]) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for delivery in deliveries:
        found.setdefault(delivery.supplier, []).append(delivery.delay_days)
    return found


def _delay_pmf(delays: dict[str, list[int]], supplier: str | None) -> list[list[float]] | None:
    """The supplier's delay pmf (days late, <= 8 points); on time when it has no past
    delivery; None without an open receipt."""
    if supplier is None:
        return None
    past = delays.get(supplier)
    if not past:
        return [[0.0, 1.0]]
    pmf: list[list[float]] = horizon.compress(past).tolist()
    return pmf


def _lead_pmfs(
    inputs: PlanInputs, best: Any, delays: dict[str, list[int]], lead_mean: FloatArray
) -> list[list[list[float]] | None]:
    """Per row, the lead-time pmf of its best offer: stated days + each past delay of its
    supplier (floored at 0), <= 8 points; one point at the row's lead time otherwise."""
    facts = inputs.offer_facts
    cache: dict[tuple[str, int], list[list[float]]] = {}
    found: list[list[list[float]] | None] = []
    for i, offer in enumerate(np.asarray(best).tolist()):
        past = delays.get(facts.supplier[offer]) if offer >= 0 else None
        if not past:
            found.append([[float(lead_mean[i]), 1.0]])
            continue
        key = (facts.supplier[offer], int(facts.stated_lead_time[offer]))
        if key not in cache:
            lead = np.maximum(key[1] + np.asarray(past, dtype=np.float64), 0.0)
            cache[key] = horizon.compress(lead).tolist()
        found.append(cache[key])
    return found


def _receipts(
    inputs: PlanInputs,
    receipts: list[OpenReceipt],
    deliveries: list[service_ports.Delivery],
    today: date,
) -> tuple[list[date | None], FloatArray, FloatArray, FloatArray, list[str | None]]:
    """Per row: next expected date, days to it (NaN: none), supplier delay mean and var,
    and the supplier (None: no open receipt)."""
    names = sorted({r.supplier for r in receipts} | {d.supplier for d in deliveries})
    index = {name: i for i, name in enumerate(names)}
    reliability = sourcing.supplier_reliability(
        supplier=np.array([index[d.supplier] for d in deliveries], dtype=np.int64),
        delay_days=np.array([d.delay_days for d in deliveries], dtype=np.float64),
        n_suppliers=len(names),
    )
    by_key = {(r.sku, r.location): r for r in receipts}
    found = [by_key.get(key) for key in zip(inputs.skus, inputs.locations, strict=True)]
    who = np.array([index[r.supplier] if r else 0 for r in found], dtype=np.int64)
    has = np.array([r is not None for r in found], dtype=bool)
    days = np.array([(r.expected_on - today).days if r else np.nan for r in found], np.float64)
    delay_mean = reliability.delay_mean[who] if names else np.zeros(len(found))
    delay_std = reliability.delay_std[who] if names else np.zeros(len(found))
    return (
        [r.expected_on if r else None for r in found],
        days,
        np.where(has, delay_mean, 0.0),
        np.where(has, delay_std**2, 0.0),
        [r.supplier if r else None for r in found],
    )


def _rows(inputs: PlanInputs, basis: Basis, extra: RiskInputs, *, now: datetime) -> list[StockRisk]:
    """``StockRisk`` rows of the basis, figures not yet set."""
    prices = {p.sku: (p.price, p.currency) for p in extra.products()}
    b = basis.arrays
    columns: dict[str, list[Any]] = {
        "on_hand": basis.on_hand.astype(np.int64).tolist(),
        "available": basis.available.astype(np.int64).tolist(),
        "position": basis.position.astype(np.int64).tolist(),
        "reorder_point": b.reorder_point.astype(np.int64).tolist(),
        "next_receipt_on": basis.next_receipt_on,
        "receipt_delay_pmf": basis.delay_pmfs,
        "lead_time_pmf": basis.lead_pmfs,
    }
    for name in BASIS_FLOATS:
        columns[name] = getattr(b, name).tolist()
    unset: dict[str, Any] = {
        "days_of_cover": None,
        "projected_stockout": None,
        "probability": 0.0,
        "expected_lost_units": 0.0,
        "expected_lost_revenue": assess.money(0.0),
        "state": "ok",
        "basis_run_id": inputs.run_id,
        "updated_at": now,
    }
    return [
        StockRisk(
            sku=sku,
            location=location,
            unit_price=prices[sku][0],
            currency=prices[sku][1],
            **{name: values[i] for name, values in columns.items()},
            **unset,
        )
        for i, (sku, location) in enumerate(zip(basis.skus, basis.locations, strict=True))
    ]
