"""(s,S) levels for a fill rate under lost sales, period review and crossing orders.

The textbook fill-rate equation (``safety_stock``: ``ES(s) = (1 - beta) Q`` with ``ES``
over the lead-time demand ``D_L``) assumes continuous review, backorders and orders that
arrive in the order they were placed. A shop reviewed once per period (day or month),
losing the sales it cannot serve, and buying from a supplier whose deliveries are often
early or late departs from all three; replaying real data shows the errors (see
docs/replenishment.md, "Replay"). This module puts the three corrections into the
equation, all with one period as the time unit:

1. **Period review: undershoot and the protection interval.** The position is reviewed
   at the end of period ``t``, after its demand; when ``IP_t <= s`` the order
   ``S - IP_t`` arrives at the start of period ``t + L``. The position at the order is
   ``s - U`` where the undershoot ``U >= 0`` is what the last period's demand carried the
   position below ``s``, and the order must cover the ``L - 1`` periods ``t + 1 ..
   t + L - 1`` before it arrives. The shortage per cycle is therefore
   ``ES(s) = E[(X - s)^+]`` with the protection demand ``X = D_{L-1} + U`` (not
   ``D_L``), and an order holds ``Q + U`` units on average. For whole-unit per-period
   demand ``D`` with raw moments ``m_1, m_2, m_3``, the stationary undershoot of a
   renewal process has ``P(U = u) = P(D > u) / m_1`` (u = 0, 1, ...), so

       E[U]   = (m_2 - m_1) / (2 m_1)
       E[U^2] = (2 m_3 - 3 m_2 + m_1) / (6 m_1)

   (Hadley & Whitin 1963, ch. 4; Silver, Pyke & Thomas 2017, 4th ed., sec. 7.x on
   undershoots). Constant demand of 10 per period gives ``E[U] = 4.5`` and
   ``Var[U] = 8.25`` (uniform on 0..9). Lumpy demand (monthly car parts: mostly 0, now and
   then several units) gives an undershoot larger than a period's mean demand, which the
   textbook equation ignores.

2. **Crossing orders: lead-time variance.** With independent lead times and orders placed
   every ``T`` periods, the units ordered but not received are the orders ``j`` of age
   ``a_j`` still out, each with probability ``p(a) = P(L > a)``. Their number varies with
   ``sum_j p(a_j) (1 - p(a_j))``, not with ``Var[L]``: a late order is overtaken by the
   next ones (Bradley & Robinson 2005, "Improved base-stock approximations for
   independent stochastic lead times with order crossover", M&SOM 7(4)). Spreading the
   orders' ages evenly over ``T`` gives the lead-time variance that enters the demand
   over the lead time:

       sigma_LT,eff^2 = min( Var[L],  T sum_{k >= 0} p_k (1 - p_k) ),  p_k = P(L > k),
       T = max(Q / d, 1)   (periods between orders, at least one)

   ``sum_k p_k = E[L]`` and ``sum_k p_k (1 - p_k) <= Var[L]`` whenever ``T = 1``. For the
   SCMS delivery record (stated 7 days plus delays from -130 to +51 days, floored at one
   day) ``Var[L] = 115.6`` days^2 but ``sum_k p_k (1 - p_k) = 3.05``.

3. **Lost sales.** Demand lost in a cycle does not use up the order, so a cycle sees
   ``Q + E[U] + ES`` units of demand and serves ``Q + E[U]`` of them:
   ``beta = (Q + E[U]) / (Q + E[U] + ES)`` gives

       ES(s) = (1 - beta) / beta * (Q + E[U]),

   the backorder equation with the target ``beta' = (2 beta - 1) / beta`` (Silver, Pyke &
   Thomas 2017, the lost-sales form of the P2 equation). ``beta' < beta``: a lost-sales
   shop needs slightly less stock than the backorder formula says.

Putting them together, with ``mu_t`` and ``sigma_t`` the forecast per period:

    E[X]   = sum_{t < E[L] - 1} mu_t + E[U]
    Var[X] = max(sum_{t < E[L] - 1} sigma_t^2, phi_P sum_{t < E[L] - 1} mu_t)
             + d^2 sigma_LT,eff^2 + Var[U]
    s      = the fill-rate reorder point of ``distributions`` for mean E[X], std sqrt(Var[X]),
             lot Q + E[U] and target beta'
    S      = s + Q

4. **Over-dispersion.** The per-period spread of a forecast read from its quantiles as
   normal understates count demand that comes in lumps (a wholesale order of 200 units
   on a day that averages 20). The demand part of ``Var[X]`` is taken as the larger of
   the forecast's and ``phi_P E[D_{L-1}]``, with ``phi_P`` the variance-to-mean ratio of
   the SKU's own ``P``-period demand totals (overlapping windows, ``P = round(E[L] - 1)``,
   at least 1) over its recent history (``dispersion_index``).

5. **The floor at the mean (``floor_at_mean``).** A lost-sales target with a lot that is
   large against the spread of ``X`` (a fast mover at 90%) is met with ``s < E[X]``:
   the equation's shortage ``(1 - beta') (Q + E[U])`` is then larger than ``ES(E[X])``.
   Flooring the safety stock at 0, as the textbook tables do, serves more than the
   target where the model is right (a replay of Poisson demand of 30 a day, lot a week's
   demand, fixed 8-day lead time: 96.7% at a 90% target with the floor, 90.5% without).
   The product keeps the floor all the same (ADR 0017): on real lumpy demand (car
   parts) the model under-states the shortage and the floor is what holds the fill rate
   up (without it: 80.4 / 84.2 / 89.6% at 90 / 95 / 98% instead of 83.6 / 87.1 /
   90.9%), while on M5 it changes under 0.15 points. ``floor_at_mean=False`` gives the
   equation's ``s``, floored at 0 only: the position of a lost-sales shop never goes
   below 0, so a lower ``s`` would never order.

The undershoot moments and ``phi_P`` are read from the SKU's own per-period demand
history (the caller passes the uncensored fitting history: a replay's own sales miss
the stock-out days, which are the big-demand days, and would bias both low), not from
the forecast: a forecast's quantile spread read as normal misstates the shape of count
demand. Nothing here is fitted to the period that is being planned.

Item 1's law is the limit of a lot of many periods, read off the SKU's own sample.
``undershoot`` has the two alternatives of ADR 0023, off by default here: the exact walk
over the row's own lot (``lot_undershoot``) and the row's rate with its group's common
lump shape (``shape_group`` learns it from the rows, ``shape`` takes it given), for lots
of about one period and for lumps a short history misses. A replenishment run passes
the common shape by default since ADR 0028 (``services.replenishment.compute``).
``carried_shortage`` nets out of the cycle's ``ES(s)`` what the cycle before counted
(``carried``; ADR 0031's two candidates for M5's overshoot, both refused, and ADR
0035's late lots alone, which a replenishment run passes by default; here the default
is none).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

import numpy as np

from stockguard.planning.forecasting import leadtime
from stockguard.planning.inventory import carried, undershoot
from stockguard.planning.inventory._arrays import FloatArray, as_float, check_range
from stockguard.planning.inventory.distributions import (
    DemandDistribution,
    safety_stock_by_distribution,
)
from stockguard.planning.inventory.safety_stock import ServiceMeasure


class FillRateModel(IntEnum):
    """Which equation a fill-rate row's reorder point comes from."""

    BACKORDER = 0
    """The textbook equation (``safety_stock``): continuous review, backorders, lead-time
    demand ``D_L``, lead-time variance ``Var[L]`` in full."""
    LOST_SALES = 1
    """This module: period review (undershoot), crossing orders, lost sales, the SKU's
    own dispersion."""


