"""Stock-out risk figures per SKU x location, vectorised over rows.

A row's risk is read off three things: what is available now (``a``, units), the demand
rate (``mu`` units/day, variance ``sigma^2`` units^2/day) and the time ``T`` (days) until
the next receipt can refill the shelf. ``T`` has mean ``E[T]`` and variance ``Var[T]``
(``receipt_horizon``); demand over it, its stock-out probability ``P(D(T) > a)`` and the
expected shortfall ``E[(D(T) - a)^+]`` come from ``planning.risk.probability``.

Risk states, from the best to the worst (``STATES``, codes 0..3):

* ``out_of_stock``: ``a <= 0``;
* ``at_risk``: ``P >= at_risk_probability`` (default 0.5);
* ``watch``: ``P >= watch_probability`` (default 0.2) or ``position <= reorder_point``;
* ``ok``: otherwise.

Worked example: ``a = 10`` units, ``mu = 2``, ``sigma^2 = 2`` (Poisson days), an open
purchase order due in 4 days from a supplier late by 1 day on average (variance 1):
``E[T] = 5``, ``Var[T] = 1``, ``D(T)`` has mean 10 and variance ``2*5 + 4*1 = 14``;
days of cover ``10 / 2 = 5``, projected stock-out on day 5.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import numpy as np

from stockguard.planning.inventory._arrays import BoolArray, FloatArray, IntArray
from stockguard.planning.risk import calibration, horizon, probability
from stockguard.planning.risk import undershoot as undershoot_model
from stockguard.planning.risk.drift import PRIOR, PRIOR_DRIFT, LevelDrift
from stockguard.planning.risk.rate_ratio import NEUTRAL, RateRatio

STATES = ("ok", "watch", "at_risk", "out_of_stock")
"""Risk states by rank: a higher code is a worse state."""
OK, WATCH, AT_RISK, OUT_OF_STOCK = range(4)

DEFAULT_AT_RISK_PROBABILITY = 0.5
DEFAULT_WATCH_PROBABILITY = 0.2

LEVEL_DAYS = 56.0
"""Days of sales the demand rate is read as an average of: its sampling error,
``sigma^2 / LEVEL_DAYS`` (units^2/day^2), repeats on every day of the horizon
(ADR 0013)."""

LEVEL_DRIFT = PRIOR_DRIFT
"""The prior and fallback of the squared relative drift ``c^2`` of the demand rate over
the next weeks: the rate's variance gains ``c^2 mu^2`` (units^2/day^2). 0.04 (the rate
wanders by about 20%) is what the M5 subset's history before the replayed window shows
beyond sampling noise, pooled. A refresh estimates ``c^2`` per velocity band from the
shop's own sales (``planning.risk.drift``, ADR 0015) and falls back to this figure
when the history is short."""


@dataclass(frozen=True, slots=True)
class RiskThresholds:
    """Probabilities (0..1) from which a row is ``at_risk`` and ``watch``."""

    at_risk_probability: float = DEFAULT_AT_RISK_PROBABILITY
    watch_probability: float = DEFAULT_WATCH_PROBABILITY

    def __post_init__(self) -> None:
        if not 0.0 < self.watch_probability <= self.at_risk_probability <= 1.0:
            raise ValueError(
                "risk thresholds must satisfy 0 < watch <= at_risk <= 1, got "
                f"watch={self.watch_probability}, at_risk={self.at_risk_probability}"
            )


DEFAULT_THRESHOLDS = RiskThresholds()


@dataclass(frozen=True, slots=True)
class RiskBasisArrays:
    """The stored basis of n rows; every field is an (n,) array.

    Attributes:
        demand_mean: ``mu``, units/day; demand_var: ``sigma^2``, units^2/day.
        lead_time_mean: days; lead_time_var: days^2 (of an order placed now).
        reorder_point: units (0 when no replenishment run set one).
        days_to_receipt: days from today to the open purchase order's expected date,
            NaN when there is no open purchase order.
        receipt_delay_mean: days the supplier is late on average; receipt_delay_var: days^2.
        unit_price: money per unit (float, for the lost revenue only).
        delay_points, delay_mass: (n, K) the supplier's delay pmf (days, masses; zero
            mass pads), None: a three-point rule matched to the delay's mean (floored
            at 0) and variance (``planning.risk.horizon.from_moments``).
        lead_points, lead_mass: (n, K) the lead-time pmf likewise (None: from
            ``lead_time_mean`` and ``lead_time_var``).
    """

    demand_mean: FloatArray
    demand_var: FloatArray
    lead_time_mean: FloatArray
    lead_time_var: FloatArray
    reorder_point: FloatArray
    days_to_receipt: FloatArray
    receipt_delay_mean: FloatArray
    receipt_delay_var: FloatArray
    unit_price: FloatArray
    delay_points: FloatArray | None = None
    delay_mass: FloatArray | None = None
    lead_points: FloatArray | None = None
    lead_mass: FloatArray | None = None


@dataclass(frozen=True, slots=True)
class RiskFigures:
    """Risk of n rows; every field is an (n,) array.

    Attributes:
        days_of_cover: days (inf without demand); stockout_offset: days from today to the
            projected stock-out (inf without demand, 0 when already out).
        horizon_mean, horizon_var: ``E[T]`` days, ``Var[T]`` days^2.
        probability: ``P(D(T) > a)`` in [0, 1].
        expected_lost_units: ``E[(D(T) - a)^+]``, units; expected_lost_revenue: that times
            the unit price.
        state: int64 codes into ``STATES``.
    """

    days_of_cover: FloatArray
    stockout_offset: FloatArray
    horizon_mean: FloatArray
    horizon_var: FloatArray
    probability: FloatArray
    expected_lost_units: FloatArray
    expected_lost_revenue: FloatArray
    state: IntArray


def days_of_cover(*, available: Any, demand_mean: Any) -> FloatArray:
    """Days the available units last at the mean demand rate, shape (n,).

    Equation: ``cover = a / mu`` for ``mu > 0``; ``inf`` when ``mu = 0`` and ``a > 0``;
    ``0`` when ``a <= 0``.

    Example: a = 10 units, mu = 2 units/day give 5 days.
    """
    a = np.asarray(available, dtype=np.float64)
    mu = np.asarray(demand_mean, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cover = np.where(mu > 0.0, a / np.where(mu > 0.0, mu, 1.0), np.inf)
    return np.asarray(np.where(a <= 0.0, 0.0, cover), dtype=np.float64)


def stockout_offset(cover: Any) -> FloatArray:
    """Whole days from today to the projected stock-out, ``floor(cover)``, shape (n,).

    The last unit is sold during day ``floor(a / mu)`` (day 0 is today); ``inf`` stays
    ``inf`` (no projected stock-out). Example: cover 5.6 days gives day 5.
    """
    return np.asarray(np.floor(np.asarray(cover, dtype=np.float64)), dtype=np.float64)


def demand_before_order(*, basis: RiskBasisArrays, available: Any, position: Any) -> FloatArray:
    """Units sold before an order is placed, for rows with nothing on order.

    Equation: ``w = max(IP - s, 0)`` where ``mu > 0`` and nothing is on order
    (``IP <= a``), else 0. The wait for the reorder point ends when
    demand has taken ``IP - s`` units, so these units are known, not random:
    ``D(T) = w + D(L)`` (the (s, Q) system's stock-out per cycle is ``P(D(L) > s)``,
    Silver, Pyke & Thomas 2017, ch. 6). Units on order without a known date are expected
    within a lead time, so such rows do not wait for the reorder point (``w = 0``).

    Example: IP = a = 30, s = 10 give w = 20 units.
    """
    ip = np.asarray(position, dtype=np.float64)
    wait = np.maximum(ip - basis.reorder_point, 0.0)
    nothing_on_order = ip <= np.asarray(available, dtype=np.float64)
    ordering = (basis.demand_mean > 0.0) & nothing_on_order
    return np.asarray(np.where(ordering, wait, 0.0), dtype=np.float64)


def dated_receipt(*, basis: RiskBasisArrays, available: Any, position: Any) -> BoolArray:
    """Rows whose next receipt has a date: an open purchase order's date is stored and
    units are still on order (``IP > a``; once they are received the date is stale)."""
    on_order = np.asarray(position, np.float64) > np.asarray(available, np.float64)
    return np.asarray(~np.isnan(basis.days_to_receipt) & on_order, dtype=np.bool_)


def demand_spread(
    basis: RiskBasisArrays,
    *,
    level_days: float = LEVEL_DAYS,
    drift: LevelDrift = PRIOR,
    band_rate: FloatArray | None = None,
) -> probability.DemandSpread:
    """The level term of the demand over the horizon (``probability.DemandSpread``).

    Equation: the daily rate ``mu`` is itself uncertain, with variance
    ``tau^2 = sigma^2 / level_days + c^2(mu) mu^2`` (units^2/day^2): the sampling error
    of a mean of ``level_days`` days plus the rate's drift, ``c^2`` that of the rate's
    velocity band (``drift``, the prior 0.04 in one band by default; the band is looked
    up from ``band_rate`` when given, the forecast's own rate before a rate ratio, else
    from ``mu``); an error in the rate repeats on every day, so demand over ``t`` days
    has variance ``sigma^2 t + tau^2 t^2``.

    Example: mu = 2, sigma^2 = 2, c^2 = 0.04: tau^2 = 2 / 56 + 0.04 x 4 = 0.1957; over
    10 days the variance is 20 + 19.57 = 39.57 units^2 instead of 20.
    """
    level = probability.level_variance(basis.demand_var, level_days)
    mu = basis.demand_mean
    band = mu if band_rate is None else band_rate
    return probability.DemandSpread(level_var=level + drift(band) * mu**2)


def with_undershoot(
    spread: probability.DemandSpread, basis: RiskBasisArrays, known: FloatArray
) -> probability.DemandSpread:
    """``spread`` with the reorder point's undershoot ``U`` on the rows that wait for
    their order (``known`` = ``demand_before_order`` > 0), (n,) each.

    Equation: ``D(t) + U`` with ``E[U]`` and ``Var[U]`` of ``planning.risk.undershoot``
    from the row's ``mu`` and ``sigma^2`` (``offset_mean``, ``offset_var``); other rows
    add 0 (an order is out, or due now: the position is already known).

    Example: Poisson mu = 2 waiting for s: E[U] = 1 unit, Var[U] = 1.33 units^2.
    """
    mean_u, var_u = undershoot_model.undershoot_moments(basis.demand_mean, basis.demand_var)
    waiting = known > 0.0
    return dataclasses.replace(
        spread,
        offset_mean=np.where(waiting, mean_u, 0.0),
        offset_var=np.where(waiting, var_u, 0.0),
    )


def exposure_points(
    *, basis: RiskBasisArrays, available: Any, position: Any
) -> tuple[FloatArray, FloatArray]:
    """(n, K) support points (days) and masses of the random part of the exposure ``T``
    (``planning.risk.horizon``): the days to a dated receipt, or a lead time; the wait
    for the reorder point is known demand (``demand_before_order``), not in these."""
    if basis.delay_points is None or basis.delay_mass is None:
        delay = horizon.from_moments(
            np.maximum(basis.receipt_delay_mean, 0.0), basis.receipt_delay_var, -np.inf
        )
    else:
        delay = (basis.delay_points, basis.delay_mass)
    if basis.lead_points is None or basis.lead_mass is None:
        lead = horizon.from_moments(basis.lead_time_mean, basis.lead_time_var)
    else:
        lead = (basis.lead_points, basis.lead_mass)
    return horizon.exposure(
        dated=dated_receipt(basis=basis, available=available, position=position),
        days_to_receipt=basis.days_to_receipt,
        delay_points=delay[0],
        delay_mass=delay[1],
        lead_points=lead[0],
        lead_mass=lead[1],
    )


def receipt_horizon(
    *,
    basis: RiskBasisArrays,
    available: Any,
    position: Any,
) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of ``T``, the days of demand before the next receipt, shape (n,).

    Day convention: a receipt ``r`` days from now serves the demand of days
    ``1 .. r - 1`` (``T = max(r - 1, 0)``; the receipt day's sales do not count).

    Equations (``E``, ``Var`` over ``exposure_points``):

    * with an open purchase order (``dated_receipt``) due in ``d`` days from a supplier
      late by ``delta`` days (its delay pmf): ``T = max(d + delta - 1, 0)``, points with
      ``d + delta < 0`` left out (the order has not come);
    * without one and with nothing on order, an order is placed when the position ``IP``
      falls to the reorder point ``s`` and arrives a lead time ``L`` later:
      ``E[T] = max(0, (IP - s) / mu) + E[max(L - 1, 0)]``, ``Var[T] = Var[max(L - 1, 0)]``;
      with ``mu = 0`` the wait for the reorder point is left out (no demand, no stock-out);
    * units on order without a known date (``IP > a``) arrive within a lead time:
      ``T = max(L - 1, 0)``.

    Example: IP = a = 30, s = 10, mu = 2, L = 7 days for sure give E[T] = 10 + 6 = 16.
    """
    mu = basis.demand_mean
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        known = demand_before_order(basis=basis, available=available, position=position)
        wait = known / np.where(mu > 0.0, mu, 1.0)
    points, mass = exposure_points(basis=basis, available=available, position=position)
    mean, var = horizon.moments(points, mass)
    return np.asarray(wait + mean, dtype=np.float64), np.asarray(var, dtype=np.float64)


