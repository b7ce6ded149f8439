"""The replenishment computation on arrays: settings -> supplier -> policy -> transfers ->
order quantities -> split and rounding -> budget. Pure (no ports), vectorised over rows.

Steps for every row (SKU x location):

1. **Supplier ranking** (``sourcing.score_offers``) with the row's daily demand ``d``, its
   spread, ``k = Phi^-1(service level)`` (the cycle-service reading also for fill-rate
   rows: it only ranks suppliers) and a typical order of ``d x typical_cover_days``. The
   best offer's lead time (stated + mean delay, delay spread) and cost feed the policy.
2. **Policy** (``policies.compute_policies``) with the row's kind, service measure and
   level, the forecast over the protection interval, ``ordering_cost`` and a holding cost
   of ``holding_rate x unit cost`` per year. Fill-rate rows of continuous-review kinds
   use the run's ``fill_rate_model``: ``lost_sales`` (default; ``inventory.lost_sales``
   with a run as a daily review, the row's sales history and its supplier's crossing
   spread) or ``backorder`` (the textbook equation). The lost-sales undershoot of a row
   that sold reads its own rate with its category's common lump shape (ADR 0028,
   ``Parameters.common_lump_shape``; ``run_priors.lump_shapes``), and its cycle
   shortage nets out the late lots' own shortfall (ADR 0035,
   ``Parameters.carried_shortage``; ``planning.inventory.carried``).
3. **Position** ``IP = on_hand + on_order - allocated - backorders`` (negative on-hand
   units are backorders; ``on_order`` here also counts draft purchase orders, so a
   proposal approved but not yet sent is not ordered twice) and the need
   ``order_quantity_needed(IP)``; every run counts as a review of periodic rows.
4. **Transfers** (``transfers``): rows with excess above ``S`` plus ``transfer_margin``
   give to rows of the same SKU that need units, when cheaper than buying; the need is
   then recomputed on the new positions.
5. **Split and rounding** (``sourcing.allocate``) under the row's maximum supplier share.
6. **Budget** (``budget``): lines kept by expected lost margin avoided per unit of money,
   under the overall budget and the budgets of rules (lines under the same budget rule
   share its budget).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import special

from stockguard.domain import replenishment as r
from stockguard.planning.inventory import budget, sourcing, transfers, undershoot
from stockguard.planning.inventory.carried import Carried
from stockguard.planning.inventory.kinds import PolicyKind
from stockguard.planning.inventory.lost_sales import HISTORY_WINDOW, FillRateModel
from stockguard.planning.inventory.policies import (
    PolicyTable,
    compute_policies,
    inventory_position,
    order_quantity_needed,
)
from stockguard.planning.inventory.pooled_rate import PooledRates
from stockguard.services.replenishment import pooling, run_priors
from stockguard.services.replenishment.inputs import PlanInputs
from stockguard.services.replenishment.settings import (
    POLICIES,
    FloatArray,
    IntArray,
    ResolvedSettings,
)

_KIND: dict[r.PolicyName, PolicyKind] = {
    r.PolicyName.EOQ: PolicyKind.REORDER_POINT_EOQ,
    r.PolicyName.FIXED_QUANTITY: PolicyKind.REORDER_POINT_FIXED_QUANTITY,
    r.PolicyName.ORDER_UP_TO: PolicyKind.REORDER_POINT_ORDER_UP_TO,
    r.PolicyName.PERIODIC: PolicyKind.PERIODIC_ORDER_UP_TO,
    r.PolicyName.MIN_MAX: PolicyKind.MIN_MAX,
    r.PolicyName.JUST_IN_TIME: PolicyKind.JUST_IN_TIME,
    r.PolicyName.MANUAL: PolicyKind.MANUAL,
}
KIND_OF_POLICY = np.array([_KIND[name] for name in POLICIES], dtype=np.int64)
"""``PolicyKind`` of each entry of ``settings.POLICIES``."""

NO_BUDGET, WITHIN_BUDGET, OVER_BUDGET = 0, 1, 2
POOLED_RATES_DEFAULT = True
"""A run pools slow rows' rates by default (ADR 0018: adopted on the development
windows of the replay)."""
COMMON_LUMP_SHAPE_DEFAULT = True
"""A run's lost-sales undershoot reads each row's rate with its category's common lump
shape by default (ADR 0028: adopted on the development windows of the replay)."""
CARRIED_SHORTAGE_DEFAULT = Carried.LATE_LOTS
"""A run's lost-sales cycle shortage nets out the late lots' own shortfall by default
(``carried``, ADR 0035: adopted on the development windows of the replay)."""


@dataclass(frozen=True, slots=True)
class Parameters:
    """Costs and defaults of a run (money in the run's currency)."""

    budget: float | None = None
    ordering_cost: float = 25.0
    holding_rate: float = 0.25
    """Share of the unit cost per year."""
    transfer_fixed_cost: float = 15.0
    transfer_unit_cost: float = 0.5
    transfer_margin: float = 0.2
    """Share of its order-up-to level a location keeps above it before giving units."""
    lateness_share: float = 0.1
    """Share of the unit margin a late delivery costs per unit (supplier score)."""
    risk_premium: float = 0.05
    """Share of the unit cost charged per unit of supplier risk score (supplier score)."""
    typical_cover_days: float = 30.0
    default_lead_time_days: float = 7.0
    """Lead time of rows without an offer (no purchase; transfers and policy only)."""
    default_review_period_days: float = 7.0
    fill_rate_model: FillRateModel = FillRateModel.LOST_SALES
    """Equation of fill-rate rows' reorder points (``policies`` module docstring)."""
    pooled_rates: bool = POOLED_RATES_DEFAULT
    """Intermittent, lumpy and never-sold rows plan with pooled rates (``pooling``;
    needs the rows' sales history); False: every row's forecast."""
    common_lump_shape: bool = COMMON_LUMP_SHAPE_DEFAULT
    """Lost-sales rows that sold take the undershoot of a negative binomial with their
    own rate and their category's common shape ``k`` (``undershoot.common_shapes``
    over the run's rows; ADR 0028; needs the rows' sales history); False: each row's
    own sample moments (ADR 0017)."""
    carried_shortage: Carried = CARRIED_SHORTAGE_DEFAULT
    """What a lost-sales row's cycle shortage nets out of ``ES(s)`` (``planning.inventory.
    carried``): the late lots' own shortfall ``C_LT`` (default, ADR 0035); NONE: nothing
    (the rule before); ALL and LEAD_TIME: ADR 0031's refused candidates."""


@dataclass(frozen=True, slots=True)
class RowPlan:
    """Per row (n,): the policy and why it orders what it orders."""

    policy: PolicyTable
    best_offer: IntArray
    scores: sourcing.OfferScores
    lead_time_mean: FloatArray
    lead_time_std: FloatArray
    position: FloatArray
    transfer_in: IntArray
    transfer_out: IntArray
    need: FloatArray
    diversified: npt.NDArray[np.bool_]
    pooled: PooledRates | None = None
    """The pooling's figures per row (``Parameters.pooled_rates``), None when off."""
    priors: run_priors.RunPriors | None = None
    """The group figures the rows were pooled with (stored with a run's proposal)."""


@dataclass(frozen=True, slots=True)
class LinePlan:
    """Per purchase line (one offer's part of a row), all (n_lines,)."""

    allocation: sourcing.Allocation
    cost: FloatArray
    value: FloatArray
    priority: IntArray
    budget_status: IntArray


@dataclass(frozen=True, slots=True)
class TransferLines:
    plan: transfers.TransferPlan
    transfer_cost: FloatArray
    purchase_cost_avoided: FloatArray


@dataclass(frozen=True, slots=True)
class ReplenishmentPlan:
    rows: RowPlan
    lines: LinePlan
    transfers: TransferLines


def plan_replenishment(
    inputs: PlanInputs,
    settings: ResolvedSettings,
    parameters: Parameters,
    *,
    priors: run_priors.RunPriors | None = None,
) -> ReplenishmentPlan:
    """Run the steps of the module docstring; settings must satisfy each row's kind.

    ``priors``: pool slow rows, and take the common lump shapes, with a stored run's group
    figures (one SKU's policy, which has too few rows to learn them) instead of learning
    them from ``inputs``' rows."""
    demand = inputs.daily_mean.mean(axis=1) if inputs.n_rows else np.zeros(0)
    spread = np.sqrt((inputs.daily_std**2).mean(axis=1)) if inputs.n_rows else np.zeros(0)
    scores = _scores(inputs, settings, parameters, demand, spread)
    order = sourcing.rank_offers(scores.total, inputs.offers.indptr)
    best = sourcing.best_offer(scores.total, inputs.offers.indptr, order)
    lead, lead_std, cost = _chosen(inputs, best, parameters)
    pooled, used = _pooled(inputs, parameters, lead, priors)
    shape = _lump_shapes(inputs, parameters, priors if priors is not None else used)
    policy = _policies(
        inputs,
        settings,
        parameters,
        (lead, lead_std, _crossing(inputs, best)),
        cost,
        (pooled, shape),
    )
    backorders = np.maximum(-inputs.on_hand, 0)
    position = inventory_position(
        np.maximum(inputs.on_hand, 0),
        inputs.on_order + inputs.in_draft,
        inputs.allocated,
        backorders,
    )
    moves = _transfers(inputs, policy, position, np.where(best >= 0, cost, np.inf), parameters)
    gained = np.bincount(moves.plan.destination, moves.plan.quantity, inputs.n_rows)
    given = np.bincount(moves.plan.source, moves.plan.quantity, inputs.n_rows)
    after = position + gained - given
    need = np.where(best >= 0, order_quantity_needed(after, policy), 0.0)
    share = settings["max_supplier_share"]
    allocation = sourcing.allocate(need=need, offers=inputs.offers, order=order, max_share=share)
    lines = _budget(inputs, settings, parameters, allocation, policy, after, cost)
    rows = RowPlan(
        policy=policy,
        best_offer=best,
        scores=scores,
        lead_time_mean=lead,
        lead_time_std=lead_std,
        position=position,
        transfer_in=gained.astype(np.int64),
        transfer_out=given.astype(np.int64),
        need=need,
        diversified=allocation.diversified,
        pooled=None if pooled is None else pooled.rates,
        priors=used,
    )
    return ReplenishmentPlan(rows=rows, lines=lines, transfers=moves)


def unsourced(inputs: PlanInputs, plan: ReplenishmentPlan) -> IntArray:
    """Rows that need units but have no offer in the run's currency."""
    policy, rows = plan.rows.policy, plan.rows
    need = order_quantity_needed(rows.position + rows.transfer_in - rows.transfer_out, policy)
    return np.flatnonzero((rows.best_offer < 0) & (need > 0)).astype(np.int64)


def _scores(
    inputs: PlanInputs,
    settings: ResolvedSettings,
    parameters: Parameters,
    demand: FloatArray,
    spread: FloatArray,
) -> sourcing.OfferScores:
    level = np.clip(settings["service_level"], 0.5, 1 - 1e-9)
    product_cost = np.where(np.isfinite(inputs.unit_cost), inputs.unit_cost, inputs.price)
    return sourcing.score_offers(
        offers=inputs.offers,
        demand_mean=demand,
        demand_std=spread,
        safety_factor=special.ndtri(level),
        order_quantity=np.maximum(demand * parameters.typical_cover_days, 1.0),
        holding_rate=parameters.holding_rate / 365.0,
        lateness_cost=parameters.lateness_share * np.maximum(inputs.price - product_cost, 0.0),
        risk_premium=parameters.risk_premium,
    )


def _chosen(
    inputs: PlanInputs, best: IntArray, parameters: Parameters
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Lead time mean and std (days) and unit cost per row, from its best offer.
    (``_crossing`` picks the offer's crossing spread the same way.)"""
    has = best >= 0
    offers = inputs.offers

    def pick(values: FloatArray) -> FloatArray:
        """The best offer's value; NaN (the padding at index -1) where there is none."""
        return np.asarray(np.r_[values, np.nan][np.where(has, best, -1)], dtype=np.float64)

    lead = np.where(has, pick(offers.lead_time_mean), parameters.default_lead_time_days)
    lead_std = np.where(has, pick(offers.lead_time_std), 0.0)
    return lead, lead_std, _fallback_cost(inputs, pick(offers.unit_cost))


def _crossing(inputs: PlanInputs, best: IntArray) -> FloatArray | None:
    """(n,) the best offer's crossing spread, days (NaN: none known); None if not read."""
    if inputs.offer_crossing is None:
        return None
    padded = np.r_[inputs.offer_crossing, np.nan]
    return np.asarray(padded[np.where(best >= 0, best, -1)], dtype=np.float64)


def _fallback_cost(inputs: PlanInputs, offer_cost: FloatArray) -> FloatArray:
    """The offer's cost, else the product's, else its price (at least 0.01)."""
    cost = np.where(np.isfinite(offer_cost), offer_cost, inputs.unit_cost)
    cost = np.where(np.isfinite(cost), cost, inputs.price)
    return np.asarray(np.maximum(cost, 0.01), dtype=np.float64)


def _pooled(
    inputs: PlanInputs,
    parameters: Parameters,
    lead: FloatArray,
    priors: run_priors.RunPriors | None,
) -> tuple[pooling.PooledDemand | None, run_priors.RunPriors | None]:
    """The rows' demand with pooled rates (``pooling``) and the group figures used
    (``priors``, else learnt from the rows: ``run_priors.estimate``); None, None when off
    or without history."""
    history = inputs.sales_history
    if not parameters.pooled_rates or history is None or not inputs.n_rows:
        return None, None
    demand, used = pooling.pool_demand_with(
        priors,
        daily_mean=inputs.daily_mean,
        daily_std=inputs.daily_std,
        sales_history=history,
        categories=inputs.categories,
        lead_time_mean=lead,
    )
    return demand, used if parameters.common_lump_shape else run_priors.without_lumps(used)


def _lump_shapes(
    inputs: PlanInputs, parameters: Parameters, priors: run_priors.RunPriors | None
) -> FloatArray | None:
    """(n,) each row's common lump shape ``k`` (ADR 0028): from ``priors`` when given (a
    stored run's, or the figures the run learnt while pooling), else learnt from the
    rows by category (``undershoot.common_shapes``); None when off, without history, or
    when ``priors`` stored none (the rows' own moments)."""
    history = inputs.sales_history
    if not parameters.common_lump_shape or history is None or not inputs.n_rows:
        return None
    if priors is not None:
        return run_priors.lump_shapes(priors, inputs.categories)
    return undershoot.common_shapes(
        sales=history, window=HISTORY_WINDOW, group=pooling.group_codes(inputs.categories)
    ).per_row


def _policies(
    inputs: PlanInputs,
    settings: ResolvedSettings,
    parameters: Parameters,
    lead_time: tuple[FloatArray, FloatArray, FloatArray | None],
    cost: FloatArray,
    demand: tuple[pooling.PooledDemand | None, FloatArray | None] = (None, None),
) -> PolicyTable:
    """Each row's policy; ``lead_time`` is its mean, std and crossing spread, days;
    ``demand``: the pooled demand, which replaces the forecast where it applies, and the
    rows' common lump shapes (None: off)."""
    lead, lead_std, crossing = lead_time
    pooled, shape = demand
    kind = KIND_OF_POLICY[settings["policy"].astype(np.int64)]
    review = settings["review_period_days"]
    return compute_policies(
        kind=kind,
        demand_mean=inputs.daily_mean if pooled is None else pooled.daily_mean,
        demand_std=inputs.daily_std if pooled is None else pooled.daily_std,
        lead_time_mean=lead,
        lead_time_std=lead_std,
        service_level=settings["service_level"],
        service_measure=settings["service_measure"].astype(np.int64),
        review_period=np.where(np.isnan(review), parameters.default_review_period_days, review),
        fixed_order_quantity=settings["fixed_order_quantity"],
        ordering_cost=np.full(inputs.n_rows, parameters.ordering_cost),
        holding_cost=parameters.holding_rate * cost,
        manual_minimum=settings["manual_minimum"],
        manual_maximum=settings["manual_maximum"],
        fill_rate_model=parameters.fill_rate_model,
        demand_history=inputs.sales_history,
        lead_time_crossing=crossing,
        lost_sales_terms=None if pooled is None else pooled.terms,
        lost_sales_shape=shape,
        lost_sales_carried_shortage=int(parameters.carried_shortage),
    )


def _transfers(
    inputs: PlanInputs,
    policy: PolicyTable,
    position: FloatArray,
    purchase_cost: FloatArray,
    parameters: Parameters,
) -> TransferLines:
    need = order_quantity_needed(position, policy)
    excess = transfers.excess_units(
        position=position,
        free_on_hand=inputs.on_hand - inputs.allocated - inputs.reserved,
        order_up_to=policy.order_up_to,
        needs_order=need > 0,
        margin_share=parameters.transfer_margin,
    )
    wanted = np.ceil(np.maximum(need, 0.0) - 1e-9).astype(np.int64)
    plan = transfers.match_transfers(sku=inputs.sku_index, need=wanted, excess=excess)
    unit_cost = purchase_cost[plan.destination]
    cheaper = transfers.cheaper_than_ordering(
        quantity=plan.quantity,
        unit_cost=unit_cost,
        ordering_cost=parameters.ordering_cost,
        unit_transfer_cost=parameters.transfer_unit_cost,
        fixed_transfer_cost=parameters.transfer_fixed_cost,
    )
    kept = transfers.TransferPlan(
        source=plan.source[cheaper],
        destination=plan.destination[cheaper],
        quantity=plan.quantity[cheaper],
    )
    moved = kept.quantity.astype(np.float64)
    return TransferLines(
        plan=kept,
        transfer_cost=parameters.transfer_fixed_cost + parameters.transfer_unit_cost * moved,
        purchase_cost_avoided=np.where(np.isfinite(unit_cost[cheaper]), unit_cost[cheaper], 0.0)
        * moved,
    )


def _budget(
    inputs: PlanInputs,
    settings: ResolvedSettings,
    parameters: Parameters,
    allocation: sourcing.Allocation,
    policy: PolicyTable,
    position: FloatArray,
    cost: FloatArray,
) -> LinePlan:
    ordered = np.bincount(allocation.line, allocation.quantity, inputs.n_rows)
    row_value = budget.expected_lost_margin_avoided(
        position=position,
        order_quantity=ordered,
        demand_mean=policy.protection_demand_mean,
        demand_std=policy.protection_demand_std,
        unit_margin=inputs.price - cost,
    )
    line = allocation.line
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(ordered[line] > 0, allocation.quantity / ordered[line], 0.0)
    value = row_value[line] * share
    money = allocation.quantity * inputs.offers.unit_cost[allocation.offer]
    group, caps = _budget_groups(settings, line)
    chosen = budget.select_within_budget(
        cost=money, value=value, budget=parameters.budget, group=group, group_budget=caps
    )
    capped = np.isfinite(caps[group]) | (parameters.budget is not None)
    status = np.where(capped, np.where(chosen.kept, WITHIN_BUDGET, OVER_BUDGET), NO_BUDGET)
    return LinePlan(
        allocation=allocation,
        cost=money,
        value=value,
        priority=chosen.priority,
        budget_status=status.astype(np.int64),
    )


def _budget_groups(settings: ResolvedSettings, line: IntArray) -> tuple[IntArray, FloatArray]:
    """Group of each line = the rule that gave its row a budget (group 0: none)."""
    source = settings.source["budget"][line]
    rules, group = np.unique(source, return_inverse=True)
    caps = np.array(
        [np.inf if index < 0 else float(settings.rules[index].budget or 0) for index in rules]
    )
    return group.reshape(-1).astype(np.int64), caps.reshape(-1).astype(np.float64)