HISTORY_WINDOW = 91
"""Periods of sales history read for the undershoot and the dispersion (13 weeks)."""

SMALLEST_TARGET = 1e-6
"""Lower end of the lost-sales target ``beta'`` (a fill rate at or below 50% asks for none)."""


@dataclass(frozen=True, slots=True)
class LostSalesLevels:
    """(s,S) levels per row and the pieces they were computed from, all (n,) arrays.

    Attributes:
        reorder_point: ``s``, units; order when the position is at or below it.
        order_up_to: ``S = s + Q``, units.
        order_quantity: ``Q``, units.
        protection_mean: ``E[X]``, units (``X = D_{L-1} + U``).
        protection_std: ``sqrt(Var[X])``, units.
        undershoot_mean: ``E[U]``, units.
        lead_time_variance: ``sigma_LT,eff^2`` used, periods^2.
        dispersion: ``phi_P`` used (1 where the history had too few totals).
        protection_interval: ``E[L] - 1``, periods of forecast demand in ``X``.
    """

    reorder_point: FloatArray
    order_up_to: FloatArray
    order_quantity: FloatArray
    protection_mean: FloatArray
    protection_std: FloatArray
    undershoot_mean: FloatArray
    lead_time_variance: FloatArray
    dispersion: FloatArray
    protection_interval: FloatArray