def classify(
    *,
    available: Any,
    probability: Any,
    position: Any,
    reorder_point: Any,
    thresholds: RiskThresholds = DEFAULT_THRESHOLDS,
) -> IntArray:
    """Risk state codes (``STATES``) of n rows (module docstring for the rules)."""
    a = np.asarray(available, dtype=np.float64)
    p = np.asarray(probability, dtype=np.float64)
    below = np.asarray(position, dtype=np.float64) <= np.asarray(reorder_point, np.float64)
    state = np.where(p >= thresholds.watch_probability, WATCH, OK)
    state = np.where(below & (state == OK), WATCH, state)
    state = np.where(p >= thresholds.at_risk_probability, AT_RISK, state)
    return np.asarray(np.where(a <= 0.0, OUT_OF_STOCK, state), dtype=np.int64)


def assess(
    *,
    basis: RiskBasisArrays,
    available: Any,
    position: Any,
    thresholds: RiskThresholds = DEFAULT_THRESHOLDS,
    recalibrate: calibration.IsotonicMap = calibration.IDENTITY,
    drift: LevelDrift = PRIOR,
    rate_ratio: RateRatio = NEUTRAL,
    undershoot: bool | None = None,
) -> RiskFigures:
    """All risk figures of n rows from their basis and their current stock.

    Args:
        basis: the stored basis (``RiskBasisArrays``), (n,) arrays.
        available: (n,) units available now (on hand - allocated - reserved).
        position: (n,) inventory position, units (available + on order).
        thresholds: probabilities of the ``at_risk`` and ``watch`` states.
        recalibrate: the stored recalibration map applied to the model's probability
            (``planning.risk.calibration``; identity by default). Rows with nothing
            available keep ``P = 1``; the expected lost units are not recalibrated.
        drift: ``c^2`` per velocity band of the stored rate ``mu`` (``demand_spread``).
        rate_ratio: ``b`` per velocity band of the stored rate (``planning.risk.
            rate_ratio``, ADR 0022; 1 by default): every figure reads the rate
            ``b mu`` and the daily variance ``b sigma^2`` (same dispersion), the drift's
            band still that of ``mu``.
        undershoot: rows waiting for their order (``w > 0``) add the units ``U`` the
            position ends below ``s`` on the day the order goes out
            (``planning.risk.undershoot``, ADR 0030); None: ``undershoot.APPLY_BY_DEFAULT``.

    Equations: ``P = sum_j w_j P(D(t_j) > a - w)`` and lost units
    ``sum_j w_j E[(D(t_j) - (a - w))^+]`` with ``w`` the units sold before an order is
    placed (``demand_before_order``, 0 when units are on order) and ``(t_j, w_j)`` the
    points of the random part of the exposure ``T' = T - w / mu`` (``exposure_points``;
    ``planning.risk.probability.stockout_probability_over_points``); ``D(t)`` has mean
    ``mu t`` and variance ``sigma^2 t + tau^2 t^2`` with the rate's own uncertainty
    ``tau^2`` (``demand_spread``).

    Returns: ``RiskFigures`` of (n,) arrays; lost revenue is in the price's currency.
    """
    a = np.asarray(available, dtype=np.float64)
    stored_rate = basis.demand_mean
    if not rate_ratio.neutral:
        ratio = rate_ratio(stored_rate)
        basis = dataclasses.replace(
            basis, demand_mean=stored_rate * ratio, demand_var=basis.demand_var * ratio
        )
    cover = days_of_cover(available=a, demand_mean=basis.demand_mean)
    known = demand_before_order(basis=basis, available=a, position=position)
    points, mass = exposure_points(basis=basis, available=a, position=position)
    mean_t, horizon_var = horizon.moments(points, mass)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        mu = basis.demand_mean
        horizon_mean = known / np.where(mu > 0.0, mu, 1.0) + mean_t
    demand = (basis.demand_mean, basis.demand_var, points, mass)
    spread = demand_spread(basis, drift=drift, band_rate=stored_rate)
    if undershoot_model.APPLY_BY_DEFAULT if undershoot is None else undershoot:
        spread = with_undershoot(spread, basis, known)
    p, lost = probability.tail_figures_over_points(a - known, *demand, spread)
    if recalibrate.settled:
        p = np.where(a <= 0.0, p, recalibrate(p))
    return RiskFigures(
        days_of_cover=cover,
        stockout_offset=stockout_offset(cover),
        horizon_mean=horizon_mean,
        horizon_var=horizon_var,
        probability=p,
        expected_lost_units=lost,
        expected_lost_revenue=lost * basis.unit_price,
        state=classify(
            available=a,
            probability=p,
            position=position,
            reorder_point=basis.reorder_point,
            thresholds=thresholds,
        ),
    )
