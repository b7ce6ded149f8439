"""Replenishment policies per SKU x location row: reorder point, order-up-to level, lot size.

Kinds (Silver, Pyke & Thomas 2017, 4th ed., ch. 6; Snyder & Shen 2019, 2nd ed., ch. 3-5;
Axsäter 2015, "Inventory Control", 3rd ed., ch. 4-5). ``mu``/``sigma`` are the mean and
standard deviation of demand over the protection interval: the lead time ``L`` for
continuous review, ``L + R`` for periodic review with review period ``R``.

| kind | reorder point | order-up-to | order now |
|---|---|---|---|
| (s,Q) EOQ or fixed Q | ``s = mu_L + SS`` | ``s + Q`` | ``n Q`` when ``IP <= s`` (1) |
| (s,S) | ``s = mu_L + SS`` | ``S = s + Q`` | ``S - IP`` when ``IP <= s`` |
| (R,S) | ``S`` | ``S = mu_{L+R} + SS`` | ``S - IP`` at each review |
| min/max | ``min = mu_L + SS`` | ``max = min + Q`` | ``max - IP`` when ``IP < min`` |
| just-in-time | 0 | 0 | ``max(-IP, 0)``: each sale (allocation) is ordered |
| manual | given min | given max | as min/max |

(1) ``n`` is the smallest whole number with ``IP + n Q > s``.

``Q`` is the economic order quantity ``sqrt(2 D K / h)`` (Harris 1913) for EOQ rows and,
for (s,S) and min/max rows, where ordering and holding costs are given; otherwise the
row's fixed order quantity. Lot sizes are at least one unit. ``IP`` is the inventory
position (``inventory_position``).

Fill-rate rows of the continuous-review kinds ((s,Q), (s,S), min/max) take their
reorder point from one of two models (``fill_rate_model``, ``lost_sales.FillRateModel``):

* ``BACKORDER``: the textbook equation above (``mu_L``, ``sigma_L`` over ``L``, the
  whole ``Var[L]``, ``ES(s) = (1 - beta) Q``);
* ``LOST_SALES`` (the product's planning run uses it): ``lost_sales.lost_sales_rows``,
  with a planning run as a daily review: protection demand ``X = D_{L-1} + U`` (the
  undershoot ``U`` and the dispersion ``phi_P`` read from the row's own sales history),
  the lead-time variance with crossing orders ``min(Var[L], max(Q / d, 1) c)``, the
  lost-sales target ``(2 beta - 1) / beta`` and a negative binomial ``X``. Then
  ``mu``/``sigma`` are those of ``X``, the protection interval is ``L - 1`` days and
  ``SS = s - E[X]``, at least 0 (``lost_sales_floor_at_mean=False``: negative where
  the equation asks for less than ``E[X]``, ``s >= 0``; ADR 0017).

(R,S) rows and cycle-service rows always use the textbook equations.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from stockguard.planning.forecasting import leadtime
from stockguard.planning.inventory import lost_sales
from stockguard.planning.inventory._arrays import BoolArray, FloatArray, IntArray, as_float
from stockguard.planning.inventory._policy_inputs import PolicyInputs, validate_policy_inputs
from stockguard.planning.inventory.distributions import (
    DemandDistribution,
    safety_stock_by_distribution,
)
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.lost_sales import FillRateModel
from stockguard.planning.inventory.safety_stock import ServiceMeasure, fill_rate_mask

MINIMUM_LOT_SIZE = 1.0
"""Smallest lot size (units) a policy uses, so a product without demand still orders whole units."""


@dataclass(frozen=True, slots=True)
class PolicyTable:
    """Policy parameters per row (SKU x location), all (n,) arrays.

    Attributes:
        kind: PolicyKind values, int64.
        safety_stock: units, ``reorder_point - protection_demand_mean`` (for (R,S)
            ``order_up_to - protection_demand_mean``); the implied value for manual rows.
        reorder_point: units; order when the inventory position reaches it.
        order_up_to: units; the position after ordering (``s + Q`` for (s,Q)).
        order_quantity: units; the lot ``Q`` for (s,Q), ``S - s`` for (s,S), min/max and
            manual, expected demand per review period for (R,S), 0 for just-in-time.
        protection_demand_mean: units of demand expected over the protection interval.
        protection_demand_std: units, its standard deviation.
        protection_interval: days, ``L`` or ``L + R``.
        safety_factor: ``safety_stock / protection_demand_std`` (0 where the std is 0).
        fill_rate_model: ``FillRateModel`` of the row's reorder point (BACKORDER on every
            row that does not use the lost-sales model, cycle-service rows included).
        undershoot_mean: ``E[U]``, units (0 outside the lost-sales model).
        demand_dispersion: ``phi_P`` of the lost-sales model (NaN elsewhere).
        lead_time_variance: days^2 the row used: ``sigma_LT,eff^2`` with crossing orders
            (lost-sales model), ``sigma_LT^2`` elsewhere.
    """

    kind: IntArray
    safety_stock: FloatArray
    reorder_point: FloatArray
    order_up_to: FloatArray
    order_quantity: FloatArray
    protection_demand_mean: FloatArray
    protection_demand_std: FloatArray
    protection_interval: FloatArray
    safety_factor: FloatArray
    fill_rate_model: IntArray
    undershoot_mean: FloatArray
    demand_dispersion: FloatArray
    lead_time_variance: FloatArray

    def __len__(self) -> int:
        return int(self.kind.size)


def economic_order_quantity(
    *, annual_demand: Any, ordering_cost: Any, holding_cost: Any
) -> FloatArray:
    """Economic order quantity ``Q* = sqrt(2 D K / h)``, shape of the broadcast inputs.

    Args:
        annual_demand: ``D``, units/year (>= 0).
        ordering_cost: ``K``, cost per order (>= 0).
        holding_cost: ``h``, cost per unit per year (> 0), same currency as ``K``.

    Example (Snyder & Shen 2019, Example 3.1): D = 1300, K = 8, h = 0.225 gives
    Q* = sqrt(2 * 8 * 1300 / 0.225) = 304.05 units.
    """
    demand = np.asarray(annual_demand, dtype=np.float64)
    return np.asarray(
        np.sqrt(2.0 * demand * np.asarray(ordering_cost) / np.asarray(holding_cost)), np.float64
    )


def compute_policies(
    *,
    kind: Any,
    demand_mean: Any,
    demand_std: Any,
    lead_time_mean: Any,
    service_level: Any,
    lead_time_std: Any = 0.0,
    service_measure: Any = ServiceMeasure.CYCLE_SERVICE_LEVEL,
    distribution: Any = DemandDistribution.NORMAL,
    review_period: Any = None,
    fixed_order_quantity: Any = None,
    ordering_cost: Any = None,
    holding_cost: Any = None,
    manual_minimum: Any = None,
    manual_maximum: Any = None,
    demand_samples: Any = None,
    days_per_year: float = 365.0,
    allow_negative_safety_stock: bool = False,
    fill_rate_model: Any = FillRateModel.BACKORDER,
    demand_history: Any = None,
    lead_time_crossing: Any = None,
    history_window: int = lost_sales.HISTORY_WINDOW,
    lost_sales_floor_at_mean: bool = True,
    lost_sales_terms: Any = None,
    lot_undershoot: bool = False,
    lost_sales_shape_group: Any = None,
    lost_sales_shape: Any = None,
    lost_sales_carried_shortage: int = 0,
) -> PolicyTable:
    """Policy parameters for every row, each with its own kind and parameters.

    Demand over the protection interval comes from ``forecasting.leadtime.lead_time_demand``
    (``mu = sum_t w_t d_t``, ``sigma^2 = sum_t w_t sigma_t^2 + dbar^2 sigma_LT^2``), with the
    interval ``L`` for continuous review and ``L + R`` for (R,S). Safety stock comes from
    each row's distribution and service measure (``distributions``), with ``Q`` the lot
    size (expected review-period demand ``dbar R`` for (R,S)) in the fill-rate equation.
    Fill-rate rows of continuous-review kinds whose ``fill_rate_model`` is LOST_SALES
    take ``lost_sales.lost_sales_rows`` instead (module docstring), with a day as the
    period.

    Args:
        kind: (n,) PolicyKind values.
        demand_mean: (n,) units/day, or (n, horizon) daily forecast means.
        demand_std: same shape, units/day.
        lead_time_mean: (n,) days, >= 0.
        service_level: (n,) target in (0, 1); NaN allowed on just-in-time and manual rows.
        lead_time_std: (n,) days, >= 0.
        service_measure: ServiceMeasure for all rows, or (n,) ints.
        distribution: DemandDistribution for all rows, or (n,) ints (lost-sales rows:
            negative binomial whatever is given).
        review_period: (n,) days ``R`` > 0, required on (R,S) rows (NaN elsewhere).
        fixed_order_quantity: (n,) units > 0, required on fixed-Q rows and on (s,S) and
            min/max rows without costs.
        ordering_cost, holding_cost: (n,) ``K`` per order and ``h`` per unit per year, for
            EOQ (NaN where unknown).
        manual_minimum, manual_maximum: (n,) units, required on manual rows.
        demand_samples: (n, m) protection-interval demand samples for EMPIRICAL rows.
        days_per_year: converts daily demand to the annual ``D`` of the EOQ.
        allow_negative_safety_stock: keep negative safety stock from the fill-rate equation.
        fill_rate_model: FillRateModel for all rows, or (n,) ints.
        demand_history: (n, n_days) units sold per day before the forecast's first day,
            NaN where not observed (stock-out days); None: no history (lost-sales rows
            then read the undershoot off the forecast).
        lead_time_crossing: (n,) crossing spread ``sum_k p_k (1 - p_k)`` of the row's
            lead time, days (``lost_sales.crossing_spread``); None or NaN: the normal
            value ``sigma_LT / sqrt(pi)``.
        history_window: days of ``demand_history`` read by the lost-sales model.
        lost_sales_floor_at_mean: keep the lost-sales rows' reorder point at or above
            ``E[X]`` (safety stock >= 0; the default, ADR 0017); False: the reorder point
            the equation gives, at least 0 (``lost_sales.lost_sales_rows``, item 5).
        lost_sales_terms: (n, 3) undershoot mean, variance and dispersion given per row
            (``pooled_rate.PooledRates.history_terms``: a never-sold SKU's group launch),
            NaN rows (or None) from ``demand_history``.
        lot_undershoot: the lost-sales rows' undershoot from the walk over their own lot
            (``undershoot``) instead of the renewal limit (``lost_sales`` item 1).
        lost_sales_shape_group: (n,) group codes: the lost-sales rows' undershoot from
            their own rate and their group's common lump shape
            (``undershoot.common_shape_undershoot``); None: their own sample moments.
        lost_sales_shape: (n,) the common lump shape ``k`` of each row given (a run's
            stored group figures; NaN: its own sample moments); not with
            ``lost_sales_shape_group``.
        lost_sales_carried_shortage: a ``carried.Carried``: the lost-sales rows' cycle
            shortage net of the part the cycle before counted (ALL: ``ES(s) - ES(s + Q
            + E[U])``; LEAD_TIME: the lead-time term's part only; ADR 0031's
            candidates); NONE (0, default): ``ES(s)``.

    Raises:
        ValueError: naming the argument and the first row whose value is invalid.
    """
    inputs = validate_policy_inputs(
        kind=kind,
        demand_mean=demand_mean,
        demand_std=demand_std,
        lead_time_mean=lead_time_mean,
        lead_time_std=lead_time_std,
        service_level=service_level,
        review_period=review_period,
        fixed_order_quantity=fixed_order_quantity,
        ordering_cost=ordering_cost,
        holding_cost=holding_cost,
        manual_minimum=manual_minimum,
        manual_maximum=manual_maximum,
    )
    if not days_per_year > 0:
        raise ValueError(f"days_per_year: must be positive, got {days_per_year}")
    size = inputs.kind.size
    measure = np.broadcast_to(np.asarray(service_measure, dtype=np.int64), (size,))
    lost = _lost_sales_rows(inputs, fill_rate_mask(measure, size), fill_rate_model)
    periodic = inputs.kind == PolicyKind.PERIODIC_ORDER_UP_TO
    interval = inputs.lead_time_mean + np.where(periodic, inputs.review_period, 0.0)
    daily = inputs.demand_mean.mean(axis=1)
    lot = _lot_size(inputs, daily * days_per_year)
    cycle_quantity = np.where(periodic, np.maximum(daily * inputs.review_period, 1e-9), lot)
    parts = _Parts.empty(size, inputs.lead_time_std**2)
    textbook = np.flatnonzero(~lost)
    if textbook.size:
        chosen = _take(inputs, textbook)
        demand = leadtime.lead_time_demand(
            demand_mean=chosen.demand_mean,
            demand_std=chosen.demand_std,
            lead_time_mean=interval[textbook],
            lead_time_std=chosen.lead_time_std,
            levels=(0.5,),
        )
        samples = None if demand_samples is None else np.asarray(demand_samples, np.float64)
        safety, mean, std = _safety_stock(
            chosen,
            demand,
            cycle_quantity[textbook],
            distribution=_per_row(distribution, size)[textbook],
            service_measure=measure[textbook],
            samples=None if samples is None else samples[textbook],
            allow_negative=allow_negative_safety_stock,
        )
        parts.fill(textbook, safety=safety, mean=mean, std=std)
    rows = np.flatnonzero(lost)
    if rows.size:
        levels = lost_sales.lost_sales_rows(
            demand_mean=inputs.demand_mean[rows],
            demand_std=inputs.demand_std[rows],
            lead_time_mean=inputs.lead_time_mean[rows],
            lead_time_variance=inputs.lead_time_std[rows] ** 2,
            lead_time_crossing=_crossing(lead_time_crossing, inputs, rows),
            fill_rate=inputs.service_level[rows],
            order_quantity=lot[rows],
            sales=_history(demand_history, size, rows),
            undershoot_window=history_window,
            floor_at_mean=lost_sales_floor_at_mean,
            history_terms=None
            if lost_sales_terms is None
            else np.asarray(lost_sales_terms, dtype=np.float64).reshape(size, 3)[rows],
            lot_undershoot=lot_undershoot,
            shape_group=None
            if lost_sales_shape_group is None
            else np.asarray(lost_sales_shape_group).reshape(size)[rows],
            shape=None
            if lost_sales_shape is None
            else np.asarray(lost_sales_shape, dtype=np.float64).reshape(size)[rows],
            carried_shortage=lost_sales_carried_shortage,
        )
        parts.fill_lost_sales(rows, levels)
        interval[rows] = levels.protection_interval
    return _assemble(inputs, parts, interval, lot, cycle_quantity)


@dataclass(frozen=True, slots=True)
class _Parts:
    """Per-row pieces both models give: safety stock and the protection demand."""

    safety: FloatArray
    mean: FloatArray
    std: FloatArray
    model: IntArray
    undershoot: FloatArray
    dispersion: FloatArray
    lead_time_variance: FloatArray

    @classmethod
    def empty(cls, size: int, lead_time_variance: FloatArray) -> _Parts:
        return cls(
            safety=np.zeros(size),
            mean=np.zeros(size),
            std=np.zeros(size),
            model=np.full(size, int(FillRateModel.BACKORDER), dtype=np.int64),
            undershoot=np.zeros(size),
            dispersion=np.full(size, np.nan),
            lead_time_variance=np.array(lead_time_variance, dtype=np.float64),
        )

    def fill(
        self, rows: IntArray, *, safety: FloatArray, mean: FloatArray, std: FloatArray
    ) -> None:
        self.safety[rows], self.mean[rows], self.std[rows] = safety, mean, std

    def fill_lost_sales(self, rows: IntArray, levels: lost_sales.LostSalesLevels) -> None:
        mean = levels.protection_mean
        self.fill(rows, safety=levels.reorder_point - mean, mean=mean, std=levels.protection_std)
        self.model[rows] = int(FillRateModel.LOST_SALES)
        self.undershoot[rows] = levels.undershoot_mean
        self.dispersion[rows] = levels.dispersion
        self.lead_time_variance[rows] = levels.lead_time_variance


_CONTINUOUS = [
    PolicyKind.REORDER_POINT_EOQ,
    PolicyKind.REORDER_POINT_FIXED_QUANTITY,
    PolicyKind.REORDER_POINT_ORDER_UP_TO,
    PolicyKind.MIN_MAX,
]


def _lost_sales_rows(inputs: PolicyInputs, fill: BoolArray, fill_rate_model: Any) -> BoolArray:
    """(n,) True on fill-rate rows of continuous-review kinds with the LOST_SALES model."""
    model = _per_row(fill_rate_model, inputs.kind.size)
    unknown = np.flatnonzero(~np.isin(model, [int(m) for m in FillRateModel]))
    if unknown.size:
        raise ValueError(
            f"fill_rate_model: row {int(unknown[0])} is {int(model[unknown[0]])}, expected "
            f"one of {[f'{m.name}={int(m)}' for m in FillRateModel]}"
        )
    chosen = fill & (model == FillRateModel.LOST_SALES) & np.isin(inputs.kind, _CONTINUOUS)
    return np.asarray(chosen, dtype=np.bool_)


def _per_row(values: Any, size: int) -> IntArray:
    array = np.asarray(values, dtype=np.int64)
    if array.ndim == 0:
        return np.full(size, int(array), dtype=np.int64)
    if array.shape != (size,):
        raise ValueError(f"expected one value or shape ({size},), got {array.shape}")
    return array


def _take(inputs: PolicyInputs, rows: IntArray) -> PolicyInputs:
    """The validated inputs of ``rows`` only."""
    if rows.size == inputs.kind.size:
        return inputs
    return PolicyInputs(**{f.name: getattr(inputs, f.name)[rows] for f in fields(inputs)})


def _crossing(values: Any, inputs: PolicyInputs, rows: IntArray) -> FloatArray:
    """(rows,) crossing spread in days: given, else the normal ``sigma_LT / sqrt(pi)``."""
    normal = lost_sales.normal_crossing_spread(inputs.lead_time_std[rows])
    if values is None:
        return normal
    given = np.broadcast_to(np.asarray(values, dtype=np.float64), inputs.kind.shape)[rows]
    if np.any(given < 0):
        raise ValueError("lead_time_crossing: expected days >= 0 (NaN where unknown)")
    return np.asarray(np.where(np.isfinite(given), given, normal), dtype=np.float64)


def _history(values: Any, size: int, rows: IntArray) -> FloatArray | None:
    if values is None:
        return None
    history = np.asarray(values, dtype=np.float64)
    if history.ndim != 2 or history.shape[0] != size:
        raise ValueError(f"demand_history: expected ({size}, n_days), got {history.shape}")
    if np.any(history < 0):  # NaN compares False: unobserved days pass
        raise ValueError("demand_history: expected units sold >= 0 (NaN where not observed)")
    return history if rows.size == size else history[rows]


def _safety_stock(
    inputs: PolicyInputs,
    demand: leadtime.LeadTimeDemand,
    cycle_quantity: FloatArray,
    *,
    distribution: Any,
    service_measure: Any,
    samples: FloatArray | None,
    allow_negative: bool,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(n,) safety stock and the mean and std of protection demand it was computed from.

    Rows that keep no stock by rule (just-in-time, manual) are computed as normal rows
    with placeholder targets and ignored by ``_assemble``. EMPIRICAL rows report the
    mean and standard deviation of their samples.
    """
    stocked = ~np.isin(inputs.kind, [PolicyKind.JUST_IN_TIME, PolicyKind.MANUAL])
    model = np.where(
        stocked,
        np.broadcast_to(np.asarray(distribution, dtype=np.int64), stocked.shape),
        DemandDistribution.NORMAL,
    )
    safety = safety_stock_by_distribution(
        distribution=model,
        service_level=np.where(stocked, inputs.service_level, 0.5),
        service_measure=service_measure,
        demand_mean=demand.mean,
        demand_std=demand.std,
        order_quantity=np.where(stocked, cycle_quantity, 1.0),
        demand_samples=samples,
        allow_negative=allow_negative,
    )
    empirical_rows = model == DemandDistribution.EMPIRICAL
    mean = np.where(empirical_rows, safety.reorder_point - safety.safety_stock, demand.mean)
    std = demand.std
    if samples is not None and empirical_rows.any():
        spread = np.nanstd(np.where(empirical_rows[:, None], samples, 0.0), axis=1)
        std = np.where(empirical_rows, spread, std)
    return safety.safety_stock, mean, std


def _lot_size(inputs: PolicyInputs, annual_demand: FloatArray) -> FloatArray:
    """(n,) lot size: EOQ where costs are known (always on EOQ rows), else the fixed Q."""
    with np.errstate(divide="ignore", invalid="ignore"):
        eoq = economic_order_quantity(
            annual_demand=annual_demand,
            ordering_cost=inputs.ordering_cost,
            holding_cost=inputs.holding_cost,
        )
    use_eoq = np.isfinite(eoq) & (inputs.kind != PolicyKind.REORDER_POINT_FIXED_QUANTITY)
    lot = np.where(use_eoq, eoq, inputs.fixed_order_quantity)
    lot = np.maximum(np.nan_to_num(lot, nan=MINIMUM_LOT_SIZE), MINIMUM_LOT_SIZE)
    return np.asarray(lot, dtype=np.float64)


def _assemble(
    inputs: PolicyInputs,
    parts: _Parts,
    interval: FloatArray,
    lot: FloatArray,
    cycle_quantity: FloatArray,
) -> PolicyTable:
    """Reorder point, order-up-to level and lot per kind from the shared pieces."""
    kind, mean, std = inputs.kind, parts.mean, parts.std
    target = mean + parts.safety
    periodic = kind == PolicyKind.PERIODIC_ORDER_UP_TO
    manual = kind == PolicyKind.MANUAL
    just_in_time = kind == PolicyKind.JUST_IN_TIME
    reorder_point = np.where(manual, inputs.manual_minimum, target)
    order_up_to = np.where(periodic, target, reorder_point + lot)
    order_up_to = np.where(manual, inputs.manual_maximum, order_up_to)
    reorder_point = np.where(just_in_time, 0.0, reorder_point)
    order_up_to = np.where(just_in_time, 0.0, order_up_to)
    quantity = np.where(periodic, cycle_quantity, order_up_to - reorder_point)
    quantity = np.where(just_in_time, 0.0, quantity)
    quantity = np.where(kind <= PolicyKind.REORDER_POINT_FIXED_QUANTITY, lot, quantity)
    safety_stock = np.where(manual, reorder_point - mean, np.where(just_in_time, 0.0, parts.safety))
    with np.errstate(divide="ignore", invalid="ignore"):
        factor = np.where(std > 0, safety_stock / std, 0.0)
    return PolicyTable(
        kind=kind,
        safety_stock=safety_stock,
        reorder_point=reorder_point,
        order_up_to=order_up_to,
        order_quantity=quantity,
        protection_demand_mean=mean,
        protection_demand_std=std,
        protection_interval=interval,
        safety_factor=factor,
        fill_rate_model=parts.model,
        undershoot_mean=parts.undershoot,
        demand_dispersion=parts.dispersion,
        lead_time_variance=parts.lead_time_variance,
    )


def inventory_position(
    on_hand: Any, on_order: Any, allocated: Any, backorders: Any = 0
) -> FloatArray:
    """Inventory position ``IP = on_hand + on_order - allocated - backorders``, units.

    All arguments are (n,) arrays or scalars (broadcast); integers stay exact in float64.
    """
    position = (
        np.asarray(on_hand, dtype=np.float64)
        + np.asarray(on_order, dtype=np.float64)
        - np.asarray(allocated, dtype=np.float64)
        - np.asarray(backorders, dtype=np.float64)
    )
    return np.asarray(position, dtype=np.float64)


def order_quantity_needed(position: Any, table: PolicyTable) -> FloatArray:
    """Units to order now per row, before rounding to MOQ and pack size; shape (n,).

    Rules (module table): (s,Q) orders ``n Q`` with ``n = floor((s - IP) / Q) + 1`` when
    ``IP <= s``; (s,S) orders ``S - IP`` when ``IP <= s``; min/max and manual order
    ``max - IP`` when ``IP < min``; (R,S) orders ``max(S - IP, 0)`` (call it on review
    days); just-in-time orders ``max(-IP, 0)``.

    Example: s = 10, Q = 25, IP = -3 gives n = floor(13 / 25) + 1 = 1, so 25 units.
    """
    ip = as_float("position", position, len(table))
    kind = table.kind
    s, big_s, lot = table.reorder_point, table.order_up_to, table.order_quantity
    at_or_below = ip <= s
    with np.errstate(divide="ignore", invalid="ignore"):
        lots = np.floor((s - ip) / lot) + 1.0
        by_lots = np.where(at_or_below & (lot > 0), lots * lot, 0.0)
    up_to = np.maximum(big_s - ip, 0.0)
    quantity = np.select(
        [
            kind <= PolicyKind.REORDER_POINT_FIXED_QUANTITY,
            kind == PolicyKind.REORDER_POINT_ORDER_UP_TO,
            kind == PolicyKind.PERIODIC_ORDER_UP_TO,
            kind == PolicyKind.JUST_IN_TIME,
        ],
        [by_lots, np.where(at_or_below, up_to, 0.0), up_to, np.maximum(-ip, 0.0)],
        default=np.where(ip < s, up_to, 0.0),
    )
    return np.asarray(quantity, dtype=np.float64)
