"""A computed plan as a domain proposal: one line per supplier part, each with its reasons.

Lines are numbered in the budget's greedy order (line 1 avoids the most lost margin per
unit of money). Every line carries the figures its quantity comes from: the inventory
position it was computed on, the forecast and safety stock over the protection interval,
the reorder and order-up-to levels, what rounding added, the budget status, and (in
``explanation``) the policy and the rule each setting came from, the supplier's score and
record, and the stock figures behind the position. The policy of a SKU x location uses
the lead time of its best-scored supplier (``policy_lead_time_days``); each line also
shows its own supplier's stated and observed lead time.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np

from stockguard.domain import replenishment as r
from stockguard.services.replenishment.compute import (
    NO_BUDGET,
    OVER_BUDGET,
    ReplenishmentPlan,
)
from stockguard.services.replenishment.inputs import PlanInputs
from stockguard.services.replenishment.settings import MEASURES, POLICIES, ResolvedSettings

_BUDGET_STATUS = {
    NO_BUDGET: r.BudgetStatus.NO_BUDGET,
    OVER_BUDGET: r.BudgetStatus.OVER,
}
CENT = Decimal("0.01")


def build_proposal(
    *,
    inputs: PlanInputs,
    settings: ResolvedSettings,
    abc: list[str],
    plan: ReplenishmentPlan,
    created_at: datetime,
    currency: str,
    budget: Decimal | None,
    parameters: dict[str, Any],
) -> r.ReplenishmentProposal:
    """The proposal of ``plan``, not yet stored (no id)."""
    lines = plan.lines
    order = np.argsort(lines.priority, kind="stable")
    built = [
        _line(number, int(part), inputs, settings, abc, plan, currency)
        for number, part in enumerate(order, start=1)
    ]
    moves = plan.transfers
    transfers = [
        r.TransferLine(
            line_no=number,
            sku=inputs.skus[int(moves.plan.source[i])],
            source=inputs.locations[int(moves.plan.source[i])],
            destination=inputs.locations[int(moves.plan.destination[i])],
            quantity=int(moves.plan.quantity[i]),
            transfer_cost=_money(moves.transfer_cost[i]),
            purchase_cost_avoided=_money(moves.purchase_cost_avoided[i]),
        )
        for number, i in enumerate(range(moves.plan.quantity.size), start=1)
    ]
    return r.ReplenishmentProposal(
        run_id=inputs.run_id,
        created_at=created_at,
        currency=currency,
        lines=built,
        transfers=transfers,
        budget=budget,
        parameters=parameters,
    )


def _line(
    number: int,
    part: int,
    inputs: PlanInputs,
    settings: ResolvedSettings,
    abc: list[str],
    plan: ReplenishmentPlan,
    currency: str,
) -> r.ProposalLine:
    allocation, policy = plan.lines.allocation, plan.rows.policy
    row, offer = int(allocation.line[part]), int(allocation.offer[part])
    rows = plan.rows
    position = rows.position[row] + rows.transfer_in[row] - rows.transfer_out[row]
    return r.ProposalLine(
        line_no=number,
        sku=inputs.skus[row],
        location=inputs.locations[row],
        supplier=inputs.offer_facts.supplier[offer],
        quantity=int(allocation.quantity[part]),
        unit_cost=inputs.offer_facts.unit_cost[offer],
        currency=currency,
        position=round(float(position)),
        protection_demand=_round(policy.protection_demand_mean[row]),
        safety_stock=_round(policy.safety_stock[row]),
        reorder_point=_round(policy.reorder_point[row]),
        order_up_to=_round(policy.order_up_to[row]),
        need=_round(allocation.need[part]),
        added_by_minimum=int(allocation.added_by_minimum[part]),
        added_by_pack=int(allocation.added_by_pack[part]),
        lost_margin_avoided=_money(plan.lines.value[part]),
        budget_status=_BUDGET_STATUS.get(
            int(plan.lines.budget_status[part]), r.BudgetStatus.WITHIN
        ),
        explanation=_explanation(part, row, offer, inputs, settings, abc, plan),
    )


def _explanation(
    part: int,
    row: int,
    offer: int,
    inputs: PlanInputs,
    settings: ResolvedSettings,
    abc: list[str],
    plan: ReplenishmentPlan,
) -> dict[str, object]:
    rows, policy, scores = plan.rows, plan.rows.policy, plan.rows.scores
    level = settings["service_level"][row]
    return {
        "policy": POLICIES[int(settings["policy"][row])].value,
        "service_measure": MEASURES[int(settings["service_measure"][row])].value,
        "service_level": _round(level),
        "abc_class": abc[int(inputs.sku_index[row])],
        "rules": settings.labels(row),
        "forecast_per_day": _round(inputs.daily_mean[row].mean()),
        "protection_days": _round(policy.protection_interval[row]),
        "protection_demand_std": _round(policy.protection_demand_std[row]),
        "safety_factor": _round(policy.safety_factor[row]),
        "on_hand": int(inputs.on_hand[row]),
        "on_order": int(inputs.on_order[row]),
        "allocated": int(inputs.allocated[row]),
        "transfer_in": int(rows.transfer_in[row]),
        "transfer_out": int(rows.transfer_out[row]),
        "row_need": _round(rows.need[row]),
        "max_supplier_share": _round(settings["max_supplier_share"][row]),
        "diversified": bool(rows.diversified[row]),
        "supplier_rank": int(plan.lines.allocation.rank[part]) + 1,
        "policy_lead_time_days": _round(rows.lead_time_mean[row]),
        "policy_lead_time_std_days": _round(rows.lead_time_std[row]),
        "stated_lead_time_days": int(inputs.offer_facts.stated_lead_time[offer]),
        "supplier_lead_time_days": _round(inputs.offers.lead_time_mean[offer]),
        "supplier_lead_time_std_days": _round(inputs.offers.lead_time_std[offer]),
        "supplier_deliveries": int(inputs.offer_facts.deliveries[offer]),
        "on_time_rate": _round(inputs.offers.on_time_rate[offer]),
        "score": {
            "total": _round(scores.total[offer]),
            "lead_time": _round(scores.lead_time[offer]),
            "overbuy": _round(scores.overbuy[offer]),
            "lateness": _round(scores.lateness[offer]),
            "risk": _round(scores.risk[offer]),
        },
    }


def _round(value: Any) -> float:
    return round(float(value), 4)


def _money(value: Any) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT)