def crossover_lead_time_variance(*, lead_times: Any, order_interval: Any) -> FloatArray:
    """Lead-time variance with crossing orders (module docstring, item 2).

    ``sigma_LT,eff^2 = min(Var[L], max(T, 1) sum_k p_k (1 - p_k))``, ``p_k = P(L > k)``.

    Args:
        lead_times: (m,) observed lead times of the supplier, periods >= 0.
        order_interval: (n,) periods between orders ``T`` (floored at 1).

    Returns: (n,) periods^2.

    Example: lead times 1 and 3 equally often: ``Var[L] = 1``, ``p = (1, .5, .5, 0)``,
    ``sum p (1 - p) = 0.5``; ``T = 1`` gives 0.5, ``T = 4`` gives min(1, 2) = 1.
    """
    lead = np.asarray(lead_times, dtype=np.float64).reshape(-1)
    if lead.size == 0 or not np.all(np.isfinite(lead)) or np.any(lead < 0):
        raise ValueError("lead_times: expected at least one finite lead time >= 0")
    interval = as_float("order_interval", order_interval)
    ages = np.arange(int(np.ceil(lead.max())) + 1, dtype=np.float64)
    beyond = np.mean(lead[None, :] > ages[:, None], axis=1)
    spread = float(np.sum(beyond * (1.0 - beyond)))
    return np.asarray(np.minimum(lead.var(), np.maximum(interval, 1.0) * spread), np.float64)


def undershoot_moments(*, sales: Any, window: int) -> tuple[FloatArray, FloatArray]:
    """Mean and variance of the undershoot ``U`` per row (module docstring, item 1).

    ``E[U] = (m_2 - m_1) / (2 m_1)``, ``Var[U] = (2 m_3 - 3 m_2 + m_1) / (6 m_1) - E[U]^2``
    with ``m_j`` the mean of ``y^j`` over the last ``window`` observed periods of
    ``sales`` (NaN = not observed, e.g. a stock-out period). Rows without sales get 0.

    Args:
        sales: (n, n_periods) units sold per period, NaN where unobserved.
        window: periods read from the end, >= 1.

    Returns: ((n,) units, (n,) units^2).

    Example: 10 units every period: E[U] = (100 - 10) / 20 = 4.5, E[U^2] = (2000 - 300 +
    10) / 60 = 28.5, Var[U] = 28.5 - 20.25 = 8.25.
    """
    if window < 1:
        raise ValueError(f"window: expected >= 1 period, got {window}")
    values = np.asarray(sales, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"sales: expected (n, n_periods), got {values.shape}")
    recent = values[:, -window:]
    if np.any(recent < 0):
        raise ValueError("sales: expected units >= 0")
    seen = ~np.isnan(recent)
    count = np.maximum(seen.sum(axis=1), 1)
    y = np.where(seen, recent, 0.0)
    squares = y * y
    m1 = y.sum(axis=1) / count
    m2 = squares.sum(axis=1) / count
    m3 = np.einsum("ij,ij->i", squares, y) / count
    safe = np.where(m1 > 0, m1, 1.0)
    mean = np.where(m1 > 0, (m2 - m1) / (2.0 * safe), 0.0)
    second = np.where(m1 > 0, (2.0 * m3 - 3.0 * m2 + m1) / (6.0 * safe), 0.0)
    mean = np.maximum(mean, 0.0)
    return mean, np.maximum(second - mean**2, 0.0)


def dispersion_index(*, sales: Any, window: int, periods: int) -> FloatArray:
    """Variance-to-mean ratio of ``periods``-period demand totals per row (item 4).

    Over the last ``window`` periods of ``sales``, every run of ``periods`` consecutive
    observed periods gives a total ``y``; ``phi = var(y) / mean(y)`` (sample variance,
    ``(sum y^2 - m ybar^2) / (m - 1)`` over the ``m`` totals: one pass over the array).
    Rows with fewer than two totals or no demand get 1 (Poisson).

    Args:
        sales: (n, n_periods) units per period, NaN where unobserved.
        window: periods read from the end, >= periods.
        periods: length ``P`` of the totals, >= 1.

    Returns: (n,) ratio >= 0.

    Example: demand 0, 4, 0, 4 with P = 1: mean 2, sample variance 16 / 3, phi = 8 / 3;
    with P = 2 every total is 4 and phi = 0.
    """
    if periods < 1 or window < periods:
        raise ValueError(f"periods and window: expected 1 <= periods <= window, got {periods}")
    values = np.asarray(sales, dtype=np.float64)
    if values.ndim != 2:
        raise ValueError(f"sales: expected (n, n_periods), got {values.shape}")
    recent = values[:, -window:]
    seen = ~np.isnan(recent)
    n_rows, width = recent.shape
    total = np.zeros((n_rows, width + 1))
    np.cumsum(np.where(seen, recent, 0.0), axis=1, out=total[:, 1:])
    count = np.zeros((n_rows, width + 1), dtype=np.int32)
    np.cumsum(seen, axis=1, out=count[:, 1:])
    sums = total[:, periods:] - total[:, :-periods]
    full = (count[:, periods:] - count[:, :-periods]) == periods
    sums *= full
    n_sums = full.sum(axis=1)
    mean = sums.sum(axis=1) / np.maximum(n_sums, 1)
    squares = np.einsum("ij,ij->i", sums, sums) - n_sums * mean**2
    variance = np.maximum(squares, 0.0) / np.maximum(n_sums - 1, 1)
    usable = (n_sums >= 2) & (mean > 0)
    ratio = np.where(usable, variance / np.where(usable, mean, 1.0), 1.0)
    return np.asarray(ratio, dtype=np.float64)


