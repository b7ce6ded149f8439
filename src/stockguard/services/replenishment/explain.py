"""A computed plan as a domain proposal: one line per supplier part, each with its reasons.

Lines are numbered in the budget's greedy order (line 1 avoids the most lost margin per
unit of money). Every line carries the figures its quantity comes from: the inventory
position it was computed on, the forecast and safety stock over the protection interval,
the reorder and order-up-to levels, what rounding added, the budget status, and (in
``explanation``) the policy and the rule each setting came from, the supplier's score and
record, and the stock figures behind the position. The policy of a SKU x location uses
the lead time of its best-scored supplier (``policy_lead_time_days``); each line also
shows its own supplier's stated and observed lead time, and the open orders counted in
it (``supplier_open_orders``, right-censored at their age, ``open_orders``;
``lead_time_text`` says it in a sentence). ``reorder_point_model`` names the equation
of the reorder point (``lost_sales``, ``backorder``, ``cycle_service``) and
the lost-sales model's undershoot, dispersion and lead-time variance stand beside it
(``model_text.describe`` says it in a sentence when the line is read).

The arrays are turned into Python lists once (``_Columns``), so building a line is a few
list look-ups rather than numpy scalar accesses.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import numpy as np

from stockguard.domain import replenishment as r
from stockguard.planning.inventory.pooled_rate import RateSource
from stockguard.services.replenishment import model_text, pooling
from stockguard.services.replenishment.compute import (
    NO_BUDGET,
    OVER_BUDGET,
    ReplenishmentPlan,
)
from stockguard.services.replenishment.inputs import OfferFacts, PlanInputs
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
    columns = _Columns(inputs, settings, abc, plan)
    order = np.argsort(plan.lines.priority, kind="stable").tolist()
    lines = [columns.line(number, part, currency) for number, part in enumerate(order, start=1)]
    return r.ReplenishmentProposal(
        run_id=inputs.run_id,
        created_at=created_at,
        currency=currency,
        lines=lines,
        transfers=_transfers(inputs, plan),
        budget=budget,
        parameters=parameters,
    )


def _transfers(inputs: PlanInputs, plan: ReplenishmentPlan) -> list[r.TransferLine]:
    moves = plan.transfers
    source, destination = moves.plan.source.tolist(), moves.plan.destination.tolist()
    quantity = moves.plan.quantity.tolist()
    cost, avoided = moves.transfer_cost.tolist(), moves.purchase_cost_avoided.tolist()
    return [
        r.TransferLine(
            line_no=i + 1,
            sku=inputs.skus[source[i]],
            source=inputs.locations[source[i]],
            destination=inputs.locations[destination[i]],
            quantity=quantity[i],
            transfer_cost=_money(cost[i]),
            purchase_cost_avoided=_money(avoided[i]),
        )
        for i in range(len(quantity))
    ]


class _Columns:
    """The plan's arrays as rounded Python lists, by row, by line part and by offer."""

    def __init__(
        self,
        inputs: PlanInputs,
        settings: ResolvedSettings,
        abc: list[str],
        plan: ReplenishmentPlan,
    ) -> None:
        rows, policy, lines = plan.rows, plan.rows.policy, plan.lines
        allocation = lines.allocation
        self.inputs, self.settings = inputs, settings
        self.abc = [abc[i] for i in inputs.sku_index.tolist()]
        self.position = (rows.position + rows.transfer_in - rows.transfer_out).round().tolist()
        self.row = {
            "protection_demand": _rounded(policy.protection_demand_mean),
            "safety_stock": _rounded(policy.safety_stock),
            "reorder_point": _rounded(policy.reorder_point),
            "order_up_to": _rounded(policy.order_up_to),
        }
        self.why_row = _row_explanations(inputs, settings, plan)
        self.part = {
            "line": allocation.line.tolist(),
            "offer": allocation.offer.tolist(),
            "quantity": allocation.quantity.tolist(),
            "need": _rounded(allocation.need),
            "added_by_minimum": allocation.added_by_minimum.tolist(),
            "added_by_pack": allocation.added_by_pack.tolist(),
            "value": lines.value.tolist(),
            "status": lines.budget_status.tolist(),
            "rank": allocation.rank.tolist(),
        }
        self.why_offer = _offer_explanations(inputs, plan)

    def line(self, number: int, part: int, currency: str) -> r.ProposalLine:
        p, row_values = self.part, self.row
        row, offer = p["line"][part], p["offer"][part]
        explanation = {
            **self.why_row[row],
            **self.why_offer[offer],
            "supplier_rank": p["rank"][part] + 1,
            "abc_class": self.abc[row],
        }
        return r.ProposalLine(
            line_no=number,
            sku=self.inputs.skus[row],
            location=self.inputs.locations[row],
            supplier=self.inputs.offer_facts.supplier[offer],
            quantity=p["quantity"][part],
            unit_cost=self.inputs.offer_facts.unit_cost[offer],
            currency=currency,
            position=int(self.position[row]),
            protection_demand=row_values["protection_demand"][row],
            safety_stock=row_values["safety_stock"][row],
            reorder_point=row_values["reorder_point"][row],
            order_up_to=row_values["order_up_to"][row],
            need=p["need"][part],
            added_by_minimum=p["added_by_minimum"][part],
            added_by_pack=p["added_by_pack"][part],
            lost_margin_avoided=_money(p["value"][part]),
            budget_status=_BUDGET_STATUS.get(p["status"][part], r.BudgetStatus.WITHIN),
            explanation=explanation,
        )