def lost_sales_target(fill_rate: Any) -> FloatArray:
    """Backorder-equation target with the same lost-sales fill rate (item 3).

    ``beta' = (2 beta - 1) / beta``, floored at ``SMALLEST_TARGET``; shape of the input.

    Example: beta = 0.9 gives 0.8 / 0.9 = 0.888889; 0.98 gives 0.979592.
    """
    beta = np.asarray(fill_rate, dtype=np.float64)
    if np.any(~(beta > 0.0) | ~(beta < 1.0)):
        raise ValueError("fill_rate: expected values in (0, 1)")
    return np.asarray(np.maximum((2.0 * beta - 1.0) / beta, SMALLEST_TARGET), np.float64)


def crossing_spread(lead_times: Any) -> float:
    """``sum_k p_k (1 - p_k)`` with ``p_k = P(L > k)`` of a sample of lead times, periods.

    For whole-period lead times this sum equals half the mean absolute difference of
    two independent draws, ``E|L - L'| / 2`` (Gini's mean difference over 2: ``E|L -
    L'| = 2 sum_k F(k) (1 - F(k))``), computed from the sorted sample ``l_(1) <= ... <=
    l_(m)`` as ``sum_i (2 i - m - 1) l_(i) / m^2``. It is what a lead time of
    ``crossover_lead_time_variance`` spreads with when orders cross (item 2).

    Args:
        lead_times: (m,) observed lead times (or delays: the sum does not change with a
            shift), periods; m >= 1.

    Returns: periods >= 0; 0 for a single observation or a constant lead time.

    Example: lead times 1 and 3 equally often: ``(|1-3| + |3-1|) / 4 / 2 = 0.5``, the
    ``sum p (1 - p)`` of ``crossover_lead_time_variance``'s example.
    """
    values = np.sort(np.asarray(lead_times, dtype=np.float64).reshape(-1))
    if values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError("lead_times: expected at least one finite lead time")
    m = values.size
    weights = 2.0 * np.arange(1, m + 1) - m - 1.0
    return float(np.dot(weights, values) / m**2)


def normal_crossing_spread(lead_time_std: Any) -> FloatArray:
    """``E|L - L'| / 2 = sigma_LT / sqrt(pi)`` for a normal lead time, periods.

    The crossing spread of a lead time known only by its standard deviation (no
    sample of its own); shape of the input.

    Example: sigma_LT = 2 days gives 2 / 1.772454 = 1.128379 days.
    """
    return np.asarray(np.asarray(lead_time_std, dtype=np.float64) / np.sqrt(np.pi), np.float64)