def _row_explanations(
    inputs: PlanInputs, settings: ResolvedSettings, plan: ReplenishmentPlan
) -> dict[int, dict[str, object]]:
    """Explanation entries shared by a row's lines, for the rows that have lines."""
    rows, policy = plan.rows, plan.rows.policy
    wanted = sorted(set(plan.lines.allocation.line.tolist()))
    columns: dict[str, list[Any]] = {
        "forecast_per_day": _rounded(inputs.daily_mean[wanted].mean(axis=1)),
        "protection_days": _rounded(policy.protection_interval[wanted]),
        "protection_demand_std": _rounded(policy.protection_demand_std[wanted]),
        "safety_factor": _rounded(policy.safety_factor[wanted]),
        "on_hand": inputs.on_hand[wanted].tolist(),
        "on_order": inputs.on_order[wanted].tolist(),
        "in_draft": inputs.in_draft[wanted].tolist(),
        "allocated": inputs.allocated[wanted].tolist(),
        "transfer_in": rows.transfer_in[wanted].tolist(),
        "transfer_out": rows.transfer_out[wanted].tolist(),
        "row_need": _rounded(rows.need[wanted]),
        "service_level": _rounded(settings["service_level"][wanted]),
        "max_supplier_share": _rounded(settings["max_supplier_share"][wanted]),
        "diversified": rows.diversified[wanted].tolist(),
        "policy_lead_time_days": _rounded(rows.lead_time_mean[wanted]),
        "policy_lead_time_std_days": _rounded(rows.lead_time_std[wanted]),
        "undershoot_units": _rounded(policy.undershoot_mean[wanted]),
        "demand_dispersion": _rounded(np.nan_to_num(policy.demand_dispersion[wanted], nan=1.0)),
        "lead_time_variance_days2": _rounded(policy.lead_time_variance[wanted]),
    }
    policies = settings["policy"][wanted].astype(np.int64).tolist()
    measures = settings["service_measure"][wanted].astype(np.int64).tolist()
    labels = settings.labels(wanted)
    models = model_text.model_names(settings, plan, wanted)
    found: dict[int, dict[str, object]] = {}
    for i, row in enumerate(wanted):
        entry: dict[str, object] = {name: values[i] for name, values in columns.items()}
        entry["policy"] = POLICIES[policies[i]].value
        entry["service_measure"] = MEASURES[measures[i]].value
        entry["rules"] = labels[i]
        entry["reorder_point_model"] = models[i]
        found[row] = entry
    _pooled_entries(inputs, plan, found)
    return found


def _pooled_entries(
    inputs: PlanInputs, plan: ReplenishmentPlan, found: dict[int, dict[str, object]]
) -> None:
    """Add where each row's demand rate came from when the run pooled slow rows
    (``demand_rate`` figures, per day, and ``demand_rate_note`` in words)."""
    pooled = plan.rows.pooled
    if pooled is None:
        return
    rows = list(found)
    sources = pooled.source[rows].tolist()
    rates = np.round(pooled.rate[rows], 6).tolist()
    group_rates = np.round(pooled.group_rate[rows], 6).tolist()
    units, periods = pooled.units[rows].tolist(), pooled.periods[rows].tolist()
    for i, row in enumerate(rows):
        entry = found[row]
        entry["demand_rate"] = {
            "source": pooling.SOURCE_NAMES[sources[i]],
            "rate_per_day": rates[i],
            "group_rate_per_day": group_rates[i],
            "units_sold": units[i],
            "days_observed": periods[i],
        }
        if sources[i] == RateSource.FORECAST:
            continue
        entry["demand_rate_note"] = pooling.pooled_sentence(
            sku=inputs.skus[row],
            source=sources[i],
            units=units[i],
            periods=periods[i],
            rate=rates[i],
            group_rate=group_rates[i],
            group=inputs.categories[row],
        )


def _offer_explanations(
    inputs: PlanInputs, plan: ReplenishmentPlan
) -> dict[int, dict[str, object]]:
    """Explanation entries of the offers that have lines: the supplier's record and score."""
    offers, scores, facts = inputs.offers, plan.rows.scores, inputs.offer_facts
    wanted = sorted(set(plan.lines.allocation.offer.tolist()))
    columns: dict[str, list[Any]] = {
        "stated_lead_time_days": facts.stated_lead_time[wanted].tolist(),
        "supplier_deliveries": facts.deliveries[wanted].tolist(),
        "supplier_lead_time_days": _rounded(offers.lead_time_mean[wanted]),
        "supplier_lead_time_std_days": _rounded(offers.lead_time_std[wanted]),
        "on_time_rate": _rounded(offers.on_time_rate[wanted]),
    }
    parts = {
        name: _rounded(getattr(scores, name)[wanted])
        for name in ("total", "lead_time", "overbuy", "lateness", "risk")
    }
    found: dict[int, dict[str, object]] = {}
    for i, offer in enumerate(wanted):
        entry: dict[str, object] = {name: values[i] for name, values in columns.items()}
        entry["score"] = {name: values[i] for name, values in parts.items()}
        found[offer] = entry | _open_orders(facts, offer)
    return found


def _open_orders(facts: OfferFacts, offer: int) -> dict[str, object]:
    """The open orders that went into the offer's lead time (none: no entries, as on
    lines stored before): ``supplier_open_orders``, ``supplier_oldest_open_days`` (days
    since the oldest was ordered) and ``supplier_lead_time_receipts``."""
    counts = facts.open_orders
    if counts is None or not counts.open[offer]:
        return {}
    return {
        "supplier_open_orders": int(counts.open[offer]),
        "supplier_oldest_open_days": int(counts.oldest[offer]),
        "supplier_lead_time_receipts": int(counts.receipts[offer]),
    }


def _rounded(values: Any) -> list[float]:
    return [float(x) for x in np.round(np.asarray(values, dtype=np.float64), 4).tolist()]


def _money(value: float) -> Decimal:
    return Decimal(repr(float(value))).quantize(CENT)