def lost_sales_levels(
    *,
    demand_mean: Any,
    demand_std: Any,
    lead_times: Any,
    fill_rate: Any,
    order_quantity: Any,
    sales: Any,
    undershoot_window: int,
    distribution: DemandDistribution = DemandDistribution.NEGATIVE_BINOMIAL,
    floor_at_mean: bool = True,
) -> LostSalesLevels:
    """(s,S) for a fill rate under lost sales and period review, one supplier's sample.

    ``lost_sales_rows`` with every row's lead time read from the same sample:
    ``E[L]`` its mean, ``Var[L]`` its variance and the crossing spread ``sum_k p_k (1 -
    p_k)`` over whole ages ``k`` (module docstring).

    Args:
        demand_mean: (n, horizon) forecast mean per period, units; horizon >= E[L].
        demand_std: (n, horizon) forecast standard deviation per period, units.
        lead_times: (m,) the supplier's observed lead times, periods >= 1 (the order
            placed at the end of period t arrives at the start of t + L).
        fill_rate: (n,) target ``beta`` in (0, 1), share of demand served.
        order_quantity: (n,) lot ``Q`` > 0, units.
        sales: (n, n_periods) the SKU's demand per period before now (fitting
            history), NaN where not observed.
        undershoot_window: periods of ``sales`` read for the undershoot and ``phi_P``.
        distribution: the model of ``X`` (NORMAL, POISSON or NEGATIVE_BINOMIAL).
        floor_at_mean: keep ``s >= E[X]`` (default; ``lost_sales_rows``, item 5).

    Returns: LostSalesLevels.

    Example: d = 10 every period (sigma 0), L = 3 always, Q = 20, beta = 0.95: E[U] =
    4.5, E[X] = 2 * 10 + 4.5 = 24.5, Var[X] = 8.25 (only U varies; constant sales give
    phi = 0); with a normal X,
    ``G(k) = (1 - beta') (Q + E[U]) / sigma_X``.
    """
    mean = np.atleast_2d(np.asarray(demand_mean, dtype=np.float64))
    lead = np.asarray(lead_times, dtype=np.float64).reshape(-1)
    if lead.size == 0 or np.any(~(lead >= 1.0)):
        raise ValueError("lead_times: expected at least one lead time >= 1 period")
    ages = np.arange(int(np.ceil(lead.max())) + 1, dtype=np.float64)
    beyond = np.mean(lead[None, :] > ages[:, None], axis=1)
    n_rows = mean.shape[0]
    return lost_sales_rows(
        demand_mean=mean,
        demand_std=demand_std,
        lead_time_mean=np.full(n_rows, float(lead.mean())),
        lead_time_variance=np.full(n_rows, float(lead.var())),
        lead_time_crossing=np.full(n_rows, float(np.sum(beyond * (1.0 - beyond)))),
        fill_rate=fill_rate,
        order_quantity=order_quantity,
        sales=sales,
        undershoot_window=undershoot_window,
        distribution=distribution,
        floor_at_mean=floor_at_mean,
    )


def lost_sales_rows(
    *,
    demand_mean: Any,
    demand_std: Any,
    lead_time_mean: Any,
    lead_time_variance: Any,
    lead_time_crossing: Any,
    fill_rate: Any,
    order_quantity: Any,
    sales: Any,
    undershoot_window: int,
    distribution: Any = DemandDistribution.NEGATIVE_BINOMIAL,
    floor_at_mean: bool = True,
    history_terms: Any = None,
    lot_undershoot: bool = False,
    shape_group: Any = None,
    shape: Any = None,
    carried_shortage: int = 0,
) -> LostSalesLevels:
    """(s,S) for a fill rate under lost sales and period review, each row its own
    supplier (module docstring, items 1-4).

    Per row: ``P = max(round(E[L] - 1), 1)``; ``d`` the forecast's mean over the first
    ``ceil(E[L])`` periods; ``T = Q / d``; ``sigma_LT,eff^2 = min(Var[L], max(T, 1)
    c)`` with ``c`` the crossing spread; ``E[X]``, ``Var[X]`` and ``s`` as in the module
    docstring. A row without an observed period in the last ``undershoot_window`` of
    ``sales`` (a new product, or one out of stock all that time) takes its undershoot
    from its forecast mean read as Poisson instead (``forecast_undershoot_moments``) and
    ``phi = 1``.

    Args:
        demand_mean: (n, horizon) forecast mean per period, units.
        demand_std: (n, horizon) forecast standard deviation per period, units.
        lead_time_mean: (n,) ``E[L]``, periods; values below 1 are read as 1 (an order
            placed at the end of a period arrives at the start of the next at best).
        lead_time_variance: (n,) ``Var[L]``, periods^2 >= 0.
        lead_time_crossing: (n,) ``c = sum_k p_k (1 - p_k)``, periods >= 0
            (``crossing_spread`` of a sample, ``normal_crossing_spread`` of a std).
        fill_rate: (n,) target ``beta`` in (0, 1).
        order_quantity: (n,) lot ``Q`` > 0, units.
        sales: (n, n_periods) demand per period before now, NaN where not observed;
            None: no history for any row.
        undershoot_window: periods of ``sales`` read for the undershoot and ``phi_P``.
        distribution: DemandDistribution of ``X`` for all rows, or (n,) ints.
        floor_at_mean: keep ``s >= E[X]`` (safety stock >= 0), the product's default
            (ADR 0017). False: ``s`` is what the equation gives, at least 0 (item 5).
        history_terms: (n, 3) ``E[U]``, ``Var[U]`` and ``phi_P`` given per row (e.g. a
            never-sold SKU's group launch, ``pooled_rate``), NaN rows (or None) from
            ``sales`` as above.
        lot_undershoot: take the undershoot of rows with a history from the walk over
            their own lot (``undershoot.lot_undershoot_moments``: exact for i.i.d.
            demand, lots up to ``undershoot.MAX_LOT_UNITS``) instead of the renewal
            limit of item 1; False (default): the renewal limit.
        shape_group: (n,) group codes: rows with a sale in the window take the
            undershoot of a negative binomial with their own rate and their group's
            common shape (``undershoot.common_shape_undershoot``; over ``lot_undershoot``);
            None (default): their own sample moments.
        shape: (n,) the common lump shape ``k`` each row takes, given (a run's group
            figures, ``undershoot.common_shapes``); rows with a sale in the window take
            ``undershoot.shape_undershoot`` with it, NaN rows their own sample moments.
            Not with ``shape_group``.
        carried_shortage: a ``carried.Carried``: negative binomial rows solve
            ``ES(s) - ES(s + Q + E[U]) <= (1 - beta') (Q + E[U])`` (ALL) or net out the
            lead-time term's part only (LEAD_TIME), ADR 0031's candidates, or the late
            lots' own shortfall ``C_LT`` (LATE_LOTS, ADR 0035); NONE (default): ``ES(s)``.

    Returns: LostSalesLevels.
    """
    mean = np.atleast_2d(np.asarray(demand_mean, dtype=np.float64))
    std = np.atleast_2d(np.asarray(demand_std, dtype=np.float64))
    if std.shape != mean.shape:
        raise ValueError(f"demand_std: expected shape {mean.shape}, got {std.shape}")
    n_rows = mean.shape[0]
    lot = as_float("order_quantity", order_quantity, n_rows)
    check_range("order_quantity", lot, low=0.0, low_inclusive=False)
    target = lost_sales_target(as_float("fill_rate", fill_rate, n_rows))
    lead_mean = np.maximum(as_float("lead_time_mean", lead_time_mean, n_rows), 1.0)
    lead_var = as_float("lead_time_variance", lead_time_variance, n_rows)
    crossing = as_float("lead_time_crossing", lead_time_crossing, n_rows)
    check_range("lead_time_variance", lead_var, low=0.0)
    check_range("lead_time_crossing", crossing, low=0.0)
    history = np.full((n_rows, 1), np.nan) if sales is None else np.asarray(sales, np.float64)
    if history.ndim != 2 or history.shape[0] != n_rows:
        raise ValueError(f"sales: expected ({n_rows}, n_periods), got {history.shape}")
    before_arrival = lead_mean - 1.0
    daily = _mean_over_first(mean, np.maximum(np.ceil(lead_mean), 1.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        interval = np.where(daily > 0, lot / daily, np.inf)
        # with no crossing spread the term is 0 whatever the interval (an infinite
        # interval, zero daily demand, times 0 would be NaN)
        crossing_variance = np.where(crossing > 0, np.maximum(interval, 1.0) * crossing, 0.0)
    lead_variance = np.minimum(lead_var, crossing_variance)
    demand = leadtime.lead_time_demand(
        demand_mean=mean,
        demand_std=std,
        lead_time_mean=before_arrival,
        lead_time_std=np.zeros(n_rows),
        levels=(0.5,),
    )
    common = _common_shape_terms(history, undershoot_window, shape_group, shape, n_rows)
    under_mean, under_variance, phi = _history_terms(
        history, mean, undershoot_window, lead_mean, None if common is None else common[2]
    )
    if lot_undershoot:
        exact_mean, exact_variance, done = undershoot.lot_undershoot_moments(
            sales=history, window=undershoot_window, lot=lot
        )
        under_mean = np.where(done, exact_mean, under_mean)
        under_variance = np.where(done, exact_variance, under_variance)
    if common is not None:
        common_mean, common_variance, sold = common
        under_mean = np.where(sold, common_mean, under_mean)
        under_variance = np.where(sold, common_variance, under_variance)
    if history_terms is not None:
        given = np.asarray(history_terms, dtype=np.float64).reshape(n_rows, 3)
        known = np.isfinite(given).all(axis=1)
        under_mean = np.where(known, given[:, 0], under_mean)
        under_variance = np.where(known, given[:, 1], under_variance)
        phi = np.where(known, given[:, 2], phi)
    demand_variance = np.maximum(demand.std**2, phi * demand.mean)
    protection_mean = demand.mean + under_mean
    protection_std = np.sqrt(demand_variance + daily**2 * lead_variance + under_variance)
    reorder_point = safety_stock_by_distribution(
        distribution=np.broadcast_to(np.asarray(distribution, dtype=np.int64), (n_rows,)),
        service_level=target,
        service_measure=ServiceMeasure.FILL_RATE,
        demand_mean=protection_mean,
        demand_std=protection_std,
        order_quantity=lot + under_mean,
        allow_negative=not floor_at_mean,
    ).reorder_point
    if int(carried_shortage) != carried.Carried.NONE:
        reorder_point = _carried_reorder_point(
            carried.Carried(int(carried_shortage)),
            np.broadcast_to(np.asarray(distribution, dtype=np.int64), (n_rows,)),
            reorder_point,
            (
                protection_mean,
                protection_std,
                np.sqrt(demand_variance + under_variance),
                daily * np.sqrt(lead_variance),
            ),
            lot + under_mean,
            target,
            floor_at_mean,
        )
    # a lost-sales position never goes below 0, so a reorder point below it never orders
    reorder_point = np.maximum(reorder_point, 0.0)
    return LostSalesLevels(
        reorder_point=reorder_point,
        order_up_to=reorder_point + lot,
        order_quantity=lot,
        protection_mean=protection_mean,
        protection_std=protection_std,
        undershoot_mean=under_mean,
        lead_time_variance=lead_variance,
        dispersion=phi,
        protection_interval=before_arrival,
    )


def _carried_reorder_point(
    mode: carried.Carried,
    kinds: Any,
    reorder_point: FloatArray,
    protection: tuple[FloatArray, FloatArray, FloatArray, FloatArray],
    cycle_lot: FloatArray,
    target: FloatArray,
    floor_at_mean: bool,
) -> FloatArray:
    """``reorder_point`` with its negative binomial rows solved on the net cycle
    shortage of ``carried`` (ADR 0031, 0035); ``protection`` is ``E[X]``, ``sigma_X``,
    ``sigma_X0`` (without the lead-time term) and ``sigma_Z = d sigma_LT,eff`` (the
    lead-time term alone), ``cycle_lot`` ``Q + E[U]``, units."""
    mean, std, base, late = protection
    rows = np.flatnonzero(kinds == int(DemandDistribution.NEGATIVE_BINOMIAL))
    result = reorder_point.copy()
    result[rows] = carried.net_shortage_reorder_point(
        mean=mean[rows],
        std=std[rows],
        lot=cycle_lot[rows],
        target=target[rows],
        floor_at_mean=floor_at_mean,
        base_std=base[rows] if mode is carried.Carried.LEAD_TIME else None,
        late_lots_std=late[rows] if mode is carried.Carried.LATE_LOTS else None,
        plain=reorder_point[rows] if mode is carried.Carried.LATE_LOTS else None,
    )
    return result


def forecast_undershoot_moments(
    *, demand_mean: Any, demand_std: Any
) -> tuple[FloatArray, FloatArray]:
    """Undershoot mean and variance from a per-period forecast read as negative binomial.

    For rows without sales history. Per-period demand with mean ``mu`` and variance
    ``v = max(sigma^2, mu)`` (Poisson at least) has the raw moments ``m_1 = mu``,
    ``m_2 = v + mu^2`` and ``m_3 = mu_3 + 3 mu v + mu^3`` with the negative binomial's
    third central moment ``mu_3 = 2 v^2 / mu - v``; the undershoot follows from them as
    in ``undershoot_moments``.

    Args:
        demand_mean: (n,) units per period >= 0.
        demand_std: (n,) units per period >= 0.

    Returns: ((n,) units, (n,) units^2); 0 for rows without demand.

    Example: Poisson mu = 2 (sigma^2 = 2): m = (2, 6, 22), E[U] = (6 - 2) / 4 = 1,
    E[U^2] = (44 - 18 + 2) / 12 = 7 / 3, Var[U] = 4 / 3.
    """
    mu = np.asarray(demand_mean, dtype=np.float64)
    variance = np.maximum(np.asarray(demand_std, dtype=np.float64) ** 2, mu)
    safe = np.where(mu > 0, mu, 1.0)
    third = 2.0 * variance**2 / safe - variance
    m1, m2 = mu, variance + mu**2
    m3 = third + 3.0 * mu * variance + mu**3
    mean = np.where(mu > 0, (m2 - m1) / (2.0 * safe), 0.0)
    second = np.where(mu > 0, (2.0 * m3 - 3.0 * m2 + m1) / (6.0 * safe), 0.0)
    mean = np.maximum(mean, 0.0)
    return mean, np.maximum(second - mean**2, 0.0)


def dispersion_by_row(*, sales: Any, window: int, periods: Any) -> FloatArray:
    """``dispersion_index`` with each row's own total length ``P`` (rows grouped by ``P``).

    Args:
        sales: (n, n_periods) units per period, NaN where unobserved.
        window: periods read from the end (at least ``P`` per row: ``max(window, P)``).
        periods: (n,) whole ``P`` >= 1 per row.

    Returns: (n,) ratio >= 0 (1 where fewer than two totals).
    """
    values = np.asarray(sales, dtype=np.float64)
    span = np.asarray(periods, dtype=np.int64).reshape(-1)
    phi = np.ones(values.shape[0])
    for length in np.unique(span).tolist():
        rows = np.flatnonzero(span == length)
        chosen = values if rows.size == span.size else values[rows]
        phi[rows] = dispersion_index(sales=chosen, window=max(window, length), periods=length)
    return phi


def _history_terms(
    history: FloatArray,
    mean: FloatArray,
    window: int,
    lead_mean: FloatArray,
    covered: np.ndarray[Any, np.dtype[np.bool_]] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Undershoot mean and variance and ``phi_P`` per row: from the history where it has
    an observed period in the window, elsewhere from the first forecast period's mean
    read as Poisson (``phi = 1``, the same assumption as the rows' dispersion).

    Not the forecast's std: for a row without observed sales that spread is the
    forecaster's uncertainty, not demand's lumpiness, and read as a negative binomial it
    makes ``E[U] = (sigma^2 + mu^2 - mu) / (2 mu)`` run away as ``mu -> 0`` (a SKU out of
    stock for the whole window, forecast 3e-9 units/day with sigma 0.16, got a reorder
    point of 14 million units).

    ``covered`` (n,): rows whose undershoot comes from elsewhere (the common lump shape);
    their own sample moments are not computed (0 here, replaced by the caller; the
    dispersion ``phi`` still is)."""
    seen = np.isfinite(history[:, -window:]).any(axis=1)
    first = np.maximum(mean[:, 0], 0.0)
    under_mean, under_variance = forecast_undershoot_moments(
        demand_mean=first, demand_std=np.sqrt(first)
    )
    phi = np.ones(history.shape[0])
    rows = np.flatnonzero(seen)
    if rows.size:
        observed = history if rows.size == history.shape[0] else history[rows]
        own = rows if covered is None else np.flatnonzero(seen & ~covered)
        if own.size:
            sample = history if own.size == history.shape[0] else history[own]
            found_mean, found_variance = undershoot_moments(sales=sample, window=window)
            under_mean[own], under_variance[own] = found_mean, found_variance
        if covered is not None:
            under_mean[covered], under_variance[covered] = 0.0, 0.0
        span = np.maximum(np.round(lead_mean[rows] - 1.0), 1.0)
        phi[rows] = dispersion_by_row(sales=observed, window=window, periods=span)
    return under_mean, under_variance, phi


def _common_shape_terms(
    history: FloatArray, window: int, shape_group: Any, shape: Any, n_rows: int
) -> tuple[FloatArray, FloatArray, np.ndarray[Any, np.dtype[np.bool_]]] | None:
    """Undershoot mean and variance with a common lump shape, learnt from the rows'
    groups (``shape_group``) or given per row (``shape``), and the rows they apply to
    (a sale in the window; ``shape`` not NaN); None when neither is given."""
    if shape_group is not None and shape is not None:
        raise ValueError("shape_group, shape: give one of them, not both")
    if shape_group is not None:
        first, variance, _ = undershoot.common_shape_undershoot(
            sales=history, window=window, group=shape_group
        )
        return first, variance, first > 0
    if shape is None:
        return None
    k = np.broadcast_to(np.asarray(shape, dtype=np.float64), (n_rows,))
    given = np.isfinite(k)
    check_range("shape", k, low=0.0, rows=given)
    first, variance = undershoot.shape_undershoot(
        sales=history, window=window, shape=np.where(given, k, 0.0)
    )
    return first, variance, given & (first > 0)


def _mean_over_first(values: FloatArray, count: FloatArray) -> FloatArray:
    """(n,) mean of the first ``count`` columns of each row (all columns at most), >= 0."""
    columns = np.arange(values.shape[1])
    used = columns[None, :] < np.minimum(count, values.shape[1])[:, None]
    total = np.where(used, values, 0.0).sum(axis=1)
    return np.asarray(np.maximum(total / np.maximum(used.sum(axis=1), 1), 0.0), np.float64)
